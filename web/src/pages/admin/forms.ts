// Pure helpers of the administration page: form validation, server field errors → form fields,
// area-import errors in plain Swedish, and the area tree order. No DOM, no Leaflet (unit-tested).
import { ApiError, NetworkError, type Area, type Problem, type User } from '../../api';
import { t, type Key } from '../../i18n';

/** Field name → message; '' holds a message for the whole form. */
export type Errors = Record<string, string>;

export const ORG_KINDS = [
  'nämnd',
  'bolag',
  'polis',
  'räddningstjänst',
  'näringsliv',
  'förening',
  'civilsamhälle',
  'bevakning',
  'fastighetsägare',
  'annan',
] as const;

export const ROLES: readonly User['role'][] = ['reporter', 'org_lead', 'coordinator', 'viewer', 'admin'];

/** Folds å/ä → a, ö → o, é → e like the server's FoldText. */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .replace(/[åä]/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/é/g, 'e');
}

/** i18n key of an organisation kind ("räddningstjänst" → orgKind_raddningstjanst). */
export function orgKindKey(kind: string): Key {
  return `orgKind_${fold(kind)}` as Key;
}
export function orgKindLabel(kind: string): string {
  const k = orgKindKey(kind);
  const s = t(k);
  return s === k ? kind : s;
}
export function roleLabel(role: string): string {
  const k = `role_${role}` as Key;
  const s = t(k);
  return s === k ? role : s;
}

/**
 * A code suggested from a name, as the server's MakeCode does: folded to a–z and 0–9, other
 * characters become `sep`, at most 64 characters ("Brandkåren Attunda" → "brandkaren-attunda").
 */
export function suggestCode(name: string, sep = '-'): string {
  let out = '';
  for (const c of fold(name.trim())) {
    if (/[a-z0-9]/.test(c)) out += c;
    else if (out && !out.endsWith(sep)) out += sep;
  }
  out = out.slice(0, 64);
  while (out.endsWith(sep)) out = out.slice(0, -sep.length);
  return out;
}

