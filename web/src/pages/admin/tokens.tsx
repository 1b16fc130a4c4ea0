// API tokens (admins): the personal tokens that QGIS, ArcGIS, GDAL and other systems use
// (Authorization: Bearer), a form to make one — shown once — and revoke. Never the token itself
// in the list (the server keeps only its hash).
import { useState } from 'preact/hooks';
import { api, ApiError, type ApiToken } from '../../api';
import { lang, t } from '../../i18n';
import { describe, Field } from '../../components/field';
import { FormMessage, ListSection, SubmitButton, useAdminForm, useList } from './common';

const ORDER = ['login', 'name', 'expires_days'] as const;
interface TokenDraft {
  login: string;
  name: string;
  expires_days: string;
}
const empty = (): TokenDraft => ({ login: '', name: '', expires_days: '365' });

function when(iso: string | null) {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '–';
}

export default function TokensSection() {
  lang.value;
  const list = useList(() => api.tokens());
  const f = useAdminForm(empty, 'token', ORDER);
  const [shown, setShown] = useState<{ token: string; name: string } | null>(null);
  const [revokeMsg, setRevokeMsg] = useState('');
  const { d, errs } = f;

  async function submit(e: Event) {
    e.preventDefault();
    setShown(null);
    const days = Number(d.expires_days);
    const clientErrs: Record<string, string> = {};
    if (!d.login.trim()) clientErrs.login = t('required');
    if (!Number.isInteger(days) || days < 0 || days > 3650) clientErrs.expires_days = t('tokenDaysHint');
    await f.run(clientErrs, async () => {
      const made = await api.createToken({ login: d.login.trim(), name: d.name.trim() || undefined, expires_days: days });
      setShown({ token: made.token, name: made.name });
      await list.reload();
      return t('tokenMade', made.login);
    });
  }

  async function revoke(x: ApiToken) {
    try {
      await api.revokeToken(x.id);
      setRevokeMsg(t('tokenRevoked', x.name));
      await list.reload();
    } catch (err) {
      setRevokeMsg(err instanceof ApiError ? err.message : t('networkError'));
    }
  }

  const items = list.items ?? [];
  return (
    <div class="admin-grid">
      <section class="card admin-form" aria-labelledby="token-add-h">
        <h2 id="token-add-h">{t('tokenAddTitle')}</h2>
        <p class="hint">{t('tokenIntro')}</p>
        <form onSubmit={submit} noValidate autocomplete="off">
          <Field id="token-login" label={t('userLogin')} error={errs.login}>
            <input id="token-login" type="text" autocapitalize="none" spellcheck={false} maxLength={64} value={d.login}
              {...describe('token-login', errs.login, true)} onInput={(e) => f.set('login', e.currentTarget.value)} />
          </Field>
          <Field id="token-name" label={t('tokenName')} error={errs.name} hint={t('tokenNameHint')}>
            <input id="token-name" type="text" maxLength={100} value={d.name} {...describe('token-name', errs.name)}
              onInput={(e) => f.set('name', e.currentTarget.value)} />
          </Field>
          <Field id="token-expires_days" label={t('tokenDays')} error={errs.expires_days} hint={t('tokenDaysHint')}>
            <input id="token-expires_days" type="number" inputMode="numeric" min={0} max={3650} value={d.expires_days}
              {...describe('token-expires_days', errs.expires_days)} onInput={(e) => f.set('expires_days', e.currentTarget.value)} />
          </Field>
          <FormMessage msg={f.msg} testid="token-message" />
          <SubmitButton busy={f.busy} label={t('tokenAddTitle')} />
        </form>
        {shown && (
          <div class="token-once" role="status" data-testid="token-once">
            <p>{t('tokenOnce', shown.name)}</p>
            <code class="token-value">{shown.token}</code>
          </div>
        )}
      </section>
      <ListSection id="token-list" title={t('tokenListTitle', items.length)} error={list.error} loading={!list.items}>
        <table class="data" data-testid="token-table">
          <thead>
            <tr>
              <th scope="col">{t('userLogin')}</th>
              <th scope="col">{t('tokenName')}</th>
              <th scope="col">{t('tokenPrefix')}</th>
              <th scope="col">{t('tokenExpires')}</th>
              <th scope="col">{t('tokenLastUsed')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col"><span class="visually-hidden">{t('tokenRevoke', '')}</span></th>
            </tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.id} data-token={x.id}>
                <td data-label={t('userLogin')}><code>{x.login}</code></td>
                <td data-label={t('tokenName')}>{x.name}</td>
                <td data-label={t('tokenPrefix')}><code>{x.prefix}…</code></td>
                <td data-label={t('tokenExpires')}>{x.expires_at ? when(x.expires_at) : t('tokenNever')}</td>
                <td data-label={t('tokenLastUsed')}>{when(x.last_used)}</td>
                <td data-label={t('colStatus')}>{x.revoked_at ? t('tokenStateRevoked') : x.active ? t('userActive') : t('tokenStateExpired')}</td>
                <td>
                  {!x.revoked_at && (
                    <button type="button" class="btn small" aria-label={t('tokenRevoke', x.name)} onClick={() => revoke(x)}>
                      {t('tokenRevokeShort')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {revokeMsg && <p role="status" class="msg" data-testid="token-revoke-message">{revokeMsg}</p>}
      </ListSection>
    </div>
  );
}
