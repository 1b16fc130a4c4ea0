// Users (admins only): the accounts and a form to add one with a first password.
import { useState } from 'preact/hooks';
import { api, ApiError, type User } from '../../api';
import { lang, t } from '../../i18n';
import { describe, Field } from '../../components/field';
import { organisations } from '../../state';
import { FormMessage, ListSection, NewBadge, Options, SubmitButton, useAdminForm, useList } from './common';
import { needsOrg, ROLES, roleLabel, validateUser, type UserDraft } from './forms';

const ORDER = ['login', 'display_name', 'password', 'role', 'org'] as const;
const empty = (): UserDraft => ({ login: '', display_name: '', password: '', role: 'reporter', org: '' });

export default function UsersSection() {
  lang.value;
  const list = useList(() => api.users());
  const f = useAdminForm(empty, 'user', ORDER);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<string | null>(null);
  const [editMsg, setEditMsg] = useState('');
  const { d, errs } = f;
  const items = [...(list.items ?? [])].sort((a, b) => a.login.localeCompare(b.login, 'sv'));
  const orgs = [...organisations.value].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  const orgName = new Map(orgs.map((o) => [o.code, o.name]));

  async function submit(e: Event) {
    e.preventDefault();
    await f.run(validateUser(d), async () => {
      const u = await api.createUser({
        login: d.login.trim(),
        ...(d.display_name.trim() ? { display_name: d.display_name.trim() } : {}),
        password: d.password,
        role: d.role as User['role'],
        ...(d.org ? { org: d.org } : {}),
      });
      setFresh((s) => new Set(s).add(u.login));
      await list.reload();
      return t('userAdded', `”${u.login}” (${roleLabel(u.role)})`);
    });
  }

  return (
    <div class="admin-grid">
      <section class="card admin-form" aria-labelledby="user-add-h">
        <h2 id="user-add-h">{t('userAddTitle')}</h2>
        <form onSubmit={submit} noValidate autocomplete="off">
          <Field id="user-login" label={t('userLogin')} error={errs.login} hint={t('userLoginHint')}>
            <input id="user-login" type="text" autocomplete="off" autocapitalize="none" spellcheck={false} maxLength={64} value={d.login}
              {...describe('user-login', errs.login, true)} onInput={(e) => f.set('login', e.currentTarget.value)} />
          </Field>
          <Field id="user-display_name" label={t('userDisplayName')} error={errs.display_name} hint={t('userDisplayHint')}>
            <input id="user-display_name" type="text" autocomplete="off" value={d.display_name} {...describe('user-display_name', errs.display_name, true)}
              onInput={(e) => f.set('display_name', e.currentTarget.value)} />
          </Field>
          <Field id="user-password" label={t('userPassword')} error={errs.password} hint={t('userPasswordHint')}>
            <input id="user-password" type="password" autocomplete="new-password" maxLength={200} value={d.password} {...describe('user-password', errs.password, true)}
              onInput={(e) => f.set('password', e.currentTarget.value)} />
          </Field>
          <Field id="user-role" label={t('userRole')} error={errs.role} hint={t('userRoleHint')}>
            <select id="user-role" value={d.role} {...describe('user-role', errs.role, true)}
              onChange={(e) => {
                f.set('role', e.currentTarget.value);
                f.clear('org'); // a stale "role needs an organisation" error
              }}>
              {ROLES.map((r) => (
                <option key={r} value={r}>{roleLabel(r)}</option>
              ))}
            </select>
          </Field>
          <Field id="user-org" label={t('userOrg')} error={errs.org} hint={t('userOrgHint')}>
            <select id="user-org" value={d.org} aria-required={needsOrg(d.role) ? 'true' : undefined} {...describe('user-org', errs.org, true)}
              onChange={(e) => f.set('org', e.currentTarget.value)}>
              <Options items={orgs.map((o) => ({ value: o.code, label: o.name }))} />
            </select>
          </Field>
          <FormMessage msg={f.msg} testid="user-message" />
          <SubmitButton busy={f.busy} label={t('userAddTitle')} />
        </form>
      </section>
      <ListSection id="user-list" title={t('userListTitle', items.length)} error={list.error} loading={!list.items}>
        <table class="data" data-testid="user-table">
          <thead>
            <tr>
              <th scope="col">{t('userLogin')}</th>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('userRole')}</th>
              <th scope="col">{t('userOrg')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col"><span class="visually-hidden">{t('userEdit', '')}</span></th>
            </tr>
          </thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.login} data-login={u.login} class={fresh.has(u.login) ? 'is-new' : undefined}>
                <td data-label={t('userLogin')}>
                  <code>{u.login}</code> {fresh.has(u.login) && <NewBadge />}
                </td>
                <td data-label={t('colName')}>{u.display_name}</td>
                <td data-label={t('userRole')}>{roleLabel(u.role)}</td>
                <td data-label={t('userOrg')}>{u.org ? orgName.get(u.org) ?? u.org : null}</td>
                <td data-label={t('colStatus')}>{u.disabled ? t('userDisabled') : t('userActive')}</td>
                <td>
                  <button type="button" class="btn small" aria-expanded={editing === u.login} onClick={() => setEditing(editing === u.login ? null : u.login)}>
                    {t('userEdit', u.login)}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {editing && items.find((u) => u.login === editing) && (
          <UserEditor
            key={editing}
            user={items.find((u) => u.login === editing)!}
            orgs={orgs}
            onDone={async (msg) => {
              setEditing(null);
              setEditMsg(msg);
              await list.reload();
            }}
            onCancel={() => setEditing(null)}
          />
        )}
        {editMsg && (
          <p role="status" class="msg" data-testid="user-edit-message">
            {editMsg}
          </p>
        )}
      </ListSection>
    </div>
  );
}

