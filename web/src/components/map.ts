// Leaflet helpers. The municipality's areas are drawn as vector layers from
// GET /api/v1/areas?format=geojson; under them, when one is configured (GET /api/v1/basemap:
// est serve --basemap or the administrator's choice), the basemap's tiles with their attribution.
// Without one the areas' outlines are the background.
import { effect } from '@preact/signals';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { interiorPoint } from '../geo';
import { basemap } from '../state';
import { chooseLabels, geometryArea, type LabelBox } from './labels';

export { L };

/** Stops following the basemap, per map (destroyMap calls it: its map.off() drops 'unload'). */
const unfollow = new WeakMap<L.Map, () => void>();

/** Adds (and keeps current) the configured basemap's tile layer on `map`. */
function followBasemap(map: L.Map): void {
  let layer: L.TileLayer | null = null;
  let shown = '';
  const stop = effect(() => {
    const b = basemap.value;
    const url = b?.url ?? '';
    if (url === shown) return;
    if (layer) {
      map.removeLayer(layer);  // takes its attribution with it
      layer = null;
    }
    shown = url;
    if (!url || !b) return;
    const maxZoom = Math.min(18, b.max_zoom ?? 18);
    layer = L.tileLayer(url, {
      // Leaflet puts the attribution in as HTML: it is the administrator's plain text, escaped.
      attribution: esc(b.attribution ?? ''),
      maxNativeZoom: maxZoom,
      maxZoom: 18,
      className: 'basemap-tiles',
      crossOrigin: false,
    });
    layer.addTo(map);
    layer.bringToBack();
  });
  unfollow.set(map, stop);
  map.on('unload', stop);
}

/** An area fill's opacity: `plain` on the outline map, `withTiles` over a basemap (streets show). */
export function fillOver(plain: number, withTiles: number): number {
  return basemap.value?.url ? withTiles : plain;
}

export function createMap(el: HTMLElement, label: string): L.Map {
  const map = L.map(el, {
    attributionControl: true,
    zoomSnap: 0.25,
    minZoom: 9,
    maxZoom: 18,
    preferCanvas: false,
  });
  // No Leaflet logo link: only the basemap's own attribution (none without a basemap).
  map.attributionControl.setPrefix(false);
  followBasemap(map);
  // Analysis layers stack above the areas (overlayPane, 400) and below the report points.
  for (const [name, z] of [['heat', 410], ['hotspots', 420], ['emerging', 430], ['points', 450]] as const) {
    map.createPane(name).style.zIndex = String(z);
  }
  el.setAttribute('aria-label', label);
  el.setAttribute('role', 'region');
  map.setView([59.44, 17.93], 12);
  return map;
}

export interface AreaLayerOptions {
  interactive: boolean;
  style: (f: GeoJSON.Feature) => L.PathOptions;
  tooltip?: (f: GeoJSON.Feature) => string;
  onClick?: (f: GeoJSON.Feature) => void;
}

/** Draws the areas (level ≥ 1 filled; the municipality outline as a line). */
export function areaLayer(fc: GeoJSON.FeatureCollection, o: AreaLayerOptions): L.GeoJSON {
  return L.geoJSON(fc, {
    interactive: o.interactive,
    style: (f) => (f ? o.style(f) : {}),
    onEachFeature: (f, layer) => {
      if (o.tooltip) layer.bindTooltip(o.tooltip(f), { sticky: true, className: 'map-tip' });
      if (o.onClick) layer.on('click', () => o.onClick!(f));
    },
  });
}

export function fitTo(map: L.Map, layer: L.GeoJSON | L.FeatureGroup): void {
  const b = layer.getBounds();
  if (b.isValid()) map.fitBounds(b, { padding: [8, 8], animate: false });
}

export interface PointLike {
  lat: number;
  lon: number;
  weight: number;
  title: string;
}

/**
 * Simple grid clustering in screen space: points falling in the same `cellPx` cell at the
 * current zoom become one marker with their total. Recomputed on zoom.
 */
export function clusterLayer(map: L.Map, points: PointLike[], cellPx = 48, unit = '', pane = 'points'): L.LayerGroup {
  const group = L.layerGroup();
  const draw = () => {
    group.clearLayers();
    const zoom = map.getZoom();
    const cells = new Map<string, { n: number; lat: number; lon: number; pts: PointLike[] }>();
    for (const p of points) {
      const px = map.project([p.lat, p.lon], zoom);
      const k = `${Math.floor(px.x / cellPx)}:${Math.floor(px.y / cellPx)}`;
      const c = cells.get(k);
      if (c) {
        c.n += p.weight;
        c.lat += p.lat;
        c.lon += p.lon;
        c.pts.push(p);
      } else cells.set(k, { n: p.weight, lat: p.lat, lon: p.lon, pts: [p] });
    }
    for (const c of cells.values()) {
      const lat = c.lat / c.pts.length;
      const lon = c.lon / c.pts.length;
      if (c.pts.length === 1) {
        L.circleMarker([lat, lon], { radius: 6, color: '#1a1a1a', weight: 1.5, fillColor: '#ffffff', fillOpacity: 1, className: 'report-point', pane })
          .bindTooltip(c.pts[0].title, { className: 'map-tip' })
          .addTo(group);
      } else {
        const size = c.n < 10 ? 28 : c.n < 100 ? 34 : 42;
        const title = `${c.n} ${unit}`.trim();
        L.marker([lat, lon], {
          icon: L.divIcon({ className: 'cluster', html: `<span>${c.n}</span>`, iconSize: [size, size] }),
          title,
          alt: title,
          keyboard: false,
        })
          .on('click', () => {
            const b = L.latLngBounds(c.pts.map((p) => [p.lat, p.lon] as [number, number]));
            map.fitBounds(b.pad(0.2), { maxZoom: Math.min(map.getMaxZoom(), map.getZoom() + 3) });
          })
          .addTo(group);
      }
    }
  };
  group.on('add', () => {
    draw();
    map.on('zoomend', draw);
  });
  group.on('remove', () => map.off('zoomend', draw));
  return group;
}

