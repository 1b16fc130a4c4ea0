// Categories: the whole tree (inactive ones too) and a form to add one (admins and coordinators).
import { useState } from 'preact/hooks';
import { api, type Category } from '../../api';
import { lang, t } from '../../i18n';
import { describe, ErrorText, Field } from '../../components/field';
import { FormMessage, ListSection, NewBadge, Options, SubmitButton, useAdminForm, useList } from './common';
import { suggestCode, validateCategory, type CategoryDraft } from './forms';

const ORDER = ['name_sv', 'code', 'name_en', 'group', 'dimension', 'default_severity', 'parent'] as const;
const empty = (): CategoryDraft => ({ code: '', name_sv: '', name_en: '', group: '', dimension: '', default_severity: '2', parent: '' });
const DIMENSIONS = [
  ['säkerhet', 'dimSak'],
  ['trygghet', 'dimTrygg'],
] as const;

export default function CategoriesSection() {
  lang.value;
  const list = useList(() => api.categories());
  const f = useAdminForm(empty, 'cat', ORDER, { focusIds: { dimension: 'cat-dimension-0' } });
  const [codeTouched, setCodeTouched] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const { d, errs } = f;
  const items = list.items ?? [];
  const groups = [...new Set(items.map((c) => c.group).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'sv'));
  const en = lang.value === 'en';

  async function submit(e: Event) {
    e.preventDefault();
    const ok = await f.run(validateCategory(d), async () => {
      const c = await api.createCategory({
        code: d.code.trim(),
        name_sv: d.name_sv.trim(),
        ...(d.name_en.trim() ? { name_en: d.name_en.trim() } : {}),
        ...(d.group.trim() ? { group: d.group.trim() } : {}),
        dimension: d.dimension as Category['dimension'],
        default_severity: Number(d.default_severity),
        ...(d.parent ? { parent: d.parent } : {}),
      });
      setFresh((s) => new Set(s).add(c.code));
      await list.reload();
      return t('catAdded', `”${c.name_sv}” (${c.code})`);
    });
    if (ok) setCodeTouched(false);
  }

  return (
    <div class="admin-grid">
      <section class="card admin-form" aria-labelledby="cat-add-h">
        <h2 id="cat-add-h">{t('catAddTitle')}</h2>
        <form onSubmit={submit} noValidate>
          <Field id="cat-name_sv" label={t('catNameSv')} error={errs.name_sv}>
            <input id="cat-name_sv" type="text" lang="sv" value={d.name_sv} {...describe('cat-name_sv', errs.name_sv)}
              onInput={(e) => {
                const v = e.currentTarget.value;
                f.set('name_sv', v);
                if (!codeTouched) f.set('code', suggestCode(v, '_'));
              }} />
          </Field>
          <Field id="cat-code" label={t('catCode')} error={errs.code} hint={t('adminCodeHint')}>
            <input id="cat-code" type="text" autocomplete="off" spellcheck={false} maxLength={64} value={d.code} {...describe('cat-code', errs.code, true)}
              onInput={(e) => {
                setCodeTouched(true);
                f.set('code', e.currentTarget.value);
              }} />
          </Field>
          <Field id="cat-name_en" label={t('catNameEn')} error={errs.name_en} hint={t('catNameEnHint')}>
            <input id="cat-name_en" type="text" lang="en" value={d.name_en} {...describe('cat-name_en', errs.name_en, true)}
              onInput={(e) => f.set('name_en', e.currentTarget.value)} />
          </Field>
          <Field id="cat-group" label={t('catGroup')} error={errs.group} hint={t('catGroupHint')}>
            <input id="cat-group" type="text" list="cat-groups" autocomplete="off" value={d.group} {...describe('cat-group', errs.group, true)}
              onInput={(e) => f.set('group', e.currentTarget.value)} />
            <datalist id="cat-groups">
              {groups.map((g) => (
                <option key={g} value={g} />
              ))}
            </datalist>
          </Field>
          <fieldset class={`admin-fieldset ${errs.dimension ? 'has-error' : ''}`} aria-describedby={errs.dimension ? 'cat-dimension-error' : undefined}>
            <legend>{t('dimension')}</legend>
            <div class="segmented">
              {DIMENSIONS.map(([v, key], i) => (
                <span key={v}>
                  <input type="radio" name="cat-dimension" id={`cat-dimension-${i}`} value={v} checked={d.dimension === v}
                    aria-invalid={errs.dimension ? 'true' : undefined} onChange={() => f.set('dimension', v)} />
                  <label for={`cat-dimension-${i}`}>{t(key)}</label>
                </span>
              ))}
            </div>
            <ErrorText id="cat-dimension-error" error={errs.dimension} />
          </fieldset>
          <div class="row">
            <Field id="cat-default_severity" label={t('catSeverity')} error={errs.default_severity}>
              <select id="cat-default_severity" value={d.default_severity} {...describe('cat-default_severity', errs.default_severity)}
                onChange={(e) => f.set('default_severity', e.currentTarget.value)}>
                <option value="1">{t('sev1')}</option>
                <option value="2">{t('sev2')}</option>
                <option value="3">{t('sev3')}</option>
              </select>
            </Field>
            <Field id="cat-parent" label={t('catParent')} error={errs.parent}>
              <select id="cat-parent" value={d.parent} {...describe('cat-parent', errs.parent)} onChange={(e) => f.set('parent', e.currentTarget.value)}>
                <Options items={items.map((c) => ({ value: c.code, label: en ? c.name_en || c.name_sv : c.name_sv }))} />
              </select>
            </Field>
          </div>
          <FormMessage msg={f.msg} testid="cat-message" />
          <SubmitButton busy={f.busy} label={t('catAddTitle')} />
        </form>
      </section>
      <ListSection id="cat-list" title={t('catListTitle', items.length)} error={list.error} loading={!list.items}>
        <table class="data" data-testid="cat-table">
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colCode')}</th>
              <th scope="col">{t('catEnglish')}</th>
              <th scope="col">{t('catGroupCol')}</th>
              <th scope="col">{t('dimension')}</th>
              <th scope="col" class="num">{t('severity')}</th>
              <th scope="col">{t('colStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.code} data-code={c.code} class={fresh.has(c.code) ? 'is-new' : undefined}>
                <td lang="sv" data-label={t('colName')}>
                  {c.name_sv} {fresh.has(c.code) && <NewBadge />}
                </td>
                <td data-label={t('colCode')}><code>{c.code}</code></td>
                <td lang="en" data-label={t('catEnglish')}>{c.name_en}</td>
                <td data-label={t('catGroupCol')}>{c.group}</td>
                <td data-label={t('dimension')}>{t(c.dimension === 'trygghet' ? 'dimTryggShort' : 'dimSakShort')}</td>
                <td class="num" data-label={t('severity')}>{c.default_severity}</td>
                <td data-label={t('colStatus')}>{c.active ? t('catActive') : t('catInactive')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListSection>
    </div>
  );
}
