// Collision avoidance for map labels: a greedy pass in screen space keeps the most important
// labels and hides any label that would overlap one already kept (or stick out of the map).
// Pure, so it can be tested; components/map.ts applies it to Leaflet tooltips.

export interface LabelBox {
  id: string | number;
  /** top-left corner and size in pixels */
  x: number;
  y: number;
  w: number;
  h: number;
  /** higher is placed first (e.g. the area's size on screen) */
  priority: number;
}

function overlaps(a: LabelBox, b: LabelBox, pad: number): boolean {
  return a.x < b.x + b.w + pad && b.x < a.x + a.w + pad && a.y < b.y + b.h + pad && b.y < a.y + a.h + pad;
}

/** Ids of the labels to show. `bounds`: the map's size; labels not wholly inside are hidden. */
export function chooseLabels(boxes: LabelBox[], pad = 3, bounds?: { w: number; h: number }): Set<string | number> {
  const kept: LabelBox[] = [];
  const order = [...boxes].sort((a, b) => b.priority - a.priority || String(a.id).localeCompare(String(b.id)));
  for (const b of order) {
    if (bounds && (b.x < 0 || b.y < 0 || b.x + b.w > bounds.w || b.y + b.h > bounds.h)) continue;
    if (kept.some((k) => overlaps(k, b, pad))) continue;
    kept.push(b);
  }
  return new Set(kept.map((k) => k.id));
}

/** Area of a polygon ring in whatever units its coordinates have (shoelace). */
export function ringArea(ring: number[][]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
  return Math.abs(s / 2);
}

/** Outer-ring area of a (multi)polygon in squared degrees — only to rank labels. */
export function geometryArea(g: GeoJSON.Geometry | null | undefined): number {
  if (!g) return 0;
  if (g.type === 'Polygon') return g.coordinates.length ? ringArea(g.coordinates[0]) : 0;
  if (g.type === 'MultiPolygon') return g.coordinates.reduce((s, p) => s + (p.length ? ringArea(p[0]) : 0), 0);
  return 0;
}
