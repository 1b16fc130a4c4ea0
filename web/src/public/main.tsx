// The public page (/offentlig, no login): den offentliga lägesbilden of a week per område and
// public category with small counts withheld, a map of 250 m cells, the published actions, and a
// form for residents' reports with a receipt to follow (GET/POST /api/v1/public/…).
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import '../styles.css';
import './public.css';
import { lang, setLang } from '../i18n';
import { basemap } from '../state';
import { L, areaLayer, createMap, fitTo, fillOver } from '../components/map';
import { sweref99tmToWgs84 } from '../geo';
import { ErrorText, describe } from '../components/field';
import { pt, num, hasKey } from './text';

interface PublicCategory { code: string; name_sv: string; name_en: string; dimension: 'säkerhet' | 'trygghet' }
interface PublicArea { code: string; name: string; counts: (number | null)[] }
interface PublicCell { dimension: 'säkerhet' | 'trygghet'; x: number; y: number; count: number }
interface PublicAction { title: string; status: string; areas: string[]; start: string; end: string }
interface Picture {
  period: string; from: string; to: string; delay_days: number; min_count: number; cell_m: number;
  categories: PublicCategory[]; areas: PublicArea[]; cells: PublicCell[]; actions: PublicAction[];
  weeks: string[]; citizen_reports: boolean;
}
interface FieldError { field: string; reason: string }

