// Organisations: the list and a form to add one (admins and coordinators).
import { useState } from 'preact/hooks';
import { api, type Organisation } from '../../api';
import { lang, t } from '../../i18n';
import { describe, Field } from '../../components/field';
import { FormMessage, ListSection, NewBadge, Options, SubmitButton, useAdminForm, useList } from './common';
import { ORG_KINDS, orgKindLabel, suggestCode, validateOrg, type OrgDraft } from './forms';

const ORDER = ['name', 'code', 'kind', 'parent'] as const;
const empty = (): OrgDraft => ({ code: '', name: '', kind: '', parent: '' });

export default function OrgsSection() {
  lang.value;
  const list = useList(() => api.organisations());
  const f = useAdminForm(empty, 'org', ORDER);
  const [codeTouched, setCodeTouched] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const { d, errs } = f;
  const items = [...(list.items ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  const nameOf = new Map(items.map((o) => [o.code, o.name]));

  async function submit(e: Event) {
    e.preventDefault();
    const ok = await f.run(validateOrg(d), async () => {
      const o = await api.createOrganisation({ code: d.code.trim(), name: d.name.trim(), kind: d.kind, ...(d.parent ? { parent: d.parent } : {}) });
      setFresh((s) => new Set(s).add(o.code));
      await list.reload();
      return t('orgAdded', `”${o.name}” (${o.code})`);
    });
    if (ok) setCodeTouched(false);
  }

  return (
    <div class="admin-grid">
      <section class="card admin-form" aria-labelledby="org-add-h">
        <h2 id="org-add-h">{t('orgAddTitle')}</h2>
        <form onSubmit={submit} noValidate>
          <Field id="org-name" label={t('orgName')} error={errs.name}>
            <input id="org-name" type="text" autocomplete="organization" value={d.name} {...describe('org-name', errs.name)}
              onInput={(e) => {
                const v = e.currentTarget.value;
                f.set('name', v);
                if (!codeTouched) f.set('code', suggestCode(v));
              }} />
          </Field>
          <Field id="org-code" label={t('orgCode')} error={errs.code} hint={t('adminCodeHint')}>
            <input id="org-code" type="text" autocomplete="off" spellcheck={false} maxLength={64} value={d.code} {...describe('org-code', errs.code, true)}
              onInput={(e) => {
                setCodeTouched(true);
                f.set('code', e.currentTarget.value);
              }} />
          </Field>
          <Field id="org-kind" label={t('orgKind')} error={errs.kind}>
            <select id="org-kind" value={d.kind} {...describe('org-kind', errs.kind)} onChange={(e) => f.set('kind', e.currentTarget.value)}>
              <option value="">{t('chooseOne')}</option>
              {ORG_KINDS.map((k) => (
                <option key={k} value={k}>{orgKindLabel(k)}</option>
              ))}
            </select>
          </Field>
          <Field id="org-parent" label={t('orgParent')} error={errs.parent}>
            <select id="org-parent" value={d.parent} {...describe('org-parent', errs.parent)} onChange={(e) => f.set('parent', e.currentTarget.value)}>
              <Options items={items.map((o) => ({ value: o.code, label: o.name }))} />
            </select>
          </Field>
          <FormMessage msg={f.msg} testid="org-message" />
          <SubmitButton busy={f.busy} label={t('orgAddTitle')} />
        </form>
      </section>
      <ListSection id="org-list" title={t('orgListTitle', items.length)} error={list.error} loading={!list.items}>
        <table class="data" data-testid="org-table">
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colCode')}</th>
              <th scope="col">{t('colKind')}</th>
              <th scope="col">{t('colParent')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((o: Organisation & { needs_review?: boolean }) => (
              <tr key={o.code} data-code={o.code} class={fresh.has(o.code) ? 'is-new' : undefined}>
                <td data-label={t('colName')}>
                  {o.name} {fresh.has(o.code) && <NewBadge />}
                  {o.needs_review && <span class="muted small-text"> ({t('orgNeedsReview')})</span>}
                </td>
                <td data-label={t('colCode')}><code>{o.code}</code></td>
                <td data-label={t('colKind')}>{orgKindLabel(o.kind)}</td>
                <td data-label={t('colParent')}>{o.parent ? nameOf.get(o.parent) ?? o.parent : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListSection>
    </div>
  );
}
