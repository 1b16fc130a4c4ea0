import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, type NewReport, type Report } from '../src/api';
import { newSourceId, ReportQueue, type KVStorage } from '../src/queue';

function memory(): KVStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const report = (desc: string): NewReport => ({
  occurred_from: '2026-11-25T10:00:00+01:00',
  location: { lon: 17.95, lat: 59.43 },
  category: 'klotter',
  description: desc,
});

/** A fake server that is idempotent on source_id, like est. */
function server() {
  const stored = new Map<string, Report>();
  let nextId = 1;
  let online = true;
  const send = async (r: NewReport): Promise<Report> => {
    if (!online) throw new NetworkError();
    if (r.category === 'okänd') {
      throw new ApiError({ status: 400, title: 'Ogiltig indata', errors: [{ field: 'category', reason: 'okänd kategori' }] });
    }
    const existing = stored.get(r.source_id!);
    if (existing) return existing;
    const rep = { id: nextId++, source_id: r.source_id } as Report;
    stored.set(r.source_id!, rep);
    return rep;
  };
  return { stored, send, setOnline: (v: boolean) => (online = v) };
}

describe('ReportQueue', () => {
  it('gives every report a source_id and persists it', () => {
    const s = memory();
    const q = new ReportQueue(s);
    const item = q.add(report('a'));
    expect(item.source_id).toMatch(/^web-/);
    expect(item.report.source_id).toBe(item.source_id);
    expect(new ReportQueue(s).list()).toHaveLength(1); // survives a reload
  });

  it('keeps reports while offline and sends them when back, in order', async () => {
    const srv = server();
    const q = new ReportQueue(memory());
    q.add(report('a'));
    q.add(report('b'));
    srv.setOnline(false);
    const r1 = await q.flush(srv.send);
    expect(r1.offline).toBe(true);
    expect(r1.remaining).toBe(2);
    expect(q.list()[0].attempts).toBe(1);
    srv.setOnline(true);
    const r2 = await q.flush(srv.send);
    expect(r2.sent.map((r) => r.id)).toEqual([1, 2]);
    expect(r2.remaining).toBe(0);
  });

  it('never duplicates: re-sending after a lost answer returns the same report', async () => {
    const srv = server();
    const s = memory();
    const q = new ReportQueue(s);
    const item = q.add(report('a'));
    await srv.send(item.report); // delivered, but the answer was "lost": the item is still queued
    const r = await q.flush(srv.send);
    expect(r.sent).toHaveLength(1);
    expect(srv.stored.size).toBe(1);
    // adding the same report (same source_id) again replaces rather than appends
    q.add(item.report);
    q.add(item.report);
    expect(q.size).toBe(1);
  });

  it('keeps an invalid report with its reasons and goes on with the rest', async () => {
    const srv = server();
    const q = new ReportQueue(memory());
    q.add({ ...report('bad'), category: 'okänd' });
    q.add(report('good'));
    const r = await q.flush(srv.send);
    expect(r.sent).toHaveLength(1);
    expect(r.failed[0].errors).toEqual({ category: 'okänd kategori' });
    expect(q.list()).toHaveLength(1);
    expect(q.list()[0].errors).toEqual({ category: 'okänd kategori' });
    // it is not re-sent automatically; the user fixes or removes it
    const again = await q.flush(srv.send);
    expect(again.sent).toHaveLength(0);
    q.remove(q.list()[0].source_id);
    expect(q.size).toBe(0);
  });

  it('stops without marking the item on 401 or server errors', async () => {
    const q = new ReportQueue(memory());
    q.add(report('a'));
    const r = await q.flush(async () => {
      throw new ApiError({ status: 401, title: 'Ej inloggad' });
    });
    expect(r.remaining).toBe(1);
    expect(q.list()[0].errors).toBeUndefined();
  });

  it('one flush at a time', async () => {
    const srv = server();
    const q = new ReportQueue(memory());
    q.add(report('a'));
    const [a, b] = await Promise.all([q.flush(srv.send), q.flush(srv.send)]);
    expect(a).toBe(b);
    expect(srv.stored.size).toBe(1);
  });

  it('survives corrupt storage', () => {
    const s = memory();
    s.setItem('est.queue.v1', '{not json');
    expect(new ReportQueue(s).list()).toEqual([]);
  });

  it('makes source ids without randomUUID too', () => {
    const id = newSourceId({ getRandomValues: (b: Uint8Array) => b.fill(171) } as unknown as Crypto);
    expect(id).toBe(`web-${'ab'.repeat(16)}`);
    expect(newSourceId()).not.toBe(newSourceId());
  });
});