/** Changes one user: role, organisation, disabled, a new password; server errors by the field. */
function UserEditor(props: { user: User; orgs: { code: string; name: string }[]; onDone: (msg: string) => void; onCancel: () => void }) {
  const u = props.user;
  const [role, setRole] = useState<User['role']>(u.role);
  const [org, setOrg] = useState(u.org ?? '');
  const [disabled, setDisabled] = useState(!!u.disabled);
  const [password, setPassword] = useState('');
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrs({});
    try {
      await api.updateUser(u.id, { role, org: org || null, disabled, ...(password ? { password } : {}) });
      props.onDone(t('userEditSaved', u.login));
    } catch (err) {
      setErrs(err instanceof ApiError ? { '': err.message, ...err.fields } : { '': t('networkError') });
    } finally {
      setBusy(false);
    }
  }
  const id = `ue-${u.id}`;
  return (
    <form class="card admin-form user-editor" onSubmit={save} noValidate aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('userEditTitle', u.login)}</h3>
      <Field id={`${id}-role`} label={t('userRole')} error={errs.role}>
        <select id={`${id}-role`} value={role} {...describe(`${id}-role`, errs.role)} onChange={(e) => setRole(e.currentTarget.value as User['role'])}>
          {ROLES.map((r) => (
            <option key={r} value={r}>{roleLabel(r)}</option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-org`} label={t('userOrg')} error={errs.org}>
        <select id={`${id}-org`} value={org} {...describe(`${id}-org`, errs.org)} onChange={(e) => setOrg(e.currentTarget.value)}>
          <Options items={props.orgs.map((o) => ({ value: o.code, label: o.name }))} />
        </select>
      </Field>
      <div class={`field check ${errs.disabled ? 'has-error' : ''}`}>
        <input id={`${id}-disabled`} type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.currentTarget.checked)} {...describe(`${id}-disabled`, errs.disabled)} />
        <label for={`${id}-disabled`}>{t('userEditDisabled')}</label>
        {errs.disabled && <p class="error" id={`${id}-disabled-error`}>{errs.disabled}</p>}
      </div>
      <Field id={`${id}-password`} label={t('userEditPassword')} error={errs.password}>
        <input id={`${id}-password`} type="password" autocomplete="new-password" value={password} {...describe(`${id}-password`, errs.password)} onInput={(e) => setPassword(e.currentTarget.value)} />
      </Field>
      {errs[''] && <p class="error" role="alert">{errs['']}</p>}
      <div class="row-actions">
        <button type="submit" class="btn primary" disabled={busy}>{t('userEditSave')}</button>
        <button type="button" class="btn" onClick={props.onCancel}>{t('userEditCancel')}</button>
      </div>
    </form>
  );
}
