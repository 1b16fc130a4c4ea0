import { useState } from 'preact/hooks';
import { api, ApiError, NetworkError, type User } from '../api';
import { t } from '../i18n';

export function Login({ onDone }: { onDone: (u: User) => void | Promise<void> }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    setBusy(true);
    try {
      const u = await api.login(login.trim(), password);
      await onDone(u);
    } catch (err) {
      if (err instanceof NetworkError) setError(t('networkError'));
      else if (err instanceof ApiError && err.status === 429) setError(t('tooManyLogins'));
      else setError(t('loginFailed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card narrow" aria-labelledby="login-h">
      <h1 id="login-h">{t('loginTitle')}</h1>
      <p>{t('loginIntro')}</p>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="login">{t('login')}</label>
          <input id="login" name="username" autocomplete="username" required value={login}
            aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'login-error' : undefined}
            onInput={(e) => setLogin(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="password">{t('password')}</label>
          <input id="password" type="password" name="password" autocomplete="current-password" required value={password}
            aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'login-error' : undefined}
            onInput={(e) => setPassword(e.currentTarget.value)} />
        </div>
        {error && <p id="login-error" class="error" role="alert">{error}</p>}
        <button type="submit" class="btn primary" disabled={busy}>{t('loginButton')}</button>
      </form>
    </section>
  );
}
