import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, NetworkError, type NewReport, type Report } from '../src/api';
import {
  candidateQuery,
  distanceMeters,
  duplicateCandidates,
  fmtDistance,
  hoursApart,
  parseReportId,
} from '../src/components/duplicates';
import { chooseLabels, geometryArea, type LabelBox } from '../src/components/labels';
import { loadBatch, saveBatch, sendBatch, type BatchItem } from '../src/components/batch';
import { ReportQueue, type KVStorage } from '../src/queue';

const OWNER = { user_id: 3, login: 'rapportor.hem', org: 'sollentunahem' };

const base: Report = {
  id: 1,
  org: 'sollentunahem',
  occurred_from: '2026-11-24T12:00:00+01:00',
  occurred_to: null,
  reported_at: '2026-11-24T12:05:00+01:00',
  location: { lat: 59.4318, lon: 17.944 },
  area: { code: 'tureberg', name: 'Tureberg' },
  place: null,
  category: 'klotter',
  category_name: 'Klotter',
  dimension: 'säkerhet',
  severity: 1,
  count: 1,
  certainty: 'observed',
  police_notified: false,
  description: '',
  source: 'form',
  source_id: null,
  status: 'new',
  version: 1,
};
const rep = (o: Partial<Report>): Report => ({ ...base, ...o });
/** A point `m` metres north of the base report. */
const north = (m: number) => ({ lat: 59.4318 + m / 111_195, lon: 17.944 });

describe('distance and time', () => {
  it('measures metres on the ground', () => {
    expect(distanceMeters(north(0), north(500))).toBeCloseTo(500, 0);
    // one degree of longitude at 59.43° N is about 56.6 km
    expect(distanceMeters({ lat: 59.43, lon: 17 }, { lat: 59.43, lon: 18 }) / 1000).toBeCloseTo(56.6, 0);
  });
  it('counts hours between times, 0 when intervals overlap', () => {
    expect(hoursApart(base, rep({ occurred_from: '2026-11-24T15:00:00+01:00' }))).toBe(3);
    expect(hoursApart(rep({ occurred_to: '2026-11-24T18:00:00+01:00' }), rep({ occurred_from: '2026-11-24T17:00:00+01:00' }))).toBe(0);
    expect(hoursApart(base, rep({ occurred_from: 'nonsense' }))).toBe(Infinity);
  });
});

describe('duplicateCandidates', () => {
  const me = rep({ id: 10 });
  it('keeps same-category reports within 500 m and 3 days, nearest first', () => {
    const others = [
      rep({ id: 11, location: north(300), occurred_from: '2026-11-24T13:00:00+01:00' }),
      rep({ id: 12, location: north(50), occurred_from: '2026-11-24T12:30:00+01:00' }),
      rep({ id: 13, location: north(600) }), // too far
      rep({ id: 14, location: north(10), occurred_from: '2026-11-28T12:00:00+01:00' }), // 4 days later
      rep({ id: 15, location: north(10), category: 'nedskrapning' }), // other category
      rep({ id: 16, location: north(10), status: 'rejected' }), // not an original
      rep({ id: 17, location: north(10), status: 'duplicate' }),
      rep({ id: 18, location: north(20), status: 'reviewed', occurred_from: '2026-11-21T13:00:00+01:00' }), // 71 h before
      me, // itself
    ];
    const c = duplicateCandidates(me, others);
    expect(c.map((x) => x.report.id)).toEqual([12, 11, 18]);
    expect(c[0].meters).toBeCloseTo(50, 0);
    expect(c[0].hours).toBeCloseTo(0.5, 5);
  });
  it('takes its limits from the options and drops duplicates of the same id', () => {
    const others = [rep({ id: 2, location: north(800) }), rep({ id: 2, location: north(800) })];
    expect(duplicateCandidates(me, others)).toEqual([]);
    expect(duplicateCandidates(me, others, { maxMeters: 1000 }).map((x) => x.report.id)).toEqual([2]);
  });
  it('needs a location to compare', () => {
    expect(duplicateCandidates(rep({ id: 3, location: {} }), [rep({ id: 4 })])).toEqual([]);
    expect(duplicateCandidates(me, [rep({ id: 4, location: {} })])).toEqual([]);
  });
  it('ties go to the older report', () => {
    const c = duplicateCandidates(me, [rep({ id: 9, location: north(100) }), rep({ id: 5, location: north(100) })]);
    expect(c.map((x) => x.report.id)).toEqual([5, 9]);
  });
});

