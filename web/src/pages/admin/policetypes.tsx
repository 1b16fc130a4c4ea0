// Police event types (#/admin?tab=polistyper): which EST category each of the police's event
// types becomes when `est import polisen` or the server's fetch brings the events in — the
// defaults that ship with EST, changed by the coordinator one type at a time (saved at once), or
// "not imported" (summaries, traffic). The same as `est police-types`.
import { useMemo, useState } from 'preact/hooks';
import { api, ApiError, NetworkError, type PoliceType } from '../../api';
import { lang, t } from '../../i18n';
import { categories } from '../../state';
import { ListSection, useList, type Msg } from './common';

export default function PoliceTypesSection() {
  lang.value;
  const list = useList(() => api.policeTypes());
  const [q, setQ] = useState('');
  const [msg, setMsg] = useState<Msg | null>(null);
  const [busy, setBusy] = useState('');
  const en = lang.value === 'en';
  const nameOf = useMemo(() => new Map(categories.value.map((c) => [c.code, en ? c.name_en : c.name_sv])), [categories.value, en]);
  const sorted = useMemo(
    () => [...categories.value].sort((a, b) => (en ? a.name_en : a.name_sv).localeCompare(en ? b.name_en : b.name_sv, 'sv')),
    [categories.value, en],
  );

  async function choose(row: PoliceType, value: string) {
    setBusy(row.type);
    setMsg(null);
    try {
      await api.setPoliceTypes({ [row.type]: value || null });
      await list.reload();
      setMsg({ kind: 'ok', text: value ? t('policeTypeSaved', row.type, nameOf.get(value) ?? value) : t('policeTypeOff', row.type) });
    } catch (err) {
      setMsg({ kind: 'error', text: err instanceof ApiError ? err.message : err instanceof NetworkError ? t('networkError') : String(err) });
    } finally {
      setBusy('');
    }
  }

  const needle = q.trim().toLowerCase();
  const items = (list.items ?? []).filter((r) => !needle || r.type.toLowerCase().includes(needle));
  return (
    <div class="admin-police-types">
      <p class="hint">{t('policeTypesIntro')}</p>
      <div class="field">
        <label for="police-type-q">{t('policeTypesFilter')}</label>
        <input id="police-type-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </div>
      {msg && (
        <p class={`msg msg-${msg.kind}`} role={msg.kind === 'error' ? 'alert' : 'status'} data-testid="police-type-message">{msg.text}</p>
      )}
      <ListSection id="police-types" title={t('policeTypesTitle')} error={list.error} loading={list.items === null}>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{t('policeType')}</th>
              <th scope="col">{t('policeTypeCategory')}</th>
              <th scope="col">{t('policeTypeSource')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.type}>
                <th scope="row">{r.type}</th>
                <td>
                  <select aria-label={t('policeTypeSelect', r.type)} value={r.category ?? ''} disabled={busy === r.type}
                    data-testid={`police-type-${r.type}`} onChange={(e) => void choose(r, e.currentTarget.value)}>
                    <option value="">{t('policeTypeNotImported')}</option>
                    {r.category && !nameOf.has(r.category) && <option value={r.category}>{r.category}</option>}
                    {sorted.map((c) => (
                      <option key={c.code} value={c.code}>{en ? c.name_en : c.name_sv}</option>
                    ))}
                  </select>
                </td>
                <td>{r.default ? t('policeTypeDefault') : t('policeTypeChanged')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListSection>
    </div>
  );
}
