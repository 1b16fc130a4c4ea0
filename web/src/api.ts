// Thin client for /api/v1: same-origin fetch with the session cookie, the CSRF header on
// state changes, and problem+json errors turned into ApiError with per-field reasons.

export interface FieldError {
  field: string;
  reason: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

/** A personal API token as listed (GET /api/v1/tokens). */
export interface ApiToken {
  id: number;
  login: string;
  name: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used: string | null;
  active: boolean;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
  /** field path → reason (first reason wins); errors without a field are under ''. */
  get fields(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const k = e.field ?? '';
      if (!(k in out)) out[k] = e.reason;
    }
    return out;
  }
}

/** The request never reached the server (offline, DNS, connection refused). */
export class NetworkError extends Error {
  constructor(cause?: unknown) {
    super('network error');
    this.name = 'NetworkError';
    (this as { cause?: unknown }).cause = cause;
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface User {
  id: number;
  login: string;
  display_name: string;
  role: 'reporter' | 'coordinator' | 'org_lead' | 'viewer' | 'admin';
  org: string | null;
  disabled?: boolean;
}

export interface Category {
  code: string;
  name_sv: string;
  name_en: string;
  group: string;
  dimension: 'säkerhet' | 'trygghet';
  default_severity: number;
  active: boolean;
}

export interface Organisation {
  code: string;
  name: string;
  kind: string;
  parent: string | null;
}

export interface Area {
  code: string;
  name: string;
  parent: string | null;
  level: number;
  population: number | null;
  report_count?: number;
}

/** The basemap in force (GET /basemap); url null = the outline map without tiles. */
export interface Basemap {
  url: string | null;
  attribution: string | null;
  max_zoom: number | null;
  source: 'server' | 'settings' | null;
}

/** How a police event type becomes a report (GET /police-types); category null = not imported. */
export interface PoliceType {
  type: string;
  category: string | null;
  default: boolean;
}

/** One hit of the address search (GET /addresses). */
export interface AddressHit {
  label: string;
  street: string;
  number: string;
  postcode: string;
  locality: string;
  lon: number;
  lat: number;
  area_code: string | null;
  street_only: boolean;
}

export interface Place {
  id: number;
  name: string;
  kind: string;
  x: number; // SWEREF 99 TM
  y: number;
  area: string | null;
  lon?: number;
  lat?: number;
}

export interface Location {
  lon?: number;
  lat?: number;
  place?: string;
  /** placed only by this area (bara område): counted in it, never drawn as a point */
  area?: string;
}

export interface NewReport {
  source_id?: string;
  occurred_from: string;
  occurred_to?: string;
  location: Location;
  category: string;
  org?: string;
  severity?: number;
  count?: number;
  certainty?: 'observed' | 'suspected';
  police_notified?: boolean;
  description?: string;
}

export type Status = 'new' | 'reviewed' | 'rejected' | 'duplicate';

export interface Report {
  id: number;
  org: string;
  org_name?: string;
  occurred_from: string;
  occurred_to: string | null;
  reported_at: string;
  location: { lon?: number | null; lat?: number | null; x?: number | null; y?: number | null };
  area: { code: string; name: string } | null;
  /** true: placed only by its area (no point) */
  area_only?: boolean;
  /** The named place's id (the API gives a number); null when reported by point. */
  place: number | string | null;
  category: string;
  category_name: string;
  dimension: string;
  severity: number;
  count: number;
  certainty: string;
  police_notified: boolean;
  description: string;
  source: string;
  source_id: string | null;
  status: Status;
  /** review: the coordinator's reason (required when rejected) and the original of a duplicate */
  review_note?: string;
  duplicate_of?: number | null;
  /** GET /reports/{id} only: reports marked as duplicates of this one */
  duplicates?: number[];
  /** what came of it: the problems it is part of and the actions answering them */
  feedback?: {
    problems: { id: number; title: string; status: string; status_sv: string }[];
    actions: { id: number; title: string; status: string; status_sv: string; owner: string; result: string }[];
  };
  version: number;
  removed_personal_data?: string[];
}

/** PATCH /reports/{id}; status, review_note and duplicate_of only for coordinators and admins. */
export interface ReportPatch {
  version: number;
  category?: string;
  severity?: number;
  count?: number;
  certainty?: 'observed' | 'suspected';
  police_notified?: boolean;
  description?: string;
  status?: Status;
  review_note?: string;
  duplicate_of?: number;
  /** a named place's name or id: moves the report there */
  place?: string;
  location?: { lon: number; lat: number };
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface Change {
  diff: number;
  percent: number | null;
  z: number;
  signal: string | null;
}

export interface PeriodInfo {
  from: string;
  to: string;
  days: number;
  label: string;
  label_sv?: string;
}

export interface LagesbildRow {
  area_code: string | null;
  area_name: string;
  level?: number;
  category: string | null;
  category_name?: string;
  count: number;
  previous: number;
  last_year: number;
  change_previous: Change;
  change_last_year: Change;
  rate_per_1000: number | null;
}

export interface Coverage {
  area_code: string;
  area_name?: string;
  reported: string[];
  checked_in: string[];
  silent: string[];
  expected: number;
  share: number | null;
}

/** Present when the period runs on: its counts, and its comparisons', go up to the same instant. */
export interface RunningInfo {
  cut_minutes: number;
  through_sv: string;
  through_en: string;
  label_sv: string;
  label_en: string;
}

export interface Lagesbild {
  period: PeriodInfo;
  running?: RunningInfo | null;
  previous_period: PeriodInfo;
  last_year_period: PeriodInfo;
  totals: { count: number; previous: number; last_year: number; outside?: number; change_previous: Change; change_last_year: Change };
  rows: LagesbildRow[];
  coverage: Coverage[];
  method?: string;
}

export interface HotspotProps {
  ix: number;
  iy: number;
  count: number;
  gi_star: number;
  p: number;
  p_fdr: number;
  bin: number;
  local_sum?: number;
  n_neigh?: number;
}

export interface HeatProps {
  ix: number;
  iy: number;
  density: number; // per km²
}

export interface EmergingProps {
  ix: number;
  iy: number;
  category_label: string;
  category_sv: string;
  count: number;
  mk_z: number;
  mk_p: number;
}

export type Cells<P> = GeoJSON.FeatureCollection<GeoJSON.Polygon, P>;
export type HeatCells = Cells<HeatProps> & { bandwidth_m?: number };

export interface SeriesPoint {
  week: string;
  count: number;
  last_year: number | null;
  running?: boolean; // the week holds "now": the count is so far
}

export interface WeeklySeries {
  points: SeriesPoint[];
  baseline: { weeks: number; mean: number; lower: number; upper: number; above: boolean; below: boolean } | null;
}

export interface Profile {
  days: { weekday: string; hours: number[] }[];
  method?: string;
}

export interface PriorityItem {
  code: string;
  name: string;
  need: number;
  influence: number;
  need_rank: number;
  influence_rank: number;
  reasons: string[];
}

export interface CheckIn {
  org: string;
  area: string;
  week: string;
  nothing_to_report: boolean;
  at: string;
}

export type Query = Record<string, string | number | undefined | null>;

export function queryString(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function parseProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<Problem>;
      return { ...body, status: body.status ?? res.status };
    } catch {
      /* fall through */
    }
  }
  return { status: res.status, title: res.statusText };
}

/** The Content-Type of an uploaded file by its name: a GeoPackage, a zipped Shapefile, else `plain`. */
export function uploadType(file: string | Blob, plain: string): string {
  const name = typeof file === 'string' ? '' : ((file as File).name ?? '').toLowerCase();
  if (name.endsWith('.gpkg')) return 'application/geopackage+sqlite3';
  if (name.endsWith('.zip')) return 'application/zip';
  return plain;
}

export class Api {
  csrf: string | null = null;
  /** Called on 401 so the app can go back to the login page. */
  onUnauthorized: (() => void) | null = null;

