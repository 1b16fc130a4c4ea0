// Analysis parts of the lägesbild: map layers (Gi* hotspots, KDE heat, emerging hotspots) with
// their control and legends, the weekly series, the hour × weekday profile and the priority list.
import { signal } from '@preact/signals';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, type Cells, type EmergingProps, type HeatCells, type HotspotProps, type PriorityItem, type Query } from '../api';
import {
  binConfidence,
  countBins,
  drawnBin,
  FDR_BINS,
  emergingColor,
  emergingLegend,
  heatBreaks,
  heatColor,
  HEAT_RAMP,
  HOTSPOT_BINS,
  hotspotColor,
  seriesSummary,
  shadeBreaks,
  shadeClass,
  weekNumber,
} from '../analysis';
import { emergingName, lang, t, weekdayName } from '../i18n';
import { cellLayer, esc, L } from '../components/map';
import { LineChart } from '../components/chart';
import { fmtNum, fmtSigned } from '../components/util';
import { weekLabel } from '../period';

// ---------------------------------------------------------------- fetching

export type Loadable<T> = { state: 'idle' } | { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: T };

function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const f = e.fields;
    const first = Object.values(f)[0];
    return first ? `${e.message} (${first})` : e.message;
  }
  return t('networkError');
}

/** Fetches when enabled and the key changes; keeps the last answer for the key while disabled. */
export function useLoad<T>(key: string, enabled: boolean, load: () => Promise<T>): Loadable<T> {
  const [s, setS] = useState<{ key: string; v: Loadable<T> }>({ key: '', v: { state: 'idle' } });
  useEffect(() => {
    if (!enabled || (s.key === key && s.v.state === 'ok')) return;
    let live = true;
    setS({ key, v: { state: 'loading' } });
    load()
      .then((data) => live && setS({ key, v: { state: 'ok', data } }))
      .catch((e) => live && setS({ key, v: { state: 'error', message: errorText(e) } }));
    return () => {
      live = false;
    };
  }, [key, enabled]);
  if (!enabled) return { state: 'idle' };
  return s.key === key ? s.v : { state: 'loading' };
}

// ---------------------------------------------------------------- map layers

export type LayerId = 'points' | 'hotspots' | 'heat' | 'emerging';
export type LayerSet = Record<LayerId, boolean>;
export const DEFAULT_LAYERS: LayerSet = { points: true, hotspots: true, heat: false, emerging: false };
const LAYER_ORDER: LayerId[] = ['hotspots', 'heat', 'emerging', 'points'];
const LAYER_NAME = { points: 'layerPoints', hotspots: 'layerHotspots', heat: 'layerHeat', emerging: 'layerEmerging' } as const;

export interface LayerData {
  hotspots: Loadable<Cells<HotspotProps>>;
  heat: Loadable<HeatCells>;
  emerging: Loadable<Cells<EmergingProps>>;
}

export function useLayerData(q: Query, layers: LayerSet, emergingEnd: string | null): LayerData {
  const qs = JSON.stringify(q);
  const eq: Query = { area: q.area, category: q.category, org: q.org, dimension: q.dimension, end: emergingEnd };
  return {
    hotspots: useLoad(qs, layers.hotspots, () => api.hotspots(q)),
    heat: useLoad(qs, layers.heat, () => api.heat(q)),
    emerging: useLoad(JSON.stringify(eq), layers.emerging, () => api.emerging(eq)),
  };
}

/** Checkboxes outside the map (keyboard and screen-reader friendly), with loading/error per layer. */
export function LayerControl({ layers, onChange, data }: { layers: LayerSet; onChange: (l: LayerSet) => void; data: LayerData }) {
  return (
    <fieldset class="layer-control" data-testid="layer-control">
      <legend>{t('layersTitle')}</legend>
      <div class="layer-options">
        {LAYER_ORDER.map((id) => (
          <div class="layer-option" key={id}>
            <input
              type="checkbox"
              id={`layer-${id}`}
              checked={layers[id]}
              onChange={(e) => onChange({ ...layers, [id]: e.currentTarget.checked })}
            />
            <label for={`layer-${id}`}>{t(LAYER_NAME[id])}</label>
          </div>
        ))}
      </div>
      <div class="layer-status" role="status" aria-live="polite">
        {(['hotspots', 'heat', 'emerging'] as const)
          .filter((id) => data[id].state === 'loading')
          .map((id) => (
            <span key={id} class="muted">{t('layerLoading', t(LAYER_NAME[id]))}</span>
          ))}
      </div>
      {(['hotspots', 'heat', 'emerging'] as const).map((id) => {
        const d = data[id];
        return d.state === 'error' ? (
          <p key={id} class="error" role="alert" data-testid={`layer-error-${id}`}>{t('loadError', t(LAYER_NAME[id]), d.message)}</p>
        ) : null;
      })}
    </fieldset>
  );
}