/** A decimal number typed the Swedish way ("17,95") or the English way ("17.95"); null if not a number. */
export function parseDecimal(text: string): number | null {
  const s = text.trim().replace(/\s/g, '').replace(',', '.').replace(/^[−–]/, '-');
  if (!/^-?\d+(\.\d+)?$/.test(s) && !/^-?\.\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function requireFields(values: Record<string, string>, keys: string[], errs: Errors) {
  for (const k of keys) if (!values[k]?.trim()) errs[k] = t('required');
}

export interface OrgDraft {
  code: string;
  name: string;
  kind: string;
  parent: string;
}
export function validateOrg(d: OrgDraft): Errors {
  const errs: Errors = {};
  requireFields({ ...d }, ['code', 'name', 'kind'], errs);
  return errs;
}

export interface CategoryDraft {
  code: string;
  name_sv: string;
  name_en: string;
  group: string;
  dimension: string;
  default_severity: string;
  parent: string;
}
export function validateCategory(d: CategoryDraft): Errors {
  const errs: Errors = {};
  requireFields({ ...d }, ['code', 'name_sv'], errs);
  if (!d.dimension) errs.dimension = t('chooseOne');
  return errs;
}

export interface UserDraft {
  login: string;
  display_name: string;
  password: string;
  role: string;
  org: string;
}
/** The server's minimum (characters, not UTF-16 units); it also checks dictionary words and the login. */
export const MIN_PASSWORD = 12;
export function needsOrg(role: string): boolean {
  return role === 'reporter' || role === 'org_lead';
}
export function validateUser(d: UserDraft): Errors {
  const errs: Errors = {};
  requireFields({ ...d }, ['login', 'password', 'role'], errs);
  if (d.password && [...d.password].length < MIN_PASSWORD) errs.password = t('passwordShort', MIN_PASSWORD);
  if (needsOrg(d.role) && !d.org) errs.org = t('orgRequiredForRole', roleLabel(d.role));
  return errs;
}

export interface PlaceDraft {
  name: string;
  kind: string;
  lon: string;
  lat: string;
}
/** Checks a place draft; on success `point` holds the typed coordinates. */
export function validatePlace(d: PlaceDraft): { errs: Errors; point?: { lon: number; lat: number } } {
  const errs: Errors = {};
  requireFields({ name: d.name, kind: d.kind }, ['name', 'kind'], errs);
  const lon = parseDecimal(d.lon);
  const lat = parseDecimal(d.lat);
  if (!d.lon.trim()) errs.lon = t('required');
  else if (lon === null) errs.lon = t('coordInvalid');
  else if (lon < -180 || lon > 180) errs.lon = t('lonRange');
  if (!d.lat.trim()) errs.lat = t('required');
  else if (lat === null) errs.lat = t('coordInvalid');
  else if (lat < -90 || lat > 90) errs.lat = t('latRange');
  if (Object.keys(errs).length || lon === null || lat === null) return { errs };
  return { errs, point: { lon, lat } };
}

/**
 * Server field errors (problem+json errors[].field/reason) on the form's fields. `alias` renames
 * server fields (e.g. location → lon); a field the form does not have is kept in '' as
 * "field: reason" so that nothing the server said is lost.
 */
export function mapFieldErrors(fields: Record<string, string>, known: readonly string[], alias: Record<string, string> = {}): Errors {
  const out: Errors = {};
  const rest: string[] = [];
  for (const [field, reason] of Object.entries(fields)) {
    const f = alias[field] ?? field;
    if (known.includes(f)) {
      if (!out[f]) out[f] = reason;
    } else rest.push(field ? `${field}: ${reason}` : reason);
  }
  if (rest.length) out[''] = rest.join('; ');
  return out;
}

/** The errors to show for a failed save: field errors, or one message for the whole form. */
export function errorsFrom(err: unknown, known: readonly string[], alias: Record<string, string> = {}): Errors {
  if (err instanceof NetworkError) return { '': t('networkError') };
  if (!(err instanceof ApiError)) return { '': err instanceof Error ? err.message : String(err) };
  if (err.status === 403) return { '': t('adminForbidden', err.problem.detail ?? err.message) };
  const out = mapFieldErrors(err.fields, known, alias);
  const fieldCount = Object.keys(out).filter((k) => k).length;
  if (!fieldCount && !out['']) out[''] = err.message;
  else if (!out['']) out[''] = `${err.problem.detail ?? err.message}. ${t('fixErrors')}`;
  return out;
}

/** The first field (in form order) that has an error. */
export function firstError(errs: Errors, order: readonly string[]): string | undefined {
  return order.find((k) => errs[k]);
}

export interface FeatureRef {
  index?: number; // 0-based position in the file
  ident?: string; // "id: 40, namn: Tureberg" or an area code
  prop?: string; // code, name, population, parent
}

/**
 * Reads the server's feature labels: "features[3] (id: 40, namn: Tureberg).code",
 * "features (tb-1).parent", "features[0]". Null for any other field.
 */
export function parseFeatureField(field: string): FeatureRef | null {
  let m = /^features\[(\d+)\](?: \((.*)\))?(?:\.([A-Za-z_]+))?$/.exec(field);
  if (m) return { index: Number(m[1]), ident: m[2] || undefined, prop: m[3] || undefined };
  m = /^features \((.*)\)(?:\.([A-Za-z_]+))?$/.exec(field);
  if (m) return { ident: m[1], prop: m[2] || undefined };
  return null;
}

const propKeys: Record<string, Key> = {
  code: 'areaPropCode',
  name: 'areaPropName',
  population: 'areaPropPopulation',
  parent: 'areaPropParent',
};

/** "Område 4 i filen (id: 40, namn: Tureberg), kod: får inte vara tom". */
export function describeFeatureError(field: string, reason: string): string {
  const ref = parseFeatureField(field);
  if (!ref) return field && !['geojson', 'features', 'body', 'Content-Type'].includes(field) ? `${field}: ${reason}` : reason;
  let where = ref.index !== undefined ? t('areaFeature', ref.index + 1) : t('areaFeatureCode');
  if (ref.ident) where += ` (${ref.ident})`;
  if (ref.prop) where += `, ${propKeys[ref.prop] ? t(propKeys[ref.prop]) : ref.prop}`;
  return `${where}: ${reason}`;
}

export interface AreaImportErrors {
  summary: string;
  crs?: string;
  parent?: string;
  file: string[]; // one line per feature or file problem
}

/** Splits an area import's problem+json into the upload form's fields and a list of file errors. */
export function areaImportErrors(problem: Problem): AreaImportErrors {
  const out: AreaImportErrors = { summary: problem.detail || problem.title || `HTTP ${problem.status}`, file: [] };
  for (const e of problem.errors ?? []) {
    const f = e.field ?? '';
    if (f === 'crs') out.crs ??= e.reason;
    else if (f === 'parent' && !e.reason.includes('cirkul')) out.parent ??= e.reason;
    else if (f === '--parent') out.parent ??= e.reason;
    else out.file.push(describeFeatureError(f, e.reason));
  }
  return out;
}

/** Areas in tree order (each parent followed by its children, by name), with their depth. */
export function areaTree(areas: readonly Area[]): { area: Area; depth: number }[] {
  const byParent = new Map<string | null, Area[]>();
  const codes = new Set(areas.map((a) => a.code));
  for (const a of areas) {
    const p = a.parent && codes.has(a.parent) ? a.parent : null;
    const list = byParent.get(p) ?? [];
    list.push(a);
    byParent.set(p, list);
  }
  for (const list of byParent.values()) list.sort((x, y) => x.level - y.level || x.name.localeCompare(y.name, 'sv'));
  const out: { area: Area; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const a of byParent.get(parent) ?? []) {
      if (seen.has(a.code)) continue;
      seen.add(a.code);
      out.push({ area: a, depth });
      walk(a.code, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Query parameters of POST /areas from the upload form (empty options left out). */
export function areaImportQuery(o: { crs: string; code_prop: string; name_prop: string; parent: string }) {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v.trim()) q[k] = v.trim();
  return q;
}
