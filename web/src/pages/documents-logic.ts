// Pure helpers of the documents page: defaults per kind (last week, last complete tertial, this
// year), the form → the API request with checks, and a readable title of a published document.
// Tested in test/documents.test.ts.
import { currentPeriod, periodLabel, shiftPeriod, weekLabel } from '../period';
import type { DocumentKind, DocumentRequest } from '../work-api';

export const DOC_KINDS: DocumentKind[] = ['weekly', 'analysis', 'annual', 'municipality', 'statutory'];

export interface DocForm {
  kind: DocumentKind;
  week: string;
  tertial: string;
  year: string;
  org: string;
}

export function lastWeek(now = new Date()): string {
  return shiftPeriod(weekLabel(now), -1);
}

/** The last tertial that has ended (jan–apr, maj–aug, sep–dec). */
export function lastTertial(now = new Date()): string {
  return shiftPeriod(currentPeriod('tertial', now), -1);
}

export function defaultDocForm(now = new Date(), org = ''): DocForm {
  return { kind: 'weekly', week: lastWeek(now), tertial: lastTertial(now), year: String(now.getFullYear()), org };
}

/** Years to choose from: this year and the six before. */
export function yearChoices(now = new Date()): string[] {
  const y = now.getFullYear();
  return Array.from({ length: 7 }, (_, i) => String(y - i));
}

const WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;
const TERTIAL = /^\d{4}-(T[1-3]|Q[1-4])$/;

/** Normalises what was typed: "2026-w47" → "2026-W47", "2026 t3" → "2026-T3". */
export function normPeriod(s: string): string {
  return s.trim().toUpperCase().replace(/\s+/g, '-').replace(/^(\d{4})-?([WTQ])/, '$1-$2');
}

/**
 * The form → the request for its kind. Errors name the form field ("week", "tertial", "year",
 * "org") with a text key.
 */
export function docRequest(f: DocForm): { req: DocumentRequest | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let req: DocumentRequest | null = null;
  const year = Number(f.year);
  const yearOk = Number.isInteger(year) && year >= 2000 && year <= 2100;
  switch (f.kind) {
    case 'weekly': {
      const p = normPeriod(f.week);
      if (!WEEK.test(p)) errors.week = 'badWeek';
      else req = { kind: 'weekly', period: p };
      break;
    }
    case 'analysis': {
      const p = normPeriod(f.tertial);
      if (!TERTIAL.test(p)) errors.tertial = 'badTertial';
      else req = { kind: 'analysis', period: p };
      break;
    }
    case 'annual':
      if (!f.org) errors.org = 'orgRequired';
      if (!yearOk) errors.year = 'badYear';
      if (f.org && yearOk) req = { kind: 'annual', org: f.org, year };
      break;
    default:
      if (!yearOk) errors.year = 'badYear';
      else req = { kind: f.kind, year };
  }
  return { req, errors };
}

/** Steps the week or tertial field; leaves text it cannot read as it is. */
export function stepPeriod(p: string, steps: number): string {
  const n = normPeriod(p);
  return WEEK.test(n) || TERTIAL.test(n) ? shiftPeriod(n, steps) : p;
}

export interface DocTitleTexts {
  weekly: string; // "Lägesbild {0}"
  analysis: string;
  annual: string; // "Trygghetsarbetet {0} – {1}"
  municipality: string;
  statutory: string;
}

/** "Lägesbild vecka 46 2026", "Trygghetsarbetet 2025 – Barn- och ungdomsnämnden", … */
export function docTitle(
  d: { kind: string; period: string; org: string },
  texts: DocTitleTexts,
  orgName: (code: string) => string,
  lang: 'sv' | 'en',
): string {
  const fill = (s: string, ...a: string[]) => s.replace(/\{(\d+)\}/g, (_, i) => a[Number(i)] ?? '');
  switch (d.kind) {
    case 'weekly':
      return fill(texts.weekly, periodLabel(d.period, lang));
    case 'analysis':
      return fill(texts.analysis, periodLabel(d.period, lang));
    case 'annual':
      return fill(texts.annual, d.period, d.org ? orgName(d.org) : '');
    case 'municipality':
      return fill(texts.municipality, d.period);
    case 'statutory':
      return fill(texts.statutory, d.period);
    default:
      return `${d.kind} ${d.period}`;
  }
}