describe('candidateQuery', () => {
  const tz = process.env.TZ;
  beforeEach(() => {
    process.env.TZ = 'Europe/Stockholm';
  });
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });
  it('asks for the category and local days ±3', () => {
    expect(candidateQuery(base)).toEqual({ category: 'klotter', from: '2026-11-21', to: '2026-11-27', limit: 500 });
    expect(candidateQuery(rep({ occurred_to: '2026-11-25T12:00:00+01:00' }), 1)).toMatchObject({ from: '2026-11-23', to: '2026-11-26' });
  });
});

describe('parseReportId and fmtDistance', () => {
  it('reads ids the way people type them', () => {
    expect(parseReportId('123')).toBe(123);
    expect(parseReportId(' #123 ')).toBe(123);
    expect(parseReportId('nr 77')).toBe(77);
    expect(parseReportId('12a')).toBeNull();
    expect(parseReportId('0')).toBeNull();
    expect(parseReportId('')).toBeNull();
  });
  it('formats metres and kilometres', () => {
    expect(fmtDistance(34)).toBe('30 m');
    expect(fmtDistance(3)).toBe('3 m');
    expect(fmtDistance(1234)).toBe('1,2 km');
    expect(fmtDistance(1234, 'en')).toBe('1.2 km');
  });
});

describe('chooseLabels', () => {
  const box = (id: string, x: number, y: number, priority: number, w = 60, h = 14): LabelBox => ({ id, x, y, w, h, priority });
  it('hides the smaller area’s label when two would overlap', () => {
    const shown = chooseLabels([box('big', 0, 0, 10), box('small', 30, 5, 1), box('far', 200, 0, 0.5)]);
    expect([...shown].sort()).toEqual(['big', 'far']);
  });
  it('keeps a gap of `pad` pixels', () => {
    expect(chooseLabels([box('a', 0, 0, 2), box('b', 62, 0, 1)], 3).size).toBe(1);
    expect(chooseLabels([box('a', 0, 0, 2), box('b', 64, 0, 1)], 3).size).toBe(2);
  });
  it('hides labels that stick out of the map', () => {
    expect([...chooseLabels([box('in', 10, 10, 1), box('out', 350, 10, 5)], 3, { w: 390, h: 300 })]).toEqual(['in']);
  });
  it('ranks by polygon area', () => {
    const sq = (s: number): GeoJSON.Polygon => ({ type: 'Polygon', coordinates: [[[0, 0], [s, 0], [s, s], [0, s], [0, 0]]] });
    expect(geometryArea(sq(2))).toBe(4);
    expect(geometryArea({ type: 'MultiPolygon', coordinates: [sq(1).coordinates, sq(2).coordinates] })).toBe(5);
    expect(geometryArea({ type: 'Point', coordinates: [0, 0] })).toBe(0);
  });
});

function memory(): KVStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const event = (id: string, category = 'klotter'): BatchItem => ({
  source_id: id,
  report: { occurred_from: '2026-11-25T10:00:00+01:00', location: { lon: 17.95, lat: 59.43 }, category, description: id },
});

