// Problem: the list of problems (behaviour + place + time), a form to create or edit one
// (coordinators, admins; viewers read), its linked reports (category, date, area from
// GET /reports/{id}) and the actions that answer it.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { ApiError, api, type Report } from '../api';
import { lang } from '../i18n';
import { Field, describe } from '../components/field';
import { fmtDateTime } from '../components/util';
import { href, navigate } from '../router';
import { areas, canReview, categories, places, user } from '../state';
import { workApi, type Action, type ProblemItem } from '../work-api';
import { tp, type PKey } from './problems-text';
import {
  PROBLEM_STATUSES,
  actionsForProblem,
  emptyProblemDraft,
  mapLimit,
  parseProblemFilter,
  problemBody,
  problemToDraft,
  validateProblem,
  type ProblemDraft,
} from './problems-logic';
import { areaChoices } from './actions-logic';
import { Choice, MultiCheck, OverdueFlag, StatusBadge, errorsFromApi, focusFirstError, withoutErrors } from './actions-shared';
import './actions.css';

const ORDER = ['title', 'description', 'status', 'areas', 'places', 'categories', 'reports'] as const;
type Errors = Record<string, string>;

const apiTexts = () => ({ conflict: tp('conflict'), failed: tp('saveFailed'), forbidden: tp('forbidden') });

/** Client error keys → words ("badIds:x, y" names the bad tokens). */
function words(e: Errors): Errors {
  return Object.fromEntries(
    Object.entries(e).map(([k, v]) => [k, v.startsWith('badIds:') ? tp('badIds', v.slice(7)) : tp(v as PKey)]),
  );
}

export default function ProblemsPage({ query }: { query: string }) {
  lang.value;
  const q = new URLSearchParams(query);
  const id = Number(q.get('id') ?? '');
  if (id > 0) return <ProblemDetail id={id} created={q.get('created') === '1'} />;
  if (q.get('new') === '1') return canReview(user.value) ? <NewProblem /> : <p role="alert">{tp('forbidden')}</p>;
  return <ProblemList query={query} />;
}

function ProblemStatus({ status }: { status: ProblemItem['status'] }) {
  return <span class={`status pstatus-${status}`}>{tp(`status_${status}` as PKey)}</span>;
}

function useActions(): Action[] | null {
  const [list, setList] = useState<Action[] | null>(null);
  useEffect(() => {
    workApi
      .actions()
      .then(setList)
      .catch(() => setList([]));
  }, []);
  return list;
}

// ---------------------------------------------------------------- list

