import { useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import { api, ApiError, NetworkError } from './api';
import { lang, setLang, t, type Key } from './i18n';
import { navigate, route, href } from './router';
import {
  booting, canAdmin, canReport, canReview, currentOwner, flushQueue, homeFor, loadReference, logoutPending, queue, resetSession,
  setLogoutPending, user,
} from './state';
import { Login } from './pages/login';

type Loader = () => Promise<{ default: ComponentType<{ query: string }> }>;

interface PageDef {
  path: string;
  title: Key;
  load: Loader;
  allowed: (u: NonNullable<typeof user.value>) => boolean;
  nav: boolean;
}

const pages: PageDef[] = [
  { path: '/rapportera', title: 'navReport', load: () => import('./pages/report'), allowed: canReport, nav: true },
  { path: '/mina-rapporter', title: 'navMine', load: () => import('./pages/mine'), allowed: canReport, nav: true },
  { path: '/granskning', title: 'navReview', load: () => import('./pages/review'), allowed: canReview, nav: true },
  { path: '/lagesbild', title: 'navPicture', load: () => import('./pages/lagesbild'), allowed: () => true, nav: true },
  { path: '/moten', title: 'navMeetings', load: () => import('./pages/meeting'), allowed: (u) => u.role !== 'reporter', nav: true },
  { path: '/insatser', title: 'navActions', load: () => import('./pages/actions'), allowed: (u) => u.role !== 'reporter', nav: true },
  { path: '/problem', title: 'navProblems', load: () => import('./pages/problems'), allowed: (u) => canReview(u) || u.role === 'viewer', nav: true },
  { path: '/dokument', title: 'navDocuments', load: () => import('./pages/documents'), allowed: (u) => u.role !== 'reporter', nav: true },
  { path: '/trygghet', title: 'navSafety', load: () => import('./pages/trygghet'), allowed: (u) => u.role !== 'reporter', nav: true },
  { path: '/admin', title: 'navAdmin', load: () => import('./pages/admin'), allowed: canAdmin, nav: true },
  { path: '/losenord', title: 'navPassword', load: () => import('./pages/password'), allowed: () => true, nav: false },
];

/** Loads a page module on first use so the login page stays small. */
function Lazy({ def, query }: { def: PageDef; query: string }) {
  const [C, setC] = useState<ComponentType<{ query: string }> | null>(null);
  useEffect(() => {
    let live = true;
    setC(null);
    def.load().then((m) => live && setC(() => m.default));
    return () => {
      live = false;
    };
  }, [def]);
  return C ? <C query={query} /> : <p aria-live="polite">{t('loading')}</p>;
}

export function App() {
  lang.value; // re-render on language change
  const u = user.value;
  const r = route.value;

  useEffect(() => {
    api.onUnauthorized = () => {
      resetSession();
      navigate('/login');
    };
    const start = async () => {
      if (logoutPending()) {
        // Finish the logout that was made offline; show the login page either way.
        try {
          await api.me();
          await api.logout();
          setLogoutPending(false);
        } catch (e) {
          if (!(e instanceof NetworkError)) setLogoutPending(false); // 401: already ended
        }
        return;
      }
      const me = await api.me();
      await loadReference();
      user.value = me;
      void flushQueue();
    };
    start()
      .catch((e) => {
        if (!(e instanceof ApiError)) console.warn(e);
      })
      .finally(() => (booting.value = false));
    const online = () => void flushQueue();
    window.addEventListener('online', online);
    const timer = window.setInterval(online, 60_000);
    return () => {
      window.removeEventListener('online', online);
      window.clearInterval(timer);
    };
  }, []);

  const def = pages.find((p) => p.path === r.path);
  useEffect(() => {
    const name = def ? t(def.title) : r.path === '/login' || !u ? t('loginTitle') : '';
    document.title = `${name ? `${name} – ` : ''}EST`;
  }, [def, r.path, u, lang.value]);

  if (booting.value) {
    return (
      <main id="main" class="page">
        <p aria-live="polite">{t('loading')}</p>
      </main>
    );
  }

  let content;
  if (!u || r.path === '/login') {
    content = (
      <Login
        onDone={async (me) => {
          setLogoutPending(false); // the new login's cookie replaced the old one
          await loadReference();
          user.value = me;
          void flushQueue();
          navigate(homeFor(me));
        }}
      />
    );
  } else if (r.path === '/' || !r.path) {
    navigate(homeFor(u), '', true);
    content = null;
  } else if (!def) {
    content = <p>{t('notFound')}</p>;
  } else if (!def.allowed(u)) {
    content = <p role="alert">{t('noAccess')}</p>;
  } else {
    content = <Lazy def={def} query={r.query} />;
  }

  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skip')}
      </a>
      <header class="site-header">
        <div class="brand">
          <span class="logo" aria-hidden="true">EST</span>
          <span class="brand-name">{t('appName')}</span>
        </div>
        {u && r.path !== '/login' && (
          <nav aria-label={t('nav')}>
            <ul>
              {pages
                .filter((p) => p.nav && p.allowed(u))
                .map((p) => (
                  <li key={p.path}>
                    <a href={href(p.path)} aria-current={r.path === p.path ? 'page' : undefined}>
                      {t(p.title)}
                    </a>
                  </li>
                ))}
            </ul>
          </nav>
        )}
        <div class="header-tools">
          <label class="lang">
            <span class="visually-hidden">{t('language')}</span>
            <select value={lang.value} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as 'sv' | 'en')}>
              <option value="sv" lang="sv">Svenska</option>
              <option value="en" lang="en">English</option>
            </select>
          </label>
          {u && (
            <>
              <span class="who">
                <span class="visually-hidden">{t('loggedInAs')} </span>
                {u.display_name}
              </span>
              <a class="btn-link" href={href('/losenord')} aria-current={r.path === '/losenord' ? 'page' : undefined}>
                {t('navPassword')}
              </a>
              <button
                type="button"
                class="btn-link"
                onClick={async () => {
                  // Last chance to send this user's queued reports; then warn about the rest.
                  await flushQueue().catch(() => null);
                  const left = queue.mine(currentOwner()).length;
                  if (left > 0 && !window.confirm(t('logoutQueued', left))) return;
                  try {
                    await api.logout();
                  } catch (e) {
                    // Offline: the cookie stays until the server hears of the logout.
                    if (e instanceof NetworkError) setLogoutPending(true);
                  } finally {
                    resetSession();
                    navigate('/login');
                  }
                }}
              >
                {t('logout')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" class="page" tabindex={-1}>
        {content}
      </main>
    </>
  );
}
