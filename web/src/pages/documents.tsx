// Dokument: choose a kind and its period, year or organisation; download the draft as PDF, XLSX
// or CSV (plain links, so the browser downloads); coordinators and admins publish it (frozen,
// versioned); the list of published documents with their versions and downloads.
import { useEffect, useState } from 'preact/hooks';
import { lang } from '../i18n';
import { Field, describe } from '../components/field';
import { fmtDateTime } from '../components/util';
import { canReview, orgName, organisations, user } from '../state';
import { documentUrl, draftUrl, workApi, type DocumentFormat, type PublishedDocument } from '../work-api';
import { td, tdRaw, type DKey } from './documents-text';
import { DOC_KINDS, defaultDocForm, docRequest, docTitle, stepPeriod, yearChoices, type DocForm } from './documents-logic';
import { errorsFromApi } from './actions-shared';
import './actions.css';

const FORMATS: { f: DocumentFormat; key: DKey }[] = [
  { f: 'pdf', key: 'dlPdf' },
  { f: 'xlsx', key: 'dlXlsx' },
  { f: 'csv', key: 'dlCsv' },
];

function titleOf(d: { kind: string; period: string; org: string }): string {
  const l = lang.value;
  return docTitle(
    d,
    { weekly: tdRaw('t_weekly'), analysis: tdRaw('t_analysis'), annual: tdRaw('t_annual'), municipality: tdRaw('t_municipality'), statutory: tdRaw('t_statutory') },
    orgName.value,
    l,
  );
}