function ProblemList({ query }: { query: string }) {
  const status = parseProblemFilter(query);
  const [items, setItems] = useState<ProblemItem[] | null>(null);
  const [err, setErr] = useState('');
  const actions = useActions();

  useEffect(() => {
    let live = true;
    setItems(null);
    workApi
      .problems(status || undefined)
      .then((xs) => live && setItems(xs))
      .catch(() => live && setErr(tp('loadFailed')));
    return () => {
      live = false;
    };
  }, [status]);

  return (
    <section class="work-page">
      <div class="page-head">
        <div>
          <h1>{tp('title')}</h1>
          <p class="lead">{tp('intro')}</p>
        </div>
        {canReview(user.value) && (
          <a class="btn primary" href={href('/problem', 'new=1')}>
            {tp('newProblem')}
          </a>
        )}
      </div>
      <form class="card work-filters" role="search" aria-label={tp('filters')} onSubmit={(e) => e.preventDefault()}>
        <Field id="pf-status" label={tp('fStatus')}>
          <select id="pf-status" value={status} onChange={(e) => navigate('/problem', e.currentTarget.value ? `status=${e.currentTarget.value}` : '', true)}>
            <option value="">{tp('fAll')}</option>
            {PROBLEM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {tp(`status_${s}` as PKey)}
              </option>
            ))}
          </select>
        </Field>
      </form>
      <p role="status" class="result-count">
        {items === null ? '' : tp('showing', items.length)}
      </p>
      {err && (
        <p role="alert" class="error">
          {err}
        </p>
      )}
      {items === null && !err ? (
        <p aria-live="polite">…</p>
      ) : items && items.length === 0 ? (
        <p>{tp('noProblems')}</p>
      ) : (
        <ul class="work-cards" data-testid="problem-list">
          {(items ?? []).map((p) => {
            const n = actions ? actionsForProblem(actions, p.id).length : null;
            return (
              <li key={p.id} class={`work-card pstatus-card-${p.status}`}>
                <div class="wc-head">
                  <a class="wc-title" href={href('/problem', `id=${p.id}`)}>
                    {p.title}
                  </a>
                  <ProblemStatus status={p.status} />
                </div>
                <p class="wc-meta">
                  {p.areas.length > 0 && <span>{p.areas.map((a) => a.name).join(', ')}</span>}
                  {p.places.length > 0 && <span>{p.places.map((a) => a.name).join(', ')}</span>}
                  {p.categories.length > 0 && <span>{p.categories.map((a) => a.name).join(', ')}</span>}
                </p>
                <p class="wc-meta">
                  <span>{p.reports.length === 1 ? tp('reportsOne') : tp('reportsCount', p.reports.length)}</span>
                  {n !== null && <span>{n === 0 ? tp('noActionsShort') : n === 1 ? tp('actionsOne') : tp('actionsCount', n)}</span>}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- form

function ProblemForm(props: {
  draft: ProblemDraft;
  setDraft: (d: ProblemDraft) => void;
  errors: Errors;
  setErrors: (e: Errors) => void;
  busy: boolean;
  onSubmit: () => void;
  submitLabel: string;
  status: string;
}) {
  const { draft, errors } = props;
  const set = (patch: Partial<ProblemDraft>) => {
    props.setDraft({ ...draft, ...patch });
    props.setErrors(withoutErrors(errors, Object.keys(patch)));
  };
  const fe = (k: string) => errors[k];
  const areaOptions = useMemo(() => areaChoices(areas.value).map((a) => ({ value: a.code, label: a.name })), [areas.value]);
  const placeOptions = places.value.map((p) => ({ value: String(p.id), label: p.name }));
  const catOptions = categories.value.map((c) => ({ value: c.code, label: lang.value === 'en' && c.name_en ? c.name_en : c.name_sv }));
  return (
    <form
      class="work-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <fieldset>
        <legend>{tp('secProblem')}</legend>
        <Field id="p-title" label={tp('fTitle')} hint={tp('fTitleHint')} error={fe('title')}>
          <input id="p-title" value={draft.title} maxLength={300} onInput={(e) => set({ title: e.currentTarget.value })} {...describe('p-title', fe('title'), true)} aria-required="true" />
        </Field>
        <Field id="p-description" label={tp('fDescription')} hint={tp('fDescriptionHint')} error={fe('description')}>
          <textarea id="p-description" rows={4} value={draft.description} onInput={(e) => set({ description: e.currentTarget.value })} {...describe('p-description', fe('description'), true)} />
        </Field>
        <Choice id="p-status" legend={tp('fStatus2')} value={draft.status} error={fe('status')} onChange={(v) => set({ status: v })} options={PROBLEM_STATUSES.map((s) => ({ value: s, label: tp(`status_${s}` as PKey) }))} />
      </fieldset>
      <fieldset>
        <legend>{tp('secWhere')}</legend>
        <MultiCheck id="p-areas" legend={tp('fAreas')} options={areaOptions} value={draft.areas} onChange={(v) => set({ areas: v })} error={fe('areas')} />
        <MultiCheck id="p-places" legend={tp('fPlaces')} options={placeOptions} value={draft.places} onChange={(v) => set({ places: v })} error={fe('places')} />
        <MultiCheck id="p-categories" legend={tp('fCategories')} options={catOptions} value={draft.categories} onChange={(v) => set({ categories: v })} error={fe('categories')} />
      </fieldset>
      <fieldset>
        <legend>{tp('secReports')}</legend>
        <Field id="p-reports" class="id-list-field" label={tp('fReports')} hint={tp('fReportsHint')} error={fe('reports')}>
          <textarea id="p-reports" rows={2} value={draft.reports} onInput={(e) => set({ reports: e.currentTarget.value })} {...describe('p-reports', fe('reports'), true)} />
        </Field>
      </fieldset>
      {errors[''] && (
        <p role="alert" class="msg msg-error">
          {errors['']}
        </p>
      )}
      <p role="status" class="save-status">
        {props.status}
      </p>
      <div class="form-actions">
        <button type="submit" class="btn primary" disabled={props.busy}>
          {props.submitLabel}
        </button>
      </div>
    </form>
  );
}

function NewProblem() {
  const [draft, setDraft] = useState<ProblemDraft>(emptyProblemDraft);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => h1.current?.focus(), []);

  async function submit() {
    const client = validateProblem(draft);
    if (Object.keys(client).length) {
      const e = words(client);
      setErrors({ ...e, '': tp('fixErrors') });
      focusFirstError(e, ORDER, 'p');
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const p = await workApi.createProblem(problemBody(draft));
      navigate('/problem', `id=${p.id}&created=1`);
    } catch (e) {
      const fe = errorsFromApi(e, apiTexts());
      setErrors(fe);
      focusFirstError(fe, ORDER, 'p');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="work-page">
      <p>
        <a href={href('/problem')}>← {tp('back')}</a>
      </p>
      <h1 ref={h1} tabIndex={-1}>
        {tp('newTitle')}
      </h1>
      <ProblemForm draft={draft} setDraft={setDraft} errors={errors} setErrors={setErrors} busy={busy} onSubmit={submit} submitLabel={tp('create')} status="" />
    </section>
  );
}

// ---------------------------------------------------------------- detail

function ProblemDetail({ id, created }: { id: number; created: boolean }) {
  const [problem, setProblem] = useState<ProblemItem | null>(null);
  const [draft, setDraft] = useState<ProblemDraft | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [loadErr, setLoadErr] = useState('');
  const [status, setStatus] = useState('');
  const [fresh, setFresh] = useState(created);
  const [busy, setBusy] = useState(false);
  const actions = useActions();
  const h1 = useRef<HTMLHeadingElement>(null);
  const editable = canReview(user.value);

  function adopt(p: ProblemItem) {
    setProblem(p);
    setDraft(problemToDraft(p));
  }

  useEffect(() => {
    let live = true;
    workApi
      .problem(id)
      .then((p) => {
        if (!live) return;
        adopt(p);
        setTimeout(() => h1.current?.focus(), 0);
      })
      .catch((e) => live && setLoadErr(e instanceof ApiError && e.status === 404 ? tp('notFound') : tp('loadFailed')));
    return () => {
      live = false;
    };
  }, [id]);

  if (!problem || !draft) {
    return loadErr ? (
      <section class="work-page">
        <p>
          <a href={href('/problem')}>← {tp('back')}</a>
        </p>
        <p role="alert" class="error">
          {loadErr}
        </p>
      </section>
    ) : (
      <p aria-live="polite">…</p>
    );
  }

  async function save() {
    if (!problem || !draft) return;
    setStatus('');
    setFresh(false);
    const client = validateProblem(draft);
    if (Object.keys(client).length) {
      const e = words(client);
      setErrors({ ...e, '': tp('fixErrors') });
      focusFirstError(e, ORDER, 'p');
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      adopt(await workApi.updateProblem(problem.id, problemBody(draft, problem.version)));
      setStatus(tp('saved'));
    } catch (e) {
      const fe = errorsFromApi(e, apiTexts());
      setErrors(fe);
      focusFirstError(fe, ORDER, 'p');
    } finally {
      setBusy(false);
    }
  }

  async function reload() {
    try {
      adopt(await workApi.problem(id));
      setErrors({});
    } catch {
      setErrors({ '': tp('loadFailed') });
    }
  }

  const answering = actions ? actionsForProblem(actions, problem.id) : null;

  return (
    <section class="work-page problem-detail">
      <p>
        <a href={href('/problem')}>← {tp('back')}</a>
      </p>
      <h1 ref={h1} tabIndex={-1}>
        {problem.title}
      </h1>
      <p class="detail-sub">
        <ProblemStatus status={problem.status} />
      </p>
      {fresh && (
        <p class="msg msg-ok" role="status">
          {tp('created')}
        </p>
      )}
      {!editable && <p class="note-box">{tp('readOnly')}</p>}
      <div class="detail-layout">
        <div class="detail-main">
          {editable ? (
            <>
              <ProblemForm draft={draft} setDraft={setDraft} errors={errors} setErrors={setErrors} busy={busy} onSubmit={save} submitLabel={tp('save')} status={status} />
              {errors[''] === tp('conflict') && (
                <button type="button" class="btn" onClick={reload}>
                  {tp('reload')}
                </button>
              )}
            </>
          ) : (
            <ProblemFacts p={problem} />
          )}
        </div>
        <div class="detail-side">
          <section class="card" aria-labelledby="answers-h" data-testid="answers">
            <h2 id="answers-h">{tp('answers')}</h2>
            {answering === null ? (
              <p aria-live="polite">…</p>
            ) : answering.length === 0 ? (
              <p>{tp('answersNone')}</p>
            ) : (
              <ul class="plain answer-list">
                {answering.map((a) => (
                  <li key={a.id} class={`work-card ${a.overdue ? 'is-overdue' : ''}`}>
                    <div class="wc-head">
                      <a class="wc-title" href={href('/insatser', `id=${a.id}`)}>
                        {a.title}
                      </a>
                      <StatusBadge status={a.status} />
                    </div>
                    {a.overdue && (
                      <p class="wc-flag">
                        <OverdueFlag day={a.follow_up} />
                      </p>
                    )}
                    <p class="wc-meta">{a.owner?.name}</p>
                  </li>
                ))}
              </ul>
            )}
            {editable && (
              <p>
                <a class="btn" href={href('/insatser', `new=1&problem=${problem.id}`)}>
                  {tp('newAction')}
                </a>
              </p>
            )}
          </section>
          <LinkedReports ids={problem.reports} />
        </div>
      </div>
    </section>
  );
}

function ProblemFacts({ p }: { p: ProblemItem }) {
  const list = (xs: { name: string }[]) => (xs.length ? xs.map((x) => x.name).join(', ') : tp('none'));
  const rows: [string, ComponentChildren][] = [
    [tp('fDescription'), p.description || tp('none')],
    [tp('fStatus2'), tp(`status_${p.status}` as PKey)],
    [tp('fAreas'), list(p.areas)],
    [tp('fPlaces'), list(p.places)],
    [tp('fCategories'), list(p.categories)],
  ];
  return (
    <section class="card" aria-labelledby="facts-h">
      <h2 id="facts-h">{tp('facts')}</h2>
      <dl class="facts">
        {rows.map(([k, v]) => (
          <div key={k} class="fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const FIRST = 20;

function LinkedReports({ ids }: { ids: number[] }) {
  const [all, setAll] = useState(false);
  const [rows, setRows] = useState<Map<number, Report | null>>(new Map());
  const shown = all ? ids : ids.slice(0, FIRST);
  const key = shown.join(',');

  useEffect(() => {
    let live = true;
    const missing = shown.filter((id) => !rows.has(id));
    if (!missing.length) return;
    void mapLimit(missing, 4, (id) => api.report(id).catch(() => null)).then((got) => {
      if (!live) return;
      setRows((m) => {
        const n = new Map(m);
        missing.forEach((id, i) => n.set(id, got[i]));
        return n;
      });
    });
    return () => {
      live = false;
    };
  }, [key]);

  const loading = shown.some((id) => !rows.has(id));
  return (
    <section class="card" aria-labelledby="linked-h">
      <h2 id="linked-h">{tp('linked', ids.length)}</h2>
      {ids.length === 0 ? (
        <p>{tp('linkedNone')}</p>
      ) : (
        <>
          {loading && <p aria-live="polite">{tp('loadingReports')}</p>}
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="linked-h">
            <table class="data compact linked-reports" data-testid="linked-reports">
              <caption class="visually-hidden">{tp('linkedCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col" class="num">
                    {tp('colId')}
                  </th>
                  <th scope="col">{tp('colDate')}</th>
                  <th scope="col">{tp('colCategory')}</th>
                  <th scope="col">{tp('colArea')}</th>
                  <th scope="col">{tp('colStatus')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((id) => {
                  const r = rows.get(id);
                  return (
                    <tr key={id}>
                      <td class="num" data-label={tp('colId')}>
                        {id}
                      </td>
                      {r === undefined ? (
                        <td colSpan={4}>…</td>
                      ) : r === null ? (
                        <td colSpan={4} class="muted wrap">
                          {tp('reportMissing')}
                        </td>
                      ) : (
                        <>
                          <td data-label={tp('colDate')}>{fmtDateTime(r.occurred_from)}</td>
                          <td class="wrap" data-label={tp('colCategory')}>
                            {r.category_name || r.category}
                          </td>
                          <td data-label={tp('colArea')}>{r.area?.name ?? tp('outside')}</td>
                          <td data-label={tp('colStatus')}>{tp(`rstatus_${r.status}` as PKey)}</td>
                        </>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {!all && ids.length > FIRST && (
            <button type="button" class="btn small" onClick={() => setAll(true)}>
              {tp('showAll', ids.length)}
            </button>
          )}
        </>
      )}
    </section>
  );
}
