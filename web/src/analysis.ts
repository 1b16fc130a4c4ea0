// Pure helpers for the lägesbild's analysis layers and panels (no DOM, no Leaflet): colour
// scales for Gi* bins, the KDE heat ramp and emerging-hotspot patterns, shade classes for the
// hour × weekday table, the screen-reader summary of the weekly series, and the end week that
// ties /emerging (which takes `end`, not `period`) to the chosen period.
import { isoWeek, kindOf, ymd } from './period';
import type { Lang } from './i18n';

// ---------------------------------------------------------------- Gi* hotspots (Esri bins)

/** Esri's Gi* bin: ±3 = 99 %, ±2 = 95 %, ±1 = 90 % confidence; 0 = not significant. */
export type GiBin = -3 | -2 | -1 | 0 | 1 | 2 | 3;

export const HOTSPOT_COLORS: Record<Exclude<GiBin, 0>, string> = {
  3: '#99000d', // dark red
  2: '#e31a1c', // red
  1: '#fd8d3c', // orange
  [-1]: '#9ecae1',
  [-2]: '#4292c6',
  [-3]: '#08519c',
};

/** Fill colour of a Gi* bin, or null for bins that are not drawn (0, unknown). */
export function hotspotColor(bin: number): string | null {
  if (!Number.isInteger(bin) || bin === 0 || bin < -3 || bin > 3) return null;
  return HOTSPOT_COLORS[bin as Exclude<GiBin, 0>];
}

/** Confidence of a bin in per cent (90, 95 or 99), null for 0. */
export function binConfidence(bin: number): number | null {
  const a = Math.abs(bin);
  return a === 3 ? 99 : a === 2 ? 95 : a === 1 ? 90 : null;
}

/**
 * The class a cell is drawn with. By default only cells that survive the Benjamini–Hochberg false
 * discovery rate at 5 % over all study cells: ±3 when p_fdr < 0.01, ±2 when p_fdr ≤ 0.05, the sign
 * of Gi* z. (On pure noise the uncorrected Esri bin colours 5–6 % of cells; the FDR rule keeps
 * maps with any false hot cell at or below 5 %.) `uncorrected` draws Esri's Gi_Bin as it is, an
 * expert option labelled as such.
 */
export function drawnBin(cell: { bin: number; p_fdr: number; gi_star: number }, uncorrected = false): number {
  if (uncorrected) return hotspotColor(cell.bin) ? cell.bin : 0;
  if (!(cell.p_fdr <= 0.05) || !(cell.gi_star !== 0)) return 0;
  const level = cell.p_fdr < 0.01 ? 3 : 2;
  return cell.gi_star > 0 ? level : -level;
}

/** The FDR classes drawn by default (legend order). */
export const FDR_BINS: Exclude<GiBin, 0>[] = [3, 2, -2, -3];

/** Legend order: strongest hotspot first, strongest coldspot last. */
export const HOTSPOT_BINS: Exclude<GiBin, 0>[] = [3, 2, 1, -1, -2, -3];

/** Number of cells per non-zero bin (for the text summary beside the map). */
export function countBins(bins: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const b of bins) if (hotspotColor(b)) m.set(b, (m.get(b) ?? 0) + 1);
  return m;
}

// ---------------------------------------------------------------- KDE heat ramp

/** Sequential ramp (light yellow → dark purple, "magma"-like), 7 classes. */
export const HEAT_RAMP = ['#fcfdbf', '#fecf92', '#fd9f6c', '#f1605d', '#cd4071', '#9e2f7f', '#5f187f'];

/**
 * Class breaks of the heat ramp: upper limits on a square-root scale so the long tail of a KDE
 * surface does not leave every cell in the lightest class. breaks[i] is the upper bound of class i.
 */
export function heatBreaks(max: number, n = HEAT_RAMP.length): number[] {
  if (!(max > 0)) return [];
  return Array.from({ length: n }, (_, i) => max * ((i + 1) / n) ** 2);
}

/** Ramp index of a density (0 … n−1), or −1 when the cell is too faint to draw (< 1 % of max). */
export function heatClass(density: number, max: number, n = HEAT_RAMP.length): number {
  if (!(max > 0) || !(density > 0) || density < max * 0.01) return -1;
  const i = Math.ceil(Math.sqrt(density / max) * n) - 1;
  return Math.max(0, Math.min(n - 1, i));
}

export function heatColor(density: number, max: number): string | null {
  const i = heatClass(density, max);
  return i < 0 ? null : HEAT_RAMP[i];
}

// ---------------------------------------------------------------- emerging hotspots

/** Colours of the Esri/sfdep emerging-hotspot patterns (hot = warm, cold = cool, none = not drawn). */
export const EMERGING_COLORS: Record<string, string> = {
  new_hot_spot: '#67000d',
  consecutive_hot_spot: '#a50f15',
  intensifying_hot_spot: '#d7301f',
  persistent_hot_spot: '#fc8d59',
  diminishing_hot_spot: '#fdcc8a',
  sporadic_hot_spot: '#c994c7',
  oscillating_hot_spot: '#dd3497',
  historical_hot_spot: '#bdbdbd',
  new_cold_spot: '#08306b',
  consecutive_cold_spot: '#08519c',
  intensifying_cold_spot: '#2171b5',
  persistent_cold_spot: '#6baed6',
  diminishing_cold_spot: '#c6dbef',
  sporadic_cold_spot: '#a1d99b',
  oscillating_cold_spot: '#41ab5d',
  historical_cold_spot: '#d9d9d9',
};

export function emergingColor(label: string): string | null {
  return EMERGING_COLORS[label] ?? null;
}

