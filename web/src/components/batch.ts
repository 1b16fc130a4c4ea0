// Several events in one report: the reporter collects events in a batch (kept in localStorage
// so nothing typed is lost), then sends them together. Each event is its own POST /reports
// with its own source_id and goes through the offline queue first, so a lost answer or a
// closed page never loses or duplicates an event (the server is idempotent on source_id).
import { ApiError, NetworkError, type NewReport, type Report } from '../api';
import type { KVStorage, QueueOwner, ReportQueue } from '../queue';

export const BATCH_KEY = 'est.batch.v1';

/** The batch of one user: a batch is as personal as the queue (another user must not send it). */
export function batchKeyFor(userId: number): string {
  return `${BATCH_KEY}.u${userId}`;
}

export interface BatchItem<D = unknown> {
  source_id: string;
  report: NewReport;
  /** What the form needs to edit the event again. */
  draft?: D;
  /** Reasons the server gave (field → reason) when the event was refused. */
  errors?: Record<string, string>;
}

export function loadBatch<D>(s: KVStorage, key = BATCH_KEY): BatchItem<D>[] {
  try {
    const raw = s.getItem(key);
    const v = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(v) ? (v as BatchItem<D>[]).filter((x) => x && typeof x.source_id === 'string' && x.report) : [];
  } catch {
    return [];
  }
}

export function saveBatch<D>(s: KVStorage, items: BatchItem<D>[], key = BATCH_KEY): void {
  s.setItem(key, JSON.stringify(items));
}

export interface BatchResult {
  sent: { source_id: string; report: Report }[];
  /** Refused by the server (400 …): taken out of the queue, back to the reporter with reasons. */
  invalid: { source_id: string; errors: Record<string, string> }[];
  /** Left in the offline queue (no network, or the server could not take them now). */
  queued: string[];
  offline: boolean;
}

function refused(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status >= 400 && e.status < 500 && ![401, 403, 408, 429].includes(e.status);
}

/**
 * Queues every event first, then sends them one by one in order. A network error stops
 * (the rest wait in the queue and go out automatically later); a refused event is taken out of
 * the queue and returned with its reasons; other trouble (auth, 5xx) also stops and leaves the
 * rest queued.
 */
export async function sendBatch(items: BatchItem[], queue: ReportQueue, send: (r: NewReport) => Promise<Report>, owner: QueueOwner): Promise<BatchResult> {
  const res: BatchResult = { sent: [], invalid: [], queued: [], offline: false };
  for (const it of items) queue.add({ ...it.report, source_id: it.source_id }, owner);
  let stopped = false;
  for (const it of items) {
    if (stopped) {
      res.queued.push(it.source_id);
      continue;
    }
    try {
      const r = await send({ ...it.report, source_id: it.source_id });
      queue.remove(it.source_id);
      res.sent.push({ source_id: it.source_id, report: r });
    } catch (e) {
      if (refused(e)) {
        queue.remove(it.source_id);
        const errors = e.fields;
        if (!Object.keys(errors).length) errors[''] = e.message;
        res.invalid.push({ source_id: it.source_id, errors });
        continue;
      }
      if (e instanceof NetworkError) res.offline = true;
      res.queued.push(it.source_id);
      stopped = true;
    }
  }
  return res;
}
