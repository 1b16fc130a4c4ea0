// Pure helpers for the review queue: which reports could be the original of a suspected
// duplicate (same category, close in time and place), and how to ask the API for them.
// GET /api/v1/reports filters by category and local days only, so distance and hours are
// checked here.
import type { Query, Report, Status } from '../api';
import { ymd } from '../period';

export const DUP_MAX_METERS = 500;
export const DUP_MAX_DAYS = 3;

export interface LatLon {
  lat: number;
  lon: number;
}

/** Great-circle distance in metres (haversine; plenty for a few kilometres). */
export function distanceMeters(a: LatLon, b: LatLon): number {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(s)));
}

function ms(iso: string | null | undefined): number {
  if (!iso) return NaN;
  return new Date(iso).getTime();
}

/** Hours between two reports' times; 0 when their intervals overlap. */
export function hoursApart(a: Pick<Report, 'occurred_from' | 'occurred_to'>, b: Pick<Report, 'occurred_from' | 'occurred_to'>): number {
  const a0 = ms(a.occurred_from);
  const a1 = Number.isFinite(ms(a.occurred_to)) ? ms(a.occurred_to) : a0;
  const b0 = ms(b.occurred_from);
  const b1 = Number.isFinite(ms(b.occurred_to)) ? ms(b.occurred_to) : b0;
  if (![a0, a1, b0, b1].every(Number.isFinite)) return Infinity;
  const gap = Math.max(0, Math.max(a0, b0) - Math.min(a1, b1));
  return gap / 3_600_000;
}

function point(r: Pick<Report, 'location'>): LatLon | null {
  const { lat, lon } = r.location ?? {};
  return typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : null;
}

/** The GET /reports query that covers every possible original of `r` (local days ±maxDays). */
export function candidateQuery(r: Pick<Report, 'category' | 'occurred_from' | 'occurred_to'>, maxDays = DUP_MAX_DAYS): Query {
  const from = new Date(r.occurred_from);
  const to = new Date(r.occurred_to ?? r.occurred_from);
  from.setDate(from.getDate() - maxDays);
  to.setDate(to.getDate() + maxDays);
  return { category: r.category, from: ymd(from), to: ymd(to), limit: 500 };
}

export interface Candidate {
  report: Report;
  meters: number;
  hours: number;
}

export interface CandidateOptions {
  maxMeters?: number;
  maxDays?: number;
  /** Statuses that can be an original; a duplicate or rejected report is not offered. */
  statuses?: Status[];
  limit?: number;
}

/**
 * Other reports of the same category within maxDays and maxMeters of `r`, nearest first
 * (distance and time weighed equally against their limits; ties: the older report first).
 */
export function duplicateCandidates(r: Report, others: Report[], o: CandidateOptions = {}): Candidate[] {
  const maxMeters = o.maxMeters ?? DUP_MAX_METERS;
  const maxHours = (o.maxDays ?? DUP_MAX_DAYS) * 24;
  const statuses = o.statuses ?? ['new', 'reviewed'];
  const here = point(r);
  if (!here) return [];
  const out: Candidate[] = [];
  const seen = new Set<number>();
  for (const x of others) {
    if (x.id === r.id || seen.has(x.id) || x.category !== r.category || !statuses.includes(x.status)) continue;
    const p = point(x);
    if (!p) continue;
    const meters = distanceMeters(here, p);
    const hours = hoursApart(r, x);
    if (meters > maxMeters || hours > maxHours) continue;
    seen.add(x.id);
    out.push({ report: x, meters, hours });
  }
  const score = (c: Candidate) => c.meters / maxMeters + c.hours / maxHours;
  out.sort((a, b) => score(a) - score(b) || a.report.id - b.report.id);
  return out.slice(0, o.limit ?? 20);
}

/** A report id typed by a person: "123", "#123", " nr 123 " → 123; anything else → null. */
export function parseReportId(s: string): number | null {
  const m = /^\s*(?:nr\.?\s*|#\s*)?(\d{1,15})\s*$/i.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** "120 m", "1,2 km" */
export function fmtDistance(m: number, lang: 'sv' | 'en' = 'sv'): string {
  if (m < 1000) return `${Math.round(m / 10) * 10 || Math.round(m)} m`;
  const km = (m / 1000).toFixed(1);
  return `${lang === 'sv' ? km.replace('.', ',') : km} km`;
}