  constructor(
    private readonly fetchFn: Fetch = (i, init) => fetch(i, init),
    private readonly base = '/api/v1',
  ) {}

  async request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && method !== 'HEAD' && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    let res: Response;
    try {
      res = await this.fetchFn(this.base + path + queryString(query), {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new NetworkError(e);
    }
    if (!res.ok) {
      const problem = await parseProblem(res);
      if (res.status === 401 && path !== '/auth/login' && path !== '/auth/me') this.onUnauthorized?.();
      throw new ApiError(problem);
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, undefined, query);
  }
  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  async login(login: string, password: string): Promise<User> {
    const r = await this.post<{ user: User; csrf_token: string }>('/auth/login', { login, password });
    this.csrf = r.csrf_token;
    return r.user;
  }
  async me(): Promise<User> {
    const r = await this.get<{ user: User; csrf_token: string }>('/auth/me');
    this.csrf = r.csrf_token;
    return r.user;
  }
  /** 204; every session of the user has ended (log in again). */
  async changePassword(current_password: string, password: string): Promise<void> {
    await this.post<void>('/auth/password', { current_password, password });
    this.csrf = null;
  }
  async logout(): Promise<void> {
    await this.post<void>('/auth/logout', {});
    this.csrf = null;
  }

  categories() {
    return this.get<{ items: Category[] }>('/categories').then((r) => r.items);
  }
  organisations() {
    return this.get<{ items: Organisation[] }>('/organisations').then((r) => r.items);
  }
  areas() {
    return this.get<{ items: Area[] }>('/areas').then((r) => r.items);
  }
  areasGeoJSON() {
    return this.get<GeoJSON.FeatureCollection>('/areas', { format: 'geojson' });
  }
  places() {
    return this.get<{ items: Place[] }>('/places').then((r) => r.items);
  }
  reports(q: Query) {
    return this.get<Page<Report>>('/reports', q);
  }
  createReport(r: NewReport) {
    return this.post<Report>('/reports', r);
  }
  report(id: number) {
    return this.get<Report>(`/reports/${id}`);
  }
  patchReport(id: number, body: ReportPatch) {
    return this.patch<Report>(`/reports/${id}`, body);
  }
  checkins() {
    return this.get<{ items: CheckIn[] }>('/checkins').then((r) => r.items);
  }
  checkin(area: string, week: string) {
    return this.post<unknown>('/checkins', { area, week, nothing_to_report: true });
  }
  lagesbild(q: Query) {
    return this.get<Lagesbild>('/lagesbild', q);
  }
  hotspots(q: Query) {
    return this.get<Cells<HotspotProps>>('/hotspots', { ...q, format: 'geojson' });
  }
  heat(q: Query) {
    return this.get<HeatCells>('/heat', q);
  }
  /** Takes `end` (an ISO week) instead of a period. */
  emerging(q: Query) {
    return this.get<Cells<EmergingProps>>('/emerging', { periods: 26, bin: '4w', ...q, format: 'geojson' });
  }
  series(q: Query) {
    return this.get<WeeklySeries>('/series', { weeks: 52, ...q });
  }
  profile(q: Query) {
    return this.get<Profile>('/profile', q);
  }
  priority(q: Query) {
    return this.get<{ items: PriorityItem[] }>('/priority', q).then((r) => r.items);
  }

  // admin
  /** Sends a body as it is (a file) with its own Content-Type; errors as in request(). */
  async upload<T>(path: string, body: string | Blob, contentType: string, query?: Query): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': contentType };
    if (this.csrf) headers['X-CSRF-Token'] = this.csrf;
    let res: Response;
    try {
      res = await this.fetchFn(this.base + path + queryString(query), { method: 'POST', headers, credentials: 'same-origin', body });
    } catch (e) {
      throw new NetworkError(e);
    }
    if (!res.ok) {
      if (res.status === 401) this.onUnauthorized?.();
      throw new ApiError(await parseProblem(res));
    }
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  basemap() {
    return this.get<Basemap>('/basemap');
  }
  policeTypes() {
    return this.get<{ items: PoliceType[] }>('/police-types').then((r) => r.items);
  }
  /** Coordinators and admins: category code per type, null = not imported. */
  setPoliceTypes(types: Record<string, string | null>) {
    return this.post<{ updated: number }>('/police-types', { types });
  }
  /** Admin only; an empty url removes the basemap. */
  setBasemap(b: { url: string; attribution: string; max_zoom?: number }) {
    return this.post<Basemap>('/basemap', b);
  }
  addresses(q: string, limit = 8) {
    return this.get<{ items: AddressHit[]; total: number }>('/addresses', { q, limit });
  }
  /** Coordinators and admins: replaces the address register (CSV, GeoPackage or zipped Shapefile). */
  importAddresses(file: string | Blob) {
    return this.upload<{ rows: number; imported: number; duplicates: number }>('/addresses', file, uploadType(file, 'text/csv'));
  }
  /** Personal API tokens: an admin gets everyone's, others their own. Never the token itself. */
  tokens() {
    return this.get<{ items: ApiToken[] }>('/tokens').then((r) => r.items);
  }
  /** The reply's `token` is shown this once. */
  createToken(t: { login?: string; name?: string; expires_days?: number }) {
    return this.post<ApiToken & { token: string }>('/tokens', t);
  }
  revokeToken(id: number) {
    return this.post<ApiToken>(`/tokens/${id}/revoke`, {});
  }
  /** Admin only. */
  users() {
    return this.get<{ items: User[] }>('/users').then((r) => r.items);
  }
  createUser(u: NewUser) {
    return this.post<User>('/users', u);
  }
  /** Admin only: role, organisation (null removes), disabled, a new password. */
  updateUser(id: number, patch: { display_name?: string; role?: User['role']; org?: string | null; disabled?: boolean; password?: string }) {
    return this.patch<User>(`/users/${id}`, patch);
  }
  createOrganisation(o: NewOrganisation) {
    return this.post<Organisation>('/organisations', o);
  }
  createCategory(c: NewCategory) {
    return this.post<Category>('/categories', c);
  }
  createPlace(p: NewPlace) {
    return this.post<Place>('/places', p);
  }
  /** All or nothing: a file with one bad feature imports nothing (400 lists each feature). */
  importAreas(geojson: string | Blob, opt: AreaImportOptions = {}) {
    return this.upload<AreaImportResult>('/areas', geojson, uploadType(geojson, 'application/geo+json'), { ...opt });
  }
}

// admin
export interface NewOrganisation {
  code: string;
  name: string;
  kind: string; // nämnd, bolag, polis, räddningstjänst, näringsliv, förening, civilsamhälle, bevakning, fastighetsägare, annan
  parent?: string;
}

export interface NewUser {
  login: string;
  display_name?: string;
  password: string;
  role: User['role'];
  org?: string; // required for reporter and org_lead
}

export interface NewCategory {
  code: string;
  name_sv: string;
  name_en?: string;
  group?: string;
  dimension: Category['dimension'];
  default_severity?: number;
  parent?: string;
}

export interface NewPlace {
  name: string;
  kind: string;
  lon: number;
  lat: number;
}

export interface AreaImportOptions {
  crs?: string; // e.g. EPSG:3006; default: the file's crs member, else WGS84
  code_prop?: string;
  name_prop?: string;
  parent?: string; // area code the new areas lie in
}

export interface AreaImportResult {
  items: Area[];
  reports_moved: number;
}

export const api = new Api();
