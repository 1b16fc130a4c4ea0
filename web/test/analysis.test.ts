import { describe, expect, it } from 'vitest';
import {
  binConfidence,
  countBins,
  emergingColor,
  emergingEnd,
  emergingLegend,
  heatBreaks,
  heatClass,
  heatColor,
  HEAT_RAMP,
  drawnBin,
  hotspotColor,
  normalRange,
  periodEnd,
  priorityPeriod,
  seriesSummary,
  shadeBreaks,
  shadeClass,
  weekNumber,
} from '../src/analysis';

const NOW = new Date(2026, 10, 25, 12, 0); // Wed 25 Nov 2026, ISO week 48

describe('Gi* hotspot colours', () => {
  it('colours +3 dark red, +2 red, +1 orange and −1..−3 blues; 0 is not drawn', () => {
    expect(hotspotColor(3)).toBe('#99000d');
    expect(hotspotColor(2)).toBe('#e31a1c');
    expect(hotspotColor(1)).toBe('#fd8d3c');
    expect(hotspotColor(-1)).toBe('#9ecae1');
    expect(hotspotColor(-3)).toBe('#08519c');
    expect(hotspotColor(0)).toBeNull();
    expect(hotspotColor(4)).toBeNull();
    expect(hotspotColor(1.5)).toBeNull();
  });
  it('maps bins to confidence and counts the drawn bins', () => {
    expect([3, 2, 1, 0, -2].map(binConfidence)).toEqual([99, 95, 90, null, 95]);
    const m = countBins([0, 0, 3, 3, 2, -1, 7]);
    expect([...m.entries()].sort()).toEqual([[-1, 1], [2, 1], [3, 2]]);
  });
});

describe('KDE heat ramp', () => {
  it('uses square-root breaks ending at the maximum', () => {
    const b = heatBreaks(49);
    expect(b).toHaveLength(HEAT_RAMP.length);
    expect(b[0]).toBeCloseTo(1);
    expect(b[6]).toBeCloseTo(49);
    expect(heatBreaks(0)).toEqual([]);
  });
  it('puts densities into classes consistent with the breaks; faint cells are not drawn', () => {
    expect(heatClass(49, 49)).toBe(6);
    expect(heatClass(1, 49)).toBe(0);
    expect(heatClass(1.01, 49)).toBe(1);
    expect(heatClass(0.2, 49)).toBe(-1); // < 1 % of max
    expect(heatClass(0, 49)).toBe(-1);
    expect(heatClass(5, 0)).toBe(-1);
    expect(heatColor(49, 49)).toBe(HEAT_RAMP[6]);
    expect(heatColor(0, 49)).toBeNull();
    const breaks = heatBreaks(72.2);
    for (const d of [0.9, 3, 10, 25, 50, 72.2]) {
      const i = heatClass(d, 72.2);
      expect(d).toBeLessThanOrEqual(breaks[i] + 1e-9);
      if (i > 0) expect(d).toBeGreaterThan(breaks[i - 1]);
    }
  });
});

describe('emerging hotspots', () => {
  it('colours known patterns and lists only the present ones, in a fixed order', () => {
    expect(emergingColor('persistent_hot_spot')).toBeTruthy();
    expect(emergingColor('no_pattern_detected')).toBeNull();
    const l = emergingLegend([
      { label: 'sporadic_hot_spot', name: 'Sporadisk hotspot' },
      { label: 'new_hot_spot', name: 'Ny hotspot' },
      { label: 'sporadic_hot_spot', name: 'Sporadisk hotspot' },
      { label: 'no_pattern_detected', name: 'Inget mönster' },
    ]);
    expect(l.map((x) => [x.label, x.cells])).toEqual([
      ['new_hot_spot', 1],
      ['sporadic_hot_spot', 2],
    ]);
  });
});

describe('profile shade classes', () => {
  it('gives 0 its own class and spreads the rest over shade-1 … shade-7', () => {
    expect(shadeClass(0, 10)).toBe('shade-0');
    expect(shadeClass(5, 0)).toBe('shade-0');
    expect(shadeClass(0.01, 10)).toBe('shade-1');
    expect(shadeClass(10, 10)).toBe('shade-7');
    expect(shadeClass(12, 10)).toBe('shade-7');
    expect(shadeClass(5, 10)).toBe('shade-4');
    const seen = new Set(Array.from({ length: 101 }, (_, i) => shadeClass(i / 10, 10)));
    expect(seen.size).toBe(8);
  });
  it('legend breaks agree with the classes', () => {
    const b = shadeBreaks(14);
    expect(b).toHaveLength(7);
    for (const x of b) {
      expect(shadeClass(x.to, 14)).toBe(x.cls);
      expect(shadeClass(x.from + 0.001, 14)).toBe(x.cls);
    }
  });
});