/** Sequential colour scale for counts (light → dark blue); 0 is grey. */
export function choropleth(count: number, max: number): string {
  if (!count) return '#f2f2f2';
  const steps = ['#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
  const i = Math.min(steps.length - 1, Math.floor((count / Math.max(1, max)) * steps.length));
  return steps[i];
}

export function choroplethBreaks(max: number): { from: number; to: number; color: string }[] {
  const steps = ['#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
  const out = [{ from: 0, to: 0, color: '#f2f2f2' }];
  if (max <= 0) return out;
  const w = max / steps.length;
  steps.forEach((c, i) => {
    const from = Math.max(1, Math.ceil(i * w));
    const to = i === steps.length - 1 ? max : Math.max(from, Math.ceil((i + 1) * w) - 1);
    if (from <= to && (out.length === 1 || from > out[out.length - 1].to)) out.push({ from, to, color: c });
  });
  return out;
}

/** Removes a map safely even while a pan/zoom animation is running (avoids Leaflet's _leaflet_pos error). */
export function destroyMap(map: L.Map): void {
  unfollow.get(map)?.();
  unfollow.delete(map);
  map.stop();
  // A zoom animation ends in an uncancellable 250 ms timer that moves the (by then removed) panes
  // unless the map believes it is not animating: "Cannot read properties of undefined
  // (reading '_leaflet_pos')" when a page leaves right after choosing a place.
  (map as unknown as { _animatingZoom?: boolean })._animatingZoom = false;
  map.off();
  map.remove();
}

export interface CellLayerOptions<P> {
  pane: string;
  /** Path style of a cell, or null to leave it out. */
  style: (p: P) => L.PathOptions | null;
  /** Popup text (HTML-escaped by the caller) shown on click. */
  popup?: (p: P) => string;
  tooltip?: (p: P) => string;
}

/** Grid cells (GeoJSON polygons) as one vector layer; cells whose style is null are not drawn. */
export function cellLayer<P>(fc: GeoJSON.FeatureCollection<GeoJSON.Geometry, P>, o: CellLayerOptions<P>): L.GeoJSON {
  return L.geoJSON(fc as GeoJSON.FeatureCollection, {
    pane: o.pane,
    filter: (f) => o.style(f.properties as P) !== null,
    style: (f) => (f ? o.style(f.properties as P) ?? {} : {}),
    onEachFeature: (f, layer) => {
      if (o.popup) layer.bindPopup(o.popup(f.properties as P), { className: 'cell-popup', maxWidth: 260 });
      if (o.tooltip) layer.bindTooltip(o.tooltip(f.properties as P), { sticky: true, className: 'map-tip' });
    },
  });
}

/** Escapes text for Leaflet popup/tooltip HTML. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Permanent area-name labels that never overlap: after every zoom, pan or resize the labels
 * are laid out again and those that would collide with a larger area's label (or stick out of
 * the map) are hidden until there is room. Returns the layer (already on the map).
 */
export function areaLabels(map: L.Map, fc: GeoJSON.FeatureCollection, keep: (f: GeoJSON.Feature) => boolean = (f) => (f.properties?.level ?? 0) === 1): L.LayerGroup {
  const group = L.layerGroup();
  const items: { id: string; tip: L.Tooltip; priority: number }[] = [];
  fc.features.forEach((f, i) => {
    if (!keep(f)) return;
    const p = interiorPoint(f.geometry);
    if (!p) return;
    const tip = L.tooltip({ permanent: true, direction: 'center', className: 'area-label', interactive: false })
      .setLatLng([p[1], p[0]])
      .setContent(esc(String(f.properties?.name ?? '')));
    items.push({ id: String(f.properties?.code ?? i), tip, priority: geometryArea(f.geometry) });
    group.addLayer(tip);
  });
  let frame = 0;
  const layout = () => {
    frame = 0;
    if (!map.hasLayer(group)) return;
    const size = map.getSize();
    const boxes: LabelBox[] = [];
    for (const it of items) {
      const el = it.tip.getElement();
      const at = it.tip.getLatLng();
      if (!el || !at) continue;
      const pt = map.latLngToContainerPoint(at);
      const w = el.offsetWidth;
      const h = el.offsetHeight;
      boxes.push({ id: it.id, x: pt.x - w / 2, y: pt.y - h / 2, w, h, priority: it.priority });
    }
    const shown = chooseLabels(boxes, 4, { w: size.x, h: size.y });
    for (const it of items) it.tip.getElement()?.classList.toggle('area-label-hidden', !shown.has(it.id));
  };
  const later = () => {
    if (!frame) frame = requestAnimationFrame(layout);
  };
  group.on('add', () => {
    map.on('zoomend moveend resize', later);
    layout();
  });
  group.on('remove', () => {
    map.off('zoomend moveend resize', later);
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
  });
  return group.addTo(map);
}
