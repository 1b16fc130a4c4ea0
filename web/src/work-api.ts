// Client for the work after the picture: meetings, the agenda, problems and actions
// (/api/v1/meetings, /agenda, /problems, /actions). Same transport as api.ts.
import { api, type PeriodInfo } from './api';

export interface Ref {
  code: string;
  name: string;
}
export interface PlaceRef {
  id: number;
  name: string;
}

export interface Decision {
  number: number;
  text: string;
  owner: Ref | null;
  action: number | null;
}

export interface Meeting {
  id: number;
  held_on: string;
  kind: 'weekly' | 'tertial' | 'yearly' | 'other';
  period: string;
  period_label: string;
  title: string;
  attendees: Ref[];
  focus_areas: Ref[];
  focus_places: PlaceRef[];
  minutes: string;
  decisions: Decision[];
  version: number;
  updated_at: string;
}

export interface MeetingInput {
  version?: number;
  held_on?: string;
  kind?: string;
  period?: string;
  title?: string;
  minutes?: string;
  attendees?: string[];
  focus_areas?: string[];
  focus_places?: string[];
  decisions?: { number?: number; text: string; owner?: string }[];
}

export type ActionStatus = 'planned' | 'ongoing' | 'done' | 'cancelled';

export interface Action {
  id: number;
  title: string;
  description: string;
  prevention: 'social' | 'situational';
  horizon: 'event' | 'long_term';
  owner: Ref | null;
  partners: Ref[];
  areas: Ref[];
  places: PlaceRef[];
  problems: number[];
  meeting: number | null;
  decision: number | null;
  start: string;
  end: string;
  follow_up: string;
  overdue: boolean;
  status: ActionStatus;
  cost: number | null;
  indicator: string;
  baseline: number | null;
  result: string;
  version: number;
  /** Chosen comparison areas for the evaluation (empty: proposed by the system). */
  controls?: Ref[];
  indicator_categories?: Ref[];
  created_at?: string;
  updated_at?: string;
}

export interface ActionInput {
  version?: number;
  title?: string;
  description?: string;
  prevention?: string;
  horizon?: string;
  owner?: string;
  partners?: string[];
  areas?: string[];
  places?: string[];
  problems?: number[];
  meeting?: number;
  decision?: number;
  start?: string;
  end?: string;
  follow_up?: string;
  status?: ActionStatus;
  cost?: number;
  indicator?: string;
  indicator_categories?: string[];
  result?: string;
  controls?: string[];
}

export interface ProblemItem {
  id: number;
  title: string;
  description: string;
  status: 'open' | 'monitored' | 'closed';
  areas: Ref[];
  places: PlaceRef[];
  categories: Ref[];
  reports: number[];
  version: number;
  created_at?: string;
  updated_at?: string;
}

export interface ProblemInput {
  version?: number;
  title?: string;
  description?: string;
  status?: ProblemItem['status'];
  areas?: string[];
  places?: string[];
  categories?: string[];
  reports?: number[];
}

/** A before or after period of an evaluation. */
export interface EvalPeriod {
  from: string;
  to: string;
  days: number;
  label: string;
  label_sv?: string;
}

export interface Wdd {
  estimate: number;
  variance: number;
  se: number;
  ci_low: number;
  ci_high: number;
  z: number;
  p: number;
}

export interface Wdq {
  wdq: number | null;
  gross_effect?: number;
  net_effect?: number;
  success_measure?: number;
  buffer_measure?: number;
  total_net_effect?: number;
}

/** GET /actions/{id}/evaluation: before/after against comparison areas (verdict and caveats in Swedish). */
export interface Evaluation {
  before: EvalPeriod;
  after: EvalPeriod;
  treated: Ref[];
  controls: Ref[];
  controls_proposed: boolean;
  buffer: Ref[];
  counts: {
    treated_before: number;
    treated_after: number;
    control_before: number;
    control_after: number;
    buffer_before: number;
    buffer_after: number;
  };
  wdd: Wdd;
  wdq: Wdq | null;
  preliminary: boolean;
  verdict: string;
  caveats: string[];
}

export type DocumentKind = 'weekly' | 'analysis' | 'annual' | 'municipality' | 'statutory';
export type DocumentFormat = 'pdf' | 'xlsx' | 'csv';

