// Pure helpers of the actions page: the form's draft ⇄ the API body, client checks, list filters
// ⇄ the address, who may edit, and the evaluation's numbers as text. Tested in test/actions.test.ts.
import type { Area, User } from '../api';
import type { Action, ActionInput, ActionStatus, Evaluation, Wdd } from '../work-api';

export type Lang = 'sv' | 'en';
export type Errors = Record<string, string>;

export const ACTION_STATUSES: ActionStatus[] = ['planned', 'ongoing', 'done', 'cancelled'];
/** The list filter's statuses: the four, plus "open" (planned or ongoing) and "overdue". */
export const FILTER_STATUSES = ['', 'overdue', 'open', 'planned', 'ongoing', 'done', 'cancelled'] as const;
export type FilterStatus = (typeof FILTER_STATUSES)[number];

export interface ActionDraft {
  title: string;
  description: string;
  prevention: 'social' | 'situational';
  horizon: 'event' | 'long_term';
  owner: string;
  partners: string[];
  areas: string[];
  places: string[]; // place ids as text
  problems: string[]; // problem ids as text
  start: string;
  end: string;
  follow_up: string;
  status: ActionStatus;
  cost: string; // as typed
  indicator: string;
  indicator_categories: string[];
  result: string;
}

export function emptyActionDraft(init: Partial<ActionDraft> = {}): ActionDraft {
  return {
    title: '',
    description: '',
    prevention: 'situational',
    horizon: 'long_term',
    owner: '',
    partners: [],
    areas: [],
    places: [],
    problems: [],
    start: '',
    end: '',
    follow_up: '',
    status: 'planned',
    cost: '',
    indicator: '',
    indicator_categories: [],
    result: '',
    ...init,
  };
}

/** Whole kronor without grouping: 150000 → "150000"; null → "". */
export function costText(cost: number | null | undefined): string {
  return cost === null || cost === undefined ? '' : String(Math.round(cost * 100) / 100);
}

export function actionToDraft(a: Action): ActionDraft {
  return {
    title: a.title,
    description: a.description,
    prevention: a.prevention,
    horizon: a.horizon,
    owner: a.owner?.code ?? '',
    partners: a.partners.map((p) => p.code),
    areas: a.areas.map((x) => x.code),
    places: a.places.map((p) => String(p.id)),
    problems: a.problems.map(String),
    start: a.start,
    end: a.end,
    follow_up: a.follow_up,
    status: a.status,
    cost: costText(a.cost),
    indicator: a.indicator,
    indicator_categories: (a.indicator_categories ?? []).map((c) => c.code),
    result: a.result,
  };
}

/**
 * An amount as typed in Swedish or English: "150 000", "150000", "1 234,50", "1,234.50" (no
 * negative amounts). Empty → null; not a number → NaN.
 */
export function parseAmount(text: string): number | null {
  const s = text.replace(/[\s\u00a0\u202f]/g, '').replace(/kr$|sek$|:-$/i, '');
  if (!s) return null;
  let norm = s;
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) norm = s.replace(/,/g, ''); // 1,234.50
  else if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) norm = s.replace(/\./g, '').replace(',', '.'); // 1.234,50
  else norm = s.replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(norm)) return Number.NaN;
  return Number(norm);
}

/** Client checks before sending; the server checks again and its reasons are shown the same way. */
export function validateAction(d: ActionDraft): Errors {
  const e: Errors = {};
  if (!d.title.trim()) e.title = 'required';
  if (!d.owner) e.owner = 'ownerRequired';
  if (d.start && d.end && d.end < d.start) e.end = 'endBeforeStart';
  const cost = parseAmount(d.cost);
  if (cost !== null && (Number.isNaN(cost) || cost < 0)) e.cost = 'badCost';
  return e;
}

/**
 * The draft → the POST/PATCH body. Every field is sent (the server replaces lists); the cost only
 * when one is given (the API cannot clear it); the version on PATCH. The comparison areas are
 * left out: the evaluation panel saves them on their own (controlsBody), so a form opened before
 * they changed never puts the old ones back.
 */