function popupRows(title: string, rows: string[]): string {
  return `<strong>${esc(title)}</strong>${rows.map((r) => `<br>${esc(r)}`).join('')}`;
}

/** Expert option: draw Esri's uncorrected Gi_Bin instead of the FDR-significant cells. */
export const hotspotUncorrected = signal(false);

function hotspotTitle(bin: number, uncorrected: boolean): string {
  if (!uncorrected) return bin > 0 ? t(Math.abs(bin) === 3 ? 'hotFdr1' : 'hotFdr5') : t(Math.abs(bin) === 3 ? 'coldFdr1' : 'coldFdr5');
  const c = binConfidence(bin) ?? 0;
  return bin > 0 ? t('hotBin', c) : t('coldBin', c);
}

/** Leaflet layers for the loaded analysis data. */
export function analysisLayers(data: LayerData, layers: LayerSet): L.Layer[] {
  const out: L.Layer[] = [];
  const h = data.heat;
  if (layers.heat && h.state === 'ok') {
    const max = Math.max(0, ...h.data.features.map((f) => f.properties.density));
    out.push(
      cellLayer(h.data, {
        pane: 'heat',
        style: (p) => {
          const c = heatColor(p.density, max);
          return c ? { stroke: false, fillColor: c, fillOpacity: 0.7, className: 'heat-cell' } : null;
        },
        tooltip: (p) => esc(t('heatTip', fmtNum(p.density, 1))),
      }),
    );
  }
  const hs = data.hotspots;
  if (layers.hotspots && hs.state === 'ok') {
    const uncorrected = hotspotUncorrected.value;
    out.push(
      cellLayer(hs.data, {
        pane: 'hotspots',
        style: (p) => {
          const b = drawnBin(p, uncorrected);
          const c = hotspotColor(b);
          return c ? { color: '#1a1a1a', weight: 0.6, fillColor: c, fillOpacity: 0.85, className: `hotspot-cell hotspot-bin-${b > 0 ? 'p' : 'm'}${Math.abs(b)}` } : null;
        },
        popup: (p) =>
          popupRows(hotspotTitle(drawnBin(p, uncorrected), uncorrected), [
            t('cellReports', fmtNum(p.count)),
            `Gi* z = ${fmtNum(p.gi_star, 2)}`,
            `p = ${fmtNum(p.p, 4)} (FDR ${fmtNum(p.p_fdr, 4)})`,
          ]),
      }),
    );
  }
  const em = data.emerging;
  if (layers.emerging && em.state === 'ok') {
    out.push(
      cellLayer(em.data, {
        pane: 'emerging',
        style: (p) => {
          const c = emergingColor(p.category_label);
          return c ? { color: '#1a1a1a', weight: 1.2, fillColor: c, fillOpacity: 0.75, className: 'emerging-cell' } : null;
        },
        popup: (p) =>
          popupRows(emergingName(p.category_label, p.category_sv), [
            t('cellReports', fmtNum(p.count)),
            t('emergingTrend', fmtSigned(Math.round(p.mk_z * 100) / 100, 2)),
          ]),
      }),
    );
  }
  return out;
}

function Swatch({ color }: { color: string }) {
  return <span class={`swatch swatch-${color.replace('#', '')}`} aria-hidden="true" />;
}

