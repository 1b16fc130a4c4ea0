// App-wide state: the logged-in user and reference data loaded once per session.
import { signal, computed } from '@preact/signals';
import { api, type Area, type Basemap, type Category, type Organisation, type Place, type User } from './api';
import { ReportQueue, browserStorage, ownerOf, sameOwner, type QueueOwner } from './queue';
import { sweref99tmToWgs84 } from './geo';

export const user = signal<User | null>(null);
export const booting = signal(true);

export const categories = signal<Category[]>([]);
export const organisations = signal<Organisation[]>([]);
export const areas = signal<Area[]>([]);
export const places = signal<Place[]>([]);
/** The tile layer under every map (null until loaded, or url null: outlines only). */
export const basemap = signal<Basemap | null>(null);
let areasGeo: Promise<GeoJSON.FeatureCollection> | null = null;

export const queue = new ReportQueue(browserStorage());
export const queueSize = signal(queue.size);

export const orgName = computed(() => {
  const m = new Map(organisations.value.map((o) => [o.code, o.name]));
  return (code: string) => m.get(code) ?? code;
});

export function canReview(u: User | null): boolean {
  return !!u && (u.role === 'coordinator' || u.role === 'admin');
}
export function canReport(u: User | null): boolean {
  return !!u && (u.role === 'reporter' || u.role === 'org_lead' || u.role === 'coordinator' || u.role === 'admin');
}
/** Administration: organisations, categories, areas and places; users only for admins. */
export function canAdmin(u: User | null): boolean {
  return !!u && (u.role === 'admin' || u.role === 'coordinator');
}
export function canManageUsers(u: User | null): boolean {
  return !!u && u.role === 'admin';
}
export function homeFor(u: User): string {
  return u.role === 'reporter' ? '/rapportera' : '/lagesbild';
}

export async function loadReference(): Promise<void> {
  // Without its basemap a map still works (the areas' outlines), so a failure here is not fatal.
  void api.basemap().then((b) => (basemap.value = b), () => undefined);
  const [c, o, a, p] = await Promise.all([api.categories(), api.organisations(), api.areas(), api.places()]);
  categories.value = c.filter((x) => x.active);
  organisations.value = o;
  areas.value = a;
  places.value = p.map((pl) => {
    const [lon, lat] = sweref99tmToWgs84(pl.x, pl.y);
    return { ...pl, lon: pl.lon ?? lon, lat: pl.lat ?? lat };
  });
}

export function areasGeoJSON(): Promise<GeoJSON.FeatureCollection> {
  if (!areasGeo) areasGeo = api.areasGeoJSON().catch((e) => ((areasGeo = null), Promise.reject(e)));
  return areasGeo;
}

/** After an area import: the next areasGeoJSON() fetches the new areas. */
export function forgetAreasGeoJSON(): void {
  areasGeo = null;
}

// A logout that could not reach the server (offline) leaves the HttpOnly session cookie in the
// browser; the next start finishes it instead of logging the previous user back in.
const LOGOUT_PENDING_KEY = 'est.logout.pending';
const flags = browserStorage();
export function setLogoutPending(v: boolean): void {
  flags.setItem(LOGOUT_PENDING_KEY, v ? '1' : '');
}
export function logoutPending(): boolean {
  return flags.getItem(LOGOUT_PENDING_KEY) === '1';
}

export function resetSession(): void {
  user.value = null;
  areasGeo = null;
}

/** The owner of the reports queued in this session; null when nobody is logged in. */
export function currentOwner(): QueueOwner | null {
  return user.value ? ownerOf(user.value) : null;
}

/** Sends what the logged-in user has waiting in the offline queue; safe to call any time. */
export async function flushQueue() {
  const owner = currentOwner();
  if (!owner) return null;
  const r = await queue.flush((rep) => api.createReport(rep), owner, () => sameOwner(currentOwner(), owner));
  queueSize.value = queue.size;
  return r;
}
