import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, NetworkError, type Report, type ReportPatch } from '../api';
import { lang, t, type Key } from '../i18n';
import { fmtDateTime } from '../components/util';
import { areaLabels, areaLayer, createMap, destroyMap, L, fillOver } from '../components/map';
import {
  candidateQuery,
  distanceMeters,
  DUP_MAX_DAYS,
  DUP_MAX_METERS,
  duplicateCandidates,
  fmtDistance,
  parseReportId,
  type Candidate,
} from '../components/duplicates';
import { areasGeoJSON, categories, places } from '../state';

const LIMIT = 50;
const REASONS: Key[] = ['reason1', 'reason2', 'reason3', 'reason4'];

type PanelKind = 'reject' | 'dup' | 'move';

/** Outcome of one PATCH: the updated report, or the reasons it failed (field → reason). */
interface PatchResult {
  report?: Report;
  fields?: Record<string, string>;
}

function cap(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** "Anledning: Ange varför rapporten avvisas" — the server's Swedish reasons with a field label. */
export function fieldMessage(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => {
      const key = `fld_${k.split('.')[0]}` as Key;
      const label = k && t(key) !== key ? t(key) : '';
      return label ? `${label}: ${cap(v)}` : cap(v);
    })
    .join('; ');
}

function placeName(r: Report): string {
  if (r.place !== null && r.place !== undefined && r.place !== '') {
    const p = places.value.find((x) => String(x.id) === String(r.place) || x.name === r.place);
    if (p) return p.name;
  }
  // "Tureberg (bara område)": placed by its area alone, not at a point.
  if (r.area_only && r.area) return `${r.area.name} (${t('areaOnly')})`;
  return r.area?.name ?? t('outside');
}

function catName(code: string): string {
  const c = categories.value.find((x) => x.code === code);
  if (!c) return code;
  return lang.value === 'en' ? c.name_en || c.name_sv : c.name_sv;
}

function summary(r: Report): string {
  return [fmtDateTime(r.occurred_from), placeName(r), r.org_name || r.org].join(' · ');
}