export function LayerLegends({ data, layers, emergingEnd }: { data: LayerData; layers: LayerSet; emergingEnd: string | null }) {
  const hs = data.hotspots;
  const h = data.heat;
  const em = data.emerging;
  return (
    <div class="layer-legends">
      {layers.hotspots && hs.state === 'ok' && <HotspotLegend fc={hs.data} />}
      {layers.heat && h.state === 'ok' && <HeatLegend fc={h.data} />}
      {layers.emerging && em.state === 'ok' && <EmergingLegend fc={em.data} end={emergingEnd} />}
    </div>
  );
}

function HotspotLegend({ fc }: { fc: Cells<HotspotProps> }) {
  const uncorrected = hotspotUncorrected.value;
  const n = countBins(fc.features.map((f) => drawnBin(f.properties, uncorrected)));
  const hot = (n.get(1) ?? 0) + (n.get(2) ?? 0) + (n.get(3) ?? 0);
  const cold = (n.get(-1) ?? 0) + (n.get(-2) ?? 0) + (n.get(-3) ?? 0);
  return (
    <section class="layer-legend" aria-labelledby="lg-hot" data-testid="hotspot-legend">
      <h3 id="lg-hot">{t('hotspotLegendTitle')}</h3>
      <ul class="legend-list">
        {(uncorrected ? HOTSPOT_BINS : FDR_BINS).map((b) => (
          <li key={b} class="legend-item">
            <Swatch color={hotspotColor(b)!} />
            {uncorrected
              ? `${b > 0 ? '+' : '−'}${Math.abs(b)} ${b > 0 ? t('hotBin', binConfidence(b)!) : t('coldBin', binConfidence(b)!)}`
              : hotspotTitle(b, false)}
          </li>
        ))}
      </ul>
      <p class="small-text muted" data-testid="hotspot-rule">{t(uncorrected ? 'hotspotLegendTextRaw' : 'hotspotLegendText')}</p>
      <div class="layer-option">
        <input type="checkbox" id="hot-uncorrected" checked={uncorrected}
          onChange={(e) => { hotspotUncorrected.value = e.currentTarget.checked; }} />
        <label for="hot-uncorrected">{t('hotspotUncorrected')}</label>
      </div>
      <p class="small-text" data-testid="hotspot-summary">
        {hot + cold === 0 ? t('hotspotNone') : t(uncorrected ? 'hotspotSummary' : 'hotspotSummaryFdr', hot, n.get(3) ?? 0, n.get(2) ?? 0, cold)}
      </p>
    </section>
  );
}

function HeatLegend({ fc }: { fc: HeatCells }) {
  const max = Math.max(0, ...fc.features.map((f) => f.properties.density));
  const breaks = heatBreaks(max);
  return (
    <section class="layer-legend" aria-labelledby="lg-heat" data-testid="heat-legend">
      <h3 id="lg-heat">{t('heatLegendTitle')}</h3>
      <ul class="legend-list">
        {breaks.map((to, i) => (
          <li key={i} class="legend-item">
            <Swatch color={HEAT_RAMP[i]} />
            {i === 0 ? `≤ ${fmtNum(to, 1)}` : `${fmtNum(breaks[i - 1], 1)}–${fmtNum(to, 1)}`}
          </li>
        ))}
      </ul>
      <p class="small-text muted">{t('heatLegendText', fc.bandwidth_m != null ? fmtNum(fc.bandwidth_m) : '–')}</p>
    </section>
  );
}

function EmergingLegend({ fc, end }: { fc: Cells<EmergingProps>; end: string | null }) {
  const items = emergingLegend(fc.features.map((f) => ({ label: f.properties.category_label, name: f.properties.category_sv })));
  return (
    <section class="layer-legend" aria-labelledby="lg-em" data-testid="emerging-legend">
      <h3 id="lg-em">{t('emergingLegendTitle')}</h3>
      {items.length ? (
        <ul class="legend-list">
          {items.map((it) => (
            <li key={it.label} class="legend-item">
              <Swatch color={it.color} />
              {emergingName(it.label, it.name)} ({it.cells === 1 ? t('cellsOne') : t('cellsN', it.cells)})
            </li>
          ))}
        </ul>
      ) : (
        <p class="small-text">{t('emergingNone')}</p>
      )}
      <p class="small-text muted">{t('emergingLegendText', end ? weekNumber(end) : '–')}</p>
    </section>
  );
}

