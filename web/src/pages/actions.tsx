// Insatser: the list of actions (filters in the address, overdue follow-ups flagged), a form for
// a new action (coordinators, admins), and one action with all its fields — editable by those
// allowed — its frozen baseline and the before/after evaluation against comparison areas.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api';
import { lang } from '../i18n';
import { Field, describe } from '../components/field';
import { href, navigate } from '../router';
import { areas, categories, organisations, places, user } from '../state';
import { workApi, type Action, type Evaluation, type ProblemItem } from '../work-api';
import { ta, type AKey } from './actions-text';
import {
  ACTION_STATUSES,
  FILTER_STATUSES,
  actionApiQuery,
  actionBody,
  actionFilterQuery,
  actionRights,
  actionToDraft,
  areaChoices,
  canCreateAction,
  leadBody,
  controlChoices,
  controlsBody,
  countRows,
  emptyActionDraft,
  evaluationBlocker,
  interval,
  isSignificant,
  num,
  pText,
  parseActionFilters,
  validateAction,
  type ActionDraft,
  type ActionFilters,
  type Errors,
  type Lang,
} from './actions-logic';
import { Choice, MultiCheck, OverdueFlag, StatusBadge, errorsFromApi, fmtDay, focusFirstError, withoutErrors } from './actions-shared';
import './actions.css';

const ORDER = ['title', 'description', 'prevention', 'horizon', 'owner', 'partners', 'areas', 'places', 'problems', 'indicator', 'indicator_categories', 'start', 'end', 'follow_up', 'status', 'cost', 'result'] as const;

const apiTexts = () => ({ conflict: ta('conflict'), failed: ta('saveFailed'), forbidden: ta('forbidden') });

export default function ActionsPage({ query }: { query: string }) {
  lang.value; // re-render on language change
  const q = new URLSearchParams(query);
  const id = Number(q.get('id') ?? '');
  if (id > 0) return <ActionDetail id={id} created={q.get('created') === '1'} />;
  if (q.get('new') === '1') {
    return canCreateAction(user.value) ? (
      <NewAction problem={q.get('problem') ?? ''} />
    ) : (
      <p role="alert">{ta('forbidden')}</p>
    );
  }
  return <ActionList query={query} />;
}

// ---------------------------------------------------------------- list

