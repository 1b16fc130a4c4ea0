// The meeting view: the list of meetings, and one meeting with its agenda built from the picture
// (significant changes, hotspots, open actions, open problems, silent reporters), attendance,
// focus areas and places, decisions (each can become an action) and the minutes.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, NetworkError } from '../api';
import { lang } from '../i18n';
import { Field, describe } from '../components/field';
import { fmtNum } from '../components/util';
import { href, navigate } from '../router';
import { areas, canReview, organisations, places, user } from '../state';
import { meetingBody, workApi, type Agenda, type Meeting } from '../work-api';
import { tm, type MKey } from './meeting-text';
import './meeting.css';

function fmtDay(day: string): string {
  const d = new Date(`${day}T12:00:00`);
  if (Number.isNaN(d.getTime())) return day;
  return d.toLocaleDateString(lang.value === 'en' ? 'en-GB' : 'sv-SE', { day: 'numeric', month: 'long', year: 'numeric' });
}

function errorsOf(e: unknown): Record<string, string> {
  if (e instanceof ApiError) return { '': e.status === 409 ? tm('conflict') : tm('saveFailed'), ...e.fields };
  if (e instanceof NetworkError) return { '': tm('saveFailed') };
  return { '': String(e) };
}

export default function MeetingPage({ query }: { query: string }) {
  lang.value;
  const id = Number(new URLSearchParams(query).get('id') ?? '');
  return id > 0 ? <MeetingEditor id={id} /> : <MeetingList />;
}

