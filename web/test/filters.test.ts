import { describe, expect, it } from 'vitest';
import { defaultFilters, filtersToQuery, parseFilters, serializeFilters } from '../src/filters';
import { currentPeriod, isoWeek, kindOf, periodLabel, shiftPeriod } from '../src/period';
import { parseHash } from '../src/router';

const NOW = new Date(2026, 10, 25, 12, 0); // Wed 25 Nov 2026, ISO week 48

describe('URL filters', () => {
  it('defaults to the last complete ISO week', () => {
    expect(parseFilters('', NOW)).toEqual(defaultFilters(NOW));
    // The last complete week (the running one is a click away).
    expect(defaultFilters(NOW).period).toBe('2026-W47');
  });

  it('reads every filter and round-trips', () => {
    const f = parseFilters('?period=2026-Q3&area=tureberg&category=klotter&org=polis-lpo&dimension=s%C3%A4kerhet', NOW);
    expect(f).toMatchObject({ kind: 'quarter', period: '2026-Q3', area: 'tureberg', category: 'klotter', org: 'polis-lpo', dimension: 'säkerhet' });
    expect(parseFilters(serializeFilters(f), NOW)).toEqual(f);
  });

  it('police=false leaves the police events out, and round-trips', () => {
    const f = parseFilters('?period=2026-W34&police=false', NOW);
    expect(f.police).toBe('false');
    expect(filtersToQuery(f)).toEqual({ period: '2026-W34', police: 'false' });
    expect(parseFilters(serializeFilters(f), NOW)).toEqual(f);
    expect(parseFilters('?police=kanske', NOW).police).toBe('');
  });

  it('custom periods use from/to', () => {
    const f = parseFilters('from=2026-11-01&to=2026-11-20&period=2026-W48', NOW);
    expect(f.kind).toBe('custom');
    expect(filtersToQuery(f)).toEqual({ from: '2026-11-01', to: '2026-11-20' });
  });

  it('ignores malformed values', () => {
    const f = parseFilters('period=nonsense&from=2026-11-20&to=2026-11-01&area=%3Cscript%3E&dimension=x', NOW);
    expect(f).toEqual(defaultFilters(NOW));
  });

  it('kind without period means the last complete period of that kind', () => {
    expect(parseFilters('kind=month', NOW).period).toBe('2026-10');
    expect(parseFilters('kind=tertial', NOW).period).toBe('2026-T2');
  });

  it('leaves empty filters out of the query', () => {
    expect(filtersToQuery(defaultFilters(NOW))).toEqual({ period: '2026-W47' });
    expect(serializeFilters({ ...defaultFilters(NOW), area: 'viby' })).toBe('period=2026-W47&area=viby');
  });
});

describe('periods', () => {
  it('ISO weeks at year boundaries', () => {
    expect(isoWeek(new Date(2026, 0, 1))).toEqual([2026, 1]); // Thursday
    expect(isoWeek(new Date(2027, 0, 1))).toEqual([2026, 53]); // Friday, 2026 has 53 weeks
    expect(isoWeek(new Date(2024, 11, 30))).toEqual([2025, 1]);
  });

  it('current periods of every kind', () => {
    expect(['week', 'month', 'tertial', 'quarter', 'year'].map((k) => currentPeriod(k as never, NOW))).toEqual([
      '2026-W48', '2026-11', '2026-T3', '2026-Q4', '2026',
    ]);
  });

  it('steps across boundaries', () => {
    expect(shiftPeriod('2026-W53', 1)).toBe('2027-W01');
    expect(shiftPeriod('2027-W01', -1)).toBe('2026-W53');
    expect(shiftPeriod('2026-01', -1)).toBe('2025-12');
    expect(shiftPeriod('2026-T1', -1)).toBe('2025-T3');
    expect(shiftPeriod('2026-Q4', 1)).toBe('2027-Q1');
    expect(shiftPeriod('2026', -1)).toBe('2025');
    expect(kindOf('2026-11-01..2026-11-20')).toBeNull();
  });

  it('labels', () => {
    expect(periodLabel('2026-W07', 'sv')).toBe('vecka 7 2026');
    expect(periodLabel('2026-Q4', 'en')).toBe('quarter 4 2026');
  });
});

describe('hash routes', () => {
  it('splits path and query', () => {
    expect(parseHash('#/lagesbild?period=2026-W48&area=viby')).toEqual({ path: '/lagesbild', query: 'period=2026-W48&area=viby' });
    expect(parseHash('')).toEqual({ path: '/', query: '' });
    expect(parseHash('#granskning')).toEqual({ path: '/granskning', query: '' });
  });
});

describe('running periods', () => {
  it('tells the running (or a later) period from a complete one', async () => {
    const { isRunningOrLater, lastCompletePeriod } = await import('../src/period');
    expect(isRunningOrLater('2026-W48', NOW)).toBe(true);
    expect(isRunningOrLater('2026-W49', NOW)).toBe(true);
    expect(isRunningOrLater('2026-W47', NOW)).toBe(false);
    expect(isRunningOrLater('2026-11', NOW)).toBe(true);
    expect(isRunningOrLater('2026-10', NOW)).toBe(false);
    expect(lastCompletePeriod('year', NOW)).toBe('2025');
    expect(lastCompletePeriod('week', new Date(2026, 0, 2))).toBe('2025-W52'); // Fri 2 Jan 2026 is in 2026-W01
  });
});
