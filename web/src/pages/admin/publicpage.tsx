// The public page (#/admin?tab=offentlig): which categories residents see on /offentlig, how many
// days after a week's end it is shown (at least 7), which actions are published, and whether the
// page takes residents' reports (GET/POST /api/v1/public/settings).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { lang, t } from '../../i18n';
import { describe, ErrorText } from '../../components/field';
import { categories } from '../../state';
import { workApi, type Action } from '../../work-api';
import { FormMessage, SubmitButton, type Msg } from './common';
import { errorsFrom, type Errors } from './forms';

interface PublicSettings {
  categories: string[];
  actions: number[];
  delay_days: number;
  citizen_reports: boolean;
}

const ORDER = ['categories', 'actions', 'delay_days', 'citizen_reports'] as const;

export function PublicPageSection() {
  const [s, setS] = useState<PublicSettings | null>(null);
  const [delay, setDelay] = useState('7');
  const [actions, setActions] = useState<Action[]>([]);
  const [errs, setErrs] = useState<Errors>({});
  const [msg, setMsg] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.get<PublicSettings>('/public/settings').then((x) => {
      setS(x);
      setDelay(String(x.delay_days));
    }, (e) => setMsg({ kind: 'error', text: errorsFrom(e, ORDER)[''] || t('networkError') }));
    workApi.actions().then(setActions, () => undefined);
  }, []);
  if (!s) return <p>{msg ? msg.text : t('loading')}</p>;

  const toggle = <T,>(list: T[], v: T, on: boolean) => (on ? [...list.filter((x) => x !== v), v] : list.filter((x) => x !== v));
  const catName = (c: { name_sv: string; name_en: string }) => (lang.value === 'en' ? c.name_en : c.name_sv);

  async function save(e: Event) {
    e.preventDefault();
    if (!s) return;
    setMsg(null);
    const days = Number(delay);
    if (!Number.isInteger(days) || days < 7 || days > 365) {
      setErrs({ delay_days: t('publicDelayHint') });
      setMsg({ kind: 'error', text: t('fixErrors') });
      document.getElementById('public-delay_days')?.focus();
      return;
    }
    setBusy(true);
    try {
      const saved = await api.post<PublicSettings>('/public/settings', { ...s, delay_days: days });
      setS(saved);
      setErrs({});
      setMsg({ kind: 'ok', text: t('publicSaved') });
    } catch (err) {
      // "categories[2]" and "actions[0]" are shown under their list.
      const fields = err instanceof ApiError ? Object.keys(err.fields) : [];
      const alias = Object.fromEntries(fields.map((k) => [k, k.replace(/\[\d+\]$/, '')]));
      const fe = errorsFrom(err, ORDER, alias);
      setErrs(fe);
      setMsg({ kind: 'error', text: fe[''] || t('fixErrors') });
    } finally {
      setBusy(false);
    }
  }

  const dims = [['säkerhet', t('publicSakerhet')], ['trygghet', t('publicTrygghet')]] as const;
  return (
    <section class="card admin-form" aria-labelledby="public-h">
      <h2 id="public-h">{t('publicTitle')}</h2>
      <p class="hint">{t('publicIntro')}</p>
      <p><a href="/offentlig" target="_blank" rel="noopener">{t('publicOpen')}</a></p>
      <form onSubmit={(e) => void save(e)} noValidate>
        {dims.map(([dim, label]) => (
          <fieldset class="public-cats" key={dim}>
            <legend>{label}</legend>
            {categories.value.filter((c) => c.dimension === dim).map((c) => (
              <label class="check" key={c.code}>
                <input type="checkbox" checked={s.categories.includes(c.code)}
                  onChange={(e) => setS({ ...s, categories: toggle(s.categories, c.code, e.currentTarget.checked) })} />
                {catName(c)}
              </label>
            ))}
          </fieldset>
        ))}
        <ErrorText id="public-categories-error" error={errs.categories} />
        <div class={`field ${errs.delay_days ? 'has-error' : ''}`}>
          <label for="public-delay_days">{t('publicDelay')}</label>
          <p class="hint" id="public-delay_days-hint">{t('publicDelayHint')}</p>
          <input id="public-delay_days" type="number" inputMode="numeric" min={7} max={365} value={delay}
            onInput={(e) => setDelay(e.currentTarget.value)} {...describe('public-delay_days', errs.delay_days, true)} />
          <ErrorText id="public-delay_days-error" error={errs.delay_days} />
        </div>
        <label class="check">
          <input type="checkbox" checked={s.citizen_reports}
            onChange={(e) => setS({ ...s, citizen_reports: e.currentTarget.checked })} />
          {t('publicCitizen')}
        </label>
        <fieldset class="public-cats">
          <legend>{t('publicActions')}</legend>
          {actions.length === 0 && <p class="hint">{t('publicNoActions')}</p>}
          {actions.filter((a) => a.status !== 'cancelled').map((a) => (
            <label class="check" key={a.id}>
              <input type="checkbox" checked={s.actions.includes(a.id)}
                onChange={(e) => setS({ ...s, actions: toggle(s.actions, a.id, e.currentTarget.checked) })} />
              #{a.id} {a.title}
            </label>
          ))}
        </fieldset>
        <ErrorText id="public-actions-error" error={errs.actions} />
        <FormMessage msg={msg} testid="public-message" />
        <div class="form-actions">
          <SubmitButton busy={busy} label={t('publicSave')} />
        </div>
      </form>
    </section>
  );
}
