import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, NetworkError, type AddressHit, type CheckIn, type NewReport } from '../api';
import { helpFor, lang, t } from '../i18n';
import { areaLabels, areaLayer, destroyMap, createMap, fitTo, L, fillOver } from '../components/map';
import { describe, ErrorText, Field } from '../components/field';
import { fmtDateTime } from '../components/util';
import { batchKeyFor, loadBatch, saveBatch, sendBatch, type BatchItem } from '../components/batch';
import { interiorPoint } from '../geo';
import { areas, areasGeoJSON, categories, currentOwner, flushQueue, places, queue, queueSize, user } from '../state';
import { browserStorage, newSourceId, type QueueItem } from '../queue';
import { weekLabel, ymd } from '../period';

type When = 'now' | 'today' | 'yesterday' | 'interval';

interface Loc {
  kind: 'map' | 'gps' | 'place' | 'area' | 'address';
  lat: number;
  lon: number;
  name?: string;
  /** kind 'area': the area's code; the report is sent by its area alone (lat/lon only centre the map) */
  code?: string;
}

interface Draft {
  category: string;
  when: When;
  time: string;
  from: string;
  to: string;
  severity: string;
  count: string;
  certainty: 'observed' | 'suspected';
  police: boolean;
  description: string;
}

const emptyDraft = (): Draft => ({
  category: '',
  when: 'now',
  time: '',
  from: '',
  to: '',
  severity: '',
  count: '1',
  certainty: 'observed',
  police: false,
  description: '',
});