/** Idempotent on source_id, like est; can be taken offline after n sends. */
function server(offlineAfter = Infinity) {
  const stored = new Map<string, Report>();
  let calls = 0;
  const send = async (r: NewReport): Promise<Report> => {
    if (calls++ >= offlineAfter) throw new NetworkError();
    if (r.category === 'okänd') throw new ApiError({ status: 400, errors: [{ field: 'category', reason: 'okänd kategori' }] });
    if (r.category === 'trasig') throw new ApiError({ status: 503 });
    const have = stored.get(r.source_id!);
    if (have) return have;
    const made = { ...base, id: stored.size + 1, source_id: r.source_id! };
    stored.set(r.source_id!, made);
    return made;
  };
  return { stored, send, goOnline: () => (offlineAfter = Infinity) };
}

describe('several events in one report', () => {
  it('keeps the batch in storage and survives bad data', () => {
    const s = memory();
    expect(loadBatch(s)).toEqual([]);
    saveBatch(s, [event('a'), event('b')]);
    expect(loadBatch(s).map((x) => x.source_id)).toEqual(['a', 'b']);
    s.setItem('est.batch.v1', '{not json');
    expect(loadBatch(s)).toEqual([]);
    s.setItem('est.batch.v1', JSON.stringify([{ nope: 1 }, event('c')]));
    expect(loadBatch(s).map((x) => x.source_id)).toEqual(['c']);
  });

  it('sends every event as its own report and empties the queue', async () => {
    const q = new ReportQueue(memory());
    const srv = server();
    const r = await sendBatch([event('a'), event('b'), event('c')], q, srv.send, OWNER);
    expect(r.sent.map((x) => x.source_id)).toEqual(['a', 'b', 'c']);
    expect(r.queued).toEqual([]);
    expect(q.size).toBe(0);
    expect(srv.stored.size).toBe(3);
  });

  it('offline half-way: the rest wait in the queue and a later flush sends each exactly once', async () => {
    const q = new ReportQueue(memory());
    const srv = server(1);
    const r = await sendBatch([event('a'), event('b'), event('c')], q, srv.send, OWNER);
    expect(r.offline).toBe(true);
    expect(r.sent.map((x) => x.source_id)).toEqual(['a']);
    expect(r.queued).toEqual(['b', 'c']);
    expect(q.list().map((i) => i.source_id)).toEqual(['b', 'c']);
    srv.goOnline();
    await q.flush(srv.send, OWNER);
    await q.flush(srv.send, OWNER);
    expect(q.size).toBe(0);
    expect([...srv.stored.keys()].sort()).toEqual(['a', 'b', 'c']);
  });

  it('a refused event comes back with its reasons and leaves the queue; the others go', async () => {
    const q = new ReportQueue(memory());
    const srv = server();
    const r = await sendBatch([event('a'), event('x', 'okänd'), event('c')], q, srv.send, OWNER);
    expect(r.sent.map((x) => x.source_id)).toEqual(['a', 'c']);
    expect(r.invalid).toEqual([{ source_id: 'x', errors: { category: 'okänd kategori' } }]);
    expect(q.size).toBe(0);
  });

  it('server trouble stops and keeps the rest queued', async () => {
    const q = new ReportQueue(memory());
    const srv = server();
    const r = await sendBatch([event('a'), event('t', 'trasig'), event('c')], q, srv.send, OWNER);
    expect(r.offline).toBe(false);
    expect(r.sent.map((x) => x.source_id)).toEqual(['a']);
    expect(r.queued).toEqual(['t', 'c']);
    expect(q.list().map((i) => i.source_id)).toEqual(['t', 'c']);
  });

  it('sending the same batch again never duplicates', async () => {
    const q = new ReportQueue(memory());
    const srv = server();
    await sendBatch([event('a'), event('b')], q, srv.send, OWNER);
    const again = await sendBatch([event('a'), event('b')], q, srv.send, OWNER);
    expect(again.sent.map((x) => x.report.id)).toEqual([1, 2]);
    expect(srv.stored.size).toBe(2);
  });
});