function MeetingList() {
  const [items, setItems] = useState<Meeting[] | null>(null);
  const [err, setErr] = useState('');
  const canPlan = canReview(user.value);
  useEffect(() => {
    workApi
      .meetings()
      .then(setItems)
      .catch(() => setErr(tm('saveFailed')));
  }, []);

  async function create() {
    try {
      const m = await workApi.createMeeting({});
      navigate('/moten', `id=${m.id}`);
    } catch (e) {
      setErr(errorsOf(e)[''] ?? '');
    }
  }

  return (
    <section class="meetings">
      <h1>{tm('title')}</h1>
      <p class="lead">{tm('intro')}</p>
      {canPlan && (
        <button type="button" class="btn primary" onClick={create}>
          {tm('newMeeting')}
        </button>
      )}
      {err && <p role="alert" class="error">{err}</p>}
      {items === null ? (
        <p aria-live="polite">…</p>
      ) : items.length === 0 ? (
        <p>{tm('noMeetings')}</p>
      ) : (
        <ul class="meeting-list">
          {items.map((m) => (
            <li key={m.id}>
              <a href={href('/moten', `id=${m.id}`)}>
                <strong>
                  {tm(`kind_${m.kind}` as MKey)} {fmtDay(m.held_on)}
                </strong>
              </a>
              <span>
                {' '}
                · {tm('picture', m.period_label)} · {tm('attendeesCount', m.attendees.length)} · {tm('decisionsCount', m.decisions.length)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface DraftDecision {
  number?: number;
  text: string;
  owner: string;
  action: number | null;
}
interface Draft {
  held_on: string;
  period: string;
  title: string;
  minutes: string;
  attendees: string[];
  focus_areas: string[];
  focus_places: string[];
  decisions: DraftDecision[];
  version: number;
}

function toDraft(m: Meeting): Draft {
  return {
    held_on: m.held_on,
    period: m.period,
    title: m.title,
    minutes: m.minutes,
    attendees: m.attendees.map((a) => a.code),
    focus_areas: m.focus_areas.map((a) => a.code),
    focus_places: m.focus_places.map((p) => String(p.id)),
    decisions: m.decisions.map((d) => ({ number: d.number, text: d.text, owner: d.owner?.code ?? '', action: d.action })),
    version: m.version,
  };
}

function toggle(list: string[], v: string, on: boolean): string[] {
  return on ? [...new Set([...list, v])] : list.filter((x) => x !== v);
}

function MeetingEditor({ id }: { id: number }) {
  const [meeting, setMeeting] = useState<Meeting | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [agenda, setAgenda] = useState<Agenda | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const canPlan = canReview(user.value);

  function adopt(m: Meeting) {
    setMeeting(m);
    setDraft(toDraft(m));
  }

  useEffect(() => {
    workApi
      .meeting(id)
      .then(adopt)
      .catch((e) => setErrors(errorsOf(e)));
  }, [id]);

  const period = meeting?.period ?? '';
  useEffect(() => {
    if (!period) return;
    let live = true;
    setAgenda(null);
    workApi
      .agenda(period)
      .then((a) => live && setAgenda(a))
      .catch(() => live && setAgenda(null));
    return () => {
      live = false;
    };
  }, [period, meeting?.version]);

  const districts = useMemo(() => {
    const list = areas.value.filter((a) => a.level >= 1);
    const seen = new Map<string, number>();
    for (const a of list) seen.set(a.name, (seen.get(a.name) ?? 0) + 1);
    return list.map((a) => ({ code: a.code, name: (seen.get(a.name) ?? 0) > 1 && a.level > 1 ? `${a.name} (${a.code})` : a.name }));
  }, [areas.value]);

  if (!draft || !meeting) {
    return errors[''] ? (
      <p role="alert" class="error">
        {errors['']}
      </p>
    ) : (
      <p aria-live="polite">…</p>
    );
  }

  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setDecision = (i: number, patch: Partial<DraftDecision>) =>
    set({ decisions: draft.decisions.map((d, j) => (j === i ? { ...d, ...patch } : d)) });

  async function save(): Promise<Meeting | null> {
    if (!draft) return null;
    setBusy(true);
    setStatus('');
    setErrors({});
    try {
      const m = await workApi.updateMeeting(id, meetingBody(draft));
      adopt(m);
      setStatus(tm('saved'));
      return m;
    } catch (e) {
      setErrors(errorsOf(e)); // the draft stays as typed
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function makeAction(d: DraftDecision) {
    if (!meeting || d.number === undefined || !d.owner) {
      setStatus(tm('needsOwner'));
      return;
    }
    setBusy(true);
    try {
      const followUp = new Date(`${meeting.held_on}T12:00:00`);
      followUp.setDate(followUp.getDate() + 28);
      const a = await workApi.createAction({
        title: d.text.slice(0, 300),
        owner: d.owner,
        meeting: meeting.id,
        decision: d.number,
        areas: meeting.focus_areas.map((x) => x.code),
        places: meeting.focus_places.map((x) => String(x.id)),
        follow_up: followUp.toISOString().slice(0, 10),
        status: 'planned',
      });
      setStatus(tm('actionLink', a.id));
      adopt(await workApi.meeting(id));
    } catch (e) {
      setErrors(errorsOf(e));
    } finally {
      setBusy(false);
    }
  }

  const fe = (k: string) => errors[k];
  const orgName = (code: string) => organisations.value.find((o) => o.code === code)?.name ?? code;

  return (
    <section class="meeting">
      <p>
        <a href={href('/moten')}>← {tm('back')}</a>
      </p>
      <h1>
        {tm(`kind_${meeting.kind}` as MKey)} {fmtDay(meeting.held_on)}
      </h1>
      <p class="lead">{tm('picture', meeting.period_label)}</p>
      {!canPlan && <p class="note">{tm('readOnly')}</p>}

      <AgendaView agenda={agenda} />
      {canPlan && /^\d{4}-W\d{2}$/.test(meeting.period) && <SummaryForm period={meeting.period} />}

      <form
        class="meeting-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset disabled={!canPlan}>
          <div class="row-fields">
            <Field id="m-held" label={tm('heldOn')} error={fe('held_on')}>
              <input id="m-held" type="date" value={draft.held_on} onInput={(e) => set({ held_on: e.currentTarget.value })} {...describe('m-held', fe('held_on'))} />
            </Field>
            <Field id="m-period" label={tm('period')} hint={tm('periodHint')} error={fe('period')}>
              <input id="m-period" value={draft.period} onInput={(e) => set({ period: e.currentTarget.value })} {...describe('m-period', fe('period'), true)} />
            </Field>
            <Field id="m-title" label={tm('meetingTitle')} error={fe('title')}>
              <input id="m-title" value={draft.title} onInput={(e) => set({ title: e.currentTarget.value })} {...describe('m-title', fe('title'))} />
            </Field>
          </div>

          <fieldset class="checks">
            <legend>{tm('attendance')}</legend>
            {fe('attendees') && <p class="error">{fe('attendees')}</p>}
            <div class="check-grid">
              {organisations.value.map((o) => (
                <label key={o.code} class="check">
                  <input
                    type="checkbox"
                    checked={draft.attendees.includes(o.code)}
                    onChange={(e) => set({ attendees: toggle(draft.attendees, o.code, e.currentTarget.checked) })}
                  />
                  {o.name}
                </label>
              ))}
            </div>
          </fieldset>

          <fieldset class="checks">
            <legend>{tm('focus')}</legend>
            <p class="subhead" id="m-focus-areas">
              {tm('focusAreas')}
            </p>
            <div class="check-grid" role="group" aria-labelledby="m-focus-areas">
              {districts.map((a) => (
                <label key={a.code} class="check">
                  <input
                    type="checkbox"
                    checked={draft.focus_areas.includes(a.code)}
                    onChange={(e) => set({ focus_areas: toggle(draft.focus_areas, a.code, e.currentTarget.checked) })}
                  />
                  {a.name}
                </label>
              ))}
            </div>
            <p class="subhead" id="m-focus-places">
              {tm('focusPlaces')}
            </p>
            <div class="check-grid" role="group" aria-labelledby="m-focus-places">
              {places.value.map((p) => (
                <label key={p.id} class="check">
                  <input
                    type="checkbox"
                    checked={draft.focus_places.includes(String(p.id))}
                    onChange={(e) => set({ focus_places: toggle(draft.focus_places, String(p.id), e.currentTarget.checked) })}
                  />
                  {p.name}
                </label>
              ))}
            </div>
          </fieldset>

          <fieldset class="decisions">
            <legend>{tm('decisions')}</legend>
            {fe('decisions') && <p class="error">{fe('decisions')}</p>}
            <ol>
              {draft.decisions.map((d, i) => {
                const n = d.number ?? i + 1;
                const textErr = fe(`decisions[${i}].text`);
                const ownerErr = fe(`decisions[${i}].owner`);
                return (
                  <li key={i} class="decision">
                    <Field id={`d-text-${i}`} label={tm('decisionText', n)} error={textErr}>
                      <textarea id={`d-text-${i}`} rows={2} value={d.text} onInput={(e) => setDecision(i, { text: e.currentTarget.value })} {...describe(`d-text-${i}`, textErr)} />
                    </Field>
                    <Field id={`d-owner-${i}`} label={tm('decisionOwner')} error={ownerErr}>
                      <select id={`d-owner-${i}`} value={d.owner} onChange={(e) => setDecision(i, { owner: e.currentTarget.value })} {...describe(`d-owner-${i}`, ownerErr)}>
                        <option value="">{tm('noOwner')}</option>
                        {organisations.value.map((o) => (
                          <option key={o.code} value={o.code}>
                            {o.name}
                          </option>
                        ))}
                      </select>
                    </Field>
                    <div class="decision-actions">
                      {d.action ? (
                        <span class="badge">{tm('actionLink', d.action)}</span>
                      ) : (
                        <>
                          {d.number !== undefined && canPlan && (
                            <button type="button" class="btn" disabled={busy || !d.owner} onClick={() => makeAction(d)}>
                              {tm('makeAction', n)}
                            </button>
                          )}
                          {canPlan && (
                            <button type="button" class="btn-link" onClick={() => set({ decisions: draft.decisions.filter((_, j) => j !== i) })}>
                              {tm('removeDecision', n)}
                            </button>
                          )}
                        </>
                      )}
                      {d.number !== undefined && !d.owner && !d.action && <span class="hint">{tm('needsOwner')}</span>}
                      {d.owner && <span class="visually-hidden">{orgName(d.owner)}</span>}
                    </div>
                  </li>
                );
              })}
            </ol>
            {canPlan && (
              <button type="button" class="btn" onClick={() => set({ decisions: [...draft.decisions, { text: '', owner: '', action: null }] })}>
                {tm('addDecision')}
              </button>
            )}
          </fieldset>

          <Field id="m-minutes" label={tm('minutes')} hint={tm('minutesHint')} error={fe('minutes')}>
            <textarea id="m-minutes" rows={8} value={draft.minutes} onInput={(e) => set({ minutes: e.currentTarget.value })} {...describe('m-minutes', fe('minutes'), true)} />
          </Field>
        </fieldset>
        {errors[''] && (
          <p role="alert" class="error">
            {errors['']}
          </p>
        )}
        <p role="status" aria-live="polite" class="save-status">
          {status}
        </p>
        {canPlan && (
          <button type="submit" class="btn primary" disabled={busy}>
            {tm('save')}
          </button>
        )}
      </form>
    </section>
  );
}

function AgendaView({ agenda }: { agenda: Agenda | null }) {
  if (!agenda) {
    return (
      <section class="agenda" aria-busy="true">
        <h2>{tm('agenda')}</h2>
        <p aria-live="polite">{tm('loadingAgenda')}</p>
      </section>
    );
  }
  const pct = `${fmtNum(agenda.coverage_share * 100)} %`;
  // Hot cells grouped by the area that holds them: how many cells, their reports, the strongest z.
  const byArea = new Map<string, { name: string; cells: number; reports: number; z: number }>();
  for (const h of agenda.hotspots) {
    const name = h.area?.name ?? tm('outside');
    const g = byArea.get(name) ?? { name, cells: 0, reports: 0, z: 0 };
    g.cells += 1;
    g.reports += h.count;
    g.z = Math.max(g.z, h.gi_star);
    byArea.set(name, g);
  }
  const hot = [...byArea.values()].sort((a, b) => b.z - a.z);
  return (
    <section class="agenda" data-testid="agenda">
      <h2>{tm('agenda')}</h2>
      <p>{tm('agendaIntro', fmtNum(agenda.total), fmtNum(agenda.total_previous), pct)}</p>

      <h3>{tm('changes')}</h3>
      {agenda.changes.length === 0 ? (
        <p>{tm('noChanges')}</p>
      ) : (
        <div class="table-wrap">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{tm('colArea')}</th>
                <th scope="col">{tm('colCategory')}</th>
                <th scope="col" class="num">
                  {tm('colNow')}
                </th>
                <th scope="col">{tm('colBefore')}</th>
                <th scope="col">{tm('colSignal')}</th>
              </tr>
            </thead>
            <tbody>
              {agenda.changes.map((c, i) => (
                <tr key={i}>
                  <td>{c.area?.name ?? tm('outside')}</td>
                  <td>{c.category?.name ?? tm('allCategories')}</td>
                  <td class="num">{fmtNum(c.count)}</td>
                  <td>{c.against === 'previous' ? tm('vsPrevious', fmtNum(c.previous)) : tm('vsLastYear', fmtNum(c.last_year))}</td>
                  <td>
                    <span class={`signal ${c.signal === 'ökning' ? 'up' : 'down'}`}>{c.signal === 'ökning' ? (lang.value === 'en' ? 'increase' : 'ökning') : lang.value === 'en' ? 'decrease' : 'minskning'}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>{tm('hotspots')}</h3>
      {hot.length === 0 ? (
        <p>{tm('noHotspots')}</p>
      ) : (
        <ul>
          {hot.map((h) => (
            <li key={h.name}>{tm('hotspotRow', h.name, h.cells, fmtNum(h.reports), fmtNum(h.z, 1))}</li>
          ))}
        </ul>
      )}

      <h3>{tm('openActions')}</h3>
      {agenda.open_actions.length === 0 ? (
        <p>{tm('noOpenActions')}</p>
      ) : (
        <ul class="actions-list">
          {agenda.open_actions.map((a) => (
            <li key={a.id}>
              <a href={href('/insatser', `id=${a.id}`)}>
                <strong>
                  #{a.id} {a.title}
                </strong>
              </a>{' '}
              – {tm('owner', a.owner?.name ?? '–')}
              {a.follow_up && (
                <>
                  {' '}
                  · {a.overdue ? <span class="badge warn">{tm('overdue', fmtDay(a.follow_up))}</span> : tm('followUp', fmtDay(a.follow_up))}
                </>
              )}
            </li>
          ))}
        </ul>
      )}

      <h3>{tm('openProblems')}</h3>
      {agenda.open_problems.length === 0 ? (
        <p>{tm('noProblems')}</p>
      ) : (
        <ul>
          {agenda.open_problems.map((p) => (
            <li key={p.id}>
              <strong>{p.title}</strong>
              {p.areas.length > 0 && ` – ${p.areas.map((a) => a.name).join(', ')}`}
            </li>
          ))}
        </ul>
      )}

      <h3>{tm('silent')}</h3>
      {agenda.silent.length === 0 ? (
        <p>{tm('noSilent')}</p>
      ) : (
        <details>
          <summary>{tm('silentSummary', agenda.silent.length)}</summary>
          <ul>
            {agenda.silent.map((s, i) => (
              <li key={i}>{tm('silentRow', s.org?.name ?? '–', s.areas.map((a) => a?.name ?? '').join(', '))}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** Sends the week's summary to the reporters of one organisation or of all. */
function SummaryForm({ period }: { period: string }) {
  const [org, setOrg] = useState('');
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function send() {
    setBusy(true);
    setStatus('');
    setError('');
    try {
      const r = await api.post<{ items: unknown[] }>('/summaries', { period, ...(org ? { org } : {}) });
      setStatus(tm('summarySent', r.items.length));
    } catch (e) {
      setError(errorsOf(e)[''] ?? '');
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="summary-form" aria-labelledby="sum-h">
      <h2 id="sum-h">{tm('summaryTitle')}</h2>
      <p class="hint">{tm('summaryHint')}</p>
      <div class="decision-actions">
        <label for="sum-org">{tm('summaryTo')}</label>
        <select id="sum-org" value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
          <option value="">{tm('summaryAll')}</option>
          {organisations.value.map((o) => (
            <option key={o.code} value={o.code}>
              {o.name}
            </option>
          ))}
        </select>
        <button type="button" class="btn" disabled={busy} onClick={send}>
          {tm('summarySend')}
        </button>
      </div>
      <p role="status" aria-live="polite" class="save-status">
        {status}
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </section>
  );
}