/** Local wall-clock time with its UTC offset, e.g. 2026-11-25T14:05:00+01:00. */
export function localIso(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${ymd(d)}T${p(d.getHours())}:${p(d.getMinutes())}:00${sign}${p(Math.floor(a / 60))}:${p(a % 60)}`;
}

function atTime(day: Date, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  const d = new Date(day);
  d.setHours(h, m, 0, 0);
  return d;
}

/** What a queued event keeps so the form can edit it again. */
interface Saved {
  d: Draft;
  loc: Loc;
}
type Batch = BatchItem<Saved>[];

const batchStorage = browserStorage();

/** Maps server field paths to the form's fields. */
function fieldOf(path: string): string {
  if (path.startsWith('location')) return 'location';
  if (path === 'occurred_from' || path === 'occurred_to') return 'when';
  if (path === 'police_notified') return 'police';
  return path;
}

export default function ReportPage() {
  lang.value;
  const [d, setD] = useState<Draft>(emptyDraft);
  const [loc, setLoc] = useState<Loc | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ kind: 'ok' | 'warn' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [sourceId, setSourceId] = useState(newSourceId);
  const [placeQ, setPlaceQ] = useState('');
  const [addrHits, setAddrHits] = useState<AddressHit[]>([]);
  const [areaSel, setAreaSel] = useState('');
  const [gpsMsg, setGpsMsg] = useState('');
  const mapEl = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const markerRef = useRef<L.CircleMarker | null>(null);
  const geoRef = useRef<GeoJSON.FeatureCollection | null>(null);
  // Several events in one report: the events added so far, and the summary before sending.
  // The page is shown to a logged-in user only; the batch is theirs (batchKeyFor).
  const batchKey = batchKeyFor(user.value?.id ?? 0);
  const [batch, setBatchState] = useState<Batch>(() => loadBatch<Saved>(batchStorage, batchKey));
  const [confirm, setConfirm] = useState<Batch | null>(null);
  const [batchMsg, setBatchMsg] = useState('');
  const batchHead = useRef<HTMLHeadingElement>(null);
  const confirmHead = useRef<HTMLHeadingElement>(null);
  const setBatch = (items: Batch) => {
    saveBatch(batchStorage, items, batchKey);
    setBatchState(items);
  };

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));

  useEffect(() => {
    if (!mapEl.current) return;
    const map = createMap(mapEl.current, t('mapLabel'));
    mapRef.current = map;
    map.on('click', (e: L.LeafletMouseEvent) => {
      setLoc({ kind: 'map', lat: e.latlng.lat, lon: e.latlng.lng });
      setErrors((x) => ({ ...x, location: '' }));
    });
    let live = true;
    areasGeoJSON().then((fc) => {
      if (!live) return;
      geoRef.current = fc;
      const layer = areaLayer(fc, {
        interactive: false,
        style: (f) => {
          const level = f.properties?.level ?? 1;
          if (level === 0) return { color: '#333', weight: 2, fill: false };
          if (level >= 2) return { color: '#4a6b8a', weight: 1, dashArray: '4 4', fill: false };
          return { color: '#4a6b8a', weight: 1, fillColor: '#e8eef4', fillOpacity: fillOver(0.6, 0.12) };
        },
      }).addTo(map);
      areaLabels(map, fc); // names hide instead of overlapping at low zoom (phones)
      fitTo(map, layer);
    });
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(mapEl.current);
    return () => {
      live = false;
      ro.disconnect();
      destroyMap(map);
      mapRef.current = null;
    };
  }, []);

  // Keep the marker in step with the chosen location.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    markerRef.current?.remove();
    markerRef.current = null;
    if (loc) {
      markerRef.current = L.circleMarker([loc.lat, loc.lon], { radius: 10, color: '#b00020', weight: 3, fillColor: '#ffcc00', fillOpacity: 0.9, interactive: false }).addTo(map);
      if (loc.kind !== 'map') map.setView([loc.lat, loc.lon], Math.max(map.getZoom(), 15));
    }
  }, [loc]);

  const matches = useMemo(() => {
    const q = fold(placeQ.trim());
    if (q.length < 2) return [];
    return places.value.filter((p) => fold(p.name).includes(q) || fold(p.kind).includes(q)).slice(0, 8);
  }, [placeQ, places.value]);

  // Streets and addresses of the municipality's register, asked for once typing pauses; an answer
  // to an older query than the box now holds is dropped. Offline: named places only.
  useEffect(() => {
    const q = placeQ.trim();
    if (q.length < 2) {
      setAddrHits([]);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      api.addresses(q, 8).then((r) => current && setAddrHits(r.items), () => current && setAddrHits([]));
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [placeQ]);

  const levelOne = areas.value.filter((a) => a.level >= 1);

  function myPosition() {
    setGpsMsg('');
    if (!('geolocation' in navigator)) return setGpsMsg(t('positionUnavailable'));
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLoc({ kind: 'gps', lat: p.coords.latitude, lon: p.coords.longitude });
        setErrors((x) => ({ ...x, location: '' }));
      },
      () => setGpsMsg(t('positionFailed')),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }

  function chooseArea(code: string) {
    setAreaSel(code);
    const f = geoRef.current?.features.find((x) => x.properties?.code === code);
    if (!f) return;
    const p = interiorPoint(f.geometry);
    if (p) setLoc({ kind: 'area', lon: p[0], lat: p[1], name: String(f.properties?.name ?? code), code });
    const map = mapRef.current;
    if (map) fitTo(map, L.geoJSON(f));
    setErrors((x) => ({ ...x, location: '' }));
  }

  function build(): { report?: NewReport; errs: Record<string, string> } {
    const errs: Record<string, string> = {};
    if (!d.category) errs.category = t('required');
    if (!loc) errs.location = t('noLocation');
    const now = new Date();
    let from = now;
    let to: Date | undefined;
    if (d.when === 'today' || d.when === 'yesterday') {
      if (!/^\d{2}:\d{2}$/.test(d.time)) errs.when = t('required');
      else {
        const day = new Date(now);
        if (d.when === 'yesterday') day.setDate(day.getDate() - 1);
        from = atTime(day, d.time);
      }
    } else if (d.when === 'interval') {
      if (!d.from || !d.to) errs.when = t('required');
      else {
        from = new Date(d.from);
        to = new Date(d.to);
      }
    }
    const count = Number(d.count || '1');
    if (!Number.isInteger(count) || count < 1) errs.count = lang.value === 'en' ? 'must be a whole number ≥ 1' : 'måste vara ett heltal, minst 1';
    if (Object.keys(errs).length) return { errs };
    // An area chosen from the list is sent as the area alone: the report is not a point at its centre.
    const location =
      loc!.kind === 'place' && loc!.name
        ? { place: loc!.name }
        : loc!.kind === 'area' && loc!.code
          ? { area: loc!.code }
          : { lon: Number(loc!.lon.toFixed(6)), lat: Number(loc!.lat.toFixed(6)) };
    const report: NewReport = {
      source_id: sourceId,
      occurred_from: localIso(from),
      ...(to ? { occurred_to: localIso(to) } : {}),
      location,
      category: d.category,
      count,
      certainty: d.certainty,
      police_notified: d.police,
      ...(d.severity ? { severity: Number(d.severity) } : {}),
      ...(d.description.trim() ? { description: d.description.trim() } : {}),
    };
    return { report, errs };
  }

  /** The form holds something the reporter has started on. */
  const dirty = !!(d.category || loc || d.description.trim());

  function resetForm() {
    setD((x) => ({ ...emptyDraft(), certainty: x.certainty }));
    setLoc(null);
    setAreaSel('');
    setPlaceQ('');
    setErrors({});
    setSourceId(newSourceId());
  }

  /** "Lägg till en händelse till": the form's event joins the batch and the form is emptied. */
  function addAnother() {
    setMsg(null);
    const { report, errs } = build();
    setErrors(errs);
    if (!report) {
      setMsg({ kind: 'error', text: t('fixErrors') });
      focusFirstError(errs);
      return;
    }
    const next = [...batch, { source_id: report.source_id!, report, draft: { d, loc: loc! } }];
    setBatch(next);
    resetForm();
    setBatchMsg(t('batchAdded', next.length));
    setTimeout(() => batchHead.current?.focus(), 0);
  }

  function editItem(i: number) {
    const it = batch[i];
    if (dirty) return setBatchMsg(t('batchFormBusy'));
    if (!it?.draft) return;
    setD(it.draft.d);
    setLoc(it.draft.loc);
    setSourceId(it.source_id); // the same event: re-sending can never duplicate it
    const fe: Record<string, string> = {};
    for (const [k, v] of Object.entries(it.errors ?? {})) fe[fieldOf(k)] = v;
    setErrors(fe);
    setBatch(batch.filter((_, j) => j !== i));
    setBatchMsg(t('batchEditing'));
    setTimeout(() => (document.querySelector<HTMLInputElement>('input[name=category]:checked') ?? document.getElementById('cat-0'))?.focus(), 0);
  }

  /** With events in the batch, the send button first shows a summary of all of them. */
  function reviewBatch() {
    let items = batch;
    if (dirty) {
      const { report, errs } = build();
      setErrors(errs);
      if (!report) {
        setMsg({ kind: 'error', text: t('fixErrors') });
        focusFirstError(errs);
        return;
      }
      items = [...batch, { source_id: report.source_id!, report, draft: { d, loc: loc! } }];
    }
    setConfirm(items);
    setTimeout(() => confirmHead.current?.focus(), 0);
  }

  async function sendAll() {
    if (!confirm) return;
    const items = confirm;
    setBusy(true);
    setMsg(null);
    const owner = currentOwner();
    if (!owner) return;
    const res = await sendBatch(items, queue, (r) => api.createReport(r), owner);
    queueSize.value = queue.size;
    const invalid = new Map(res.invalid.map((x) => [x.source_id, x.errors]));
    // Refused events go back to the list with the reasons; sent and queued ones leave it.
    setBatch(items.filter((i) => invalid.has(i.source_id)).map((i) => ({ ...i, errors: invalid.get(i.source_id) })));
    if (items.some((i) => i.source_id === sourceId)) resetForm();
    setConfirm(null);
    setBatchMsg('');
    const removed = [...new Set(res.sent.flatMap((x) => x.report.removed_personal_data ?? []))];
    const parts = [
      res.sent.length ? t('batchSent', res.sent.length) : '',
      removed.length ? t('batchScrubbed', removed.join(', ')) : '',
      res.queued.length ? t('batchQueued', res.queued.length) : '',
      res.invalid.length ? t('batchInvalid', res.invalid.length) : '',
    ].filter(Boolean);
    setMsg({ kind: res.invalid.length ? 'error' : res.queued.length ? 'warn' : 'ok', text: parts.join(' ') });
    setBusy(false);
    setTimeout(() => document.querySelector<HTMLElement>('[data-testid=report-message]')?.scrollIntoView({ block: 'center' }), 0);
  }

  async function submit(e: Event) {
    e.preventDefault();
    setMsg(null);
    if (batch.length) return reviewBatch();
    const { report, errs } = build();
    setErrors(errs);
    if (!report) {
      setMsg({ kind: 'error', text: t('fixErrors') });
      focusFirstError(errs);
      return;
    }
    const owner = currentOwner();
    if (!owner) return;
    setBusy(true);
    queue.add(report, owner); // saved before sending: nothing is lost if the page closes now
    queueSize.value = queue.size;
    try {
      const created = await api.createReport(report);
      queue.remove(report.source_id!);
      queueSize.value = queue.size;
      const removed = created.removed_personal_data ?? [];
      setMsg({ kind: 'ok', text: removed.length ? t('sentScrubbed', removed.join(', ')) : t('sent') });
      setD((x) => ({ ...emptyDraft(), certainty: x.certainty }));
      setLoc(null);
      setAreaSel('');
      setPlaceQ('');
      setSourceId(newSourceId());
    } catch (err) {
      if (err instanceof NetworkError) {
        setMsg({ kind: 'warn', text: t('queued') });
        setD(emptyDraft());
        setLoc(null);
        setSourceId(newSourceId());
      } else if (err instanceof ApiError && err.status === 400) {
        queue.remove(report.source_id!); // the form still holds everything; the user fixes and sends again
        queueSize.value = queue.size;
        const fe: Record<string, string> = {};
        for (const [k, v] of Object.entries(err.fields)) fe[fieldOf(k)] = v;
        setErrors(fe);
        setMsg({ kind: 'error', text: fe[''] ?? t('fixErrors') });
        focusFirstError(fe);
      } else {
        // Auth or server trouble: keep it queued and say so; the form is kept too.
        setMsg({ kind: 'warn', text: err instanceof Error ? `${err.message}. ${t('queued')}` : t('queued') });
      }
    } finally {
      setBusy(false);
    }
  }

  function focusFirstError(errs: Record<string, string>) {
    const order = ['category', 'location', 'when', 'severity', 'count', 'certainty', 'description'];
    const first = order.find((k) => errs[k]);
    const id = first === 'category' ? 'cat-0' : first === 'location' ? 'place-q' : first === 'when' ? 'when-now' : first;
    if (id) setTimeout(() => document.getElementById(id)?.focus(), 0);
  }

  const locText = locTextOf(loc);
  const sendCount = batch.length + (dirty ? 1 : 0);

  return (
    <div class="report-page">
      <h1>{t('reportTitle')}</h1>
      <p class="lead">{t('reportIntro')}</p>
      <QueueBox />
      {batch.length > 0 && !confirm && (
        <section class="card batch" aria-labelledby="batch-h" data-testid="batch-list">
          <h2 id="batch-h" tabIndex={-1} ref={batchHead}>{t('batchTitle', batch.length)}</h2>
          <p class="hint">{t('batchIntro')}</p>
          {batchMsg && <p class={`msg ${batchMsg === t('batchFormBusy') ? 'msg-warn' : 'msg-ok'}`} role="status">{batchMsg}</p>}
          <ol class="batch-list">
            {batch.map((it, i) => (
              <li key={it.source_id} class="batch-item">
                <EventSummary it={it} />
                {it.errors && (
                  <p class="error">{t('queueNeedsFix', Object.entries(it.errors).map(([k, v]) => (k ? `${k}: ${v}` : v)).join('; '))}</p>
                )}
                <div class="batch-actions">
                  <button type="button" class="btn small" onClick={() => editItem(i)}>
                    {t('batchEdit')}<span class="visually-hidden"> {t('batchEvent', i + 1)}</span>
                  </button>
                  <button type="button" class="btn small danger" onClick={() => {
                    setBatch(batch.filter((_, j) => j !== i));
                    setBatchMsg('');
                  }}>
                    {t('batchRemove')}<span class="visually-hidden"> {t('batchEvent', i + 1)}</span>
                  </button>
                </div>
              </li>
            ))}
          </ol>
        </section>
      )}
      {confirm && (
        <section class="card batch batch-confirm" aria-labelledby="confirm-h" data-testid="batch-summary">
          <h2 id="confirm-h" tabIndex={-1} ref={confirmHead}>{t('batchSummaryTitle', confirm.length)}</h2>
          <p>{t('batchSummaryIntro')}</p>
          <ol class="batch-list">
            {confirm.map((it) => (
              <li key={it.source_id} class="batch-item">
                <EventSummary it={it} fromForm={it.source_id === sourceId} />
              </li>
            ))}
          </ol>
          <div class="send-row">
            <button type="button" class="btn primary big" disabled={busy} onClick={sendAll}>
              {busy ? t('sending') : t('batchSendAll', confirm.length)}
            </button>
            <button type="button" class="btn big" disabled={busy} onClick={() => {
              setConfirm(null);
              setTimeout(() => document.getElementById('send-btn')?.focus(), 0);
            }}>{t('batchBack')}</button>
          </div>
        </section>
      )}
      <form onSubmit={submit} noValidate class="report-form" hidden={!!confirm}>
        <fieldset class={errors.category ? 'has-error' : ''} aria-describedby={errors.category ? 'category-error' : undefined}>
          <legend>{t('whatHappened')}</legend>
          <ul class="category-list">
            {categories.value.map((c, i) => (
              <li key={c.code}>
                <input type="radio" name="category" id={`cat-${i}`} value={c.code} checked={d.category === c.code}
                  aria-describedby={`cat-${i}-help`} onChange={() => { set('category', c.code); setErrors((x) => ({ ...x, category: '' })); }} />
                <label for={`cat-${i}`}>
                  <span class="cat-name">{lang.value === 'en' ? c.name_en || c.name_sv : c.name_sv}</span>
                  <span class="cat-help" id={`cat-${i}-help`}>{helpFor(c.code)}</span>
                </label>
              </li>
            ))}
          </ul>
          <ErrorText id="category-error" error={errors.category} />
        </fieldset>

        <fieldset class={errors.location ? 'has-error' : ''}>
          <legend>{t('where')}</legend>
          <p class="hint" id="map-help">{t('mapHelp')}</p>
          <div ref={mapEl} class="map map-report" data-testid="report-map" aria-describedby="map-help" />
          <p class="chosen" aria-live="polite" data-testid="chosen-location">
            <strong>{t('chosenPoint')}:</strong> {locText}
          </p>
          <ErrorText id="location-error" error={errors.location} />
          <div class="where-tools">
            <button type="button" class="btn" onClick={myPosition}>{t('myPosition')}</button>
            {gpsMsg && <p class="error" role="status">{gpsMsg}</p>}
          </div>
          <Field id="place-q" label={t('placeSearch')}>
            <input id="place-q" type="search" autocomplete="off" value={placeQ} aria-controls="place-results"
              {...describe('place-q', errors.location)} aria-describedby={errors.location ? 'location-error' : undefined}
              onInput={(e) => setPlaceQ(e.currentTarget.value)} />
          </Field>
          <div id="place-results" aria-live="polite">
            {placeQ.trim().length >= 2 && (matches.length || addrHits.length ? (
              <ul class="place-results">
                {matches.map((p) => (
                  <li key={`p${p.id}`}>
                    <button type="button" class="btn-list" onClick={() => {
                      setLoc({ kind: 'place', lat: p.lat!, lon: p.lon!, name: p.name });
                      setPlaceQ('');
                      setErrors((x) => ({ ...x, location: '' }));
                    }}>
                      {p.name} <span class="muted">({p.kind})</span>
                    </button>
                  </li>
                ))}
                {addrHits.map((a) => (
                  <li key={`a${a.label}`}>
                    <button type="button" class="btn-list" data-testid="address-hit" onClick={() => {
                      setLoc({ kind: 'address', lat: a.lat, lon: a.lon, name: a.label });
                      setPlaceQ('');
                      setErrors((x) => ({ ...x, location: '' }));
                    }}>
                      {a.label} <span class="muted">({t(a.street_only ? 'streetKind' : 'addressKind')})</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : <p class="muted">{t('noPlaces')}</p>)}
          </div>
          <Field id="area-sel" label={t('chooseArea')}>
            <select id="area-sel" value={areaSel} onChange={(e) => chooseArea(e.currentTarget.value)}>
              <option value="">{t('chooseAreaOption')}</option>
              {levelOne.map((a) => (
                <option key={a.code} value={a.code}>{a.name}</option>
              ))}
            </select>
          </Field>
        </fieldset>

        <fieldset class={errors.when ? 'has-error' : ''}>
          <legend>{t('when')}</legend>
          <div class="segmented">
            {(['now', 'today', 'yesterday', 'interval'] as When[]).map((w) => (
              <span key={w}>
                <input type="radio" name="when" id={`when-${w}`} value={w} checked={d.when === w} onChange={() => set('when', w)} />
                <label for={`when-${w}`}>{t(w === 'now' ? 'whenNow' : w === 'today' ? 'whenToday' : w === 'yesterday' ? 'whenYesterday' : 'whenInterval')}</label>
              </span>
            ))}
          </div>
          {(d.when === 'today' || d.when === 'yesterday') && (
            <Field id="time" label={t('time')} error={errors.when}>
              <input id="time" type="time" value={d.time} {...describe('time', errors.when)} onInput={(e) => set('time', e.currentTarget.value)} />
            </Field>
          )}
          {d.when === 'interval' && (
            <div class="row">
              <Field id="from" label={t('from')} error={errors.when}>
                <input id="from" type="datetime-local" value={d.from} {...describe('from', errors.when)} onInput={(e) => set('from', e.currentTarget.value)} />
              </Field>
              <Field id="to" label={t('to')}>
                <input id="to" type="datetime-local" value={d.to} onInput={(e) => set('to', e.currentTarget.value)} />
              </Field>
            </div>
          )}
          {d.when === 'now' && <ErrorText id="when-error" error={errors.when} />}
        </fieldset>

        <div class="row">
          <Field id="severity" label={t('severity')} error={errors.severity}>
            <select id="severity" value={d.severity} {...describe('severity', errors.severity)} onChange={(e) => set('severity', e.currentTarget.value)}>
              <option value="">{lang.value === 'en' ? 'Category default' : 'Kategorins standard'}</option>
              <option value="1">{t('sev1')}</option>
              <option value="2">{t('sev2')}</option>
              <option value="3">{t('sev3')}</option>
            </select>
          </Field>
          <Field id="count" label={t('count')} error={errors.count}>
            <input id="count" type="number" inputMode="numeric" min={1} max={10000} value={d.count} {...describe('count', errors.count)} onInput={(e) => set('count', e.currentTarget.value)} />
          </Field>
        </div>

        <fieldset>
          <legend>{t('certainty')}</legend>
          <div class="segmented">
            {(['observed', 'suspected'] as const).map((c) => (
              <span key={c}>
                <input type="radio" name="certainty" id={`cert-${c}`} value={c} checked={d.certainty === c} onChange={() => set('certainty', c)} />
                <label for={`cert-${c}`}>{t(c)}</label>
              </span>
            ))}
          </div>
          <ErrorText id="certainty-error" error={errors.certainty} />
        </fieldset>

        <div class="check">
          <input id="police" type="checkbox" checked={d.police} onChange={(e) => set('police', e.currentTarget.checked)} />
          <label for="police">{t('policeNotified')}</label>
        </div>

        <Field id="description" label={t('description')} error={errors.description} hint={t('descriptionNote')} class="note-field">
          <textarea id="description" rows={4} maxLength={4000} value={d.description} {...describe('description', errors.description, true)}
            onInput={(e) => set('description', e.currentTarget.value)} />
        </Field>

        {msg && (
          <p class={`msg msg-${msg.kind}`} role={msg.kind === 'error' ? 'alert' : 'status'} data-testid="report-message">
            {msg.text}
          </p>
        )}
        <div class="send-row">
          <p class="hint" id="batch-hint">{t('batchHint')}</p>
          <button type="button" class="btn big" disabled={busy} aria-describedby="batch-hint" onClick={addAnother}>
            + {t('batchAddAnother')}
          </button>
          <button type="submit" id="send-btn" class="btn primary big" disabled={busy}>
            {busy ? t('sending') : batch.length ? t('batchReview', sendCount) : t('send')}
          </button>
        </div>
      </form>
      <CheckInBox />
    </div>
  );
}

/** Lower case without diacritics: "malmvagen" finds "Malmvägen". */
function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function locTextOf(loc: Loc | null): string {
  return !loc
    ? t('noLocation')
    : loc.kind === 'place'
      ? t('chosenPlace', loc.name ?? '')
      : loc.kind === 'address'
        ? t('chosenAddress', loc.name ?? '')
      : loc.kind === 'area'
        ? t('chosenArea', loc.name ?? '')
        : t(loc.kind === 'gps' ? 'chosenGps' : 'chosenMap', loc.lat.toFixed(5), loc.lon.toFixed(5));
}

/** One event of a batch: category, place, time, count and the start of the description. */
function EventSummary({ it, fromForm }: { it: BatchItem<Saved>; fromForm?: boolean }) {
  const r = it.report;
  const c = categories.value.find((x) => x.code === r.category);
  const name = c ? (lang.value === 'en' ? c.name_en || c.name_sv : c.name_sv) : r.category;
  const when = r.occurred_to ? `${fmtDateTime(r.occurred_from)} – ${fmtDateTime(r.occurred_to)}` : fmtDateTime(r.occurred_from);
  const text = r.description ?? '';
  return (
    <div class="event-summary">
      <strong>{name}</strong>
      {fromForm && <span class="muted"> ({t('batchFromForm')})</span>}
      <div class="muted">
        {it.draft ? (it.draft.loc.kind === 'place' || it.draft.loc.kind === 'address' ? it.draft.loc.name : locTextOf(it.draft.loc)) : ''} · {when} · {r.count ?? 1}× · {t(r.certainty ?? 'observed')}
        {r.police_notified ? ` · ${t('policeNotified')}` : ''}
      </div>
      {text && <p class="rc-text">{text.length > 140 ? `${text.slice(0, 137)}…` : text}</p>}
    </div>
  );
}

function QueueBox() {
  lang.value;
  const n = queueSize.value;
  const [, force] = useState(0);
  if (!n) return null;
  const owner = currentOwner();
  const items = queue.mine(owner);
  const others = queue.others(owner);
  const discard = (id: string) => {
    queue.remove(id);
    queueSize.value = queue.size;
    force((x) => x + 1);
  };
  const when = (i: QueueItem) => i.report.occurred_from.slice(0, 16).replace('T', ' ');
  return (
    <>
      {items.length > 0 && (
        <section class="card queue" aria-labelledby="queue-h" data-testid="queue-mine">
          <h2 id="queue-h">{t('queueTitle')}</h2>
          <p>{t('queueCount', items.length)}</p>
          <ul>
            {items.map((i) => (
              <li key={i.source_id}>
                {i.report.category} · {when(i)}
                {i.errors && (
                  <>
                    {' '}
                    <span class="error">{t('queueNeedsFix', Object.entries(i.errors).map(([k, v]) => (k ? `${k}: ${v}` : v)).join('; '))}</span>{' '}
                    <button type="button" class="btn-link" onClick={() => discard(i.source_id)}>
                      {t('queueDiscard')}
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
          <button type="button" class="btn" onClick={async () => { await flushQueue(); force((x) => x + 1); }}>{t('queueSendNow')}</button>
        </section>
      )}
      {others.length > 0 && (
        <section class="card queue" aria-labelledby="queue-others-h" data-testid="queue-others">
          <h2 id="queue-others-h">{t('queueOthersTitle')}</h2>
          <p>{t('queueOthersIntro')}</p>
          <ul>
            {others.map((i, k) => (
              <li key={i.source_id}>
                {i.report.category} · {when(i)} – {i.owner ? t('queueWaitsFor', i.owner.login) : t('queueUnknownOwner')}{' '}
                <button type="button" class="btn-link" onClick={() => discard(i.source_id)}>
                  {t('queueDiscardOther')}<span class="visually-hidden"> {k + 1}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function CheckInBox() {
  lang.value;
  const week = weekLabel(new Date());
  const [items, setItems] = useState<CheckIn[]>([]);
  const [err, setErr] = useState('');
  const org = user.value?.org ?? '';
  const load = () => api.checkins().then(setItems).catch(() => undefined);
  useEffect(() => void load(), []);
  const mine = new Map(items.filter((c) => c.week === week && c.org === org).map((c) => [c.area, c]));
  const levelOne = areas.value.filter((a) => a.level >= 1);
  if (!org) return null;
  return (
    <section class="card" aria-labelledby="checkin-h">
      <h2 id="checkin-h">{t('checkinTitle')}</h2>
      <p>{t('checkinIntro', week.slice(6).replace(/^0/, ''))}</p>
      {err && <p class="error" role="alert">{err}</p>}
      <ul class="checkins">
        {levelOne.map((a) => {
          const c = mine.get(a.code);
          return (
            <li key={a.code}>
              {c ? (
                <span class="done">✓ {c.nothing_to_report ? t('checkinDone', a.name) : t('checkinReported', a.name)}</span>
              ) : (
                <button type="button" class="btn small" onClick={async () => {
                  setErr('');
                  try {
                    await api.checkin(a.code, week);
                    await load();
                  } catch (e) {
                    setErr(e instanceof ApiError ? Object.values(e.fields)[0] ?? e.message : t('networkError'));
                  }
                }}>
                  {t('checkinButton', a.name)}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
