// Small geometry helpers for the browser: SWEREF 99 TM → WGS84 for the named places (the API
// gives places only in EPSG:3006), and an interior point of an area polygon for "choose area".
// Display only; the server does the authoritative transforms with PROJ.

/** Inverse Gauss–Krüger for SWEREF 99 TM (GRS80, lon0 15°, k0 0.9996, FE 500 000) → [lon, lat]. */
export function sweref99tmToWgs84(x: number, y: number): [number, number] {
  const a = 6378137.0;
  const f = 1 / 298.257222101;
  const lon0 = (15 * Math.PI) / 180;
  const k0 = 0.9996;
  const fn = 0;
  const fe = 500000;
  const e2 = f * (2 - f);
  const n = f / (2 - f);
  const aRoof = (a / (1 + n)) * (1 + (n * n) / 4 + (n ** 4) / 64);
  const d1 = n / 2 - (2 * n * n) / 3 + (37 * n ** 3) / 96 - (n ** 4) / 360;
  const d2 = (n * n) / 48 + (n ** 3) / 15 - (437 * n ** 4) / 1440;
  const d3 = (17 * n ** 3) / 480 - (37 * n ** 4) / 840;
  const d4 = (4397 * n ** 4) / 161280;
  const xi = (y - fn) / (k0 * aRoof);
  const eta = (x - fe) / (k0 * aRoof);
  const xiP =
    xi -
    d1 * Math.sin(2 * xi) * Math.cosh(2 * eta) -
    d2 * Math.sin(4 * xi) * Math.cosh(4 * eta) -
    d3 * Math.sin(6 * xi) * Math.cosh(6 * eta) -
    d4 * Math.sin(8 * xi) * Math.cosh(8 * eta);
  const etaP =
    eta -
    d1 * Math.cos(2 * xi) * Math.sinh(2 * eta) -
    d2 * Math.cos(4 * xi) * Math.sinh(4 * eta) -
    d3 * Math.cos(6 * xi) * Math.sinh(6 * eta) -
    d4 * Math.cos(8 * xi) * Math.sinh(8 * eta);
  const phiStar = Math.asin(Math.sin(xiP) / Math.cosh(etaP));
  const dLon = Math.atan(Math.sinh(etaP) / Math.cos(xiP));
  const A = e2 + e2 ** 2 + e2 ** 3 + e2 ** 4;
  const B = -(7 * e2 ** 2 + 17 * e2 ** 3 + 30 * e2 ** 4) / 6;
  const C = (224 * e2 ** 3 + 889 * e2 ** 4) / 120;
  const D = -(4279 * e2 ** 4) / 1260;
  const s = Math.sin(phiStar);
  const phi = phiStar + s * Math.cos(phiStar) * (A + B * s * s + C * s ** 4 + D * s ** 6);
  return [((lon0 + dLon) * 180) / Math.PI, (phi * 180) / Math.PI];
}

type Ring = number[][];

function rings(g: GeoJSON.Geometry): Ring[][] {
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  return [];
}

export function pointInGeometry(lon: number, lat: number, g: GeoJSON.Geometry): boolean {
  for (const poly of rings(g)) {
    let inside = false;
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    if (inside) return true;
  }
  return false;
}

/** A point inside the polygon: the middle of the widest interior run along the bbox's middle latitude. */
export function interiorPoint(g: GeoJSON.Geometry): [number, number] | null {
  const polys = rings(g);
  if (!polys.length) return null;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of polys) for (const r of p) for (const [, y] of r) (minY = Math.min(minY, y)), (maxY = Math.max(maxY, y));
  for (const frac of [0.5, 0.4, 0.6, 0.3, 0.7]) {
    const lat = minY + (maxY - minY) * frac;
    const xs: number[] = [];
    for (const p of polys)
      for (const r of p)
        for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
          const [xi, yi] = r[i];
          const [xj, yj] = r[j];
          if (yi > lat !== yj > lat) xs.push(((xj - xi) * (lat - yi)) / (yj - yi) + xi);
        }
    xs.sort((a, b) => a - b);
    let best: [number, number] | null = null;
    let width = 0;
    for (let i = 0; i + 1 < xs.length; i += 2) {
      if (xs[i + 1] - xs[i] > width) {
        width = xs[i + 1] - xs[i];
        best = [(xs[i] + xs[i + 1]) / 2, lat];
      }
    }
    if (best) return best;
  }
  return null;
}
