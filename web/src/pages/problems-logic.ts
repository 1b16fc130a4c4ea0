// Pure helpers of the problems page: draft ⇄ API body, report numbers as typed, filters, and the
// actions that answer a problem. Tested in test/problems.test.ts.
import type { Action, ProblemInput, ProblemItem } from '../work-api';

export const PROBLEM_STATUSES: ProblemItem['status'][] = ['open', 'monitored', 'closed'];

export interface ProblemDraft {
  title: string;
  description: string;
  status: ProblemItem['status'];
  areas: string[];
  places: string[]; // place ids as text
  categories: string[];
  reports: string; // report numbers as typed
}

export function emptyProblemDraft(): ProblemDraft {
  return { title: '', description: '', status: 'open', areas: [], places: [], categories: [], reports: '' };
}

export function problemToDraft(p: ProblemItem): ProblemDraft {
  return {
    title: p.title,
    description: p.description,
    status: p.status,
    areas: p.areas.map((a) => a.code),
    places: p.places.map((x) => String(x.id)),
    categories: p.categories.map((c) => c.code),
    reports: p.reports.join(', '),
  };
}

/** "10574, 10527 9762;#9583" → ids in order without repeats; anything else is listed as bad. */
export function parseReportIds(text: string): { ids: number[]; bad: string[] } {
  const ids: number[] = [];
  const bad: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const tok = raw.replace(/^#/, '');
    if (!tok) continue;
    if (/^\d{1,12}$/.test(tok) && Number(tok) > 0) {
      const n = Number(tok);
      if (!ids.includes(n)) ids.push(n);
    } else bad.push(raw);
  }
  return { ids, bad };
}

/** Client checks; values are text keys (or "badIds:<tokens>") turned into words by the page. */
export function validateProblem(d: ProblemDraft): Record<string, string> {
  const e: Record<string, string> = {};
  if (!d.title.trim()) e.title = 'required';
  const { bad } = parseReportIds(d.reports);
  if (bad.length) e.reports = `badIds:${bad.join(', ')}`;
  return e;
}

export function problemBody(d: ProblemDraft, version?: number): ProblemInput {
  return {
    ...(version !== undefined ? { version } : {}),
    title: d.title.trim(),
    description: d.description.trim(),
    status: d.status,
    areas: d.areas,
    places: d.places,
    categories: d.categories,
    reports: parseReportIds(d.reports).ids,
  };
}

export function parseProblemFilter(query: string): ProblemItem['status'] | '' {
  const s = new URLSearchParams(query).get('status') ?? '';
  return (PROBLEM_STATUSES as string[]).includes(s) ? (s as ProblemItem['status']) : '';
}

const ORDER: Record<Action['status'], number> = { ongoing: 0, planned: 1, done: 2, cancelled: 3 };

/** The actions that answer problem `id`: overdue first, then ongoing, planned, done, cancelled. */
export function actionsForProblem(actions: readonly Action[], id: number): Action[] {
  return actions
    .filter((a) => a.problems.includes(id))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || ORDER[a.status] - ORDER[b.status] || a.id - b.id);
}

/** Runs `fn` over `items` with at most `limit` at a time; results keep the order of `items`. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
