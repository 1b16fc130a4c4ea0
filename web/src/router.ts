// Hash router: #/lagesbild?period=2026-W48&area=tureberg. The query after the path holds the
// filters, so a copied address opens the same view. Hash routing needs no server fallback.
import { signal } from '@preact/signals';

export interface Route {
  path: string; // e.g. "/lagesbild"
  query: string; // without "?"
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#/, '');
  const i = h.indexOf('?');
  const path = (i >= 0 ? h.slice(0, i) : h) || '/';
  return { path: path.startsWith('/') ? path : `/${path}`, query: i >= 0 ? h.slice(i + 1) : '' };
}

export const route = signal<Route>(parseHash(typeof location !== 'undefined' ? location.hash : ''));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    route.value = parseHash(location.hash);
  });
}

export function href(path: string, query = ''): string {
  return `#${path}${query ? `?${query}` : ''}`;
}

export function navigate(path: string, query = '', replace = false): void {
  const h = href(path, query);
  if (replace) {
    history.replaceState(null, '', h);
    route.value = parseHash(h);
  } else if (location.hash !== h) {
    location.hash = h; // hashchange updates the signal
  }
}
