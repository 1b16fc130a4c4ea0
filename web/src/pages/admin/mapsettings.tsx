// Map (#/admin?tab=karta): the basemap under every map (admins set it; est serve --basemap wins)
// and the municipality's address register behind the report form's place search (a CSV upload
// that replaces the register, all or nothing).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, NetworkError, type Basemap } from '../../api';
import { lang, t } from '../../i18n';
import { describe, Field } from '../../components/field';
import { fmtNum } from '../../components/util';
import { basemap as basemapSignal, canManageUsers, user } from '../../state';
import { FormMessage, SubmitButton, useAdminForm, type Msg } from './common';

const ORDER = ['url', 'attribution', 'max_zoom'] as const;
interface BasemapDraft {
  url: string;
  attribution: string;
  max_zoom: string;
}

function draftOf(b: Basemap | null): BasemapDraft {
  return { url: b?.url ?? '', attribution: b?.attribution ?? '', max_zoom: String(b?.max_zoom ?? 19) };
}

function BasemapSection() {
  const [current, setCurrent] = useState<Basemap | null>(basemapSignal.value);
  const f = useAdminForm(() => draftOf(current), 'basemap', ORDER);
  const { d, errs } = f;
  const admin = canManageUsers(user.value);

  // What the user typed before the stored basemap arrived is kept (a slow answer must not wipe it).
  const touched = useRef(false);
  const edit = (k: keyof BasemapDraft, v: string) => {
    touched.current = true;
    f.set(k, v);
  };
  useEffect(() => {
    api.basemap().then((b) => {
      setCurrent(b);
      if (!touched.current) f.setD(draftOf(b));
    }, () => undefined);
  }, []);

  async function save(url: string, attribution: string, maxZoom: string) {
    const zoom = Number(maxZoom || '19');
    const clientErrs: Record<string, string> = {};
    if (url.trim() && !attribution.trim()) clientErrs.attribution = t('basemapAttributionRequired');
    if (!Number.isInteger(zoom) || zoom < 1 || zoom > 22) clientErrs.max_zoom = t('basemapZoomHint');
    await f.run(clientErrs, async () => {
      const b = await api.setBasemap({ url: url.trim(), attribution: attribution.trim(), max_zoom: zoom });
      setCurrent(b);
      basemapSignal.value = b;
      setTimeout(() => f.setD(draftOf(b)), 0);
      return b.url ? t('basemapSaved') : t('basemapRemoved');
    });
  }

  const fromServer = current?.source === 'server';
  return (
    <section class="card admin-form" aria-labelledby="basemap-h">
      <h2 id="basemap-h">{t('basemapTitle')}</h2>
      <p class="hint">{t('basemapIntro')}</p>
      <p data-testid="basemap-current">
        {current?.url ? t('basemapNow', current.attribution ?? '') : t('basemapNone')}
      </p>
      {fromServer && <p class="hint" data-testid="basemap-server">{t('basemapFromServer')}</p>}
      {admin && !fromServer && (
        <form onSubmit={(e) => (e.preventDefault(), void save(d.url, d.attribution, d.max_zoom))} noValidate autocomplete="off">
          <Field id="basemap-url" label={t('basemapUrl')} error={errs.url} hint={t('basemapUrlHint')}>
            <input id="basemap-url" type="url" spellcheck={false} maxLength={2000} value={d.url}
              {...describe('basemap-url', errs.url)} onInput={(e) => edit('url', e.currentTarget.value)} />
          </Field>
          <Field id="basemap-attribution" label={t('basemapAttribution')} error={errs.attribution} hint={t('basemapAttributionHint')}>
            <input id="basemap-attribution" type="text" maxLength={300} value={d.attribution}
              {...describe('basemap-attribution', errs.attribution)} onInput={(e) => edit('attribution', e.currentTarget.value)} />
          </Field>
          <Field id="basemap-max_zoom" label={t('basemapZoom')} error={errs.max_zoom} hint={t('basemapZoomHint')}>
            <input id="basemap-max_zoom" type="number" inputMode="numeric" min={1} max={22} value={d.max_zoom}
              {...describe('basemap-max_zoom', errs.max_zoom)} onInput={(e) => edit('max_zoom', e.currentTarget.value)} />
          </Field>
          <FormMessage msg={f.msg} testid="basemap-message" />
          <div class="form-actions">
            <SubmitButton busy={f.busy} label={t('basemapSave')} />
            {current?.url && (
              <button type="button" class="btn" disabled={f.busy} onClick={() => void save('', '', '19')}>
                {t('basemapRemove')}
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}

function AddressSection() {
  const [total, setTotal] = useState<number | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [msg, setMsg] = useState<Msg | null>(null);
  const [fileErrs, setFileErrs] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const count = () => api.addresses('', 1).then((r) => setTotal(r.total), () => undefined);
  useEffect(() => void count(), []);

  async function submit(e: Event) {
    e.preventDefault();
    setMsg(null);
    if (!file) {
      setFileErrs([t('addressFileRequired')]);
      setMsg({ kind: 'error', text: t('fixErrors') });
      fileRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await api.importAddresses(file);
      setFileErrs([]);
      setMsg({ kind: 'ok', text: t('addressImported', fmtNum(r.imported), fmtNum(r.duplicates)) });
      setFile(null);
      if (fileRef.current) fileRef.current.value = '';
      await count();
    } catch (err) {
      if (err instanceof ApiError) {
        const lines = (err.problem.errors ?? []).map((x) => `${x.field}: ${x.reason}`);
        setFileErrs(lines.length ? lines : [err.message]);
        setMsg({ kind: 'error', text: `${t('addressRejected')} ${err.message}` });
        setTimeout(() => fileRef.current?.focus(), 0);
      } else {
        setMsg({ kind: 'error', text: err instanceof NetworkError ? t('networkError') : String(err) });
      }
    } finally {
      setBusy(false);
    }
  }

  const errId = fileErrs.length ? 'address-file-error' : undefined;
  return (
    <section class="card admin-form" aria-labelledby="address-h">
      <h2 id="address-h">{t('addressTitle')}</h2>
      <p class="hint">{t('addressIntro')}</p>
      <p data-testid="address-total">{total === null ? t('loading') : t('addressTotal', fmtNum(total))}</p>
      <form onSubmit={submit} noValidate>
        <div class={`field ${fileErrs.length ? 'has-error' : ''}`}>
          <label for="address-file" id="address-file-label">{t('addressFile')}</label>
          <p class="hint" id="address-file-hint">{t('addressFileHint')}</p>
          <div class="file-pick">
            <input id="address-file" ref={fileRef} type="file" class="file-input" accept=".csv,.gpkg,.zip,text/csv"
              aria-labelledby="address-file-label" aria-invalid={fileErrs.length ? 'true' : undefined}
              aria-describedby={`address-file-hint${errId ? ` ${errId}` : ''}`}
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
                setFileErrs([]);
              }} />
            <label for="address-file" class="btn file-btn">{t('areaChooseFile')}</label>
            <span class="file-name" data-testid="address-file-name">{file ? file.name : t('areaNoFile')}</span>
          </div>
          {fileErrs.length > 0 && (
            <div id="address-file-error" class="area-errors" data-testid="address-errors">
              <ul>{fileErrs.slice(0, 10).map((x) => <li key={x}>{x}</li>)}</ul>
            </div>
          )}
        </div>
        <FormMessage msg={msg} testid="address-message" />
        <SubmitButton busy={busy} label={t('addressImport')} />
      </form>
    </section>
  );
}

export default function MapSection() {
  lang.value;
  return (
    <div class="admin-grid">
      <BasemapSection />
      <AddressSection />
    </div>
  );
}