export interface DocumentRequest {
  kind: DocumentKind;
  period?: string;
  year?: number;
  org?: string;
}

/** A published (frozen, versioned) document. */
export interface PublishedDocument {
  id: number;
  kind: DocumentKind;
  period: string;
  org: string;
  version: number;
  published_at: string;
  published_by: string;
  /** only in the POST answer */
  title?: string;
}

export interface AgendaChange {
  area: Ref | null;
  category: Ref | null;
  count: number;
  previous: number;
  last_year: number;
  against: 'previous' | 'last_year';
  signal: string;
  p: number;
}

export interface AgendaHotspot {
  ix: number;
  iy: number;
  count: number;
  local_sum: number;
  gi_star: number;
  lon: number;
  lat: number;
  area: Ref | null;
}

export interface Agenda {
  period: PeriodInfo;
  total: number;
  total_previous: number;
  coverage_share: number;
  changes: AgendaChange[];
  hotspots: AgendaHotspot[];
  open_actions: Action[];
  open_problems: ProblemItem[];
  silent: { org: Ref | null; areas: (Ref | null)[] }[];
}

export const workApi = {
  meetings: () => api.get<{ items: Meeting[] }>('/meetings').then((r) => r.items),
  meeting: (id: number) => api.get<Meeting>(`/meetings/${id}`),
  createMeeting: (m: MeetingInput) => api.post<Meeting>('/meetings', m),
  updateMeeting: (id: number, m: MeetingInput) => api.patch<Meeting>(`/meetings/${id}`, m),
  agenda: (period: string) => api.get<Agenda>('/agenda', { period }),
  actions: (query?: { status?: string; owner?: string }) =>
    api.get<{ items: Action[] }>('/actions', query).then((r) => r.items),
  createAction: (a: ActionInput) => api.post<Action>('/actions', a),
  updateAction: (id: number, a: ActionInput) => api.patch<Action>(`/actions/${id}`, a),
  problems: (status?: string) => api.get<{ items: ProblemItem[] }>('/problems', { status }).then((r) => r.items),
  problem: (id: number) => api.get<ProblemItem>(`/problems/${id}`),
  createProblem: (p: ProblemInput) => api.post<ProblemItem>('/problems', p),
  updateProblem: (id: number, p: ProblemInput) => api.patch<ProblemItem>(`/problems/${id}`, p),
  action: (id: number) => api.get<Action>(`/actions/${id}`),
  evaluation: (id: number) => api.get<Evaluation>(`/actions/${id}/evaluation`),
  documents: () => api.get<{ items: PublishedDocument[] }>('/documents').then((r) => r.items),
  publishDocument: (d: DocumentRequest) => api.post<PublishedDocument>('/documents', d),
};

/** The address of a draft document (built from today's figures); a plain link downloads it. */
export function draftUrl(d: DocumentRequest, format: DocumentFormat): string {
  const q = new URLSearchParams({ kind: d.kind });
  if (d.period) q.set('period', d.period);
  if (d.year) q.set('year', String(d.year));
  if (d.org) q.set('org', d.org);
  q.set('format', format);
  return `/api/v1/documents/draft?${q.toString()}`;
}

/** The address of a published document in one format. */
export function documentUrl(id: number, format: DocumentFormat): string {
  return `/api/v1/documents/${id}?format=${format}`;
}

/** The meeting form's state → the PATCH body: codes, trimmed decisions, and the version. */
export function meetingBody(
  m: Pick<Meeting, 'held_on' | 'period' | 'title' | 'minutes' | 'version'> & {
    attendees: string[];
    focus_areas: string[];
    focus_places: string[];
    decisions: { number?: number; text: string; owner: string }[];
  },
): MeetingInput {
  return {
    version: m.version,
    held_on: m.held_on,
    period: m.period,
    title: m.title,
    minutes: m.minutes,
    attendees: m.attendees,
    focus_areas: m.focus_areas,
    focus_places: m.focus_places,
    decisions: m.decisions
      .filter((d) => d.number !== undefined || d.text.trim() !== '')
      .map((d) => ({ ...(d.number !== undefined ? { number: d.number } : {}), text: d.text.trim(), ...(d.owner ? { owner: d.owner } : {}) })),
  };
}
