import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, queryString, type Lagesbild, type LagesbildRow, type Report } from '../api';
import { lang, t, type Key } from '../i18n';
import { areaLayer, destroyMap, fillOver, choropleth, choroplethBreaks, clusterLayer, createMap, fitTo, L } from '../components/map';
import { BarChart } from '../components/chart';
import { fmtNum, fmtSigned } from '../components/util';
import { parseFilters, serializeFilters, filtersToQuery, type Filters } from '../filters';
import { currentPeriod, isRunningOrLater, lastCompletePeriod, PERIOD_KINDS, periodLabel, shiftPeriod, type PeriodKind } from '../period';
import { emergingEnd, priorityPeriod } from '../analysis';
import {
  analysisLayers,
  DEFAULT_LAYERS,
  hotspotUncorrected,
  LayerControl,
  LayerLegends,
  PriorityPanel,
  ProfilePanel,
  SeriesPanel,
  useLayerData,
  type LayerData,
  type LayerSet,
} from './analysis';
import { navigate } from '../router';
import { areas, areasGeoJSON, categories, orgName, organisations } from '../state';

const POINT_LIMIT = 1000;

export default function LagesbildPage({ query }: { query: string }) {
  lang.value;
  const f = useMemo(() => parseFilters(query), [query]);
  const q = filtersToQuery(f);
  const qs = queryString(q);
  const [data, setData] = useState<Lagesbild | null>(null);
  const [points, setPoints] = useState<{ items: Report[]; total: number } | null>(null);
  const [err, setErr] = useState<Record<string, string>>({});
  const [copied, setCopied] = useState('');
  const [rowsMode, setRowsMode] = useState<'' | 'areas' | 'categories' | 'all'>('');
  const [layers, setLayers] = useState<LayerSet>(DEFAULT_LAYERS);
  const emEnd = emergingEnd(f.period, f.to);
  const layerData = useLayerData(q, layers, emEnd);

  const update = (patch: Partial<Filters>) => navigate('/lagesbild', serializeFilters({ ...f, ...patch }));

  useEffect(() => {
    let live = true;
    setErr({});
    api
      .lagesbild(q)
      .then((d) => live && setData(d))
      .catch((e) => live && setErr(e instanceof ApiError ? { '': e.message, ...e.fields } : { '': t('networkError') }));
    const pq: Record<string, string | number | undefined | null> = { ...q, limit: POINT_LIMIT };
    delete pq.dimension; // not a /reports filter; applied below
    api
      .reports(pq)
      .then((p) => live && setPoints({ items: p.items, total: p.total }))
      .catch(() => live && setPoints(null));
    return () => {
      live = false;
    };
  }, [qs]);

  const shown = useMemo(
    () =>
      (points?.items ?? []).filter(
        (r) => r.status !== 'rejected' && r.status !== 'duplicate' && (!f.dimension || r.dimension === f.dimension) && r.location?.lat != null,
      ),
    [points, f.dimension],
  );

  const totalsByArea = useMemo(() => {
    const m = new Map<string, LagesbildRow>();
    for (const r of data?.rows ?? []) if (r.category === null && r.area_code) m.set(r.area_code, r);
    return m;
  }, [data]);

  function setKind(kind: PeriodKind) {
    if (kind === 'custom') {
      const p = data?.period;
      update({ kind, period: '', from: p?.from ?? '', to: p?.to ?? '' });
    } else update({ kind, period: lastCompletePeriod(kind), from: '', to: '' });
  }

  async function share() {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(t('copied'));
    } catch {
      setCopied(url);
    }
  }

  const running = data?.running ?? null;
  const basePeriodText = f.kind === 'custom' ? `${f.from} – ${f.to}` : periodLabel(f.period, lang.value);
  // A running period says so: "vecka 49 2026, hittills t.o.m. mån 08:00".
  const periodText = running
    ? running.cut_minutes > 0
      ? `${basePeriodText}, ${t('soFarThrough', lang.value === 'en' ? running.through_en : running.through_sv)}`
      : `${basePeriodText}, ${t('notBegun')}`
    : basePeriodText;
  const atRunning = f.kind !== 'custom' && isRunningOrLater(f.period);
  const mode = rowsMode || (f.area || f.category ? 'categories' : 'areas');
  const areaRows = (data?.rows ?? []).filter((r) => (r.level ?? 1) === 1 && r.category === null);

  return (
    <div class="lagesbild">
      <h1>
        {t('pictureTitle')} <span class="sub">{periodText}</span>
      </h1>
      <section class="card filters" aria-labelledby="filters-h">
        <h2 id="filters-h" class="visually-hidden">{t('filters')}</h2>
        <div class="filter-grid">
          <div class="field">
            <label for="f-kind">{t('periodKind')}</label>
            <select id="f-kind" value={f.kind} onChange={(e) => setKind(e.currentTarget.value as PeriodKind)}>
              {PERIOD_KINDS.map((k) => (
                <option key={k} value={k}>{t(`kind_${k}` as Key)}</option>
              ))}
            </select>
          </div>
          {f.kind !== 'custom' ? (
            <div class="field period-stepper">
              <span class="label" id="f-period-l">{t('chosenPeriod')}: <strong data-testid="period-label">{periodText}</strong></span>
              <div class="stepper" role="group" aria-labelledby="f-period-l">
                <button type="button" class="btn small" onClick={() => update({ period: shiftPeriod(f.period, -1) })}>
                  <span aria-hidden="true">‹{"\u00a0"}</span>{t('prevPeriod')}
                </button>
                <button type="button" class="btn small" disabled={atRunning} onClick={() => update({ period: shiftPeriod(f.period, 1) })}>
                  {t('nextPeriod')}<span aria-hidden="true">{"\u00a0"}›</span>
                </button>
                {!atRunning && (
                  <button type="button" class="btn small" data-testid="running-period" onClick={() => update({ period: currentPeriod(f.kind) })}>
                    {t('runningPeriod')}
                  </button>
                )}
              </div>
              {running && running.cut_minutes > 0 && <p class="small-text muted" data-testid="running-note">{t('runningNote', lang.value === 'en' ? running.through_en : running.through_sv)}</p>}
            </div>
          ) : (
            <>
              <div class="field">
                <label for="f-from">{t('from')}</label>
                <input id="f-from" type="date" value={f.from} aria-invalid={err.from ? 'true' : undefined}
                  onChange={(e) => update({ from: e.currentTarget.value })} />
                {err.from && <p class="error">{err.from}</p>}
              </div>
              <div class="field">
                <label for="f-to">{t('to')}</label>
                <input id="f-to" type="date" value={f.to} onChange={(e) => update({ to: e.currentTarget.value })} />
                {err.to && <p class="error">{err.to}</p>}
              </div>
            </>
          )}
          <div class="field">
            <label for="f-area">{t('area')}</label>
            <select id="f-area" value={f.area} onChange={(e) => update({ area: e.currentTarget.value })}>
              <option value="">{t('allAreas')}</option>
              {areas.value.filter((a) => a.level >= 1).map((a) => (
                <option key={a.code} value={a.code}>{a.name}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-cat">{t('category')}</label>
            <select id="f-cat" value={f.category} onChange={(e) => update({ category: e.currentTarget.value })}>
              <option value="">{t('allCategories')}</option>
              {categories.value.map((c) => (
                <option key={c.code} value={c.code}>{lang.value === 'en' ? c.name_en || c.name_sv : c.name_sv}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-org">{t('organisation')}</label>
            <select id="f-org" value={f.org} onChange={(e) => update({ org: e.currentTarget.value })}>
              <option value="">{t('allOrgs')}</option>
              {organisations.value.map((o) => (
                <option key={o.code} value={o.code}>{o.name}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-dim">{t('dimension')}</label>
            <select id="f-dim" value={f.dimension} onChange={(e) => update({ dimension: e.currentTarget.value as Filters['dimension'] })}>
              <option value="">{t('all')}</option>
              <option value="säkerhet">{t('dimSak')}</option>
              <option value="trygghet">{t('dimTrygg')}</option>
            </select>
          </div>
          <div class="field">
            <label for="f-police">{t('sources')}</label>
            <select id="f-police" value={f.police} onChange={(e) => update({ police: e.currentTarget.value as Filters['police'] })}>
              <option value="">{t('sourcesAll')}</option>
              <option value="false">{t('sourcesPartners')}</option>
            </select>
          </div>
        </div>
        <div class="filter-actions">
          <button type="button" class="btn" onClick={share}>{t('share')}</button>
          <a class="btn" href={`/api/v1/lagesbild${queryString({ ...q, format: 'csv' })}`} download data-testid="csv-link">{t('csv')}</a>
          <span role="status" class="copied">{copied}</span>
        </div>
        {err[''] && <p class="error" role="alert">{err['']}{err.period ? `: ${err.period}` : ''}</p>}
      </section>

      {data && (
        <section class="totals" aria-label={t('total')}>
          <Stat label={t('current')} value={data.totals.count} testid="total-count" />
          <Stat label={`${t('previous')} (${data.previous_period.label})`} value={data.totals.previous} change={data.totals.change_previous} />
          <Stat label={`${t('lastYear')} (${data.last_year_period.label})`} value={data.totals.last_year} change={data.totals.change_last_year} />
        </section>
      )}

      <div class="two-col">
        <section class="card" aria-labelledby="map-h">
          <h2 id="map-h">{t('mapTitle')}</h2>
          <LayerControl layers={layers} onChange={setLayers} data={layerData} />
          <PictureMap
            totals={totalsByArea}
            points={layers.points ? shown : []}
            layers={layers}
            layerData={layerData}
            selectArea={(code) => update({ area: code === f.area ? '' : code })}
          />
          <LayerLegends data={layerData} layers={layers} emergingEnd={emEnd} />
          {points && layers.points && (
            <p class="muted" data-testid="points-note">
              {points.total > points.items.length ? t('pointsCapped', points.items.length, points.total) : t('pointsShown', shown.length)}
            </p>
          )}
        </section>
        <div class="stack">
          <section class="card" aria-labelledby="chart-h">
            <h2 id="chart-h">{t('chartTitle')}</h2>
            {data && areaRows.length > 0 && (
              <BarChart
                label={`${t('chartTitle')}: ${areaRows.map((r) => `${r.area_name} ${r.count}`).join(', ')}`}
                labels={areaRows.map((r) => r.area_name)}
                series={[
                  { label: t('current'), values: areaRows.map((r) => r.count), color: '#08519c' },
                  { label: t('previous'), values: areaRows.map((r) => r.previous), color: '#9ecae1' },
                  { label: t('lastYear'), values: areaRows.map((r) => r.last_year), color: '#e6550d' },
                ]}
              />
            )}
          </section>
          <SeriesPanel q={q} />
        </div>
      </div>

      <ProfilePanel q={q} />

      <PriorityPanel
        q={q}
        enabled={priorityPeriod(f.kind)}
        showTertial={() => update({ kind: 'tertial', period: currentPeriod('tertial'), from: '', to: '' })}
      />

      {data && (
        <section class="card" aria-labelledby="table-h">
          <h2 id="table-h">{t('tableTitle')}</h2>
          <div class="field inline-field">
            <label for="rows-mode">{t('rowsMode')}</label>
            <select id="rows-mode" value={mode} onChange={(e) => setRowsMode(e.currentTarget.value as typeof rowsMode)}>
              <option value="areas">{t('rowsAreas')}</option>
              <option value="categories">{t('rowsCategories')}</option>
              <option value="all">{t('showAllRows')}</option>
            </select>
          </div>
          <PictureTable rows={data.rows} mode={mode} />
          {data.method && <p class="muted small-text"><strong>{t('method')}:</strong> {data.method}</p>}
        </section>
      )}

      {data && (
        <section class="card" aria-labelledby="cov-h">
          <h2 id="cov-h">{t('coverageTitle')}</h2>
          <div class="table-wrap" tabindex={0} role="region" aria-labelledby="cov-h">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{t('area')}</th>
                  <th scope="col">{t('reported')}</th>
                  <th scope="col">{t('checkedIn')}</th>
                  <th scope="col">{t('silent')}</th>
                  <th scope="col" class="num">{t('coverageShare')}</th>
                </tr>
              </thead>
              <tbody>
                {data.coverage.map((c) => (
                  <tr key={c.area_code}>
                    <th scope="row">{c.area_name ?? c.area_code}</th>
                    <td><OrgList codes={c.reported} /></td>
                    <td><OrgList codes={c.checked_in} /></td>
                    <td class="silent"><OrgList codes={c.silent} /></td>
                    <td class="num">{c.share === null ? '–' : `${fmtNum(c.share * 100)} %`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}

function OrgList({ codes }: { codes: string[] }) {
  if (!codes.length) return <span class="muted">{t('none')}</span>;
  const text = codes.map((c) => orgName.value(c)).join(', ');
  if (codes.length <= 3) return <>{text}</>;
  return (
    <details>
      <summary>{t('orgCount', codes.length)}</summary>
      {text}
    </details>
  );
}

function signalText(s: string | null | undefined, z: number): string {
  if (!s) return t('noise');
  return z > 0 ? t('signalUp') : t('signalDown');
}

function Stat({ label, value, change, testid }: { label: string; value: number; change?: { diff: number; z: number; signal: string | null; percent: number | null }; testid?: string }) {
  return (
    <div class="stat card">
      <div class="stat-label">{label}</div>
      <div class="stat-value" data-testid={testid}>{fmtNum(value)}</div>
      {change && (
        <div class={`stat-change ${change.signal ? (change.z > 0 ? 'up' : 'down') : ''}`}>
          {fmtSigned(change.diff)}{change.percent !== null ? ` (${fmtSigned(change.percent)} %)` : ''} · {signalText(change.signal, change.z)} · <span title={t('zTitle')}>{t('z')} {fmtNum(change.z, 1)}</span>
        </div>
      )}
    </div>
  );
}

function ChangeCell({ c }: { c: LagesbildRow['change_previous'] }) {
  return (
    <>
      <td class="num">{fmtSigned(c.diff)}{c.percent !== null ? ` (${fmtSigned(c.percent)} %)` : ''}</td>
      <td class="num">{fmtNum(c.z, 1)}</td>
      <td class={c.signal ? (c.z > 0 ? 'sig up' : 'sig down') : 'sig'}>{signalText(c.signal, c.z)}</td>
    </>
  );
}

function PictureTable({ rows, mode }: { rows: LagesbildRow[]; mode: 'areas' | 'categories' | 'all' }) {
  const visible = rows.filter((r) =>
    r.category === null ? true : mode === 'all' ? true : mode === 'categories' ? !!(r.count || r.previous || r.last_year) : false,
  );
  return (
    <div class="table-wrap" tabindex={0} role="region" aria-labelledby="table-h">
      <table class="data" data-testid="picture-table">
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>{t('area')}</th>
            <th scope="col" rowSpan={2}>{t('category')}</th>
            <th scope="col" rowSpan={2} class="num">{t('current')}</th>
            <th scope="col" rowSpan={2} class="num">{t('previous')}</th>
            <th scope="col" rowSpan={2} class="num">{t('lastYear')}</th>
            <th scope="colgroup" colSpan={3}>{t('change')} {t('vsPrevious')}</th>
            <th scope="colgroup" colSpan={3}>{t('change')} {t('vsLastYear')}</th>
            <th scope="col" rowSpan={2} class="num">{t('rate')}</th>
          </tr>
          <tr>
            <th scope="col" class="num">{t('change')}</th>
            <th scope="col" class="num" title={t('zTitle')}>{t('z')}</th>
            <th scope="col">{t('signal')}</th>
            <th scope="col" class="num">{t('change')}</th>
            <th scope="col" class="num" title={t('zTitle')}>{t('z')}</th>
            <th scope="col">{t('signal')}</th>
          </tr>
        </thead>
        <tbody>
          {visible.map((r) => (
            <tr key={`${r.area_code}-${r.category}`} class={r.category === null ? 'area-total' : ''} data-area={r.area_code ?? ''} data-category={r.category ?? ''}>
              <th scope="row">{r.area_name}</th>
              <td>{r.category === null ? t('allCategories') : r.category_name ?? r.category}</td>
              <td class="num">{fmtNum(r.count)}</td>
              <td class="num">{fmtNum(r.previous)}</td>
              <td class="num">{fmtNum(r.last_year)}</td>
              <ChangeCell c={r.change_previous} />
              <ChangeCell c={r.change_last_year} />
              <td class="num">{r.rate_per_1000 === null ? '–' : fmtNum(r.rate_per_1000, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PictureMap({
  totals,
  points,
  layers,
  layerData,
  selectArea,
}: {
  totals: Map<string, LagesbildRow>;
  points: Report[];
  layers: LayerSet;
  layerData: LayerData;
  selectArea: (code: string) => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const uncorrected = hotspotUncorrected.value;
  const [fc, setFc] = useState<GeoJSON.FeatureCollection | null>(null);
  const max = Math.max(0, ...[...totals.values()].filter((r) => (r.level ?? 1) === 1).map((r) => r.count));
  const analysisOn = layers.hotspots || layers.heat || layers.emerging;
  const busy = (['hotspots', 'heat', 'emerging'] as const).some((id) => layers[id] && layerData[id].state === 'loading');

  useEffect(() => {
    if (!el.current) return;
    const map = createMap(el.current, t('mapPictureLabel'));
    mapRef.current = map;
    areasGeoJSON().then(setFc).catch(() => undefined);
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      destroyMap(map);
      mapRef.current = null;
    };
  }, []);

  const fitted = useRef(false);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !fc) return;
    const layer = areaLayer(fc, {
      interactive: true,
      style: (f) => {
        const level = f.properties?.level ?? 1;
        if (level === 0) return { color: '#1a1a1a', weight: 2, fill: false, interactive: false };
        if (level >= 2) return { color: '#1a1a1a', weight: 1, dashArray: '4 4', fill: false, interactive: false };
        const n = totals.get(String(f.properties?.code))?.count ?? 0;
        // Fainter areas while a cell layer is on, so the cells stand out.
        return { color: '#4a4a4a', weight: 1, fillColor: choropleth(n, max), fillOpacity: analysisOn ? fillOver(0.35, 0.25) : fillOver(0.8, 0.55) };
      },
      tooltip: (f) => `${f.properties?.name}: ${totals.get(String(f.properties?.code))?.count ?? 0} ${t('reports')}`,
      onClick: (f) => selectArea(String(f.properties?.code)),
    }).addTo(map);
    if (!fitted.current) {
      fitTo(map, layer);
      fitted.current = true;
    }
    const cl = clusterLayer(
      map,
      points.map((r) => ({ lat: r.location.lat!, lon: r.location.lon!, weight: 1, title: `${r.category_name} · ${r.occurred_from.slice(0, 10)}` })),
      48,
      t('reports'),
    ).addTo(map);
    return () => {
      layer.remove();
      cl.remove();
    };
  }, [fc, totals, points, max, analysisOn]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const added = analysisLayers(layerData, layers).map((l) => l.addTo(map));
    return () => added.forEach((l) => l.remove());
  }, [layerData.hotspots, layerData.heat, layerData.emerging, layers.hotspots, layers.heat, layers.emerging, uncorrected]);

  return (
    <>
      <div ref={el} class="map map-picture" data-testid="picture-map" aria-busy={busy ? 'true' : undefined} />
      <div class="legend" aria-label={t('legend')} role="group">
        <span class="legend-title">{t('legend')}:</span>
        {choroplethBreaks(max).map((b) => (
          <span key={b.from} class="legend-item">
            <span class={`swatch swatch-${b.color.replace('#', '')}`} aria-hidden="true" />
            {b.from === b.to ? fmtNum(b.from) : `${fmtNum(b.from)}–${fmtNum(b.to)}`}
          </span>
        ))}
      </div>
    </>
  );
}
