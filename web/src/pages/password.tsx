// Changing one's own password: the current one, the new one twice. The server checks the current
// password like a login and the new one against the rules (12 characters, libpwquality); its
// reasons are shown at the fields. On success every session of the user has ended.
import { useState } from 'preact/hooks';
import { api, ApiError, NetworkError } from '../api';
import { t } from '../i18n';
import { describe, Field } from '../components/field';
import { navigate } from '../router';
import { resetSession } from '../state';

export default function PasswordPage() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState('');
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setMsg('');
    const errs: Record<string, string> = {};
    if (!current) errs.current = t('pwRequired');
    if (!next) errs.next = t('pwRequired');
    else if (next !== repeat) errs.repeat = t('pwMismatch');
    setErrors(errs);
    if (Object.keys(errs).length) {
      setMsg(t('fixErrors'));
      return;
    }
    setBusy(true);
    try {
      await api.changePassword(current, next);
      setDone(true);
    } catch (err) {
      if (err instanceof NetworkError) setMsg(t('networkError'));
      else if (err instanceof ApiError && err.status === 429) setMsg(t('tooManyLogins'));
      else if (err instanceof ApiError) {
        const f = err.fields;
        const fe: Record<string, string> = {};
        if (f.current_password) fe.current = f.current_password;
        if (f.password) fe.next = f.password;
        setErrors(fe);
        setMsg(Object.keys(fe).length ? t('fixErrors') : err.message);
      } else setMsg(t('networkError'));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <section class="card narrow" aria-labelledby="pw-h">
        <h1 id="pw-h">{t('pwTitle')}</h1>
        <p class="msg msg-ok" role="status">{t('pwDone')}</p>
        <button type="button" class="btn primary" onClick={() => { resetSession(); navigate('/login'); }}>
          {t('pwLoginAgain')}
        </button>
      </section>
    );
  }
  return (
    <section class="card narrow" aria-labelledby="pw-h">
      <h1 id="pw-h">{t('pwTitle')}</h1>
      <p>{t('pwIntro')}</p>
      <form onSubmit={submit} noValidate>
        <Field id="pw-current" label={t('pwCurrent')} error={errors.current}>
          <input id="pw-current" type="password" autocomplete="current-password" value={current}
            {...describe('pw-current', errors.current)} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </Field>
        <Field id="pw-new" label={t('pwNew')} hint={t('pwHint')} error={errors.next}>
          <input id="pw-new" type="password" autocomplete="new-password" value={next}
            {...describe('pw-new', errors.next, true)} onInput={(e) => setNext(e.currentTarget.value)} />
        </Field>
        <Field id="pw-repeat" label={t('pwRepeat')} error={errors.repeat}>
          <input id="pw-repeat" type="password" autocomplete="new-password" value={repeat}
            {...describe('pw-repeat', errors.repeat)} onInput={(e) => setRepeat(e.currentTarget.value)} />
        </Field>
        {msg && <p class="error" role="alert">{msg}</p>}
        <button type="submit" class="btn primary" disabled={busy}>{t('pwSave')}</button>
      </form>
    </section>
  );
}