// ---------------------------------------------------------------- weekly series

export function SeriesPanel({ q }: { q: Query }) {
  lang.value;
  const s = useLoad(JSON.stringify(q), true, () => api.series({ ...q, weeks: 52 }));
  return (
    <section class="card" aria-labelledby="series-h" data-testid="series-panel">
      <h2 id="series-h">{t('seriesTitle')}</h2>
      {s.state === 'loading' && <p class="muted" role="status">{t('loading')}</p>}
      {s.state === 'error' && <p class="error" role="alert">{t('loadError', t('seriesTitle').toLowerCase(), s.message)}</p>}
      {s.state === 'ok' && <SeriesBody series={s.data} />}
    </section>
  );
}

function SeriesBody({ series }: { series: import('../api').WeeklySeries }) {
  const pts = series.points;
  const last = pts[pts.length - 1];
  const ongoing = !!last && (last.running ?? last.week === weekLabel(new Date()));
  const summary = seriesSummary(last, series.baseline, lang.value, ongoing);
  // A running week is labelled "hittills" on the axis: its count is so far, not a week's.
  const labels = pts.map((p) => `v${weekNumber(p.week)}${p.running ? '…' : ''}`);
  const b = series.baseline;
  return (
    <>
      <p class="series-summary" data-testid="series-summary">{summary}</p>
      <LineChart
        label={`${t('seriesTitle')}. ${summary}`}
        labels={labels}
        series={[
          { label: t('seriesThisYear'), values: pts.map((p) => p.count), color: '#08519c', width: 2.5 },
          { label: t('seriesLastYear'), values: pts.map((p) => p.last_year), color: '#595959', dash: [6, 4], width: 1.5 },
        ]}
        band={b ? { lower: b.lower, upper: b.upper, mean: b.mean } : null}
        bandLabel={t('seriesBand')}
      />
      {b && <p class="small-text muted">{t('seriesBandNote', b.weeks)}</p>}
      <details>
        <summary>{t('showTable')}</summary>
        <div class="table-wrap" tabindex={0} role="region" aria-label={t('seriesTitle')}>
          <table class="data compact">
            <thead>
              <tr>
                <th scope="col">{t('week')}</th>
                <th scope="col" class="num">{t('seriesThisYear')}</th>
                <th scope="col" class="num">{t('seriesLastYear')}</th>
              </tr>
            </thead>
            <tbody>
              {pts.map((p) => (
                <tr key={p.week}>
                  <th scope="row">{p.week}{p.running ? ` (${t('soFar')})` : ''}</th>
                  <td class="num">{fmtNum(p.count)}</td>
                  <td class="num">{fmtNum(p.last_year)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

// ---------------------------------------------------------------- hour × weekday profile

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hh = (h: number) => String(h).padStart(2, '0');

export function ProfilePanel({ q }: { q: Query }) {
  lang.value;
  const s = useLoad(JSON.stringify(q), true, () => api.profile(q));
  return (
    <section class="card" aria-labelledby="profile-h" data-testid="profile-panel">
      <h2 id="profile-h">{t('profileTitle')}</h2>
      <p class="small-text muted">{t('profileText')}</p>
      {s.state === 'loading' && <p class="muted" role="status">{t('loading')}</p>}
      {s.state === 'error' && <p class="error" role="alert">{t('loadError', t('profileTitle').toLowerCase(), s.message)}</p>}
      {s.state === 'ok' && <ProfileTable days={s.data.days} />}
    </section>
  );
}

function ProfileTable({ days }: { days: { weekday: string; hours: number[] }[] }) {
  const max = Math.max(0, ...days.flatMap((d) => d.hours));
  const peak = useMemo(() => {
    let best = { d: -1, h: -1, v: 0 };
    days.forEach((d, di) => d.hours.forEach((v, h) => v > best.v && (best = { d: di, h, v })));
    return best;
  }, [days]);
  if (!(max > 0)) return <p>{t('profileEmpty')}</p>;
  return (
    <>
      <p class="small-text" data-testid="profile-peak">
        {t('profilePeak', weekdayName(peak.d), hh(peak.h), hh((peak.h + 1) % 24), fmtNum(peak.v, 1))}
      </p>
      <div class="table-wrap" tabindex={0} role="region" aria-labelledby="profile-h">
        <table class="profile" data-testid="profile-table">
          <colgroup>
            <col class="col-day" />
            {HOURS.map((h) => <col key={h} />)}
          </colgroup>
          <thead>
            <tr>
              <th scope="col" class="h-minor"><span class="hv">{t('weekday')}</span></th>
              {HOURS.map((h) => (
                <th scope="col" key={h} class={h % 3 ? 'h-minor' : ''}>
                  <span class="visually-hidden">{t('hourShort')} </span><span class="hv">{hh(h)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((d, di) => (
              <tr key={di}>
                <th scope="row">
                  <span aria-hidden="true">{weekdayName(di, true)}</span>
                  <span class="visually-hidden">{weekdayName(di)}</span>
                </th>
                {HOURS.map((h) => {
                  const v = d.hours[h] ?? 0;
                  return (
                    <td key={h} class={shadeClass(v, max)} title={`${weekdayName(di)} ${t('hourShort')} ${hh(h)}: ${fmtNum(v, 1)}`}>
                      <span class="visually-hidden">{fmtNum(v, 1)}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="legend shade-legend" aria-hidden="true">
        <span>{t('profileFew')}</span>
        <span class="shade-swatch shade-0" />
        {shadeBreaks(max).map((b) => (
          <span key={b.cls} class={`shade-swatch ${b.cls}`} />
        ))}
        <span>{t('profileMany')} ({fmtNum(max, 1)})</span>
      </div>
    </>
  );
}

// ---------------------------------------------------------------- priority

export function PriorityPanel({ q, enabled, showTertial }: { q: Query; enabled: boolean; showTertial: () => void }) {
  lang.value;
  const s = useLoad(JSON.stringify(q), enabled, () => api.priority(q));
  const [sort, setSort] = useState<'need' | 'influence'>('need');
  return (
    <section class="card" aria-labelledby="priority-h" data-testid="priority-panel">
      <h2 id="priority-h">{t('priorityTitle')}</h2>
      {!enabled ? (
        <>
          <p>{t('priorityOnly')}</p>
          <button type="button" class="btn" onClick={showTertial}>{t('priorityShowTertial')}</button>
        </>
      ) : (
        <>
          <p class="muted">{t('priorityIntro')}</p>
          {s.state === 'loading' && <p class="muted" role="status">{t('loading')}</p>}
          {s.state === 'error' && <p class="error" role="alert">{t('loadError', t('priorityTitle').toLowerCase(), s.message)}</p>}
          {s.state === 'ok' && (
            <>
              <div class="field inline-field">
                <label for="priority-sort">{t('prioritySort')}</label>
                <select id="priority-sort" value={sort} onChange={(e) => setSort(e.currentTarget.value as typeof sort)}>
                  <option value="need">{t('sortNeed')}</option>
                  <option value="influence">{t('sortInfluence')}</option>
                </select>
              </div>
              <PriorityList items={s.data} sort={sort} />
            </>
          )}
        </>
      )}
    </section>
  );
}

function PriorityList({ items, sort }: { items: PriorityItem[]; sort: 'need' | 'influence' }) {
  if (!items.length) return <p>{t('priorityNone')}</p>;
  const sorted = [...items].sort((a, b) => (sort === 'need' ? a.need_rank - b.need_rank : a.influence_rank - b.influence_rank));
  const n = items.length;
  return (
    <ol class="priority-list" data-testid="priority-list">
      {sorted.map((it) => (
        <li key={it.code} class="priority-item" data-area={it.code}>
          <div class="pi-head">
            <span class="pi-rank" aria-hidden="true">{sort === 'need' ? it.need_rank : it.influence_rank}</span>
            <strong class="pi-name">{it.name}</strong>
          </div>
          <p class="pi-ranks">
            <span>{t('needRank', it.need_rank, n)}</span>
            <span aria-hidden="true"> · </span>
            <span>{t('influenceRank', it.influence_rank, n)}</span>
          </p>
          {it.reasons.length > 0 && (
            <ul class="pi-reasons" lang="sv">
              {it.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