export function actionBody(d: ActionDraft, version?: number): ActionInput {
  const cost = parseAmount(d.cost);
  const body: ActionInput = {
    ...(version !== undefined ? { version } : {}),
    title: d.title.trim(),
    description: d.description.trim(),
    prevention: d.prevention,
    horizon: d.horizon,
    owner: d.owner,
    partners: d.partners.filter((p) => p && p !== d.owner),
    areas: d.areas,
    places: d.places,
    problems: d.problems.map(Number).filter((n) => Number.isInteger(n) && n > 0),
    start: d.start,
    end: d.end,
    follow_up: d.follow_up,
    status: d.status,
    indicator: d.indicator.trim(),
    indicator_categories: d.indicator_categories,
    result: d.result.trim(),
  };
  if (cost !== null && !Number.isNaN(cost)) body.cost = cost;
  return body;
}

/** Maps server field names (e.g. "problems[0]", "reports[2]") to the form's fields. */
export function fieldOf(serverField: string): string {
  return serverField.replace(/\[\d+\]$/, '');
}

// ---- list filters in the address (#/insatser?status=overdue&owner=bun) ----

export interface ActionFilters {
  status: FilterStatus;
  owner: string;
}

export function parseActionFilters(query: string): ActionFilters {
  const q = new URLSearchParams(query);
  const s = q.get('status') ?? '';
  return {
    status: (FILTER_STATUSES as readonly string[]).includes(s) ? (s as FilterStatus) : '',
    owner: q.get('owner') ?? '',
  };
}

export function actionFilterQuery(f: ActionFilters): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.owner) q.set('owner', f.owner);
  return q.toString();
}

/** The filters as the API's query (empty ones left out). */
export function actionApiQuery(f: ActionFilters): { status?: string; owner?: string } {
  return { ...(f.status ? { status: f.status } : {}), ...(f.owner ? { owner: f.owner } : {}) };
}

/**
 * Same rule as the server (app::ActionRightsOf): coordinators and admins change every field, the
 * lead of the owning organisation only the status and the result, everyone else nothing.
 */
export type ActionRights = 'all' | 'status_result' | 'none';
export function actionRights(u: User | null, a: Pick<Action, 'owner'> | null): ActionRights {
  if (!u || !a) return 'none';
  if (u.role === 'coordinator' || u.role === 'admin') return 'all';
  return u.role === 'org_lead' && !!u.org && a.owner?.code === u.org ? 'status_result' : 'none';
}

export function canEditAction(u: User | null, a: Pick<Action, 'owner'> | null): boolean {
  return actionRights(u, a) !== 'none';
}

/** The PATCH body of an organisation lead: the status and the result, nothing else. */
export function leadBody(d: Pick<ActionDraft, 'status' | 'result'>, version: number): ActionInput {
  return { version, status: d.status, result: d.result.trim() };
}

export function canCreateAction(u: User | null): boolean {
  return !!u && (u.role === 'coordinator' || u.role === 'admin');
}

/** Open actions (planned, ongoing) whose follow-up date has passed, as the server marks them. */
export function isOverdue(a: Pick<Action, 'status' | 'follow_up'>, today: string): boolean {
  return (a.status === 'planned' || a.status === 'ongoing') && !!a.follow_up && a.follow_up < today;
}

/** The areas one can choose: districts and below, names made unique where they repeat. */
export function areaChoices(areas: readonly Area[]): { code: string; name: string }[] {
  const list = areas.filter((a) => a.level >= 1);
  const seen = new Map<string, number>();
  for (const a of list) seen.set(a.name, (seen.get(a.name) ?? 0) + 1);
  return list.map((a) => ({ code: a.code, name: (seen.get(a.name) ?? 0) > 1 && a.level > 1 ? `${a.name} (${a.code})` : a.name }));
}

// ---- numbers as text ----

/** A number with a real minus sign, Swedish decimal comma or English point, grouped thousands. */
export function num(n: number | null | undefined, digits: number, lang: Lang): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const fixed = Math.abs(n).toFixed(digits);
  const [int, frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'sv' ? '\u00a0' : ',');
  const body = frac ? `${grouped}${lang === 'sv' ? ',' : '.'}${frac}` : grouped;
  const zero = Number(fixed) === 0;
  return n < 0 && !zero ? `−${body}` : body;
}