class HttpError extends Error {
  constructor(public status: number, public fields: FieldError[], detail: string) {
    super(detail);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1/public/${path}`, init);
  } catch {
    throw new HttpError(0, [], pt('networkError'));
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new HttpError(res.status, body.errors ?? [], body.detail ?? res.statusText);
  return body as T;
}

const catName = (c: PublicCategory) => (lang.value === 'en' ? c.name_en : c.name_sv);

function weekLabel(w: string, from?: string, to?: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(w);
  if (!m) return w;
  return from && to ? pt('weekOption', Number(m[2]), m[1], from, to) : pt('weekOption', Number(m[2]), m[1], '', '').replace(/ \(–\)$/, '');
}

function CountTable({ pic, dim }: { pic: Picture; dim: 'säkerhet' | 'trygghet' }) {
  const cols = pic.categories.map((c, i) => ({ c, i })).filter(({ c }) => c.dimension === dim);
  if (!cols.length) return null;
  const heading = dim === 'säkerhet' ? pt('sakerhet') : pt('trygghet');
  const id = dim === 'säkerhet' ? 'sakerhet' : 'trygghet';
  return (
    <section class="card" aria-labelledby={`h-${id}`}>
      <h2 id={`h-${id}`}>{heading}</h2>
      <p class="muted">{dim === 'säkerhet' ? pt('sakerhetHelp') : pt('trygghetHelp')}</p>
      {/* Scrolls sideways on a phone: focusable so a keyboard can scroll it too. */}
      <div class="table-wrap" tabIndex={0} role="region" aria-labelledby={`h-${id}`}>
        <table class="data public-table">
          <caption class="visually-hidden">{pt('tableCaption', heading, pic.period.slice(6))}</caption>
          <thead>
            <tr>
              <th scope="col">{pt('area')}</th>
              {cols.map(({ c }) => (
                <th scope="col" class="num" key={c.code}>{catName(c)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {pic.areas.map((a) => (
              <tr key={a.code}>
                <th scope="row">{a.name}</th>
                {cols.map(({ c, i }) => {
                  const v = a.counts[i];
                  return (
                    <td class={`num ${v === null ? 'withheld' : ''}`} key={c.code}>
                      {v === null ? pt('fewer') : num(v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const CELL_COLOURS: Record<string, string[]> = {
  säkerhet: ['#9ecae1', '#4292c6', '#08519c', '#08306b'],
  trygghet: ['#fdae6b', '#f16913', '#a63603', '#7f2704'],
};

function cellColour(dim: string, count: number, max: number): string {
  const scale = CELL_COLOURS[dim] ?? CELL_COLOURS.säkerhet;
  const k = max <= 3 ? 0 : Math.min(scale.length - 1, Math.floor(((count - 3) / (max - 2)) * scale.length));
  return scale[k];
}

function CellMap({ pic, areas }: { pic: Picture; areas: GeoJSON.FeatureCollection | null }) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const dims = (['säkerhet', 'trygghet'] as const).filter((d) => pic.categories.some((c) => c.dimension === d));
  const [dim, setDim] = useState<'säkerhet' | 'trygghet'>(dims[0] ?? 'säkerhet');
  useEffect(() => {
    if (!el.current) return;
    map.current = createMap(el.current, pt('mapLabel'));
    return () => {
      map.current?.remove();
      map.current = null;
    };
  }, []);
  useEffect(() => {
    const m = map.current;
    if (!m || !areas) return;
    const outline = areaLayer(areas, {
      interactive: false,
      style: (f) => ((f.properties?.level ?? 0) === 0
        ? { color: '#102a43', weight: 2, fill: false }
        : { color: '#334e68', weight: 1, fillColor: '#ffffff', fillOpacity: fillOver(0.5, 0.1) }),
    }).addTo(m);
    fitTo(m, outline);
    return () => void m.removeLayer(outline);
  }, [areas]);
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    layer.current?.remove();
    const g = L.layerGroup();
    const shown = pic.cells.filter((c) => c.dimension === dim);
    const max = Math.max(3, ...shown.map((c) => c.count));
    for (const c of shown) {
      const [lon0, lat0] = sweref99tmToWgs84(c.x, c.y);
      const [lon1, lat1] = sweref99tmToWgs84(c.x + pic.cell_m, c.y + pic.cell_m);
      L.rectangle([[lat0, lon0], [lat1, lon1]], {
        color: '#1a1a1a', weight: 1, fillColor: cellColour(dim, c.count, max), fillOpacity: 0.75,
      }).bindTooltip(pt('cellTip', num(c.count)), { className: 'map-tip' }).addTo(g);
    }
    g.addTo(m);
    layer.current = g;
  }, [pic, dim, lang.value]);
  const count = pic.cells.filter((c) => c.dimension === dim).length;
  return (
    <section class="card" aria-labelledby="h-map">
      <h2 id="h-map">{pt('map')}</h2>
      {dims.length > 1 && (
        <fieldset class="public-dims">
          <legend class="inline-label">{pt('mapShow')}</legend>
          {dims.map((d) => (
            <label class="check" key={d}>
              <input type="radio" name="dim" checked={dim === d} onChange={() => setDim(d)} />
              {d === 'säkerhet' ? pt('sakerhet') : pt('trygghet')}
            </label>
          ))}
        </fieldset>
      )}
      <div ref={el} class="map map-picture" />
      <p class="muted small-text">{count ? pt('mapLegend') : pt('mapNone')}</p>
    </section>
  );
}

function Actions({ pic }: { pic: Picture }) {
  return (
    <section class="card" aria-labelledby="h-actions">
      <h2 id="h-actions">{pt('actions')}</h2>
      {pic.actions.length === 0 ? (
        <p class="muted">{pt('actionsNone')}</p>
      ) : (
        <ul class="public-actions">
          {pic.actions.map((a) => {
            const status = `actionStatus_${a.status}`;
            return (
              <li key={a.title + a.start}>
                <strong>{a.title}</strong>
                <span class="muted">
                  {' '}– {hasKey(status) ? pt(status) : a.status}
                  {a.areas.length ? `, ${a.areas.join(', ')}` : ''}
                  {a.start || a.end ? `, ${pt('actionWhen', a.start, a.end)}` : ''}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** The English reason for a field the server named (its reasons are Swedish). */
function reasonFor(e: FieldError): string {
  if (lang.value !== 'en') return e.reason;
  switch (e.field) {
    case 'category': return 'Choose one of the categories on the page.';
    case 'location': case 'lon': case 'lat': return 'Choose a place in the municipality on the map, or type an address.';
    case 'address': return 'No such address was found; check the spelling or choose on the map.';
    case 'occurred_from': return 'The time cannot be in the future.';
    case 'description': return 'At most 1000 characters.';
    default: return e.reason;
  }
}

function nowLocal(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

function ReportForm({ pic }: { pic: Picture }) {
  const [category, setCategory] = useState('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [address, setAddress] = useState('');
  const [when, setWhen] = useState(nowLocal());
  const [description, setDescription] = useState('');
  const [website, setWebsite] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const [sending, setSending] = useState(false);
  const [receipt, setReceipt] = useState<{ receipt: string; scrubbed: string[] } | null>(null);
  const mapEl = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const marker = useRef<L.Marker | null>(null);
  const receiptRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!mapEl.current || receipt) return;
    const m = createMap(mapEl.current, pt('pickMapLabel'));
    m.on('click', (e: L.LeafletMouseEvent) => setPoint([e.latlng.lng, e.latlng.lat]));
    // Keyboard: Leaflet's arrows pan the map; Enter chooses its centre.
    mapEl.current.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        const c = m.getCenter();
        setPoint([c.lng, c.lat]);
        e.preventDefault();
      }
    });
    map.current = m;
    void fetch('/api/v1/public/areas').then((r) => r.json()).then((fc: GeoJSON.FeatureCollection) => {
      const outline = areaLayer(fc, { interactive: false, style: () => ({ color: '#334e68', weight: 1, fill: false }) }).addTo(m);
      fitTo(m, outline);
    }, () => undefined);
    return () => {
      m.remove();
      map.current = null;
      marker.current = null;
    };
  }, [receipt]);
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (!point) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    const ll = L.latLng(point[1], point[0]);
    if (!marker.current) {
      marker.current = L.marker(ll, { keyboard: false, icon: L.divIcon({ className: 'pick-marker', iconSize: [22, 22] }) }).addTo(m);
    } else {
      marker.current.setLatLng(ll);
    }
  }, [point]);
  useEffect(() => {
    if (receipt) receiptRef.current?.focus();
  }, [receipt]);

  if (!pic.citizen_reports) {
    return (
      <section class="card" aria-labelledby="h-report">
        <h2 id="h-report">{pt('reportTitle')}</h2>
        <p>{pt('reportOff')}</p>
      </section>
    );
  }
  if (receipt) {
    return (
      <section class="card" aria-labelledby="h-receipt">
        <h2 id="h-receipt" tabIndex={-1} ref={receiptRef}>{pt('receiptTitle')}</h2>
        <p class="msg msg-ok" data-testid="receipt">{pt('receiptText', receipt.receipt)}</p>
        {receipt.scrubbed.length > 0 && <p>{pt('receiptScrubbed', receipt.scrubbed.join(', '))}</p>}
        <button type="button" class="btn" onClick={() => {
          setReceipt(null); setCategory(''); setPoint(null); setAddress(''); setDescription(''); setWhen(nowLocal());
        }}>{pt('another')}</button>
      </section>
    );
  }

  const locate = () => {
    if (!navigator.geolocation) return setErrors({ ...errors, location: pt('positionFailed') });
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPoint([p.coords.longitude, p.coords.latitude]);
        map.current?.setView([p.coords.latitude, p.coords.longitude], 16);
      },
      () => setErrors({ ...errors, location: pt('positionFailed') }),
      { timeout: 10000 },
    );
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setMessage('');
    setErrors({});
    const body: Record<string, unknown> = { category, description, website };
    if (point) {
      body.lon = point[0];
      body.lat = point[1];
    } else if (address.trim()) {
      body.address = address.trim();
    }
    if (when) body.occurred_from = new Date(when).toISOString();
    setSending(true);
    try {
      const r = await request<{ receipt: string; scrubbed: string[] }>('reports', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
      setReceipt(r);
    } catch (err) {
      const h = err as HttpError;
      const byField: Record<string, string> = {};
      for (const f of h.fields ?? []) {
        const key = ['lon', 'lat'].includes(f.field) ? 'location' : f.field;
        byField[key] = byField[key] ?? reasonFor(f);
      }
      setErrors(byField);
      setMessage(h.status === 429 ? pt('tooMany') : h.status === 0 ? pt('networkError') : Object.keys(byField).length ? pt('fixErrors') : h.message);
      // The first field in error, into view and focused.
      const order = ['category', 'location', 'address', 'occurred_from', 'description'];
      const first = order.find((k) => byField[k]);
      if (first) {
        const target = document.getElementById(first === 'location' ? 'pub-map' : `pub-${first.replace('_', '-')}`);
        target?.scrollIntoView({ block: 'center' });
        target?.focus();
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <section class="card" aria-labelledby="h-report">
      <h2 id="h-report">{pt('reportTitle')}</h2>
      <p>{pt('reportIntro')}</p>
      <form onSubmit={submit} noValidate>
        <div class={`field ${errors.category ? 'has-error' : ''}`}>
          <label for="pub-category">{pt('category')}</label>
          <select id="pub-category" value={category} onChange={(e) => setCategory((e.target as HTMLSelectElement).value)} {...describe('pub-category', errors.category)}>
            <option value="">{pt('choose')}</option>
            {pic.categories.map((c) => <option value={c.code} key={c.code}>{catName(c)}</option>)}
          </select>
          <ErrorText id="pub-category-error" error={errors.category} />
        </div>
        <div class={`field ${errors.location || errors.address ? 'has-error' : ''}`}>
          <span class="label" id="pub-where">{pt('where')}</span>
          <p class="hint" id="pub-map-hint">{pt('whereHelp')}</p>
          <div id="pub-map" ref={mapEl} class="map map-report" tabIndex={0} aria-describedby="pub-map-hint" />
          <p class="where-tools">
            <button type="button" class="btn" onClick={locate}>{pt('myPosition')}</button>
          </p>
          {point && <p class="chosen" aria-live="polite">{pt('chosen', point[1].toFixed(5), point[0].toFixed(5))}</p>}
          <ErrorText id="pub-map-error" error={errors.location} />
          <label for="pub-address">{pt('address')}</label>
          <input id="pub-address" type="text" autocomplete="street-address" value={address} disabled={!!point}
            onInput={(e) => setAddress((e.target as HTMLInputElement).value)} {...describe('pub-address', errors.address)} placeholder={pt('addressHint')} />
          <ErrorText id="pub-address-error" error={errors.address} />
        </div>
        <div class={`field ${errors.occurred_from ? 'has-error' : ''}`}>
          <label for="pub-occurred-from">{pt('when')}</label>
          <input id="pub-occurred-from" type="datetime-local" value={when} max={nowLocal()}
            onInput={(e) => setWhen((e.target as HTMLInputElement).value)} {...describe('pub-occurred-from', errors.occurred_from)} />
          <ErrorText id="pub-occurred-from-error" error={errors.occurred_from} />
        </div>
        <div class={`field ${errors.description ? 'has-error' : ''}`}>
          <label for="pub-description">{pt('description')}</label>
          <p class="hint" id="pub-description-hint">{pt('descriptionHint')}</p>
          <textarea id="pub-description" rows={4} maxLength={1000} value={description}
            onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} {...describe('pub-description', errors.description, true)} />
          <ErrorText id="pub-description-error" error={errors.description} />
        </div>
        {/* A honeypot for bots: hidden from people and from assistive technology. */}
        <div class="hp" aria-hidden="true">
          <label for="pub-website">{pt('website')}</label>
          <input id="pub-website" name="website" type="text" tabIndex={-1} autocomplete="off" value={website}
            onInput={(e) => setWebsite((e.target as HTMLInputElement).value)} />
        </div>
        {message && <p class="msg msg-error" role="alert">{message}</p>}
        <button type="submit" class="btn primary big" disabled={sending}>{sending ? pt('sending') : pt('send')}</button>
      </form>
    </section>
  );
}

function StatusLookup() {
  const [receipt, setReceipt] = useState('');
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState('');
  const check = async (e: Event) => {
    e.preventDefault();
    setAnswer('');
    setError('');
    try {
      const r = await request<{ receipt: string; status: string; received: string }>(`report-status?receipt=${encodeURIComponent(receipt.trim())}`);
      const key = `status_${r.status}`;
      setAnswer(pt('statusReceived', r.receipt, r.received, hasKey(key) ? pt(key) : r.status));
    } catch (err) {
      const h = err as HttpError;
      setError(h.status === 404 ? pt('statusNotFound') : h.status === 0 ? pt('networkError') : h.fields[0] ? reasonFor(h.fields[0]) : h.message);
    }
  };
  return (
    <section class="card" aria-labelledby="h-status">
      <h2 id="h-status">{pt('statusTitle')}</h2>
      <form onSubmit={check} class="row status-form">
        <div class={`field ${error ? 'has-error' : ''}`}>
          <label for="pub-receipt">{pt('receipt')}</label>
          <input id="pub-receipt" type="text" value={receipt} placeholder={pt('receiptHint')}
            onInput={(e) => setReceipt((e.target as HTMLInputElement).value)} {...describe('pub-receipt', error)} />
          <ErrorText id="pub-receipt-error" error={error} />
        </div>
        <button type="submit" class="btn">{pt('check')}</button>
      </form>
      {answer && <p class="msg msg-ok" aria-live="polite" data-testid="status">{answer}</p>}
    </section>
  );
}

function PublicPage() {
  const [pic, setPic] = useState<Picture | null>(null);
  const [week, setWeek] = useState('');
  const [failed, setFailed] = useState(false);
  const [areas, setAreas] = useState<GeoJSON.FeatureCollection | null>(null);
  useEffect(() => {
    void fetch('/api/v1/basemap').then((r) => r.json()).then((b) => (basemap.value = b), () => undefined);
    void fetch('/api/v1/public/areas').then((r) => r.json()).then(setAreas, () => undefined);
  }, []);
  useEffect(() => {
    setFailed(false);
    request<Picture>(`lagesbild${week ? `?period=${encodeURIComponent(week)}` : ''}`).then(setPic, () => setFailed(true));
  }, [week]);
  useEffect(() => {
    document.documentElement.lang = lang.value;
  }, [lang.value]);
  const kommun = areas?.features.find((f) => (f.properties?.level ?? 0) === 0)?.properties?.name as string | undefined;
  const title = kommun ? pt('title', kommun) : pt('titleFallback');
  useEffect(() => {
    document.title = `${title} – ${pt('subtitle')}`;
  }, [title, lang.value]);
  return (
    <>
      <a class="skip-link" href="#main">{pt('skip')}</a>
      <header class="site-header public-header">
        <div class="brand"><span class="logo">EST</span> {pt('subtitle')}</div>
        <div class="header-tools">
          <button type="button" class="btn-link" aria-label={pt('languageLabel')} lang={lang.value === 'en' ? 'sv' : 'en'}
            onClick={() => setLang(lang.value === 'en' ? 'sv' : 'en')}>{pt('language')}</button>
        </div>
      </header>
      <main id="main" class="page public-page" tabIndex={-1}>
        <h1>{title}</h1>
        <p class="lead">{pt('intro')}</p>
        {failed && <p class="msg msg-error" role="alert">{pt('loadFailed')}</p>}
        {!pic && !failed && <p aria-live="polite">{pt('loading')}</p>}
        {pic && (
          <>
            <p>{pt('rules', pic.delay_days)}</p>
            <div class="field week-field">
              <label for="pub-week">{pt('week')}</label>
              <select id="pub-week" value={pic.period} onChange={(e) => setWeek((e.target as HTMLSelectElement).value)}>
                {pic.weeks.map((w) => (
                  <option value={w} key={w}>{w === pic.period ? weekLabel(w, pic.from, pic.to) : weekLabel(w)}</option>
                ))}
              </select>
            </div>
            {pic.categories.length === 0 ? (
              <p class="msg msg-warn">{pt('noCategories')}</p>
            ) : (
              <>
                <CountTable pic={pic} dim="säkerhet" />
                <CountTable pic={pic} dim="trygghet" />
                <CellMap pic={pic} areas={areas} />
              </>
            )}
            <Actions pic={pic} />
            <ReportForm pic={pic} />
            <StatusLookup />
          </>
        )}
        <p class="muted small-text">{pt('footer')}</p>
      </main>
    </>
  );
}

document.documentElement.lang = lang.value;
render(<PublicPage />, document.getElementById('app')!);