describe('series summary', () => {
  const base = { weeks: 12, mean: 58.5, lower: 40.6, upper: 77.4, above: false, below: false };
  it('reads like "Vecka 47: 65 rapporter, normalt intervall 40–78."', () => {
    expect(seriesSummary({ week: '2026-W47', count: 65 }, base, 'sv')).toBe('Vecka 47: 65 rapporter, normalt intervall 40–78.');
    expect(seriesSummary({ week: '2026-W47', count: 65 }, base, 'en')).toBe('Week 47: 65 reports, normal range 40–78.');
  });
  it('says when the week is above/below normal or still running, and handles no baseline', () => {
    expect(seriesSummary({ week: '2026-W05', count: 90 }, { ...base, above: true }, 'sv')).toBe(
      'Vecka 5: 90 rapporter, normalt intervall 40–78 – över det normala.',
    );
    expect(seriesSummary({ week: '2026-W48', count: 1 }, { ...base, below: true }, 'sv', true)).toBe(
      'Vecka 48: 1 rapport, normalt intervall 40–78 – under det normala (veckan pågår).',
    );
    expect(seriesSummary({ week: '2026-W48', count: 3 }, null, 'sv')).toBe('Vecka 48: 3 rapporter.');
    expect(seriesSummary(undefined, null, 'sv')).toBe('Inga veckor att visa.');
  });
  it('never gives a negative lower bound', () => {
    expect(normalRange({ lower: -2.3, upper: 4.2 })).toEqual([0, 5]);
    expect(weekNumber('2026-W07')).toBe(7);
  });
});

describe('periods for the analysis endpoints', () => {
  it('finds the last day of every period kind', () => {
    expect(periodEnd('2026-W47')).toBe('2026-11-22');
    expect(periodEnd('2026-W01')).toBe('2026-01-04');
    expect(periodEnd('2026-02')).toBe('2026-02-28');
    expect(periodEnd('2026-T2')).toBe('2026-08-31');
    expect(periodEnd('2026-Q1')).toBe('2026-03-31');
    expect(periodEnd('2025')).toBe('2025-12-31');
    expect(periodEnd('', '2026-03-10')).toBe('2026-03-10');
    expect(periodEnd('', '')).toBeNull();
  });
  it('ends /emerging with the period’s last week, never in the future', () => {
    expect(emergingEnd('2026-10', '', NOW)).toBe('2026-W44');
    // Never the running week (W48 on Wed 25 Nov): its bin would be partial.
    expect(emergingEnd('2026-11', '', NOW)).toBe('2026-W47');
    expect(emergingEnd('2026-T3', '', NOW)).toBe('2026-W47');
    expect(emergingEnd('2025', '', NOW)).toBe('2026-W01'); // 31 Dec 2025 is in ISO week 2026-W01
    expect(emergingEnd('', '2026-06-03', NOW)).toBe('2026-W23');
  });
  it('offers the priority ranking for tertials and quarters', () => {
    expect(['week', 'month', 'tertial', 'quarter', 'year', 'custom'].filter(priorityPeriod)).toEqual(['tertial', 'quarter']);
  });
});

describe('hotspot cells drawn by default', () => {
  it('draws only FDR-significant cells, classed by the adjusted p', () => {
    // An uncorrected 99 % bin that does not survive the FDR is not drawn.
    expect(drawnBin({ bin: 3, p_fdr: 0.2, gi_star: 3.1 })).toBe(0);
    expect(drawnBin({ bin: 3, p_fdr: 0.004, gi_star: 4.2 })).toBe(3);
    expect(drawnBin({ bin: 2, p_fdr: 0.03, gi_star: 3.0 })).toBe(2);
    expect(drawnBin({ bin: -3, p_fdr: 0.001, gi_star: -4 })).toBe(-3);
    expect(drawnBin({ bin: -2, p_fdr: 0.05, gi_star: -3 })).toBe(-2);
    expect(drawnBin({ bin: 0, p_fdr: 1, gi_star: 0 })).toBe(0);
    expect(drawnBin({ bin: 1, p_fdr: Number.NaN, gi_star: 1.7 })).toBe(0);
  });
  it('draws Esri bins as they are in the expert mode', () => {
    expect(drawnBin({ bin: 1, p_fdr: 0.9, gi_star: 1.7 }, true)).toBe(1);
    expect(drawnBin({ bin: -3, p_fdr: 0.9, gi_star: -3 }, true)).toBe(-3);
    expect(drawnBin({ bin: 7, p_fdr: 0, gi_star: 9 }, true)).toBe(0);
  });
});