export function signed(n: number, digits: number, lang: Lang): string {
  const s = num(n, digits, lang);
  return n > 0 && Number(Math.abs(n).toFixed(digits)) !== 0 ? `+${s}` : s;
}

/** "−59,2 till −4,8" / "−59.2 to −4.8" */
export function interval(low: number, high: number, lang: Lang, digits = 1): string {
  return `${num(low, digits, lang)} ${lang === 'sv' ? 'till' : 'to'} ${num(high, digits, lang)}`;
}

/** p with three decimals; below 0.001 as "< 0,001". */
export function pText(p: number, lang: Lang): string {
  if (!Number.isFinite(p)) return '–';
  if (p < 0.001) return `< ${num(0.001, 3, lang)}`;
  return num(p, 3, lang);
}

/** The interval excludes 0: the difference is unlikely to be chance at the 5 % level. */
export function isSignificant(w: Pick<Wdd, 'ci_low' | 'ci_high'>): boolean {
  return w.ci_low > 0 || w.ci_high < 0;
}

/** The change as a count and, when there was something before, a percent: ["−4", "−18 %"]. */
export function changeParts(before: number, after: number, lang: Lang): [string, string] {
  const diff = after - before;
  return [signed(diff, 0, lang), before > 0 ? `${signed((diff / before) * 100, 0, lang)} %` : ''];
}

/** e.g. "−4 (−18 %)"; no percent when there was nothing before. */
export function changeText(before: number, after: number, lang: Lang): string {
  const [d, pct] = changeParts(before, after, lang);
  return pct ? `${d} (${pct})` : d;
}

export interface CountRow {
  key: 'treated' | 'controls' | 'buffer';
  areas: string;
  before: number;
  after: number;
  change: string;
  diff: string;
  pct: string;
}

/** The before/after table of an evaluation: action area, comparison areas, neighbours. */
export function countRows(e: Evaluation, lang: Lang): CountRow[] {
  const names = (xs: { name: string }[]) => xs.map((x) => x.name).join(', ') || '–';
  const c = e.counts;
  const row = (key: CountRow['key'], areas: { name: string }[], before: number, after: number): CountRow => {
    const [diff, pct] = changeParts(before, after, lang);
    return { key, areas: names(areas), before, after, change: changeText(before, after, lang), diff, pct };
  };
  return [
    row('treated', e.treated, c.treated_before, c.treated_after),
    row('controls', e.controls, c.control_before, c.control_after),
    row('buffer', e.buffer, c.buffer_before, c.buffer_after),
  ];
}

/** What to fix when the evaluation answers 400: the first field the server names. */
export function evaluationBlocker(fields: Record<string, string>): 'start' | 'areas' | 'controls' | null {
  for (const f of ['start', 'areas', 'controls'] as const) if (f in fields) return f;
  return null;
}

/**
 * Comparison areas one may choose: not the action's own areas, nor areas inside them, nor the
 * whole municipality.
 */
export function controlChoices(areas: readonly Area[], treated: readonly string[]): { code: string; name: string }[] {
  const inside = new Set(areas.filter((a) => treated.includes(a.code) || (a.parent !== null && treated.includes(a.parent))).map((a) => a.code));
  return areaChoices(areas).filter((a) => !inside.has(a.code));
}

/** PATCH body for the comparison areas alone; an empty list lets the system propose them. */
export function controlsBody(version: number, controls: readonly string[]): ActionInput {
  return { version, controls: [...controls] };
}

export function toggle<T>(list: T[], v: T, on: boolean): T[] {
  return on ? (list.includes(v) ? list : [...list, v]) : list.filter((x) => x !== v);
}

/** Errors without those of `fields` (a field the user changes); the summary goes with the last one. */
export function withoutErrors(errors: Record<string, string>, fields: readonly string[]): Record<string, string> {
  if (!fields.some((f) => errors[f])) return errors;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) if (!fields.includes(k)) out[k] = v;
  const left = Object.keys(out).some((k) => k !== '' && out[k]);
  if (!left) delete out[''];
  return out;
}
