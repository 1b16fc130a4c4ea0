// Offline queue for reports. Every report gets a client-generated source_id before it is
// queued; the server is idempotent on (organisation, source_id), so re-sending after a lost
// answer never creates a duplicate. Items stay in storage until the server has accepted them
// (200/201) or the user removes them; invalid items are kept with the reasons so nothing the
// user typed is lost.
//
// The storage belongs to the device, not the user: every item carries its owner (user id, login,
// organisation) and is only ever sent in a session of that same user and organisation. Another
// user on the same phone sees the items as waiting for their owner and may discard them, never
// send them. Items queued before owners were recorded have none and are never sent.
import { ApiError, NetworkError, type NewReport, type Report } from './api';

export interface KVStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Whose report it is: only a session of this user in this organisation may send it. */
export interface QueueOwner {
  user_id: number;
  login: string;
  org: string | null;
}

export function ownerOf(u: { id: number; login: string; org: string | null }): QueueOwner {
  return { user_id: u.id, login: u.login, org: u.org };
}

/** True when both are given and name the same user and organisation. */
export function sameOwner(a: QueueOwner | null | undefined, b: QueueOwner | null | undefined): boolean {
  return !!a && !!b && a.user_id === b.user_id && (a.org ?? null) === (b.org ?? null);
}

export interface QueueItem {
  source_id: string;
  report: NewReport;
  /** Absent only on items queued by an older version: those are never sent. */
  owner?: QueueOwner;
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
  private flushingFor: QueueOwner | null = null;
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

  /** Adds (or replaces, same source_id) `owner`'s report; the report gets its source_id here if it has none. */
  add(report: NewReport, owner: QueueOwner, now = new Date()): QueueItem {
    const source_id = report.source_id ?? newSourceId();
    const item: QueueItem = { source_id, report: { ...report, source_id }, owner: { ...owner }, queued_at: now.toISOString(), attempts: 0 };
    const items = this.list().filter((i) => i.source_id !== source_id);
    items.push(item);
    this.save(items);
    return item;
  }

  remove(source_id: string): void {
    this.save(this.list().filter((i) => i.source_id !== source_id));
  }

  /** Every item on the device, whoever queued it. */
  get size(): number {
    return this.list().length;
  }

  /** The items `owner` may send. */
  mine(owner: QueueOwner | null): QueueItem[] {
    return this.list().filter((i) => sameOwner(i.owner, owner));
  }

  /** The items of other users (or of no known user) on this device. */
  others(owner: QueueOwner | null): QueueItem[] {
    return this.list().filter((i) => !sameOwner(i.owner, owner));
  }

  /**
   * Sends `owner`'s queued reports in order; other users' items stay untouched. Stops at the
   * first network error (still offline); a 4xx other than 401/403/429 marks the item with its
   * reasons and goes on; 401/403/429 and 5xx stop without touching the item (try later).
   * `stillOwner` is asked before every send and stops the flush when the session changed
   * meanwhile (a logout and another user's login while an answer was awaited).
   */
  flush(send: (r: NewReport) => Promise<Report>, owner: QueueOwner, stillOwner: () => boolean = () => true): Promise<FlushResult> {
    if (this.flushing) {
      if (sameOwner(this.flushingFor, owner)) return this.flushing;
      return this.flushing.then(() => this.flush(send, owner, stillOwner));
    }
    this.flushingFor = owner;
    this.flushing = this.doFlush(send, owner, stillOwner).finally(() => {
      this.flushing = null;
      this.flushingFor = null;
    });
    return this.flushing;
  }

  private async doFlush(send: (r: NewReport) => Promise<Report>, owner: QueueOwner, stillOwner: () => boolean): Promise<FlushResult> {
    const sent: Report[] = [];
    const failed: QueueItem[] = [];
    let offline = false;
    for (const item of this.mine(owner)) {
      if (item.errors) continue; // waits for the user to fix or remove it
      if (!stillOwner()) break; // another session now: its cookie must not carry this report
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
    return { sent, failed, offline, remaining: this.mine(owner).length };
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
