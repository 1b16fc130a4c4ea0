// Filters of the lägesbild (and the report list) live in the URL query so a view can be shared.
// The same object drives the API calls for the table, the map points and the CSV download.
import { kindOf, lastCompletePeriod, type PeriodKind } from './period';
import type { Query } from './api';

export type Dimension = 'säkerhet' | 'trygghet';

export interface Filters {
  kind: PeriodKind;
  period: string; // empty for custom
  from: string; // YYYY-MM-DD, custom only
  to: string;
  area: string;
  category: string;
  org: string;
  dimension: Dimension | '';
  /** 'false': partner reports only, without the police's events (source police). */
  police: '' | 'false';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[\p{L}\p{N}_.:-]{1,64}$/u;

export function defaultFilters(now = new Date()): Filters {
  return { kind: 'week', period: lastCompletePeriod('week', now), from: '', to: '', area: '', category: '', org: '', dimension: '', police: '' };
}

/** Parses a query string (with or without '?'); unknown or malformed values fall back to defaults. */
export function parseFilters(search: string, now = new Date()): Filters {
  const p = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const f = defaultFilters(now);
  const from = p.get('from') ?? '';
  const to = p.get('to') ?? '';
  const period = p.get('period') ?? '';
  if (DATE.test(from) && DATE.test(to) && from <= to) {
    f.kind = 'custom';
    f.period = '';
    f.from = from;
    f.to = to;
  } else if (period) {
    const k = kindOf(period);
    if (k) {
      f.kind = k;
      f.period = period;
    }
  } else {
    const k = p.get('kind') as PeriodKind | null;
    if (k && k !== 'custom' && ['week', 'month', 'tertial', 'quarter', 'year'].includes(k)) {
      f.kind = k;
      f.period = lastCompletePeriod(k, now);
    }
  }
  for (const key of ['area', 'category', 'org'] as const) {
    const v = p.get(key) ?? '';
    if (CODE.test(v)) f[key] = v;
  }
  const dim = p.get('dimension') ?? '';
  if (dim === 'säkerhet' || dim === 'trygghet') f.dimension = dim;
  if (p.get('police') === 'false') f.police = 'false';
  return f;
}

/** The filters as API query parameters (also the shareable URL query). */
export function filtersToQuery(f: Filters): Query {
  const q: Query = {};
  if (f.kind === 'custom') {
    if (f.from && f.to) {
      q.from = f.from;
      q.to = f.to;
    }
  } else if (f.period) q.period = f.period;
  if (f.area) q.area = f.area;
  if (f.category) q.category = f.category;
  if (f.org) q.org = f.org;
  if (f.dimension) q.dimension = f.dimension;
  if (f.police) q.police = f.police;
  return q;
}

export function serializeFilters(f: Filters): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filtersToQuery(f))) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  return p.toString();
}