export default function DocumentsPage(_: { query: string }) {
  lang.value;
  const u = user.value;
  const [form, setForm] = useState<DocForm>(() => defaultDocForm(new Date(), u?.role === 'org_lead' || u?.role === 'reporter' ? (u.org ?? '') : ''));
  const [list, setList] = useState<PublishedDocument[] | null>(null);
  const [listErr, setListErr] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [serverErrs, setServerErrs] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [newId, setNewId] = useState<number | null>(null);
  const canPublish = canReview(u);

  const load = () =>
    workApi
      .documents()
      .then((xs) => {
        setList(xs);
        setListErr('');
      })
      .catch(() => setListErr(td('listFailed')));
  useEffect(() => void load(), []);

  const { req, errors } = docRequest(form);
  const fe = (k: string) => (errors[k] ? td(errors[k] as DKey) : serverErrs[k]);
  const set = (patch: Partial<DocForm>) => {
    setForm({ ...form, ...patch });
    setServerErrs({});
    setMsg(null);
  };
  const draftName = req ? titleOf({ kind: req.kind, period: req.period ?? String(req.year ?? ''), org: req.org ?? '' }) : '';

  async function publish() {
    if (!req) return;
    setBusy(true);
    setMsg(null);
    setServerErrs({});
    try {
      const d = await workApi.publishDocument(req);
      await load(); // the list shows the new version before the message says so
      setNewId(d.id);
      setMsg({ ok: true, text: td('published', titleOf(d), d.version) });
    } catch (e) {
      const errs = errorsFromApi(e, { conflict: td('publishFailed'), failed: td('publishFailed'), forbidden: td('publishFailed') });
      const mapped: Record<string, string> = {};
      for (const [k, v] of Object.entries(errs)) {
        if (k === 'period') mapped[form.kind === 'weekly' ? 'week' : 'tertial'] = v;
        else if (k) mapped[k] = v;
      }
      setServerErrs(mapped);
      setMsg({ ok: false, text: [errs[''], ...Object.values(mapped)].filter(Boolean).join(' ') });
    } finally {
      setBusy(false);
    }
  }

  const years = yearChoices();
  return (
    <section class="work-page documents">
      <h1>{td('title')}</h1>
      <p class="lead">{td('intro')}</p>

      <section class="card" aria-labelledby="make-h">
        <h2 id="make-h">{td('make')}</h2>
        <div class="doc-make">
          <fieldset class="doc-kind-set">
            <legend>{td('kindLegend')}</legend>
            <ul class="doc-kinds">
              {DOC_KINDS.map((k) => (
                <li key={k}>
                  <input type="radio" name="doc-kind" id={`dk-${k}`} value={k} checked={form.kind === k} onChange={() => set({ kind: k })} aria-describedby={`dk-${k}-help`} />
                  <label for={`dk-${k}`}>
                    <span class="doc-kind-name">{td(`kind_${k}` as DKey)}</span>
                    <span class="doc-kind-help" id={`dk-${k}-help`}>
                      {td(`kind_${k}_help` as DKey)}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>

          <div class="doc-right">
            <div class="doc-params">
              {form.kind === 'weekly' && (
                <Field id="d-week" label={td('week')} hint={td('weekHint')} error={fe('week')}>
                  <div class="period-input">
                    <button type="button" class="btn" aria-label={td('prevWeek')} onClick={() => set({ week: stepPeriod(form.week, -1) })}>
                      ‹
                    </button>
                    <input id="d-week" value={form.week} autocomplete="off" spellcheck={false} onInput={(e) => set({ week: e.currentTarget.value })} {...describe('d-week', fe('week'), true)} />
                    <button type="button" class="btn" aria-label={td('nextWeek')} onClick={() => set({ week: stepPeriod(form.week, 1) })}>
                      ›
                    </button>
                  </div>
                </Field>
              )}
              {form.kind === 'analysis' && (
                <Field id="d-tertial" label={td('tertial')} hint={td('tertialHint')} error={fe('tertial')}>
                  <div class="period-input">
                    <button type="button" class="btn" aria-label={td('prevTertial')} onClick={() => set({ tertial: stepPeriod(form.tertial, -1) })}>
                      ‹
                    </button>
                    <input id="d-tertial" value={form.tertial} autocomplete="off" spellcheck={false} onInput={(e) => set({ tertial: e.currentTarget.value })} {...describe('d-tertial', fe('tertial'), true)} />
                    <button type="button" class="btn" aria-label={td('nextTertial')} onClick={() => set({ tertial: stepPeriod(form.tertial, 1) })}>
                      ›
                    </button>
                  </div>
                </Field>
              )}
              {form.kind === 'annual' && (
                <Field id="d-org" label={td('org')} error={fe('org')}>
                  <select id="d-org" value={form.org} onChange={(e) => set({ org: e.currentTarget.value })} {...describe('d-org', fe('org'))}>
                    <option value="">{td('chooseOrg')}</option>
                    {organisations.value.map((o) => (
                      <option key={o.code} value={o.code}>
                        {o.name}
                      </option>
                    ))}
                  </select>
                </Field>
              )}
              {(form.kind === 'annual' || form.kind === 'municipality' || form.kind === 'statutory') && (
                <Field id="d-year" label={td('year')} error={fe('year')}>
                  <select id="d-year" value={form.year} onChange={(e) => set({ year: e.currentTarget.value })} {...describe('d-year', fe('year'))}>
                    {years.map((y) => (
                      <option key={y} value={y}>
                        {y}
                      </option>
                    ))}
                  </select>
                </Field>
              )}
            </div>

            <div class="doc-actions">
              <p class="doc-chosen">
                <span class="muted">{td('chosen')}: </span>
                <strong data-testid="doc-chosen">{draftName || '–'}</strong>
              </p>
              <h3>{td('draft')}</h3>
              <p class="hint">{td('draftHint')}</p>
              <div class="downloads" data-testid="draft-downloads">
                {FORMATS.map(({ f, key }) =>
                  req ? (
                    <a key={f} class="btn" href={draftUrl(req, f)} download aria-label={td('dlLabel', td(key), draftName)}>
                      {td(key)}
                    </a>
                  ) : (
                    <a key={f} class="btn" role="link" aria-disabled="true" aria-describedby="d-fix">
                      {td(key)}
                    </a>
                  ),
                )}
                {!req && (
                  <span class="hint" id="d-fix">
                    {td('fixFirst')}
                  </span>
                )}
              </div>
              {canPublish && (
                <>
                  <h3>{td('publishHead')}</h3>
                  <p class="hint">{td('publishHint')}</p>
                  <button type="button" class="btn primary" disabled={busy || !req} onClick={publish}>
                    {busy ? td('publishing') : td('publish')}
                  </button>
                </>
              )}
              <p role="status" class={msg ? (msg.ok ? 'ok-note' : 'error') : 'save-status'}>
                {msg?.text ?? ''}
              </p>
            </div>
          </div>
        </div>
      </section>

      <section class="doc-list" aria-labelledby="list-h">
        <h2 id="list-h">{td('list')}</h2>
        {listErr && (
          <p role="alert" class="error">
            {listErr}
          </p>
        )}
        {list === null && !listErr ? (
          <p aria-live="polite">…</p>
        ) : list && list.length === 0 ? (
          <p>{td('listNone')}</p>
        ) : (
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="list-h">
            <table class="data" data-testid="published">
              <caption class="visually-hidden">{td('listCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{td('colDoc')}</th>
                  <th scope="col">{td('colVersion')}</th>
                  <th scope="col">{td('colPublished')}</th>
                  <th scope="col">{td('colBy')}</th>
                  <th scope="col">{td('colDownload')}</th>
                </tr>
              </thead>
              <tbody>
                {(list ?? []).map((d) => {
                  const title = titleOf(d);
                  return (
                    <tr key={d.id} class={d.id === newId ? 'is-new' : ''}>
                      <td>
                        {title}
                        {d.id === newId && (
                          <>
                            {' '}
                            <span class="badge-new">{td('isNew')}</span>
                          </>
                        )}
                      </td>
                      <td data-label={td('colVersion')} class="version">
                        {d.version}
                      </td>
                      <td data-label={td('colPublished')}>{fmtDateTime(d.published_at)}</td>
                      <td data-label={td('colBy')}>{d.published_by}</td>
                      <td data-label={td('colDownload')}>
                        <span class="downloads">
                          {FORMATS.map(({ f }) => (
                            <a key={f} class="btn small" href={documentUrl(d.id, f)} download aria-label={td('dlRowLabel', f.toUpperCase(), title, d.version)}>
                              {f.toUpperCase()}
                            </a>
                          ))}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}
