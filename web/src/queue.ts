// Offline queue for reports. Every report gets a client-generated source_id before it is
// queued; the server is idempotent on (organisation, source_id), so re-sending after a lost
// answer never creates a duplicate. Items stay in storage until the server has accepted them
// (200/201) or the user removes them; invalid items are kept with the reasons so nothing the
// user typed is lost.
import { ApiError, NetworkError, type NewReport, type Report } from './api';

export interface KVStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface QueueItem {
  source_id: string;
  report: NewReport;
  queued_at: string;
  attempts: number;
  /** Validation reasons from the server (field → reason); the item waits for the user. */
  errors?: Record<string, string>;
}

export interface FlushResult {
  sent: Report[];
  failed: QueueItem[];
  offline: boolean;
  remaining: number;
}

export const QUEUE_KEY = 'est.queue.v1';

export function newSourceId(rand: Crypto | undefined = globalThis.crypto): string {
  if (rand && typeof rand.randomUUID === 'function') {
    try {
      return `web-${rand.randomUUID()}`;
    } catch {
      /* not a secure context */
    }
  }
  const b = new Uint8Array(16);
  if (rand?.getRandomValues) rand.getRandomValues(b);
  else for (let i = 0; i < b.length; i++) b[i] = Math.floor(Math.random() * 256);
  return `web-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

export class ReportQueue {
  private flushing: Promise<FlushResult> | null = null;
  constructor(
    private readonly storage: KVStorage,
    private readonly key = QUEUE_KEY,
  ) {}

  list(): QueueItem[] {
    try {
      const raw = this.storage.getItem(this.key);
      const v = raw ? (JSON.parse(raw) as unknown) : [];
      return Array.isArray(v) ? (v as QueueItem[]) : [];
    } catch {
      return [];
    }
  }

  private save(items: QueueItem[]): void {
    this.storage.setItem(this.key, JSON.stringify(items));
  }

  /** Adds (or replaces, same source_id) a report; the report gets its source_id here if it has none. */
  add(report: NewReport, now = new Date()): QueueItem {
    const source_id = report.source_id ?? newSourceId();
    const item: QueueItem = { source_id, report: { ...report, source_id }, queued_at: now.toISOString(), attempts: 0 };
    const items = this.list().filter((i) => i.source_id !== source_id);
    items.push(item);
    this.save(items);
    return item;
  }

  remove(source_id: string): void {
    this.save(this.list().filter((i) => i.source_id !== source_id));
  }

  get size(): number {
    return this.list().length;
  }

  /**
   * Sends the queued reports in order. Stops at the first network error (still offline);
   * a 4xx other than 401/403/429 marks the item with its reasons and goes on; 401/403/429 and
   * 5xx stop without touching the item (try later).
   */
  flush(send: (r: NewReport) => Promise<Report>): Promise<FlushResult> {
    if (this.flushing) return this.flushing;
    this.flushing = this.doFlush(send).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async doFlush(send: (r: NewReport) => Promise<Report>): Promise<FlushResult> {
    const sent: Report[] = [];
    const failed: QueueItem[] = [];
    let offline = false;
    for (const item of this.list()) {
      if (item.errors) continue; // waits for the user to fix or remove it
      try {
        const r = await send(item.report);
        sent.push(r);
        this.remove(item.source_id);
      } catch (e) {
        if (e instanceof NetworkError) {
          this.bump(item.source_id);
          offline = true;
          break;
        }
        if (e instanceof ApiError && e.status >= 400 && e.status < 500 && ![401, 403, 408, 429].includes(e.status)) {
          const errors = e.fields;
          if (Object.keys(errors).length === 0) errors[''] = e.message;
          this.update(item.source_id, { errors, attempts: item.attempts + 1 });
          failed.push({ ...item, errors });
          continue;
        }
        this.bump(item.source_id);
        break; // auth or server trouble: try again later
      }
    }
    return { sent, failed, offline, remaining: this.size };
  }

  private update(source_id: string, patch: Partial<QueueItem>): void {
    this.save(this.list().map((i) => (i.source_id === source_id ? { ...i, ...patch } : i)));
  }
  private bump(source_id: string): void {
    const it = this.list().find((i) => i.source_id === source_id);
    if (it) this.update(source_id, { attempts: it.attempts + 1 });
  }
}

/** localStorage, or an in-memory stand-in when storage is blocked. */
export function browserStorage(): KVStorage {
  try {
    const s = globalThis.localStorage;
    const probe = '__est_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
  }
}
