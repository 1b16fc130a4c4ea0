// Administration (#/admin?tab=platser): organisations, categories, areas, places, the map
// (basemap, address register), the police's event types and the public page for admins and coordinators, users and API tokens for admins only. One tab at a time; the tab is kept in the address.
import { useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import { lang, t, type Key } from '../i18n';
import { navigate } from '../router';
import { canManageUsers, user } from '../state';
import OrgsSection from './admin/orgs';
import CategoriesSection from './admin/categories';
import AreasSection from './admin/areas';
import UsersSection from './admin/users';
import TokensSection from './admin/tokens';
import MapSection from './admin/mapsettings';
import PoliceTypesSection from './admin/policetypes';
import { PublicPageSection } from './admin/publicpage';

type TabId = 'organisationer' | 'kategorier' | 'omraden' | 'platser' | 'karta' | 'polistyper' | 'offentlig' | 'anvandare' | 'nycklar';

/** Places pull in Leaflet, so they are loaded when their tab is first opened. */
function LazyPlaces() {
  const [C, setC] = useState<ComponentType | null>(null);
  useEffect(() => {
    let live = true;
    import('./admin/places').then((m) => live && setC(() => m.default));
    return () => {
      live = false;
    };
  }, []);
  return C ? <C /> : <p aria-live="polite">{t('loading')}</p>;
}

const TABS: { id: TabId; title: Key; body: ComponentType; usersOnly?: boolean }[] = [
  { id: 'organisationer', title: 'tabOrgs', body: OrgsSection },
  { id: 'kategorier', title: 'tabCategories', body: CategoriesSection },
  { id: 'omraden', title: 'tabAreas', body: AreasSection },
  { id: 'platser', title: 'tabPlaces', body: LazyPlaces },
  { id: 'karta', title: 'tabMap', body: MapSection },
  { id: 'polistyper', title: 'tabPoliceTypes', body: PoliceTypesSection },
  { id: 'offentlig', title: 'tabPublic', body: PublicPageSection },
  { id: 'anvandare', title: 'tabUsers', body: UsersSection, usersOnly: true },
  { id: 'nycklar', title: 'tabTokens', body: TokensSection, usersOnly: true },
];

export default function AdminPage({ query }: { query: string }) {
  lang.value;
  const tabs = TABS.filter((x) => !x.usersOnly || canManageUsers(user.value));
  const wanted = new URLSearchParams(query).get('tab');
  const current = tabs.find((x) => x.id === wanted) ?? tabs[0];

  function choose(id: TabId, focus = false) {
    navigate('/admin', `tab=${id}`, true);
    if (focus) setTimeout(() => document.getElementById(`tab-${id}`)?.focus(), 0);
  }

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  function onKey(e: KeyboardEvent) {
    const i = tabs.indexOf(current);
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowDown' ? (i + 1) % tabs.length
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? (i - 1 + tabs.length) % tabs.length
          : e.key === 'Home' ? 0
            : e.key === 'End' ? tabs.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    choose(tabs[next].id, true);
  }

  const Body = current.body;
  return (
    <div class="admin">
      <h1>{t('adminTitle')}</h1>
      <p class="lead">{t('adminIntro')}</p>
      <div role="tablist" aria-label={t('adminTabs')} class="tabs" onKeyDown={onKey}>
        {tabs.map((x) => (
          <button key={x.id} type="button" role="tab" id={`tab-${x.id}`} aria-controls={x === current ? `panel-${x.id}` : undefined}
            aria-selected={x === current ? 'true' : 'false'} tabIndex={x === current ? 0 : -1} class="tab"
            onClick={() => choose(x.id)}>
            {t(x.title)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`} class="tab-panel" key={current.id}>
        <Body />
      </div>
    </div>
  );
}
