// Pure helpers of the Trygghet page: the class → label/legend mapping, the import error lines,
// years and indicators from the survey list, the goal's trend sentence and chart data.
import type { Area, Problem } from '../api';
import { tt, type TKey } from './trygghet-text';
import type { GoalArea, GoalCount, SurveyItem } from './trygghet-api';

export type ClassKey = 'both' | 'fear' | 'crime' | 'normal' | 'none';

/** Legend order: the most worrying first. */
export const CLASS_ORDER: readonly ClassKey[] = ['both', 'fear', 'crime', 'normal', 'none'];

const SERVER_CLASS: Record<string, ClassKey> = {
  'båda höga': 'both',
  'hög otrygghet, låg brottslighet': 'fear',
  'låg otrygghet, hög brottslighet': 'crime',
  'inom normalvariation': 'normal',
  'inom normal variation': 'normal',
  '': 'none',
};

/** The server's Swedish class text → a stable key ("" and unknown texts → none). */
export function classKey(cls: string | null | undefined): ClassKey {
  const k = (cls ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  return SERVER_CLASS[k] ?? 'none';
}

export interface ClassStyle {
  /** Base colour (also the fill of the pattern's background). */
  color: string;
  /** Line colour of the pattern; empty for a plain fill. */
  ink: string;
  /** SVG pattern drawn over the colour so the class does not rest on colour alone. */
  pattern: 'cross' | 'diag-up' | 'diag-down' | 'plain' | 'dots';
}

/**
 * Colours from a colour-blind-safe diverging scheme (PuOr), each with its own pattern:
 * both high = dark red with a cross-hatch, fear = orange with rising lines, crime = purple with
 * falling lines, normal = plain light grey, no survey = white with dots.
 */
export const CLASS_STYLE: Record<ClassKey, ClassStyle> = {
  both: { color: '#b2182b', ink: '#ffffff', pattern: 'cross' },
  fear: { color: '#f1a340', ink: '#5c2d00', pattern: 'diag-up' },
  crime: { color: '#998ec3', ink: '#2d004b', pattern: 'diag-down' },
  normal: { color: '#ececec', ink: '', pattern: 'plain' },
  none: { color: '#ffffff', ink: '#595959', pattern: 'dots' },
};

/** The id of the SVG <pattern> of a class (defined once on the page). */
export function patternId(k: ClassKey): string {
  return `tryg-pat-${k}`;
}

/** Fill of a map area: a pattern reference (Leaflet's SVG renderer writes it to `fill`). */
export function classFill(k: ClassKey): string {
  return CLASS_STYLE[k].pattern === 'plain' ? CLASS_STYLE[k].color : `url(#${patternId(k)})`;
}

export function classLabel(k: ClassKey): string {
  return tt(`cls_${k}` as TKey);
}

export function classHelp(k: ClassKey): string {
  return tt(`clsHelp_${k}` as TKey);
}

export interface LegendEntry {
  key: ClassKey;
  label: string;
  help: string;
  fill: string;
  count: number;
}

/** Legend entries in CLASS_ORDER with how many areas have each class. */
export function classLegend(classes: readonly string[]): LegendEntry[] {
  const counts = new Map<ClassKey, number>();
  for (const c of classes) counts.set(classKey(c), (counts.get(classKey(c)) ?? 0) + 1);
  return CLASS_ORDER.map((key) => ({ key, label: classLabel(key), help: classHelp(key), fill: classFill(key), count: counts.get(key) ?? 0 }));
}

const INDICATOR_KEYS: Record<string, TKey> = {
  andel_otrygga: 'ind_andel_otrygga',
  problemindex: 'ind_problemindex',
};

/** A readable name of a survey indicator; unknown codes are shown with _ as spaces. */
export function indicatorLabel(code: string): string {
  const k = INDICATOR_KEYS[code];
  return k ? tt(k) : code.replace(/_/g, ' ');
}

/** The calendar year of a survey period ("2025", "2025-T1", "2025-11" → 2025). */
export function periodYear(period: string): number | null {
  const m = /^(\d{4})/.exec(period.trim());
  return m ? Number(m[1]) : null;
}

/** Years to choose from: every year with survey results, this year and the chosen one, newest first. */
export function yearOptions(items: readonly Pick<SurveyItem, 'period'>[], thisYear: number, chosen?: number | null): number[] {
  const s = new Set<number>([thisYear]);
  for (const it of items) {
    const y = periodYear(it.period);
    if (y) s.add(y);
  }
  if (chosen) s.add(chosen);
  return [...s].sort((a, b) => b - a);
}

/** The year shown first: the latest with survey results (a class needs them), else this year. */
export function defaultYear(items: readonly Pick<SurveyItem, 'period'>[], thisYear: number): number {
  let best = 0;
  for (const it of items) {
    const y = periodYear(it.period);
    if (y && y <= thisYear && y > best) best = y;
  }
  return best || thisYear;
}

// ---- import errors ------------------------------------------------------------------------

export interface ImportErrorLine {
  row?: number; // the file's line number (the header is line 1)
  column?: string;
  feature?: number; // 1-based position of a GeoJSON feature
  text: string;
}

export interface ImportErrors {
  summary: string;
  /** Errors that belong to a form field (e.g. year); shown next to it. */
  fields: Record<string, string>;
  /** One line per bad row, column or feature, in file order. */
  lines: ImportErrorLine[];
}

/** Reads one problem+json error: "rad 3, kolumn area", "kolumn n", "rad 7", "features[2] (Tureberg).KATEGORI". */
export function describeImportError(field: string, reason: string): ImportErrorLine {
  const f = field.trim();
  let m = /^rad (\d+), kolumn (.+)$/i.exec(f);
  if (m) return { row: Number(m[1]), column: m[2], text: tt('errRowCol', m[1], m[2], reason) };
  m = /^rad (\d+)$/i.exec(f);
  if (m) return { row: Number(m[1]), text: tt('errRow', m[1], reason) };
  m = /^kolumn (.+)$/i.exec(f);
  if (m) return { row: 1, column: m[1], text: tt('errHeader', m[1], reason) };
  m = /^features\[(\d+)\](?: \((.*)\))?(?:\.(.+))?$/.exec(f);
  if (m) {
    const n = Number(m[1]) + 1;
    const ident = m[2] ? ` (${m[2]})` : '';
    return { feature: n, text: m[3] ? tt('errFeature', n, ident, m[3], reason) : tt('errFeatureNoProp', n, ident, reason) };
  }
  return { text: f && !['geojson', 'body', 'csv', 'features'].includes(f) ? `${f}: ${reason}` : reason };
}

/**
 * Splits an import's problem+json into field errors (`formFields`, e.g. year) and the file's
 * lines, sorted by row/feature so they read in file order.
 */
export function importErrors(problem: Problem, formFields: readonly string[] = []): ImportErrors {
  const out: ImportErrors = { summary: problem.detail || problem.title || `HTTP ${problem.status}`, fields: {}, lines: [] };
  for (const e of problem.errors ?? []) {
    const f = e.field ?? '';
    if (formFields.includes(f)) {
      out.fields[f] ??= e.reason;
      continue;
    }
    out.lines.push(describeImportError(f, e.reason));
  }
  const pos = (l: ImportErrorLine) => l.row ?? l.feature ?? Number.MAX_SAFE_INTEGER;
  out.lines = out.lines.map((l, i) => ({ l, i })).sort((a, b) => pos(a.l) - pos(b.l) || a.i - b.i).map((x) => x.l);
  return out;
}

// ---- the goal -----------------------------------------------------------------------------

/** The two full years the server's trend compares (the next-to-last and the one before it). */
export function trendYears(counts: readonly GoalCount[]): [GoalCount, GoalCount] | null {
  if (counts.length < 3) return null;
  return [counts[counts.length - 3], counts[counts.length - 2]];
}

/** The trend in words, with the counts it rests on. */
export function trendSentence(a: Pick<GoalArea, 'counts' | 'trend'>): string {
  const pair = trendYears(a.counts);
  if (!pair) return tt('trendNone');
  const [before, last] = pair;
  const args = [before.year, last.year, before.count, last.count] as const;
  if (a.trend === 'ökning') return tt('trendUp', ...args);
  if (a.trend === 'minskning') return tt('trendDown', ...args);
  return tt('trendFlat', ...args);
}

export function yearLabel(c: Pick<GoalCount, 'year' | 'partial'>): string {
  return c.partial ? tt('partial', c.year) : String(c.year);
}

/** Chart data for one area: labels per year and the säkerhet/trygghet counts. */
export function goalSeries(counts: readonly GoalCount[]): { labels: string[]; sakerhet: number[]; trygghet: number[] } {
  return {
    labels: counts.map(yearLabel),
    sakerhet: counts.map((c) => c.sakerhet),
    trygghet: counts.map((c) => c.trygghet),
  };
}

/** The chart's text alternative: "2023: 3 (2 säkerhet, 1 trygghet); …". */
export function goalChartSummary(counts: readonly GoalCount[]): string {
  return counts
    .map((c) => `${yearLabel(c)}: ${c.count} (${c.sakerhet} ${tt('dimSak').toLowerCase()}, ${c.trygghet} ${tt('dimTrygg').toLowerCase()})`)
    .join('; ');
}

export interface GoalSurveys {
  rows: Omit<SurveyItem, 'area'>[];
  /** own: the area's own values; parent: those of the district it lies in (named). */
  from: 'own' | 'parent' | 'none';
  parentName?: string;
}

/**
 * The survey values of a listed area. The police area is usually linked to a small statistical
 * area without survey values of its own; then the values of the nearest enclosing area that has
 * any are shown (and said so).
 */
export function goalSurveys(a: Pick<GoalArea, 'surveys' | 'area'>, all: readonly SurveyItem[], areas: readonly Pick<Area, 'code' | 'name' | 'parent'>[]): GoalSurveys {
  const sort = (rows: Omit<SurveyItem, 'area'>[]) =>
    [...rows].sort((x, y) => x.indicator.localeCompare(y.indicator) || y.period.localeCompare(x.period) || x.source.localeCompare(y.source));
  if (a.surveys.length) return { rows: sort(a.surveys), from: 'own' };
  const byCode = new Map(areas.map((x) => [x.code, x]));
  let code = a.area?.code ? byCode.get(a.area.code)?.parent ?? null : null;
  const seen = new Set<string>();
  while (code && !seen.has(code)) {
    seen.add(code);
    const here = all.filter((s) => s.area?.code === code);
    if (here.length) {
      return { rows: sort(here.map((x) => ({ indicator: x.indicator, period: x.period, source: x.source, value: x.value, n: x.n }))), from: 'parent', parentName: byCode.get(code)?.name ?? code };
    }
    code = byCode.get(code)?.parent ?? null;
  }
  return { rows: [], from: 'none' };
}

/** Police category: level 2 is "särskilt utsatt". */
export function vulnerableKind(level: number): 'utsatt' | 'sarskilt' {
  return level >= 2 ? 'sarskilt' : 'utsatt';
}

/** Reads a year typed in a form; null unless a whole number 2000–2100. */
export function parseYear(s: string): number | null {
  const t = s.trim();
  if (!/^\d{4}$/.test(t)) return null;
  const y = Number(t);
  return y >= 2000 && y <= 2100 ? y : null;
}

/** The page's address query: which part, year and indicator (empty values left out). */
export function trygghetQuery(q: { del?: string; year?: number | string | null; indicator?: string | null }): string {
  const p = new URLSearchParams();
  if (q.del && q.del !== 'sakerhet') p.set('del', q.del);
  if (q.year) p.set('year', String(q.year));
  if (q.indicator) p.set('indicator', q.indicator);
  return p.toString();
}
