// Areas: the area tree with report counts, and a GeoJSON upload (POST /areas, all or nothing).
import { useRef, useState } from 'preact/hooks';
import { api, ApiError, NetworkError } from '../../api';
import { lang, t, type Key } from '../../i18n';
import { describe, Field } from '../../components/field';
import { fmtNum } from '../../components/util';
import { forgetAreasGeoJSON, loadReference } from '../../state';
import { ListSection, NewBadge, Options, useList, type Msg } from './common';
import { areaImportErrors, areaImportQuery, areaTree } from './forms';

const CRS: [string, Key][] = [
  ['', 'crsAuto'],
  ['EPSG:4326', 'crs4326'],
  ['EPSG:3006', 'crs3006'],
  ['EPSG:3011', 'crs3011'],
  ['EPSG:3021', 'crs3021'],
];

interface Draft {
  crs: string;
  code_prop: string;
  name_prop: string;
  parent: string;
}
const empty = (): Draft => ({ crs: '', code_prop: '', name_prop: '', parent: '' });

interface Errs {
  file?: string[];
  crs?: string;
  parent?: string;
}

export default function AreasSection() {
  lang.value;
  const list = useList(() => api.areas());
  const [d, setD] = useState<Draft>(empty);
  const [file, setFile] = useState<File | null>(null);
  const [errs, setErrs] = useState<Errs>({});
  const [msg, setMsg] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const fileRef = useRef<HTMLInputElement>(null);

  const items = list.items;
  const tree = areaTree(items ?? []);
  const nameOf = new Map((items ?? []).map((a) => [a.code, a.name]));
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));

  async function submit(e: Event) {
    e.preventDefault();
    setMsg(null);
    if (!file) {
      setErrs({ file: [t('areaFileRequired')] });
      setMsg({ kind: 'error', text: t('fixErrors') });
      fileRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await api.importAreas(file, areaImportQuery(d));
      const codes = r.items.map((a) => a.code);
      setFresh((s) => new Set([...s, ...codes]));
      setErrs({});
      setMsg({ kind: 'ok', text: t('areaImported', r.items.map((a) => `${a.name} (${a.code})`).join(', '), r.reports_moved) });
      setD(empty());
      setFile(null);
      if (fileRef.current) fileRef.current.value = '';
      forgetAreasGeoJSON();
      await list.reload();
      void loadReference().catch(() => undefined);
    } catch (err) {
      if (err instanceof ApiError) {
        const ae = areaImportErrors(err.problem);
        setErrs({ file: ae.file.length ? ae.file : undefined, crs: ae.crs, parent: ae.parent });
        const forbidden = err.status === 403 ? t('adminForbidden', ae.summary) : '';
        setMsg({ kind: 'error', text: forbidden || `${t('areaRejected')} ${ae.summary}.` });
        const id = ae.file.length ? 'area-file' : ae.crs ? 'area-crs' : ae.parent ? 'area-parent' : '';
        if (id) setTimeout(() => document.getElementById(id)?.focus(), 0);
      } else {
        setMsg({ kind: 'error', text: err instanceof NetworkError ? t('networkError') : String(err) });
      }
    } finally {
      setBusy(false);
    }
  }

  const fileErr = errs.file?.length ? errs.file : undefined;
  const fileDescribed = ['area-file-name', 'area-file-hint', fileErr ? 'area-file-error' : ''].filter(Boolean).join(' ');

  return (
    <div class="admin-grid">
      <section class="card admin-form" aria-labelledby="area-add-h">
        <h2 id="area-add-h">{t('areaAddTitle')}</h2>
        <p class="hint">{t('areaIntro')}</p>
        <form onSubmit={submit} noValidate>
          <div class={`field ${fileErr ? 'has-error' : ''}`}>
            <label for="area-file" id="area-file-label">{t('areaFile')}</label>
            <p class="hint" id="area-file-hint">{t('areaFileHint')}</p>
            {/* The browser's own file button speaks the browser's language; this one speaks ours. */}
            <div class="file-pick">
              <input ref={fileRef} id="area-file" type="file" class="file-input" accept=".geojson,.json,.gpkg,.zip,application/geo+json,application/json"
                aria-labelledby="area-file-label" aria-invalid={fileErr ? 'true' : undefined} aria-describedby={fileDescribed}
                onChange={(e) => {
                  setFile(e.currentTarget.files?.[0] ?? null);
                  setErrs((x) => ({ ...x, file: undefined }));
                }} />
              <label for="area-file" class="btn file-btn">{t('areaChooseFile')}</label>
              <span id="area-file-name" class="file-name" data-testid="area-file-name">{file ? file.name : t('areaNoFile')}</span>
            </div>
            {fileErr && (
              <div id="area-file-error" class="area-errors" data-testid="area-errors">
                {fileErr.length === 1 ? (
                  <p class="error">{fileErr[0]}</p>
                ) : (
                  <>
                    <p class="error">{t('areaErrorsTitle')}</p>
                    <ul>
                      {fileErr.map((x, i) => (
                        <li key={i}>{x}</li>
                      ))}
                    </ul>
                  </>
                )}
              </div>
            )}
          </div>
          <Field id="area-crs" label={t('areaCrs')} error={errs.crs}>
            <select id="area-crs" value={d.crs} {...describe('area-crs', errs.crs)}
              onChange={(e) => {
                set('crs', e.currentTarget.value);
                setErrs((x) => ({ ...x, crs: undefined }));
              }}>
              {CRS.map(([v, k]) => (
                <option key={v} value={v}>{t(k)}</option>
              ))}
            </select>
          </Field>
          <Field id="area-parent" label={t('areaParent')} error={errs.parent} hint={t('areaParentHint')}>
            <select id="area-parent" value={d.parent} {...describe('area-parent', errs.parent, true)}
              onChange={(e) => {
                set('parent', e.currentTarget.value);
                setErrs((x) => ({ ...x, parent: undefined }));
              }}>
              <Options items={tree.map(({ area, depth }) => ({ value: area.code, label: `${'\u00a0\u00a0'.repeat(depth)}${area.name}` }))} />
            </select>
          </Field>
          <div class="row">
            <Field id="area-code_prop" label={t('areaCodeProp')} hint={t('areaCodePropHint')}>
              <input id="area-code_prop" type="text" autocomplete="off" spellcheck={false} value={d.code_prop} {...describe('area-code_prop', undefined, true)}
                onInput={(e) => set('code_prop', e.currentTarget.value)} />
            </Field>
            <Field id="area-name_prop" label={t('areaNameProp')} hint={t('areaNamePropHint')}>
              <input id="area-name_prop" type="text" autocomplete="off" spellcheck={false} value={d.name_prop} {...describe('area-name_prop', undefined, true)}
                onInput={(e) => set('name_prop', e.currentTarget.value)} />
            </Field>
          </div>
          {msg && (
            <p class={`msg msg-${msg.kind}`} role={msg.kind === 'error' ? 'alert' : 'status'} data-testid="area-message">
              {msg.text}
            </p>
          )}
          <button type="submit" class="btn primary" disabled={busy}>
            {busy ? t('areaUploading') : t('areaUpload')}
          </button>
        </form>
      </section>
      <ListSection id="area-list" title={t('areaListTitle', tree.length)} error={list.error} loading={!items}>
        <table class="data" data-testid="area-table">
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colCode')}</th>
              <th scope="col">{t('areaLevel')}</th>
              <th scope="col">{t('colParent')}</th>
              <th scope="col" class="num">{t('areaPopulation')}</th>
              <th scope="col" class="num">{t('areaReports')}</th>
            </tr>
          </thead>
          <tbody>
            {tree.map(({ area: a, depth }) => (
              <tr key={a.code} data-code={a.code} class={fresh.has(a.code) ? 'is-new' : undefined}>
                <td class={`depth-${Math.min(depth, 3)}`} data-label={t('colName')}>
                  {a.name} {fresh.has(a.code) && <NewBadge />}
                </td>
                <td data-label={t('colCode')}><code>{a.code}</code></td>
                <td data-label={t('areaLevel')}>{t(a.level === 0 ? 'areaLevel0' : a.level === 1 ? 'areaLevel1' : 'areaLevel2')}</td>
                <td data-label={t('colParent')}>{a.parent ? nameOf.get(a.parent) ?? a.parent : null}</td>
                <td class="num" data-label={t('areaPopulation')}>{fmtNum(a.population)}</td>
                <td class="num" data-label={t('areaReports')}>{fmtNum(a.report_count ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListSection>
    </div>
  );
}
