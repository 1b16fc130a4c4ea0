// Client for the Trygghet page: /safety, /surveys, /surveys/import, /vulnerable-areas and /goal.
// Same transport as api.ts (session cookie, CSRF header, problem+json → ApiError).
import { api, type Query } from '../api';

export interface AreaRef {
  code: string;
  name: string;
}

/** The server's class text (Swedish), or "" when the area has no survey value for the year. */
export type SafetyClass = 'båda höga' | 'hög otrygghet, låg brottslighet' | 'låg otrygghet, hög brottslighet' | 'inom normalvariation' | '' | string;

export interface SafetyRow {
  area: AreaRef | null;
  incidents: number;
  rate: number | null; // per 1000 inhabitants
  z_incident: number;
  survey: number | null;
  n: number | null;
  z_survey: number | null;
  class: SafetyClass;
}

export interface Safety {
  year: number;
  indicator: string;
  source: string;
  indicators: string[];
  rows: SafetyRow[];
}

export interface SurveyItem {
  area: AreaRef | null;
  indicator: string;
  period: string;
  source: string;
  value: number;
  n: number | null;
}

export interface VulnerableArea {
  id: number;
  year: number;
  code: string;
  name: string;
  category: string; // "Utsatt område" / "Särskilt utsatt område"
  level: number; // 1 utsatt, 2 särskilt utsatt
  since: string;
  area_m2: number;
  share_inside: number;
  area: AreaRef | null;
}

export interface GoalCount {
  year: number;
  count: number;
  sakerhet: number;
  trygghet: number;
  partial: boolean;
}

export interface GoalArea extends VulnerableArea {
  years_listed: number[];
  counts: GoalCount[];
  trend: 'ökning' | 'minskning' | '' | string;
  surveys: Omit<SurveyItem, 'area'>[];
}

export interface Goal {
  goal: string;
  latest_year: number;
  years_left: number;
  areas: GoalArea[];
}

export interface SurveyImportResult {
  rows: number;
  inserted: number;
}

export interface PoliceImportResult {
  year: number;
  items: VulnerableArea[];
  outside: string[];
}

export const trygghetApi = {
  safety(q: Query) {
    return api.get<Safety>('/safety', q);
  },
  surveys() {
    return api.get<{ items: SurveyItem[] }>('/surveys').then((r) => r.items);
  },
  /** All or nothing: a file with one bad row imports nothing (400 lists every bad row). */
  importSurveys(csv: string | Blob) {
    return api.upload<SurveyImportResult>('/surveys/import', csv, 'text/csv; charset=utf-8');
  },
  vulnerableGeoJSON() {
    return api.get<GeoJSON.FeatureCollection<GeoJSON.Geometry, VulnerableArea>>('/vulnerable-areas', { format: 'geojson' });
  },
  /** Replaces the list of that year. */
  importPoliceList(geojson: string | Blob, year: number) {
    return api.upload<PoliceImportResult>('/vulnerable-areas', geojson, 'application/geo+json', { year });
  },
  goal() {
    return api.get<Goal>('/goal');
  },
};
