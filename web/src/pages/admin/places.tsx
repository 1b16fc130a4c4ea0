// Places: named places (school, station, centre …) picked on the map or typed as lon/lat.
// Loaded on its own so that Leaflet is fetched only when this tab is opened.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Place } from '../../api';
import { lang, t } from '../../i18n';
import { describe, ErrorText, Field } from '../../components/field';
import { areaLayer, createMap, destroyMap, fitTo, L, fillOver } from '../../components/map';
import { interiorPoint } from '../../geo';
import { areasGeoJSON } from '../../state';
import { FormMessage, ListSection, NewBadge, SubmitButton, useAdminForm, useList } from './common';
import { parseDecimal, validatePlace, type PlaceDraft } from './forms';

const ORDER = ['name', 'kind', 'location', 'lat', 'lon'] as const;
const empty = (): PlaceDraft => ({ name: '', kind: '', lon: '', lat: '' });

/** Six decimals (about 0.1 m) with a decimal comma in Swedish. */
function coordText(n: number): string {
  const s = n.toFixed(6);
  return lang.value === 'en' ? s : s.replace('.', ',');
}

export default function PlacesSection() {
  lang.value;
  const list = useList(() => api.places());
  const f = useAdminForm(empty, 'place', ORDER, { focusIds: { location: 'place-lat' } });
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const { d, errs } = f;
  const items = [...(list.items ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  const mapEl = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const markerRef = useRef<L.CircleMarker | null>(null);
  const placesRef = useRef<L.LayerGroup | null>(null);
  const [areaNames, setAreaNames] = useState<Map<string, string>>(new Map());

  useEffect(() => {
    if (!mapEl.current) return;
    const map = createMap(mapEl.current, t('placeMapLabel'));
    mapRef.current = map;
    map.on('click', (e: L.LeafletMouseEvent) => {
      f.set('lat', coordText(e.latlng.lat));
      f.set('lon', coordText(e.latlng.lng));
      f.clear('location');
    });
    let live = true;
    areasGeoJSON()
      .then((fc) => {
        if (!live) return;
        setAreaNames(new Map(fc.features.map((x) => [String(x.properties?.code), String(x.properties?.name ?? '')])));
        const layer = areaLayer(fc, {
          interactive: false,
          style: (x) => {
            const level = x.properties?.level ?? 1;
            if (level === 0) return { color: '#333', weight: 2, fill: false };
            if (level >= 2) return { color: '#4a6b8a', weight: 1, dashArray: '4 4', fill: false };
            return { color: '#4a6b8a', weight: 1, fillColor: '#e8eef4', fillOpacity: fillOver(0.6, 0.12) };
          },
        }).addTo(map);
        for (const x of fc.features) {
          if ((x.properties?.level ?? 0) !== 1) continue;
          const p = interiorPoint(x.geometry);
          if (p) L.tooltip({ permanent: true, direction: 'center', className: 'area-label' }).setLatLng([p[1], p[0]]).setContent(String(x.properties?.name ?? '')).addTo(map);
        }
        fitTo(map, layer);
      })
      .catch(() => undefined);
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(mapEl.current);
    return () => {
      live = false;
      ro.disconnect();
      destroyMap(map);
      mapRef.current = null;
    };
  }, []);

  // The existing places as small dots, for orientation.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    placesRef.current?.remove();
    const g = L.layerGroup();
    for (const p of list.items ?? []) {
      if (p.lat === undefined || p.lon === undefined) continue;
      L.circleMarker([p.lat, p.lon], { radius: 4, color: '#1a1a1a', weight: 1.5, fillColor: '#ffffff', fillOpacity: 1, interactive: false, pane: 'points' }).addTo(g);
    }
    placesRef.current = g.addTo(map);
  }, [list.items]);

  // The chosen point follows the typed or clicked coordinates.
  const lon = parseDecimal(d.lon);
  const lat = parseDecimal(d.lat);
  const point = lon !== null && lat !== null && Math.abs(lon) <= 180 && Math.abs(lat) <= 90 ? { lon, lat } : null;
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    markerRef.current?.remove();
    markerRef.current = point
      ? L.circleMarker([point.lat, point.lon], { radius: 10, color: '#b00020', weight: 3, fillColor: '#ffcc00', fillOpacity: 0.9, interactive: false, pane: 'points' }).addTo(map)
      : null;
  }, [point?.lon, point?.lat]);

  async function submit(e: Event) {
    e.preventDefault();
    const v = validatePlace(d);
    await f.run(v.errs, async () => {
      const p: Place = await api.createPlace({ name: d.name.trim(), kind: d.kind.trim(), lon: Number(v.point!.lon.toFixed(6)), lat: Number(v.point!.lat.toFixed(6)) });
      setFresh((s) => new Set(s).add(p.id));
      await list.reload();
      return t('placeAdded', `”${p.name}”`, p.area ? areaNames.get(p.area) || p.area : t('outside'));
    });
  }

  const kinds = [...new Set((list.items ?? []).map((p) => p.kind))].sort((a, b) => a.localeCompare(b, 'sv'));
  const locErr = errs.location;

  return (
    <div class="admin-grid wide-form">
      <section class="card admin-form" aria-labelledby="place-add-h">
        <h2 id="place-add-h">{t('placeAddTitle')}</h2>
        <form onSubmit={submit} noValidate>
          <Field id="place-name" label={t('placeName')} error={errs.name}>
            <input id="place-name" type="text" value={d.name} {...describe('place-name', errs.name)} onInput={(e) => f.set('name', e.currentTarget.value)} />
          </Field>
          <Field id="place-kind" label={t('placeKind')} error={errs.kind} hint={t('placeKindHint')}>
            <input id="place-kind" type="text" list="place-kinds" autocomplete="off" value={d.kind} {...describe('place-kind', errs.kind, true)}
              onInput={(e) => f.set('kind', e.currentTarget.value)} />
            <datalist id="place-kinds">
              {kinds.map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
          </Field>
          <fieldset class={`admin-fieldset ${locErr ? 'has-error' : ''}`}>
            <legend>{t('placeWhere')}</legend>
            <p class="hint" id="place-map-help">{t('placeMapHelp')}</p>
            <div ref={mapEl} class="map map-admin" data-testid="place-map" aria-describedby="place-map-help" />
            <p class="chosen" aria-live="polite" data-testid="place-chosen">
              {point ? t('placeChosen', coordText(point.lat), coordText(point.lon)) : t('placeNoPoint')}
            </p>
            <ErrorText id="place-location-error" error={locErr} />
            <div class="row">
              <Field id="place-lat" label={t('placeLat')} error={errs.lat}>
                <input id="place-lat" type="text" inputMode="decimal" autocomplete="off" value={d.lat}
                  {...describe('place-lat', errs.lat)} aria-describedby={[errs.lat ? 'place-lat-error' : '', locErr ? 'place-location-error' : ''].filter(Boolean).join(' ') || undefined}
                  onInput={(e) => {
                    f.set('lat', e.currentTarget.value);
                    f.clear('location');
                  }} />
              </Field>
              <Field id="place-lon" label={t('placeLon')} error={errs.lon}>
                <input id="place-lon" type="text" inputMode="decimal" autocomplete="off" value={d.lon}
                  {...describe('place-lon', errs.lon)} aria-describedby={[errs.lon ? 'place-lon-error' : '', locErr ? 'place-location-error' : ''].filter(Boolean).join(' ') || undefined}
                  onInput={(e) => {
                    f.set('lon', e.currentTarget.value);
                    f.clear('location');
                  }} />
              </Field>
            </div>
          </fieldset>
          <FormMessage msg={f.msg} testid="place-message" />
          <SubmitButton busy={f.busy} label={t('placeAddTitle')} />
        </form>
      </section>
      <ListSection id="place-list" title={t('placeListTitle', items.length)} error={list.error} loading={!list.items}>
        <table class="data" data-testid="place-table">
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colKind')}</th>
              <th scope="col">{t('area')}</th>
              <th scope="col" class="num">{t('placeCoords')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id} data-id={p.id} class={fresh.has(p.id) ? 'is-new' : undefined}>
                <td data-label={t('colName')}>
                  {p.name} {fresh.has(p.id) && <NewBadge />}
                </td>
                <td data-label={t('colKind')}>{p.kind}</td>
                <td data-label={t('area')}>{p.area ? areaNames.get(p.area) || p.area : t('outside')}</td>
                <td class="num" data-label={t('placeCoords')}>{p.lat !== undefined && p.lon !== undefined ? `${coordText(p.lat).slice(0, -2)}, ${coordText(p.lon).slice(0, -2)}` : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListSection>
    </div>
  );
}
