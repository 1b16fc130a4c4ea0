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
  problems: () => api.get<{ items: ProblemItem[] }>('/problems').then((r) => r.items),
};

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
