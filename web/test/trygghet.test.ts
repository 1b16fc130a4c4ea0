import { afterEach, describe, expect, it } from 'vitest';
import { lang } from '../src/i18n';
import {
  CLASS_ORDER,
  CLASS_STYLE,
  classFill,
  classKey,
  classLabel,
  classLegend,
  defaultYear,
  describeImportError,
  goalChartSummary,
  goalSeries,
  goalSurveys,
  importErrors,
  indicatorLabel,
  parseYear,
  periodYear,
  trendSentence,
  trendYears,
  trygghetQuery,
  vulnerableKind,
  yearOptions,
} from '../src/pages/trygghet-logic';
import type { GoalCount, SurveyItem } from '../src/pages/trygghet-api';

afterEach(() => {
  lang.value = 'sv';
});

describe('class mapping', () => {
  it('maps every server class text to a key', () => {
    expect(classKey('båda höga')).toBe('both');
    expect(classKey('hög otrygghet, låg brottslighet')).toBe('fear');
    expect(classKey('låg otrygghet, hög brottslighet')).toBe('crime');
    expect(classKey('inom normalvariation')).toBe('normal');
    expect(classKey('')).toBe('none');
    expect(classKey(null)).toBe('none');
  });

  it('tolerates case and spacing, and treats unknown texts as unclassed', () => {
    expect(classKey('  Båda  höga ')).toBe('both');
    expect(classKey('Inom normal variation')).toBe('normal');
    expect(classKey('något nytt')).toBe('none');
  });

  it('gives Swedish labels first and English when chosen', () => {
    expect(classLabel('both')).toBe('Båda höga');
    expect(classLabel('fear')).toBe('Hög otrygghet, låg brottslighet');
    expect(classLabel('none')).toBe('Enkät saknas');
    lang.value = 'en';
    expect(classLabel('crime')).toBe('Low fear, high crime');
  });

  it('does not rest on colour alone: every class but "normal" has its own pattern', () => {
    const patterns = CLASS_ORDER.map((k) => CLASS_STYLE[k].pattern);
    expect(new Set(patterns).size).toBe(CLASS_ORDER.length);
    expect(classFill('both')).toBe('url(#tryg-pat-both)');
    expect(classFill('normal')).toBe(CLASS_STYLE.normal.color);
    for (const k of CLASS_ORDER) {
      if (CLASS_STYLE[k].pattern !== 'plain') expect(CLASS_STYLE[k].ink).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('builds the legend in a fixed order with counts and a plain explanation', () => {
    const legend = classLegend(['båda höga', 'inom normalvariation', 'inom normalvariation', '', 'låg otrygghet, hög brottslighet']);
    expect(legend.map((e) => e.key)).toEqual(['both', 'fear', 'crime', 'normal', 'none']);
    expect(legend.map((e) => e.count)).toEqual([1, 0, 1, 2, 1]);
    expect(legend[0].help).toMatch(/betydligt högre än i kommunen/);
    expect(legend[1].help).toMatch(/otrygga/);
  });
});

describe('indicators and years', () => {
  const items = [{ period: '2024' }, { period: '2025-T1' }, { period: '2025' }, { period: '2031' }, { period: 'x' }];

  it('names known indicators and keeps unknown codes readable', () => {
    expect(indicatorLabel('andel_otrygga')).toBe('Andel otrygga (%)');
    expect(indicatorLabel('problemindex')).toBe('Problemindex');
    expect(indicatorLabel('oro_for_inbrott')).toBe('oro for inbrott');
  });

  it('reads the year of a period', () => {
    expect(periodYear('2025')).toBe(2025);
    expect(periodYear('2025-11')).toBe(2025);
    expect(periodYear('T1')).toBeNull();
  });

  it('offers every survey year, this year and the chosen one, newest first', () => {
    expect(yearOptions(items, 2026)).toEqual([2031, 2026, 2025, 2024]);
    expect(yearOptions([], 2026, 2019)).toEqual([2026, 2019]);
  });

  it('opens on the latest year with survey results, not a future one', () => {
    expect(defaultYear(items, 2026)).toBe(2025);
    expect(defaultYear([], 2026)).toBe(2026);
  });

  it('reads a typed year', () => {
    expect(parseYear(' 2025 ')).toBe(2025);
    expect(parseYear('25')).toBeNull();
    expect(parseYear('1999')).toBeNull();
    expect(parseYear('2025a')).toBeNull();
  });

  it('keeps part, year and indicator in the address', () => {
    expect(trygghetQuery({ del: 'sakerhet', year: 2025, indicator: 'andel_otrygga' })).toBe('year=2025&indicator=andel_otrygga');
    expect(trygghetQuery({ del: 'mal', year: null, indicator: '' })).toBe('del=mal');
  });
});

describe('import errors (problem+json)', () => {
  it('turns row and column fields into Swedish lines', () => {
    expect(describeImportError('rad 3, kolumn area', 'okänt område "Atlantis"')).toEqual({
      row: 3,
      column: 'area',
      text: 'Rad 3, kolumnen area: okänt område "Atlantis"',
    });
    expect(describeImportError('rad 7', 'har 4 fält')).toEqual({ row: 7, text: 'Rad 7: har 4 fält' });
    expect(describeImportError('kolumn value', 'saknas i rubrikraden').text).toBe('Rubrikraden, kolumnen value: saknas i rubrikraden');
  });

  it('describes GeoJSON features counted from 1', () => {
    expect(describeImportError('features[2] (Tureberg).KATEGORI', 'okänt värde').text).toBe('Område 3 i filen (Tureberg), KATEGORI: okänt värde');
    expect(describeImportError('features[0]', 'saknar geometri').text).toBe('Område 1 i filen: saknar geometri');
    expect(describeImportError('geojson', 'ogiltig JSON').text).toBe('ogiltig JSON');
    expect(describeImportError('Content-Type', 'måste vara text/csv').text).toBe('Content-Type: måste vara text/csv');
  });

  it('sorts the lines in file order and keeps form fields apart', () => {
    const e = importErrors(
      {
        status: 400,
        detail: 'Enkätfilen har fel; ingenting importerades (3 fel)',
        errors: [
          { field: 'rad 5, kolumn value', reason: 'måste vara ett tal ("x")' },
          { field: 'year', reason: 'saknas' },
          { field: 'rad 3, kolumn area', reason: 'okänt område "Atlantis"' },
          { field: 'rad 3, kolumn n', reason: 'måste vara ett heltal ≥ 0' },
        ],
      },
      ['year'],
    );
    expect(e.summary).toBe('Enkätfilen har fel; ingenting importerades (3 fel)');
    expect(e.fields).toEqual({ year: 'saknas' });
    expect(e.lines.map((l) => l.text)).toEqual([
      'Rad 3, kolumnen area: okänt område "Atlantis"',
      'Rad 3, kolumnen n: måste vara ett heltal ≥ 0',
      'Rad 5, kolumnen value: måste vara ett tal ("x")',
    ]);
  });

  it('falls back to the title or status without a detail', () => {
    expect(importErrors({ status: 415, title: 'Unsupported Media Type' }).summary).toBe('Unsupported Media Type');
    expect(importErrors({ status: 500 }).summary).toBe('HTTP 500');
  });

  it('speaks English when chosen', () => {
    lang.value = 'en';
    expect(describeImportError('rad 3, kolumn area', 'okänt område').text).toBe('Row 3, column area: okänt område');
  });
});

describe('the 2030 goal', () => {
  const counts: GoalCount[] = [
    { year: 2023, count: 3, sakerhet: 2, trygghet: 1, partial: false },
    { year: 2024, count: 80, sakerhet: 65, trygghet: 15, partial: false },
    { year: 2025, count: 70, sakerhet: 55, trygghet: 15, partial: false },
    { year: 2026, count: 61, sakerhet: 50, trygghet: 11, partial: true },
  ];

  it('compares the last two full years, as the server does', () => {
    expect(trendYears(counts)?.map((c) => c.year)).toEqual([2024, 2025]);
    expect(trendYears(counts.slice(0, 2))).toBeNull();
  });

  it('says the trend in words with the counts', () => {
    expect(trendSentence({ counts, trend: '' })).toBe('Ingen säker förändring: 80 rapporter 2024 och 70 rapporter 2025 ligger inom normal variation.');
    expect(trendSentence({ counts, trend: 'minskning' })).toMatch(/^Minskning: rapporterna minskade från 2024 \(80\) till 2025 \(70\)/);
    expect(trendSentence({ counts, trend: 'ökning' })).toMatch(/^Ökning/);
    expect(trendSentence({ counts: counts.slice(0, 1), trend: '' })).toMatch(/För få år/);
  });

  it('builds chart series with the running year marked', () => {
    const s = goalSeries(counts);
    expect(s.labels).toEqual(['2023', '2024', '2025', '2026 (hittills)']);
    expect(s.sakerhet).toEqual([2, 65, 55, 50]);
    expect(s.trygghet).toEqual([1, 15, 15, 11]);
    expect(goalChartSummary(counts.slice(0, 1))).toBe('2023: 3 (2 säkerhet, 1 trygghet)');
  });

  it('falls back to the enclosing district’s survey values when the listed area has none', () => {
    const all: SurveyItem[] = [
      { area: { code: 'tureberg', name: 'Tureberg' }, indicator: 'andel_otrygga', period: '2024', source: 'P', value: 32.9, n: 404 },
      { area: { code: 'tureberg', name: 'Tureberg' }, indicator: 'andel_otrygga', period: '2025', source: 'P', value: 31, n: 404 },
      { area: { code: 'viby', name: 'Viby' }, indicator: 'andel_otrygga', period: '2025', source: 'P', value: 9, n: 316 },
    ];
    const areas = [
      { code: '0163', name: 'Sollentuna kommun', parent: null },
      { code: 'tureberg', name: 'Tureberg', parent: '0163' },
      { code: '531330', name: 'Tureberg', parent: 'tureberg' },
    ];
    const g = goalSurveys({ surveys: [], area: { code: '531330', name: 'Tureberg' } }, all, areas);
    expect(g.from).toBe('parent');
    expect(g.parentName).toBe('Tureberg');
    expect(g.rows.map((r) => r.period)).toEqual(['2025', '2024']);
    const own = goalSurveys({ surveys: [{ indicator: 'x', period: '2025', source: 'S', value: 1, n: null }], area: null }, all, areas);
    expect(own.from).toBe('own');
    expect(goalSurveys({ surveys: [], area: null }, all, areas).from).toBe('none');
  });

  it('tells the police categories apart', () => {
    expect(vulnerableKind(1)).toBe('utsatt');
    expect(vulnerableKind(2)).toBe('sarskilt');
  });
});
