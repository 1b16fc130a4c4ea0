import { describe, expect, it } from 'vitest';
import { defaultDocForm, docRequest, docTitle, lastTertial, lastWeek, normPeriod, stepPeriod, yearChoices } from '../src/pages/documents-logic';
import { documentUrl, draftUrl } from '../src/work-api';

const now = new Date(2026, 10, 25, 12); // Wednesday 25 November 2026, ISO week 48

describe('defaults', () => {
  it('offers last week, the last complete tertial and this year', () => {
    expect(lastWeek(now)).toBe('2026-W47');
    expect(lastWeek(new Date(2026, 0, 2))).toBe('2025-W52'); // 2 Jan 2026 is in 2026-W01
    expect(lastTertial(now)).toBe('2026-T2');
    expect(lastTertial(new Date(2026, 1, 1))).toBe('2025-T3');
    expect(defaultDocForm(now, 'bun')).toEqual({ kind: 'weekly', week: '2026-W47', tertial: '2026-T2', year: '2026', org: 'bun' });
    expect(yearChoices(now)).toEqual(['2026', '2025', '2024', '2023', '2022', '2021', '2020']);
  });
});

describe('the form → the request', () => {
  const f = defaultDocForm(now);
  it.each([
    [{ kind: 'weekly' }, { kind: 'weekly', period: '2026-W47' }],
    [{ kind: 'weekly', week: '2026-w5' }, null],
    [{ kind: 'weekly', week: ' 2026 w05 ' }, { kind: 'weekly', period: '2026-W05' }],
    [{ kind: 'analysis' }, { kind: 'analysis', period: '2026-T2' }],
    [{ kind: 'analysis', tertial: '2026-q4' }, { kind: 'analysis', period: '2026-Q4' }],
    [{ kind: 'analysis', tertial: '2026-T4' }, null],
    [{ kind: 'annual' }, null],
    [{ kind: 'annual', org: 'bun', year: '2025' }, { kind: 'annual', org: 'bun', year: 2025 }],
    [{ kind: 'municipality' }, { kind: 'municipality', year: 2026 }],
    [{ kind: 'statutory', year: '2025' }, { kind: 'statutory', year: 2025 }],
  ] as const)('%j → %j', (patch, req) => {
    expect(docRequest({ ...f, ...patch }).req).toEqual(req);
  });

  it('names the field to correct', () => {
    expect(docRequest({ ...f, week: 'vecka 47' }).errors).toEqual({ week: 'badWeek' });
    expect(docRequest({ ...f, kind: 'analysis', tertial: '' }).errors).toEqual({ tertial: 'badTertial' });
    expect(docRequest({ ...f, kind: 'annual', org: '' }).errors).toEqual({ org: 'orgRequired' });
    expect(docRequest({ ...f, kind: 'statutory', year: 'x' }).errors).toEqual({ year: 'badYear' });
  });

  it('normalises and steps periods', () => {
    expect(normPeriod('2026w47')).toBe('2026-W47');
    expect(normPeriod('2026 t3')).toBe('2026-T3');
    expect(stepPeriod('2026-W01', -1)).toBe('2025-W52');
    expect(stepPeriod('2027-W01', -1)).toBe('2026-W53'); // 2026 has 53 ISO weeks
    expect(stepPeriod('2026-T1', -1)).toBe('2025-T3');
    expect(stepPeriod('2026-W47', 1)).toBe('2026-W48');
    expect(stepPeriod('skräp', 1)).toBe('skräp');
  });
});

describe('addresses', () => {
  it('builds the draft link with only the fields of the kind', () => {
    expect(draftUrl({ kind: 'weekly', period: '2026-W47' }, 'pdf')).toBe('/api/v1/documents/draft?kind=weekly&period=2026-W47&format=pdf');
    expect(draftUrl({ kind: 'annual', org: 'bun', year: 2025 }, 'xlsx')).toBe('/api/v1/documents/draft?kind=annual&year=2025&org=bun&format=xlsx');
    expect(documentUrl(7, 'csv')).toBe('/api/v1/documents/7?format=csv');
  });
});

describe('titles of published documents', () => {
  const sv = {
    weekly: 'Lägesbild {0}',
    analysis: 'Analys {0}',
    annual: 'Trygghetsarbetet {0} – {1}',
    municipality: 'Kommunens sammanställning {0}',
    statutory: 'Lägesbild och åtgärdsplan {0}',
  };
  const org = (c: string) => (c === 'bun' ? 'Barn- och ungdomsnämnden' : c);
  it.each([
    [{ kind: 'weekly', period: '2026-W46', org: '' }, 'Lägesbild vecka 46 2026'],
    [{ kind: 'analysis', period: '2026-T2', org: '' }, 'Analys tertial 2 2026'],
    [{ kind: 'annual', period: '2025', org: 'bun' }, 'Trygghetsarbetet 2025 – Barn- och ungdomsnämnden'],
    [{ kind: 'statutory', period: '2025', org: '' }, 'Lägesbild och åtgärdsplan 2025'],
    [{ kind: 'municipality', period: '2025', org: '' }, 'Kommunens sammanställning 2025'],
  ])('%j → %s', (d, title) => {
    expect(docTitle(d, sv, org, 'sv')).toBe(title);
  });
});
