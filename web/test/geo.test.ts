import { describe, expect, it } from 'vitest';
import { interiorPoint, pointInGeometry, sweref99tmToWgs84 } from '../src/geo';

describe('geo', () => {
  it('SWEREF 99 TM → WGS84 matches the server (PROJ) to < 1 m', () => {
    // from GET /api/v1/reports in the demo: x 663223.24, y 6593783.51 ↔ lon 17.879325, lat 59.450798
    const [lon, lat] = sweref99tmToWgs84(663223.24, 6593783.51);
    expect(lon).toBeCloseTo(17.879325, 5);
    expect(lat).toBeCloseTo(59.450798, 5);
  });

  it('finds a point inside a concave polygon', () => {
    // a U shape: the bbox centre (2, 2) is outside
    const u: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [3, 4], [3, 1], [1, 1], [1, 4], [0, 4], [0, 0]]] };
    expect(pointInGeometry(2, 2, u)).toBe(false);
    const p = interiorPoint(u)!;
    expect(pointInGeometry(p[0], p[1], u)).toBe(true);
  });
});