function ActionList({ query }: { query: string }) {
  const filters = parseActionFilters(query);
  const [items, setItems] = useState<Action[] | null>(null);
  const [err, setErr] = useState('');
  const key = actionFilterQuery(filters);

  useEffect(() => {
    let live = true;
    setItems(null);
    setErr('');
    workApi
      .actions(actionApiQuery(filters))
      .then((xs) => live && setItems(xs))
      .catch(() => live && setErr(ta('loadFailed')));
    return () => {
      live = false;
    };
  }, [key]);

  const setFilter = (patch: Partial<ActionFilters>) => navigate('/insatser', actionFilterQuery({ ...filters, ...patch }), true);
  const statusLabel = (s: string) =>
    s === '' ? ta('fAll') : s === 'open' ? ta('fOpen') : s === 'overdue' ? ta('fOverdue') : ta(`status_${s}` as AKey);

  return (
    <section class="work-page">
      <div class="page-head">
        <div>
          <h1>{ta('title')}</h1>
          <p class="lead">{ta('intro')}</p>
        </div>
        {canCreateAction(user.value) && (
          <a class="btn primary" href={href('/insatser', 'new=1')}>
            {ta('newAction')}
          </a>
        )}
      </div>

      <form class="card work-filters" role="search" aria-label={ta('filters')} onSubmit={(e) => e.preventDefault()}>
        <Field id="af-status" label={ta('fStatus')}>
          <select id="af-status" value={filters.status} onChange={(e) => setFilter({ status: e.currentTarget.value as ActionFilters['status'] })}>
            {FILTER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="af-owner" label={ta('fOwner')}>
          <select id="af-owner" value={filters.owner} onChange={(e) => setFilter({ owner: e.currentTarget.value })}>
            <option value="">{ta('fAllOrgs')}</option>
            {organisations.value.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
        </Field>
      </form>

      <p role="status" class="result-count">
        {items === null ? '' : items.length === 1 ? ta('showingOne') : ta('showing', items.length)}
        {items && items.some((a) => a.overdue) && filters.status !== 'overdue' && `, ${ta('overdueCount', items.filter((a) => a.overdue).length)}`}
      </p>
      {err && (
        <p role="alert" class="error">
          {err}
        </p>
      )}
      {items === null && !err ? (
        <p aria-live="polite">…</p>
      ) : items && items.length === 0 ? (
        <p>{ta('noActions')}</p>
      ) : (
        <ul class="work-cards" data-testid="action-list">
          {(items ?? []).map((a) => (
            <ActionCard key={a.id} a={a} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ActionCard({ a }: { a: Action }) {
  return (
    <li class={`work-card ${a.overdue ? 'is-overdue' : ''}`}>
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
      <p class="wc-meta">
        <span>{ta('ownerOf', a.owner?.name ?? '–')}</span>
        {a.areas.length > 0 && <span>{ta('areasOf', a.areas.map((x) => x.name).join(', '))}</span>}
        {!a.overdue && <span>{a.follow_up ? ta('followUp', fmtDay(a.follow_up)) : ta('noFollowUp')}</span>}
      </p>
    </li>
  );
}

// ---------------------------------------------------------------- new

function NewAction({ problem }: { problem: string }) {
  const [draft, setDraft] = useState<ActionDraft>(() => emptyActionDraft(problem ? { problems: [problem] } : {}));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const problems = useProblems();
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => h1.current?.focus(), []);

  async function submit() {
    const client = validateAction(draft);
    if (Object.keys(client).length) {
      const e = Object.fromEntries(Object.entries(client).map(([k, v]) => [k, ta(v as AKey)]));
      setErrors({ ...e, '': ta('fixErrors') });
      focusFirstError(e, ORDER, 'a');
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const a = await workApi.createAction(actionBody(draft));
      navigate('/insatser', `id=${a.id}&created=1`);
    } catch (e) {
      const fe = errorsFromApi(e, apiTexts());
      setErrors(fe);
      focusFirstError(fe, ORDER, 'a');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="work-page">
      <p>
        <a href={href('/insatser')}>← {ta('back')}</a>
      </p>
      <h1 ref={h1} tabIndex={-1}>
        {ta('newTitle')}
      </h1>
      <ActionForm draft={draft} setDraft={setDraft} errors={errors} setErrors={setErrors} busy={busy} onSubmit={submit} submitLabel={ta('create')} problems={problems} status="" />
    </section>
  );
}

function useProblems(): ProblemItem[] {
  const [list, setList] = useState<ProblemItem[]>([]);
  useEffect(() => {
    workApi
      .problems()
      .then(setList)
      .catch(() => setList([]));
  }, []);
  return list;
}

// ---------------------------------------------------------------- form

function ActionForm(props: {
  draft: ActionDraft;
  setDraft: (d: ActionDraft) => void;
  errors: Errors;
  setErrors: (e: Errors) => void;
  busy: boolean;
  onSubmit: () => void;
  submitLabel: string;
  problems: ProblemItem[];
  status: string;
}) {
  const { draft, errors } = props;
  const set = (patch: Partial<ActionDraft>) => {
    props.setDraft({ ...draft, ...patch });
    props.setErrors(withoutErrors(errors, Object.keys(patch)));
  };
  const fe = (k: string) => errors[k];
  const orgOptions = organisations.value.map((o) => ({ value: o.code, label: o.name }));
  const areaOptions = useMemo(() => areaChoices(areas.value).map((a) => ({ value: a.code, label: a.name })), [areas.value]);
  const placeOptions = places.value.map((p) => ({ value: String(p.id), label: p.name }));
  const catOptions = categories.value.map((c) => ({ value: c.code, label: lang.value === 'en' && c.name_en ? c.name_en : c.name_sv }));
  const problemOptions = props.problems.map((p) => ({ value: String(p.id), label: `#${p.id} ${p.title}` }));
  const resultFirst = draft.status === 'done' || draft.status === 'cancelled';

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
        <legend>{ta('secWhat')}</legend>
        <Field id="a-title" label={ta('fTitle')} hint={ta('fTitleHint')} error={fe('title')}>
          <input id="a-title" value={draft.title} maxLength={300} onInput={(e) => set({ title: e.currentTarget.value })} {...describe('a-title', fe('title'), true)} aria-required="true" />
        </Field>
        <Field id="a-description" label={ta('fDescription')} hint={ta('fDescriptionHint')} error={fe('description')}>
          <textarea id="a-description" rows={3} value={draft.description} onInput={(e) => set({ description: e.currentTarget.value })} {...describe('a-description', fe('description'), true)} />
        </Field>
        <div class="form-cols">
          <Choice
            id="a-prevention"
            legend={ta('fPrevention')}
            value={draft.prevention}
            error={fe('prevention')}
            onChange={(v) => set({ prevention: v })}
            options={[
              { value: 'situational', label: ta('prev_situational') },
              { value: 'social', label: ta('prev_social') },
            ]}
          />
          <Choice
            id="a-horizon"
            legend={ta('fHorizon')}
            value={draft.horizon}
            error={fe('horizon')}
            onChange={(v) => set({ horizon: v })}
            options={[
              { value: 'event', label: ta('hor_event') },
              { value: 'long_term', label: ta('hor_long_term') },
            ]}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>{ta('secWho')}</legend>
        <Field id="a-owner" label={ta('fOwner2')} error={fe('owner')}>
          <select id="a-owner" value={draft.owner} onChange={(e) => set({ owner: e.currentTarget.value })} {...describe('a-owner', fe('owner'))} aria-required="true">
            <option value="">{ta('chooseOrg')}</option>
            {orgOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <MultiCheck id="a-partners" legend={ta('fPartners')} options={orgOptions.filter((o) => o.value !== draft.owner)} value={draft.partners} onChange={(v) => set({ partners: v })} error={fe('partners')} />
      </fieldset>

      <fieldset>
        <legend>{ta('secWhere')}</legend>
        <MultiCheck id="a-areas" legend={ta('fAreas')} options={areaOptions} value={draft.areas} onChange={(v) => set({ areas: v })} error={fe('areas')} />
        <MultiCheck id="a-places" legend={ta('fPlaces')} options={placeOptions} value={draft.places} onChange={(v) => set({ places: v })} error={fe('places')} />
      </fieldset>

      <fieldset>
        <legend>{ta('secWhy')}</legend>
        <MultiCheck
          id="a-problems"
          legend={ta('fProblems')}
          options={problemOptions}
          value={draft.problems}
          onChange={(v) => set({ problems: v })}
          error={fe('problems')}
          empty={problemOptions.length ? undefined : ta('noProblemsYet')}
        />
        <Field id="a-indicator" label={ta('fIndicator')} hint={ta('fIndicatorHint')} error={fe('indicator')}>
          <input id="a-indicator" value={draft.indicator} maxLength={300} onInput={(e) => set({ indicator: e.currentTarget.value })} {...describe('a-indicator', fe('indicator'), true)} />
        </Field>
        <MultiCheck
          id="a-indicator_categories"
          legend={ta('fIndicatorCategories')}
          options={catOptions}
          value={draft.indicator_categories}
          onChange={(v) => set({ indicator_categories: v })}
          error={fe('indicator_categories')}
        />
      </fieldset>

      <fieldset>
        <legend>{ta('secWhen')}</legend>
        <div class="form-cols three">
          <Field id="a-start" label={ta('fStart')} hint={ta('fStartHint')} error={fe('start')}>
            <input id="a-start" type="date" value={draft.start} onInput={(e) => set({ start: e.currentTarget.value })} {...describe('a-start', fe('start'), true)} />
          </Field>
          <Field id="a-end" label={ta('fEnd')} hint={ta('fEndHint')} error={fe('end')}>
            <input id="a-end" type="date" value={draft.end} onInput={(e) => set({ end: e.currentTarget.value })} {...describe('a-end', fe('end'), true)} />
          </Field>
          <Field id="a-follow_up" label={ta('fFollowUp')} hint={ta('fFollowUpHint')} error={fe('follow_up')}>
            <input id="a-follow_up" type="date" value={draft.follow_up} onInput={(e) => set({ follow_up: e.currentTarget.value })} {...describe('a-follow_up', fe('follow_up'), true)} />
          </Field>
        </div>
        <Choice id="a-status" legend={ta('fStatus2')} value={draft.status} error={fe('status')} onChange={(v) => set({ status: v })} options={ACTION_STATUSES.map((s) => ({ value: s, label: ta(`status_${s}` as AKey) }))} />
      </fieldset>

      <fieldset class={resultFirst ? 'result-now' : ''}>
        <legend>{ta('secResult')}</legend>
        <Field id="a-result" label={ta('fResult')} hint={resultFirst && !draft.result.trim() ? ta('resultNeeded') : ta('fResultHint')} error={fe('result')}>
          <textarea id="a-result" rows={resultFirst ? 5 : 3} value={draft.result} onInput={(e) => set({ result: e.currentTarget.value })} {...describe('a-result', fe('result'), true)} />
        </Field>
        <div class="form-cols">
          <Field id="a-cost" label={ta('fCost')} hint={ta('fCostHint')} error={fe('cost')}>
            <input id="a-cost" inputMode="decimal" autocomplete="off" value={draft.cost} onInput={(e) => set({ cost: e.currentTarget.value })} {...describe('a-cost', fe('cost'), true)} />
          </Field>
        </div>
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

/** The organisation lead's form: status and result; everything else is shown read-only beside it. */
function LeadForm(props: {
  draft: ActionDraft;
  setDraft: (d: ActionDraft) => void;
  errors: Errors;
  setErrors: (e: Errors) => void;
  busy: boolean;
  onSubmit: () => void;
  status: string;
}) {
  const { draft, errors } = props;
  const set = (patch: Partial<ActionDraft>) => {
    props.setDraft({ ...draft, ...patch });
    props.setErrors(withoutErrors(errors, Object.keys(patch)));
  };
  const fe = (k: string) => errors[k];
  const resultFirst = draft.status === 'done' || draft.status === 'cancelled';
  return (
    <form
      class="work-form lead-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <fieldset>
        <legend>{ta('secLead')}</legend>
        <Choice id="a-status" legend={ta('fStatus2')} value={draft.status} error={fe('status')} onChange={(v) => set({ status: v })} options={ACTION_STATUSES.map((s) => ({ value: s, label: ta(`status_${s}` as AKey) }))} />
        <Field id="a-result" label={ta('fResult')} hint={resultFirst && !draft.result.trim() ? ta('resultNeeded') : ta('fResultHint')} error={fe('result')}>
          <textarea id="a-result" rows={resultFirst ? 5 : 3} value={draft.result} onInput={(e) => set({ result: e.currentTarget.value })} {...describe('a-result', fe('result'), true)} />
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
          {ta('save')}
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------- detail

function ActionDetail({ id, created }: { id: number; created: boolean }) {
  const [action, setAction] = useState<Action | null>(null);
  const [draft, setDraft] = useState<ActionDraft | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [loadErr, setLoadErr] = useState('');
  const [status, setStatus] = useState('');
  const [fresh, setFresh] = useState(created);
  const [busy, setBusy] = useState(false);
  const problems = useProblems();
  const h1 = useRef<HTMLHeadingElement>(null);
  const u = user.value;

  function adopt(a: Action, keepDraft = false) {
    setAction(a);
    if (!keepDraft) setDraft(actionToDraft(a));
  }

  useEffect(() => {
    let live = true;
    workApi
      .action(id)
      .then((a) => {
        if (!live) return;
        adopt(a);
        setTimeout(() => h1.current?.focus(), 0);
      })
      .catch((e) => live && setLoadErr(e instanceof ApiError && e.status === 404 ? ta('notFound') : ta('loadFailed')));
    return () => {
      live = false;
    };
  }, [id]);

  if (!action || !draft) {
    return loadErr ? (
      <section class="work-page">
        <p>
          <a href={href('/insatser')}>← {ta('back')}</a>
        </p>
        <p role="alert" class="error">
          {loadErr}
        </p>
      </section>
    ) : (
      <p aria-live="polite">…</p>
    );
  }

  const rights = actionRights(u, action);
  const editable = rights !== 'none';
  const lead = rights === 'status_result';

  async function save() {
    if (!action || !draft) return;
    setStatus('');
    setFresh(false);
    // An organisation lead sends only what it may change; the other fields are read-only.
    const client = lead ? {} : validateAction(draft);
    if (Object.keys(client).length) {
      const e = Object.fromEntries(Object.entries(client).map(([k, v]) => [k, ta(v as AKey)]));
      setErrors({ ...e, '': ta('fixErrors') });
      focusFirstError(e, ORDER, 'a');
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const a = await workApi.updateAction(action.id, lead ? leadBody(draft, action.version) : actionBody(draft, action.version));
      adopt(a);
      setStatus(ta('saved'));
    } catch (e) {
      const fe = errorsFromApi(e, apiTexts());
      setErrors(fe);
      focusFirstError(fe, ORDER, 'a');
    } finally {
      setBusy(false);
    }
  }

  async function reload() {
    try {
      adopt(await workApi.action(id));
      setErrors({});
      setStatus('');
    } catch {
      setErrors({ '': ta('loadFailed') });
    }
  }

  const problemTitle = (pid: number) => problems.find((p) => p.id === pid)?.title ?? `#${pid}`;

  return (
    <section class="work-page action-detail">
      <p>
        <a href={href('/insatser')}>← {ta('back')}</a>
      </p>
      <h1 ref={h1} tabIndex={-1}>
        {action.title}
      </h1>
      <p class="detail-sub">
        <StatusBadge status={action.status} />
        {action.overdue && <OverdueFlag day={action.follow_up} />}
        <span>{ta('ownerOf', action.owner?.name ?? '–')}</span>
        {action.meeting && (
          <a href={href('/moten', `id=${action.meeting}`)}>{ta('meetingLink', action.meeting, action.decision ?? '')}</a>
        )}
      </p>
      {action.problems.length > 0 && (
        <p class="answers-line">
          <span class="muted">{ta('answersTo')} </span>
          {action.problems.map((p, i) => (
            <span key={p}>
              {i > 0 && ', '}
              <a href={href('/problem', `id=${p}`)}>{problemTitle(p)}</a>
            </span>
          ))}
        </p>
      )}
      {fresh && (
        <p class="msg msg-ok" role="status">
          {ta('created')}
        </p>
      )}
      {!editable && (
        <p class="note-box">{action.owner ? ta('readOnlyOrg', action.owner.name) : ta('readOnly')}</p>
      )}
      {lead && <p class="note-box lead-note">{ta('leadOnly', action.owner?.name ?? '')}</p>}
      <p class="jump">
        <button
          type="button"
          class="btn small"
          onClick={() => {
            const el = document.getElementById('eval-h');
            el?.scrollIntoView({ block: 'start' });
            el?.focus();
          }}
        >
          {ta('toEvaluation')}
        </button>
      </p>

      <div class="detail-layout">
        <div class="detail-main">
          {lead ? (
            <>
              <LeadForm draft={draft} setDraft={setDraft} errors={errors} setErrors={setErrors} busy={busy} onSubmit={save} status={status} />
              {errors[''] === ta('conflict') && (
                <button type="button" class="btn" onClick={reload}>
                  {ta('reload')}
                </button>
              )}
              <ActionFacts a={action} problemTitle={problemTitle} omitResult />
            </>
          ) : editable ? (
            <>
              <ActionForm draft={draft} setDraft={setDraft} errors={errors} setErrors={setErrors} busy={busy} onSubmit={save} submitLabel={ta('save')} problems={problems} status={status} />
              {errors[''] === ta('conflict') && (
                <button type="button" class="btn" onClick={reload}>
                  {ta('reload')}
                </button>
              )}
            </>
          ) : (
            <ActionFacts a={action} problemTitle={problemTitle} />
          )}
        </div>
        <div class="detail-side">
          <Baseline a={action} />
          <EvaluationPanel action={action} editable={rights === 'all'} onSaved={(a) => adopt(a, true)} />
        </div>
      </div>
    </section>
  );
}

function Baseline({ a }: { a: Action }) {
  const l = lang.value as Lang;
  return (
    <section class="card baseline" aria-labelledby="baseline-h">
      <h2 id="baseline-h">{ta('baseline')}</h2>
      {a.baseline === null ? (
        <p>{ta('baselineNone')}</p>
      ) : (
        <>
          <p class="baseline-value">{ta('baselineValue', num(a.baseline, 1, l))}</p>
          <p class="hint">{ta('baselineHint')}</p>
        </>
      )}
    </section>
  );
}

function ActionFacts({ a, problemTitle, omitResult = false }: { a: Action; problemTitle: (id: number) => string; omitResult?: boolean }) {
  const l = lang.value as Lang;
  const list = (xs: { name: string }[]) => (xs.length ? xs.map((x) => x.name).join(', ') : ta('none'));
  const when = a.start ? (a.end ? ta('period', fmtDay(a.start), fmtDay(a.end)) : ta('fromDate', fmtDay(a.start))) : ta('none');
  const rows: [string, ComponentChildren][] = [
    [ta('fDescription'), a.description || ta('none')],
    [ta('fPrevention'), ta(`prev_${a.prevention}` as AKey)],
    [ta('fHorizon'), ta(`hor_${a.horizon}` as AKey)],
    [ta('fOwner2'), a.owner?.name ?? ta('none')],
    [ta('fPartners'), list(a.partners)],
    [ta('fAreas'), list(a.areas)],
    [ta('fPlaces'), list(a.places)],
    [
      ta('fProblems'),
      a.problems.length ? (
        <ul class="plain">
          {a.problems.map((p) => (
            <li key={p}>
              <a href={href('/problem', `id=${p}`)}>{problemTitle(p)}</a>
            </li>
          ))}
        </ul>
      ) : (
        ta('none')
      ),
    ],
    [ta('fStart') + ' – ' + ta('fEnd').toLowerCase(), when],
    [ta('fFollowUp'), a.follow_up ? fmtDay(a.follow_up) : ta('none')],
    [ta('fIndicator'), a.indicator || ta('none')],
    [ta('fIndicatorCategories'), list(a.indicator_categories ?? [])],
    [ta('fCost'), a.cost === null ? ta('none') : `${num(a.cost, 0, l)} kr`],
    ...(omitResult ? [] : [[ta('fResult'), a.result || ta('none')] as [string, ComponentChildren]]),
  ];
  return (
    <section class="card" aria-labelledby="facts-h">
      <h2 id="facts-h">{ta('facts')}</h2>
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

// ---------------------------------------------------------------- evaluation

type EvalState = { kind: 'loading' } | { kind: 'ok'; e: Evaluation } | { kind: 'blocked'; field: string | null; reason: string } | { kind: 'error' };

function EvaluationPanel({ action, editable, onSaved }: { action: Action; editable: boolean; onSaved: (a: Action) => void }) {
  const [st, setSt] = useState<EvalState>({ kind: 'loading' });
  const [reloading, setReloading] = useState(false);

  useEffect(() => {
    let live = true;
    // A shown evaluation stays (and its controls editor with it) until the new one is there.
    setSt((prev) => (prev.kind === 'ok' ? prev : { kind: 'loading' }));
    setReloading(true);
    workApi
      .evaluation(action.id)
      .then((e) => live && setSt({ kind: 'ok', e }))
      .finally(() => live && setReloading(false))
      .catch((e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 400) {
          const f = evaluationBlocker(e.fields);
          setSt({ kind: 'blocked', field: f, reason: (f ? e.fields[f] : '') || e.problem.detail || '' });
        } else setSt({ kind: 'error' });
      });
    return () => {
      live = false;
    };
  }, [action.id, action.version]);

  return (
    <section class="card evaluation" aria-labelledby="eval-h" aria-busy={st.kind === 'loading' || reloading ? 'true' : undefined} data-testid="evaluation">
      <h2 id="eval-h" tabIndex={-1}>
        {ta('evaluation')}
      </h2>
      {st.kind === 'loading' && <p aria-live="polite">{ta('evalLoading')}</p>}
      {st.kind === 'error' && (
        <p role="alert" class="error">
          {ta('evalFailed')}
        </p>
      )}
      {st.kind === 'blocked' && (
        <div class="msg msg-warn eval-blocked" role="status">
          <p>{ta('evalCannot')}</p>
          {st.field && <p>{ta(st.field === 'start' ? 'evalStart' : st.field === 'areas' ? 'evalAreas' : 'evalControls')}</p>}
          {st.reason && (
            <p class="small-text" lang="sv">
              {st.reason}
            </p>
          )}
        </div>
      )}
      {st.kind === 'ok' && <EvaluationBody e={st.e} />}
      {(st.kind === 'ok' || (st.kind === 'blocked' && st.field === 'controls')) && (
        <ControlsEditor action={action} e={st.kind === 'ok' ? st.e : null} editable={editable} onSaved={onSaved} />
      )}
    </section>
  );
}

function EvaluationBody({ e }: { e: Evaluation }) {
  const l = lang.value as Lang;
  const rows = countRows(e, l);
  const rowLabel = { treated: ta('rowTreated'), controls: ta('rowControls'), buffer: ta('rowBuffer') };
  const sig = isSignificant(e.wdd);
  return (
    <>
      {e.preliminary && <p class="prelim">{ta('preliminary')}</p>}
      <h3>{ta('verdict')}</h3>
      <p class="verdict" lang="sv">
        {e.verdict}
      </p>
      <p class="small-text muted">{ta('periods', `${fmtDay(e.before.from)} – ${fmtDay(e.before.to)}`, `${fmtDay(e.after.from)} – ${fmtDay(e.after.to)}`, e.after.days)}</p>

      <div class="table-wrap" tabIndex={0} role="region" aria-label={ta('countsCaption')}>
        <table class="data eval-counts">
          <caption>{ta('countsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{ta('colGroup')}</th>
              <th scope="col" class="num">
                {ta('colBefore')}
              </th>
              <th scope="col" class="num">
                {ta('colAfter')}
              </th>
              <th scope="col" class="num">
                {ta('colChange')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} class={`row-${r.key}`}>
                <th scope="row">
                  {rowLabel[r.key]}
                  <span class="row-areas">{r.areas}</span>
                </th>
                <td class="num" data-label={ta('colBefore')}>
                  {num(r.before, 0, l)}
                </td>
                <td class="num" data-label={ta('colAfter')}>
                  {num(r.after, 0, l)}
                </td>
                <td class="num change" data-label={ta('colChange')}>
                  {r.diff}
                  {r.pct && <span class="pct"> ({r.pct})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div class={`wdd ${sig ? 'is-sig' : ''}`}>
        <h3>{ta('wdd')}</h3>
        <p class="wdd-value">{ta('wddValue', num(e.wdd.estimate, 0, l))}</p>
        <p>{ta('wddCi', interval(e.wdd.ci_low, e.wdd.ci_high, l))}</p>
        <p>{ta('wddZ', num(e.wdd.z, 2, l), pText(e.wdd.p, l))}</p>
        <p class="wdd-sig">{sig ? ta('significant') : ta('notSignificant')}</p>
        <p class="hint">{ta('wddExplain')}</p>
      </div>
      {e.wdq && e.wdq.wdq !== null && e.wdq.wdq !== undefined && (
        <div class="wdq">
          <p>{ta('wdq', num(e.wdq.wdq, 2, l))}</p>
          <p class="hint">{ta('wdqExplain')}</p>
        </div>
      )}

      {e.caveats.length > 0 && (
        <>
          <h3>{ta('caveats')}</h3>
          <ul class="caveats" lang="sv">
            {e.caveats.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </>
      )}
      {l === 'en' && <p class="small-text muted">{ta('verdictSv')}</p>}
    </>
  );
}

function ControlsEditor({ action, e, editable, onSaved }: { action: Action; e: Evaluation | null; editable: boolean; onSaved: (a: Action) => void }) {
  const current = (e?.controls ?? action.controls ?? []).map((c) => c.code);
  const [chosen, setChosen] = useState<string[]>(current);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const key = current.join(',');
  useEffect(() => setChosen(current), [key]);
  const proposed = e ? e.controls_proposed : !(action.controls ?? []).length;
  const buffer = new Set((e?.buffer ?? []).map((b) => b.code));
  const options = controlChoices(
    areas.value,
    action.areas.map((a) => a.code),
  ).map((a) => ({ value: a.code, label: a.name, note: buffer.has(a.code) ? ta('neighbour') : undefined }));

  async function save(list: string[]) {
    setBusy(true);
    setMsg(null);
    try {
      const a = await workApi.updateAction(action.id, controlsBody(action.version, list));
      onSaved(a);
      setMsg({ ok: true, text: ta('controlsSaved') });
    } catch (err) {
      const fe = errorsFromApi(err, apiTexts());
      setMsg({ ok: false, text: fe.controls ? `${fe['']} ${fe.controls}` : fe[''] });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="controls-box">
      <h3>{ta('controlsLegend')}</h3>
      <p>{proposed ? ta('controlsProposed') : ta('controlsChosen')}</p>
      {e && <p class="controls-names">{e.controls.map((c) => c.name).join(', ') || ta('none')}</p>}
      {editable && (
        <details class="controls-edit">
          <summary>{ta('changeControls')}</summary>
          <MultiCheck id="a-controls" legend={ta('controlsLegend')} hint={ta('controlsHint')} options={options} value={chosen} onChange={setChosen} open />
          <div class="form-actions">
            <button
              type="button"
              class="btn primary"
              disabled={busy}
              onClick={() => {
                if (chosen.length === 0) setMsg({ ok: false, text: ta('controlsEmpty') });
                else void save(chosen);
              }}
            >
              {ta('saveControls')}
            </button>
            {!proposed && (
              <button type="button" class="btn" disabled={busy} onClick={() => void save([])}>
                {ta('useProposed')}
              </button>
            )}
          </div>
        </details>
      )}
      <p role="status" class={msg ? (msg.ok ? 'ok-note' : 'error') : 'save-status'}>
        {msg?.text ?? ''}
      </p>
    </div>
  );
}
