// Periods as the API names them: 2026-W47, 2026-11, 2026-T3, 2026-Q4, 2026; ISO weeks start on Monday.
export type PeriodKind = 'week' | 'month' | 'tertial' | 'quarter' | 'year' | 'custom';
export const PERIOD_KINDS: PeriodKind[] = ['week', 'month', 'tertial', 'quarter', 'year', 'custom'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local calendar date as YYYY-MM-DD. */
export function ymd(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** ISO-8601 week of a local date: [isoYear, week]. */
export function isoWeek(d: Date): [number, number] {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day); // Thursday of this week
  const y = t.getUTCFullYear();
  const jan1 = Date.UTC(y, 0, 1);
  return [y, Math.ceil(((t.getTime() - jan1) / 86400000 + 1) / 7)];
}

export function weekLabel(d: Date): string {
  const [y, w] = isoWeek(d);
  return `${y}-W${pad(w)}`;
}

/** Monday (UTC date) of ISO week w in isoYear y. */
function mondayOf(y: number, w: number): Date {
  const jan4 = new Date(Date.UTC(y, 0, 4));
  const day = jan4.getUTCDay() || 7;
  const mon = new Date(jan4);
  mon.setUTCDate(jan4.getUTCDate() - day + 1 + (w - 1) * 7);
  return mon;
}

export function currentPeriod(kind: PeriodKind, now = new Date()): string {
  const y = now.getFullYear();
  const m = now.getMonth() + 1;
  switch (kind) {
    case 'week':
      return weekLabel(now);
    case 'month':
      return `${y}-${pad(m)}`;
    case 'tertial':
      return `${y}-T${Math.ceil(m / 4)}`;
    case 'quarter':
      return `${y}-Q${Math.ceil(m / 3)}`;
    case 'year':
      return String(y);
    case 'custom':
      return '';
  }
}

/**
 * The last complete period of a kind (the default everywhere: a running period is a click away,
 * and its counts are "so far", never a whole period's).
 */
export function lastCompletePeriod(kind: PeriodKind, now = new Date()): string {
  const cur = currentPeriod(kind, now);
  return cur ? shiftPeriod(cur, -1) : '';
}

/** Whether `period` is the running one (or a later one) of its kind at `now`. */
export function isRunningOrLater(period: string, now = new Date()): boolean {
  const kind = kindOf(period);
  if (!kind) return false;
  const cur = currentPeriod(kind, now);
  // Same kind: the labels sort in time order (2026-W09 < 2026-W10, 2026-12 < 2027-01).
  return period >= cur;
}

export function kindOf(period: string): PeriodKind | null {
  if (/^\d{4}-W\d{2}$/.test(period)) return 'week';
  if (/^\d{4}-\d{2}$/.test(period)) return 'month';
  if (/^\d{4}-T[1-3]$/.test(period)) return 'tertial';
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'quarter';
  if (/^\d{4}$/.test(period)) return 'year';
  return null;
}

/** The period `steps` periods before/after (negative = earlier). */
export function shiftPeriod(period: string, steps: number): string {
  const kind = kindOf(period);
  let m: RegExpMatchArray | null;
  switch (kind) {
    case 'week': {
      m = period.match(/^(\d{4})-W(\d{2})$/)!;
      const mon = mondayOf(Number(m[1]), Number(m[2]));
      mon.setUTCDate(mon.getUTCDate() + 7 * steps + 3);
      return weekLabel(new Date(mon.getUTCFullYear(), mon.getUTCMonth(), mon.getUTCDate()));
    }
    case 'month': {
      m = period.match(/^(\d{4})-(\d{2})$/)!;
      const i = Number(m[1]) * 12 + Number(m[2]) - 1 + steps;
      return `${Math.floor(i / 12)}-${pad((i % 12) + 1)}`;
    }
    case 'tertial':
    case 'quarter': {
      const n = kind === 'tertial' ? 3 : 4;
      const letter = kind === 'tertial' ? 'T' : 'Q';
      m = period.match(/^(\d{4})-[TQ](\d)$/)!;
      const i = Number(m[1]) * n + Number(m[2]) - 1 + steps;
      return `${Math.floor(i / n)}-${letter}${(i % n) + 1}`;
    }
    case 'year':
      return String(Number(period) + steps);
    default:
      return period;
  }
}

/** A readable Swedish/English label for a period code. */
export function periodLabel(period: string, lang: 'sv' | 'en'): string {
  const sv = lang === 'sv';
  let m: RegExpMatchArray | null;
  if ((m = period.match(/^(\d{4})-W(\d{2})$/))) return `${sv ? 'vecka' : 'week'} ${Number(m[2])} ${m[1]}`;
  if ((m = period.match(/^(\d{4})-(\d{2})$/))) {
    const d = new Date(Number(m[1]), Number(m[2]) - 1, 1);
    return d.toLocaleDateString(sv ? 'sv-SE' : 'en-GB', { month: 'long', year: 'numeric' });
  }
  if ((m = period.match(/^(\d{4})-T(\d)$/))) return `${sv ? 'tertial' : 'tertial'} ${m[2]} ${m[1]}`;
  if ((m = period.match(/^(\d{4})-Q(\d)$/))) return `${sv ? 'kvartal' : 'quarter'} ${m[2]} ${m[1]}`;
  return period;
}
