import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, type NewReport, type Report } from '../src/api';
import { newSourceId, ReportQueue, type KVStorage, type QueueOwner } from '../src/queue';

const HEM: QueueOwner = { user_id: 7, login: 'rapportor.hem', org: 'sollentunahem' };
const POLIS: QueueOwner = { user_id: 8, login: 'rapportor.polis', org: 'polis-lpo' };

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
    const item = q.add(report('a'), HEM);
    expect(item.source_id).toMatch(/^web-/);
    expect(item.report.source_id).toBe(item.source_id);
    expect(new ReportQueue(s).list()).toHaveLength(1); // survives a reload
  });

  it('keeps reports while offline and sends them when back, in order', async () => {
    const srv = server();
    const q = new ReportQueue(memory());
    q.add(report('a'), HEM);
    q.add(report('b'), HEM);
    srv.setOnline(false);
    const r1 = await q.flush(srv.send, HEM);
    expect(r1.offline).toBe(true);
    expect(r1.remaining).toBe(2);
    expect(q.list()[0].attempts).toBe(1);
    srv.setOnline(true);
    const r2 = await q.flush(srv.send, HEM);
    expect(r2.sent.map((r) => r.id)).toEqual([1, 2]);
    expect(r2.remaining).toBe(0);
  });

  it('never duplicates: re-sending after a lost answer returns the same report', async () => {
    const srv = server();
    const s = memory();
    const q = new ReportQueue(s);
    const item = q.add(report('a'), HEM);
    await srv.send(item.report); // delivered, but the answer was "lost": the item is still queued
    const r = await q.flush(srv.send, HEM);
    expect(r.sent).toHaveLength(1);
    expect(srv.stored.size).toBe(1);
    // adding the same report (same source_id) again replaces rather than appends
    q.add(item.report, HEM);
    q.add(item.report, HEM);
    expect(q.size).toBe(1);
  });

  it('keeps an invalid report with its reasons and goes on with the rest', async () => {
    const srv = server();
    const q = new ReportQueue(memory());
    q.add({ ...report('bad'), category: 'okänd' }, HEM);
    q.add(report('good'), HEM);
    const r = await q.flush(srv.send, HEM);
    expect(r.sent).toHaveLength(1);
    expect(r.failed[0].errors).toEqual({ category: 'okänd kategori' });
    expect(q.list()).toHaveLength(1);
    expect(q.list()[0].errors).toEqual({ category: 'okänd kategori' });
    // it is not re-sent automatically; the user fixes or removes it
    const again = await q.flush(srv.send, HEM);
    expect(again.sent).toHaveLength(0);
    q.remove(q.list()[0].source_id);
    expect(q.size).toBe(0);
  });

  it('stops without marking the item on 401 or server errors', async () => {
    const q = new ReportQueue(memory());
    q.add(report('a'), HEM);
    const r = await q.flush(async () => {
      throw new ApiError({ status: 401, title: 'Ej inloggad' });
    }, HEM);
    expect(r.remaining).toBe(1);
    expect(q.list()[0].errors).toBeUndefined();
  });

  it('one flush at a time', async () => {
    const srv = server();
    const q = new ReportQueue(memory());
    q.add(report('a'), HEM);
    const [a, b] = await Promise.all([q.flush(srv.send, HEM), q.flush(srv.send, HEM)]);
    expect(a).toBe(b);
    expect(srv.stored.size).toBe(1);
  });

  it("never sends another user's reports: they wait for their owner", async () => {
    const srv = server();
    const s = memory();
    const q = new ReportQueue(s);
    q.add(report('hem'), HEM);
    const asPolis = await q.flush(srv.send, POLIS);
    expect(asPolis.sent).toHaveLength(0);
    expect(asPolis.remaining).toBe(0);
    expect(srv.stored.size).toBe(0);
    expect(q.others(POLIS).map((i) => i.owner?.login)).toEqual(['rapportor.hem']);
    expect(q.mine(POLIS)).toEqual([]);
    // the same user in another organisation is another owner too
    expect((await q.flush(srv.send, { ...HEM, org: 'polis-lpo' })).sent).toHaveLength(0);
    const asHem = await q.flush(srv.send, HEM);
    expect(asHem.sent).toHaveLength(1);
    expect(q.size).toBe(0);
  });

  it('items without an owner (an older version) are never sent', async () => {
    const srv = server();
    const s = memory();
    s.setItem('est.queue.v1', JSON.stringify([{ source_id: 'web-old', report: { ...report('old'), source_id: 'web-old' }, queued_at: '', attempts: 0 }]));
    const q = new ReportQueue(s);
    expect((await q.flush(srv.send, HEM)).sent).toHaveLength(0);
    expect(q.others(HEM)).toHaveLength(1);
  });

  it('stops when the session changes during a flush', async () => {
    const srv = server();
    const q = new ReportQueue(memory());
    q.add(report('a'), HEM);
    q.add(report('b'), HEM);
    let session: QueueOwner = HEM;
    const r = await q.flush(async (rep) => {
      const out = await srv.send(rep);
      session = POLIS; // logged out and another user logged in while the answer was awaited
      return out;
    }, HEM, () => session === HEM);
    expect(r.sent).toHaveLength(1);
    expect(q.mine(HEM)).toHaveLength(1);
  });

  it("a flush for another owner waits for the running one and sends only its own", async () => {
    const srv = server();
    const q = new ReportQueue(memory());
    q.add(report('hem'), HEM);
    q.add(report('polis'), POLIS);
    const [a, b] = await Promise.all([q.flush(srv.send, HEM), q.flush(srv.send, POLIS)]);
    expect(a.sent).toHaveLength(1);
    expect(b.sent).toHaveLength(1);
    expect(q.size).toBe(0);
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