export default function ReviewPage() {
  lang.value;
  const [items, setItems] = useState<Report[] | null>(null);
  const [total, setTotal] = useState(0);
  const [sel, setSel] = useState<Set<number>>(new Set());
  const [msg, setMsg] = useState('');
  const [rowErr, setRowErr] = useState<Record<number, string>>({});
  const [rowNote, setRowNote] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [bulkReject, setBulkReject] = useState(false);
  const [source, setSource] = useState('');

  async function load() {
    try {
      const p = await api.reports({ status: 'new', limit: LIMIT, source });
      setItems(p.items);
      setTotal(p.total);
      setSel((s) => new Set([...s].filter((id) => p.items.some((r) => r.id === id))));
    } catch {
      setMsg(t('networkError'));
    }
  }
  useEffect(() => void load(), [source]);

  function removeRow(id: number) {
    setItems((xs) => {
      const list = xs ?? [];
      const i = list.findIndex((x) => x.id === id);
      const next = list[i + 1] ?? list[i - 1];
      // Keep the keyboard where it was: on the next row (its checkbox), or the heading.
      setTimeout(() => (document.getElementById(next ? `sel-${next.id}` : 'review-h') as HTMLElement | null)?.focus(), 0);
      return list.filter((x) => x.id !== id);
    });
    setSel((s) => {
      if (!s.has(id)) return s;
      const n = new Set(s);
      n.delete(id);
      return n;
    });
    setTotal((n) => n - 1);
  }

  function replace(r: Report) {
    setItems((xs) => (xs ?? []).map((x) => (x.id === r.id ? r : x)));
  }

  /** After a 409: fetch the row again (it may have left the queue meanwhile). */
  async function reloadRow(id: number) {
    try {
      const fresh = await api.report(id);
      if (fresh.status !== 'new') {
        removeRow(id);
        setMsg(t('rowGone', id));
      } else {
        replace(fresh);
        setRowErr((x) => ({ ...x, [id]: t('conflictRow') }));
      }
    } catch {
      await load();
      setRowErr((x) => ({ ...x, [id]: t('conflictRow') }));
    }
  }

  /** `own`: fields whose reasons the caller shows itself (next to its input), not again at the row. */
  async function patch(r: Report, body: Omit<ReportPatch, 'version'>, own: string[] = []): Promise<PatchResult> {
    setRowErr((e) => ({ ...e, [r.id]: '' }));
    setRowNote((e) => ({ ...e, [r.id]: '' }));
    try {
      const updated = await api.patchReport(r.id, { version: r.version, ...body });
      if (updated.status !== 'new') removeRow(r.id);
      else replace(updated);
      return { report: updated };
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        await reloadRow(r.id);
        return { fields: { version: t('conflictRow') } };
      }
      if (e instanceof ApiError && e.status === 404) {
        removeRow(r.id);
        setMsg(`${t('reportNo', r.id)}: ${e.message}`);
        return { fields: { '': e.message } };
      }
      let fields: Record<string, string>;
      if (e instanceof ApiError) {
        fields = e.fields;
        if (!Object.keys(fields).length) fields = { '': e.status >= 500 ? t('serverError', e.status) : e.message };
      } else if (e instanceof NetworkError) fields = { '': t('networkError') };
      else fields = { '': String(e) };
      const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => !own.includes(k)));
      setRowErr((x) => ({ ...x, [r.id]: fieldMessage(rest) }));
      return { fields };
    }
  }

  async function bulkApprove() {
    if (!items) return;
    setBusy(true);
    setMsg('');
    let ok = 0;
    const chosen = items.filter((x) => sel.has(x.id));
    for (const r of chosen) if ((await patch(r, { status: 'reviewed' })).report) ok++;
    setMsg([t('bulkDone', ok), ok < chosen.length ? t('bulkSomeFailed', chosen.length - ok) : ''].filter(Boolean).join(' '));
    setBusy(false);
  }

  /** Rejects every selected report with one reason; stops when the reason itself is refused. */
  async function bulkRejectAll(reason: string): Promise<Record<string, string> | null> {
    if (!items) return null;
    setBusy(true);
    setMsg('');
    let ok = 0;
    const chosen = items.filter((x) => sel.has(x.id));
    let failed = 0;
    for (const r of chosen) {
      const res = await patch(r, { status: 'rejected', review_note: reason }, ['review_note']);
      if (res.report) ok++;
      else {
        failed++;
        if (res.fields?.review_note) {
          setBusy(false);
          return { review_note: res.fields.review_note };
        }
      }
    }
    setMsg([t('bulkRejectDone', ok), failed ? t('bulkSomeFailed', failed) : ''].filter(Boolean).join(' '));
    setBusy(false);
    setBulkReject(false);
    return null;
  }

  const allSelected = !!items?.length && items.every((r) => sel.has(r.id));

  return (
    <div class="review-page">
      <h1 id="review-h" tabIndex={-1}>{t('reviewTitle')}</h1>
      <p class="lead">{t('reviewIntro2')}</p>
      <div class="field review-source">
        <label for="review-source">{t('reviewSource')}</label>
        <select id="review-source" value={source} onChange={(e) => setSource((e.target as HTMLSelectElement).value)}>
          <option value="">{t('reviewSourceAll')}</option>
          <option value="medborgare">{t('reviewSourceCitizen')}</option>
          <option value="form">{t('reviewSourceForm')}</option>
          <option value="import">{t('reviewSourceImport')}</option>
          <option value="police">{t('reviewSourcePolice')}</option>
        </select>
      </div>
      <p role="status" class="msg-line" data-testid="review-message">{msg}</p>
      {!items && <p>{t('loading')}</p>}
      {items && items.length === 0 && <p>{t('reviewNone')}</p>}
      {items && items.length > 0 && (
        <>
          <p>{t('reviewTotal', total, items.length)}</p>
          <div class="toolbar review-toolbar">
            <div class="check">
              <input id="sel-all" type="checkbox" checked={allSelected}
                onChange={(e) => setSel(e.currentTarget.checked ? new Set(items.map((r) => r.id)) : new Set())} />
              <label for="sel-all">{t('selectAll')}</label>
            </div>
            <span class="muted" aria-live="polite">{t('selectedCount', sel.size)}</span>
            <button type="button" class="btn primary" disabled={!sel.size || busy} onClick={bulkApprove}>
              {t('bulkReviewed')} ({sel.size})
            </button>
            <button type="button" class="btn danger" disabled={!sel.size || busy} aria-expanded={bulkReject}
              aria-controls="bulk-reject" onClick={() => setBulkReject((x) => !x)}>
              {t('bulkRejectOpen')}
            </button>
          </div>
          {bulkReject && sel.size > 0 && (
            <RejectPanel id="bulk-reject" title={t('bulkRejectTitle', sel.size)} confirm={t('bulkRejectConfirm', sel.size)}
              busy={busy} onCancel={() => setBulkReject(false)} onReject={bulkRejectAll} />
          )}
          <ul class="review-list">
            {items.map((r) => (
              <ReviewRow key={r.id} r={r} selected={sel.has(r.id)} err={rowErr[r.id]} note={rowNote[r.id]}
                onSelect={(on) => {
                  const s = new Set(sel);
                  if (on) s.add(r.id);
                  else s.delete(r.id);
                  setSel(s);
                }}
                patch={(body, own) => patch(r, body, own)}
                say={(text) => setMsg(text)}
                noteRow={(text) => setRowNote((x) => ({ ...x, [r.id]: text }))} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function ReviewRow(props: {
  r: Report;
  selected: boolean;
  err?: string;
  note?: string;
  onSelect: (on: boolean) => void;
  patch: (body: Omit<ReportPatch, 'version'>, own?: string[]) => Promise<PatchResult>;
  say: (text: string) => void;
  noteRow: (text: string) => void;
}) {
  const { r, patch } = props;
  const [panel, setPanel] = useState<PanelKind | null>(null);
  const openers = useRef<Record<PanelKind, HTMLButtonElement | null>>({ reject: null, dup: null, move: null });
  const close = () => {
    const k = panel;
    setPanel(null);
    if (k) setTimeout(() => openers.current[k]?.focus(), 0);
  };
  const toggle = (k: PanelKind) => setPanel((p) => (p === k ? null : k));
  const pid = (k: PanelKind) => `${k}-${r.id}`;

  return (
    <li class="card review-item" data-report-id={r.id}>
      <div class="check">
        <input id={`sel-${r.id}`} type="checkbox" checked={props.selected} onChange={(e) => props.onSelect(e.currentTarget.checked)} />
        <label for={`sel-${r.id}`}>
          <span class="visually-hidden">{t('select', r.id)} </span>#{r.id}
        </label>
      </div>
      <div class="ri-body">
        <div class="muted" data-testid="row-meta">
          {fmtDateTime(r.occurred_from)} · <span data-testid="row-place">{placeName(r)}</span>
          {r.place !== null && r.area ? ` (${r.area.name})` : ''} · {r.org_name || r.org} · {t('severity')} {r.severity} · {r.count}×
        </div>
        {r.description && <p class="rc-text">{r.description}</p>}
        <div class="ri-actions">
          <label for={`cat-${r.id}`} class="inline-label">{t('category')}</label>
          <select id={`cat-${r.id}`} value={r.category} onChange={(e) => patch({ category: e.currentTarget.value })}>
            {categories.value.map((c) => (
              <option key={c.code} value={c.code}>{lang.value === 'en' ? c.name_en || c.name_sv : c.name_sv}</option>
            ))}
          </select>
          <button type="button" class="btn small primary" onClick={async () => {
            if ((await patch({ status: 'reviewed' })).report) props.say(t('reviewedOne', r.id));
          }}>{t('markReviewed')}</button>
          {(['move', 'dup', 'reject'] as PanelKind[]).map((k) => (
            <button key={k} type="button" class={`btn small${k === 'reject' ? ' danger' : ''}`} ref={(el) => {
                openers.current[k] = el;
              }}
              aria-expanded={panel === k} aria-controls={panel === k ? pid(k) : undefined} onClick={() => toggle(k)}>
              {t(k === 'move' ? 'moveOpen' : k === 'dup' ? 'dupOpen' : 'rejectOpen')}
            </button>
          ))}
        </div>
        {props.note && <p class="ok-note" role="status">{props.note}</p>}
        {props.err && <p class="error" role="alert" data-testid="row-error">{props.err}</p>}
        {panel === 'reject' && (
          <RejectPanel id={pid('reject')} title={t('rejectTitle', r.id)} confirm={t('rejectConfirm')} onCancel={close}
            onReject={async (reason): Promise<Record<string, string> | null> => {
              const res = await patch({ status: 'rejected', review_note: reason }, ['review_note']);
              if (res.report) {
                props.say(t('rejectedOne', r.id));
                return null;
              }
              // The reason's own error is shown next to the reason, not twice.
              return res.fields?.review_note ? { review_note: res.fields.review_note } : {};
            }} />
        )}
        {panel === 'dup' && <DuplicatePanel id={pid('dup')} r={r} onCancel={close} patch={patch} say={props.say} />}
        {panel === 'move' && (
          <MovePanel id={pid('move')} r={r} onCancel={close} patch={patch}
            onMoved={(where) => {
              props.noteRow(t('moved', r.id, where));
              close();
            }} />
        )}
      </div>
    </li>
  );
}

/** A titled inline panel; focus goes to its heading on open, Escape closes it. */
function Panel(props: { id: string; title: string; onCancel: () => void; children: ComponentChildren }) {
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => h.current?.focus(), []);
  return (
    <section id={props.id} class="ri-panel" aria-labelledby={`${props.id}-h`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onCancel();
        }
      }}>
      <h2 id={`${props.id}-h`} class="ri-panel-h" tabIndex={-1} ref={h}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** Reason with quick choices and free text. onReject returns null when done, else field errors. */
function RejectPanel(props: {
  id: string;
  title: string;
  confirm: string;
  busy?: boolean;
  onCancel: () => void;
  onReject: (reason: string) => Promise<Record<string, string> | null>;
}) {
  const [reason, setReason] = useState('');
  const [err, setErr] = useState('');
  const [sending, setSending] = useState(false);
  const ta = `${props.id}-reason`;
  return (
    <Panel id={props.id} title={props.title} onCancel={props.onCancel}>
      <div class="quick-reasons" role="group" aria-label={t('reasonQuick')}>
        {REASONS.map((k) => (
          <button key={k} type="button" class="btn small chip" lang="sv" aria-pressed={reason === t(k)}
            onClick={() => {
              setReason(t(k));
              setErr('');
            }}>
            {t(k)}
          </button>
        ))}
      </div>
      <div class={`field ${err ? 'has-error' : ''}`}>
        <label for={ta}>{t('reasonLabel')}</label>
        <p class="hint" id={`${ta}-hint`}>{t('reasonHint')}</p>
        <textarea id={ta} rows={2} maxLength={2000} value={reason} aria-invalid={err ? 'true' : undefined}
          aria-describedby={`${ta}-hint${err ? ` ${ta}-error` : ''}`} onInput={(e) => setReason(e.currentTarget.value)} />
        {err && <p class="error" id={`${ta}-error`} role="alert">{err}</p>}
      </div>
      <div class="ri-panel-actions">
        <button type="button" class="btn danger" disabled={sending || props.busy} onClick={async () => {
          setSending(true);
          setErr('');
          const res = await props.onReject(reason.trim());
          setSending(false);
          if (res && res.review_note) {
            setErr(fieldMessage({ review_note: res.review_note }));
            document.getElementById(ta)?.focus();
          }
        }}>{props.confirm}</button>
        <button type="button" class="btn" onClick={props.onCancel}>{t('cancel')}</button>
      </div>
    </Panel>
  );
}

function OriginalSummary({ o, r }: { o: Report; r: Report }) {
  const a = r.location;
  const b = o.location;
  const m = a?.lat != null && a?.lon != null && b?.lat != null && b?.lon != null
    ? distanceMeters({ lat: a.lat, lon: a.lon }, { lat: b.lat, lon: b.lon })
    : null;
  return (
    <>
      <strong>#{o.id}</strong> {catName(o.category)} · {summary(o)}
      {m !== null && ` · ${t('dupAway', fmtDistance(m, lang.value))}`} · {t(`status_${o.status}` as Key)}
      {o.description && <span class="dup-text"> – {o.description.length > 120 ? `${o.description.slice(0, 117)}…` : o.description}</span>}
    </>
  );
}

function DuplicatePanel(props: {
  id: string;
  r: Report;
  onCancel: () => void;
  patch: (body: Omit<ReportPatch, 'version'>, own?: string[]) => Promise<PatchResult>;
  say: (text: string) => void;
}) {
  const { r } = props;
  const [cands, setCands] = useState<Candidate[] | null>(null);
  const [loadErr, setLoadErr] = useState('');
  const [chosen, setChosen] = useState<Report | null>(null);
  const [idText, setIdText] = useState('');
  const [idErr, setIdErr] = useState('');
  const [sending, setSending] = useState(false);
  useEffect(() => {
    let live = true;
    api
      .reports(candidateQuery(r))
      .then((p) => live && setCands(duplicateCandidates(r, p.items)))
      .catch(() => live && (setLoadErr(t('networkError')), setCands([])));
    return () => {
      live = false;
    };
  }, [r.id]);

  async function byId() {
    setIdErr('');
    const n = parseReportId(idText);
    if (!n) return setIdErr(t('dupIdInvalid'));
    if (n === r.id) return setIdErr(t('dupSelf'));
    try {
      setChosen(await api.report(n));
    } catch (e) {
      setChosen(null);
      setIdErr(e instanceof ApiError && e.status === 404 ? t('dupNotFound', n) : e instanceof ApiError ? e.message : t('networkError'));
    }
  }

  const idField = `${props.id}-id`;
  return (
    <Panel id={props.id} title={t('dupTitle', r.id)} onCancel={props.onCancel}>
      <p class="hint">{t('dupIntro', DUP_MAX_DAYS, DUP_MAX_METERS)}</p>
      {loadErr && <p class="error">{loadErr}</p>}
      {!cands && <p aria-live="polite">{t('dupLoading')}</p>}
      {cands && cands.length === 0 && !loadErr && <p>{t('dupNone')}</p>}
      {cands && cands.length > 0 && (
        <fieldset class="dup-list">
          <legend>{t('dupCandidates')}</legend>
          <ul>
            {cands.map((c) => (
              <li key={c.report.id}>
                <input type="radio" name={`${props.id}-c`} id={`${props.id}-c${c.report.id}`} checked={chosen?.id === c.report.id}
                  onChange={() => {
                    setChosen(c.report);
                    setIdErr('');
                  }} />
                <label for={`${props.id}-c${c.report.id}`}><OriginalSummary o={c.report} r={r} /></label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      <div class={`field ${idErr ? 'has-error' : ''}`}>
        <label for={idField}>{t('dupIdLabel')}</label>
        <div class="inline-field">
          <input id={idField} type="text" inputMode="numeric" autocomplete="off" class="id-input" value={idText}
            aria-invalid={idErr ? 'true' : undefined} aria-describedby={idErr ? `${idField}-error` : undefined}
            onInput={(e) => setIdText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void byId();
              }
            }} />
          <button type="button" class="btn small" onClick={byId}>{t('dupFetch')}</button>
        </div>
        {idErr && <p class="error" id={`${idField}-error`} role="alert">{idErr}</p>}
      </div>
      <div class="dup-chosen" aria-live="polite" data-testid="dup-chosen">
        {chosen ? (
          <p><strong>{t('dupChosen')}:</strong> <OriginalSummary o={chosen} r={r} /></p>
        ) : (
          <p class="muted">{t('dupChooseFirst')}</p>
        )}
      </div>
      <div class="ri-panel-actions">
        <button type="button" class="btn primary" disabled={sending} onClick={async () => {
          if (!chosen) {
            setIdErr(t('dupChooseFirst'));
            return;
          }
          setSending(true);
          const res = await props.patch({ status: 'duplicate', duplicate_of: chosen.id }, ['duplicate_of']);
          setSending(false);
          if (res.report) props.say(t('dupDone', r.id, chosen.id));
          else if (res.fields?.duplicate_of) setIdErr(fieldMessage({ duplicate_of: res.fields.duplicate_of }));
        }}>{chosen ? t('dupConfirm', chosen.id) : t('dupConfirmNone')}</button>
        <button type="button" class="btn" onClick={props.onCancel}>{t('cancel')}</button>
      </div>
    </Panel>
  );
}

function MovePanel(props: {
  id: string;
  r: Report;
  onCancel: () => void;
  onMoved: (where: string) => void;
  patch: (body: Omit<ReportPatch, 'version'>, own?: string[]) => Promise<PatchResult>;
}) {
  const { r } = props;
  const [placeId, setPlaceId] = useState('');
  const [pt, setPt] = useState<{ lat: number; lon: number } | null>(null);
  const [err, setErr] = useState('');
  const [sending, setSending] = useState(false);
  const mapEl = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const marker = useRef<L.CircleMarker | null>(null);
  const sorted = useMemo(() => [...places.value].sort((a, b) => a.name.localeCompare(b.name, 'sv')), [places.value]);
  const place = sorted.find((p) => String(p.id) === placeId);
  const target = place && place.lat !== undefined && place.lon !== undefined ? { lat: place.lat, lon: place.lon } : pt;

  useEffect(() => {
    if (!mapEl.current) return;
    const map = createMap(mapEl.current, t('moveMapLabel', r.id));
    mapRef.current = map;
    const here = r.location.lat !== undefined && r.location.lon !== undefined ? ([r.location.lat, r.location.lon] as [number, number]) : null;
    map.setView(here ?? [59.44, 17.93], here ? 14 : 12);
    if (here) L.circleMarker(here, { radius: 9, color: '#4d4d4d', weight: 3, dashArray: '3 3', fill: false, interactive: false }).addTo(map);
    map.on('click', (e: L.LeafletMouseEvent) => {
      setPt({ lat: e.latlng.lat, lon: e.latlng.lng });
      setPlaceId('');
      setErr('');
    });
    let live = true;
    areasGeoJSON()
      .then((fc) => {
        if (!live) return;
        areaLayer(fc, {
          interactive: false,
          style: (f) => {
            const level = f.properties?.level ?? 1;
            if (level === 0) return { color: '#333', weight: 2, fill: false };
            if (level >= 2) return { color: '#4a6b8a', weight: 1, dashArray: '4 4', fill: false };
            return { color: '#4a6b8a', weight: 1, fillColor: '#e8eef4', fillOpacity: fillOver(0.6, 0.12) };
          },
        }).addTo(map);
        areaLabels(map, fc);
      })
      .catch(() => undefined);
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(mapEl.current);
    return () => {
      live = false;
      ro.disconnect();
      destroyMap(map);
      mapRef.current = null;
    };
  }, [r.id]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    marker.current?.remove();
    marker.current = null;
    if (target) {
      marker.current = L.circleMarker([target.lat, target.lon], { radius: 10, color: '#b00020', weight: 3, fillColor: '#ffcc00', fillOpacity: 0.9, interactive: false }).addTo(map);
      if (place) {
        // Show both where the report is now and where it goes.
        const here = r.location.lat != null && r.location.lon != null ? L.latLng(r.location.lat, r.location.lon) : null;
        const to = L.latLng(target.lat, target.lon);
        if (here) map.fitBounds(L.latLngBounds([here, to]), { padding: [30, 30], maxZoom: 16, animate: false });
        else map.setView(to, Math.max(map.getZoom(), 14));
      }
    }
  }, [target?.lat, target?.lon]);

  const where = place ? place.name : pt ? t('movePoint', pt.lat.toFixed(5), pt.lon.toFixed(5)) : '';
  const sel = `${props.id}-place`;
  return (
    <Panel id={props.id} title={t('moveTitle', r.id)} onCancel={props.onCancel}>
      <div class="field">
        <label for={sel}>{t('movePlace')}</label>
        <select id={sel} value={placeId} onChange={(e) => {
          setPlaceId(e.currentTarget.value);
          setPt(null);
          setErr('');
        }}>
          <option value="">{t('movePlaceNone')}</option>
          {sorted.map((p) => (
            <option key={p.id} value={String(p.id)}>{p.name} ({p.kind})</option>
          ))}
        </select>
      </div>
      <p class="hint" id={`${props.id}-maphelp`}>{t('moveMapHelp')}</p>
      <div ref={mapEl} class="map map-move" data-testid="move-map" aria-describedby={`${props.id}-maphelp`} />
      <p class="chosen" aria-live="polite" data-testid="move-chosen">
        <strong>{t('moveNew')}:</strong> {where || t('moveNothing')}
      </p>
      {err && <p class="error" role="alert">{err}</p>}
      <div class="ri-panel-actions">
        <button type="button" class="btn primary" disabled={sending} onClick={async () => {
          if (!place && !pt) return setErr(t('moveNothing'));
          setSending(true);
          const res = await props.patch(
            place ? { place: String(place.id) } : { location: { lon: Number(pt!.lon.toFixed(6)), lat: Number(pt!.lat.toFixed(6)) } },
            ['place', 'location', 'location.lon', 'location.lat', 'lon', 'lat'],
          );
          setSending(false);
          if (res.report) {
            const area = res.report.area?.name;
            props.onMoved(place ? `${place.name}${area ? ` (${area})` : ''}` : area ?? where);
          } else if (res.fields) {
            const f = Object.fromEntries(Object.entries(res.fields).filter(([k]) => /^(place|location|lon|lat)/.test(k)));
            if (Object.keys(f).length) setErr(fieldMessage(f));
          }
        }}>{t('moveSave')}</button>
        <button type="button" class="btn" onClick={props.onCancel}>{t('cancel')}</button>
      </div>
    </Panel>
  );
}