/** The emerging patterns present in a response, in the fixed legend order, with their cell counts. */
export function emergingLegend(features: { label: string; name: string }[]): { label: string; name: string; color: string; cells: number }[] {
  const seen = new Map<string, { name: string; cells: number }>();
  for (const f of features) {
    if (!emergingColor(f.label)) continue;
    const s = seen.get(f.label);
    if (s) s.cells++;
    else seen.set(f.label, { name: f.name, cells: 1 });
  }
  return Object.keys(EMERGING_COLORS)
    .filter((k) => seen.has(k))
    .map((k) => ({ label: k, name: seen.get(k)!.name, color: EMERGING_COLORS[k], cells: seen.get(k)!.cells }));
}

// ---------------------------------------------------------------- hour × weekday shading

export const SHADES = 8;

/**
 * CSS class of a profile cell: shade-0 for nothing, shade-1 … shade-7 by share of the maximum
 * (any value above zero gets at least shade-1 so a single report is visible).
 */
export function shadeClass(value: number, max: number, n = SHADES): string {
  if (!(value > 0) || !(max > 0)) return 'shade-0';
  const i = Math.ceil((Math.min(value, max) / max) * (n - 1));
  return `shade-${Math.max(1, Math.min(n - 1, i))}`;
}

/** Upper bound of each shade class 1 … n−1 (legend). */
export function shadeBreaks(max: number, n = SHADES): { cls: string; from: number; to: number }[] {
  if (!(max > 0)) return [];
  const w = max / (n - 1);
  return Array.from({ length: n - 1 }, (_, i) => ({ cls: `shade-${i + 1}`, from: i * w, to: (i + 1) * w }));
}

// ---------------------------------------------------------------- weekly series

export interface Baseline {
  weeks: number;
  mean: number;
  lower: number;
  upper: number;
  above: boolean;
  below: boolean;
}

/** "2026-W47" → 47 */
export function weekNumber(week: string): number {
  const m = week.match(/W(\d{1,2})$/);
  return m ? Number(m[1]) : NaN;
}

/** The normal interval as whole reports: lower rounded down (never below 0), upper rounded up. */
export function normalRange(b: Pick<Baseline, 'lower' | 'upper'>): [number, number] {
  return [Math.max(0, Math.floor(b.lower)), Math.max(0, Math.ceil(b.upper))];
}

/**
 * One-sentence summary of the last week, e.g. "Vecka 47: 65 rapporter, normalt intervall 40–78."
 * `ongoing` adds that the week is not over yet.
 */
export function seriesSummary(
  last: { week: string; count: number } | undefined,
  baseline: Baseline | null | undefined,
  lang: Lang,
  ongoing = false,
): string {
  const sv = lang === 'sv';
  if (!last) return sv ? 'Inga veckor att visa.' : 'No weeks to show.';
  const n = fmtInt(last.count, lang);
  let s = sv
    ? `Vecka ${weekNumber(last.week)}: ${n} ${last.count === 1 ? 'rapport' : 'rapporter'}`
    : `Week ${weekNumber(last.week)}: ${n} ${last.count === 1 ? 'report' : 'reports'}`;
  if (baseline && Number.isFinite(baseline.lower) && Number.isFinite(baseline.upper)) {
    const [lo, hi] = normalRange(baseline);
    s += sv ? `, normalt intervall ${fmtInt(lo, lang)}–${fmtInt(hi, lang)}` : `, normal range ${fmtInt(lo, lang)}–${fmtInt(hi, lang)}`;
    if (baseline.above) s += sv ? ' – över det normala' : ' – above normal';
    else if (baseline.below) s += sv ? ' – under det normala' : ' – below normal';
  }
  if (ongoing) s += sv ? ' (veckan pågår)' : ' (week in progress)';
  return `${s}.`;
}

function fmtInt(n: number, lang: Lang): string {
  return Math.round(n).toLocaleString(lang === 'en' ? 'en-GB' : 'sv-SE');
}

// ---------------------------------------------------------------- periods

/** Last calendar day (YYYY-MM-DD) of a period code or of a custom range. */
export function periodEnd(period: string, to = ''): string | null {
  const k = kindOf(period);
  let m: RegExpMatchArray | null;
  if (!k) return /^\d{4}-\d{2}-\d{2}$/.test(to) ? to : null;
  if (k === 'week') {
    m = period.match(/^(\d{4})-W(\d{2})$/)!;
    const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
    const sunday = new Date(jan4);
    sunday.setUTCDate(jan4.getUTCDate() - (jan4.getUTCDay() || 7) + 7 * Number(m[2]));
    return sunday.toISOString().slice(0, 10);
  }
  const y = Number(period.slice(0, 4));
  let lastMonth = 12; // 1-based
  if (k === 'month') lastMonth = Number(period.slice(5, 7));
  else if (k === 'tertial') lastMonth = Number(period.slice(6)) * 4;
  else if (k === 'quarter') lastMonth = Number(period.slice(6)) * 3;
  return ymd(new Date(y, lastMonth, 0));
}

/**
 * The ISO week /emerging should end with for a period: the week holding the period's last day,
 * but never later than the last complete week (a future or running bin would be empty or partial
 * and read as "diminishing").
 */
export function emergingEnd(period: string, to = '', now = new Date()): string | null {
  const end = periodEnd(period, to);
  if (!end) return null;
  const [y, mo, d] = end.split('-').map(Number);
  const date = new Date(y, mo - 1, d);
  const lastComplete = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 7);
  const pick = date.getTime() > lastComplete.getTime() ? lastComplete : date;
  const [wy, w] = isoWeek(pick);
  return `${wy}-W${String(w).padStart(2, '0')}`;
}

/** Periods for which the priority ranking is meaningful (enough reports per area). */
export function priorityPeriod(kind: string): boolean {
  return kind === 'tertial' || kind === 'quarter';
}
