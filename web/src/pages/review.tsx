import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, NetworkError, type Report, type Status } from '../api';
import { lang, t } from '../i18n';
import { fmtDateTime } from '../components/util';
import { categories } from '../state';

const LIMIT = 50;

export default function ReviewPage() {
  lang.value;
  const [items, setItems] = useState<Report[] | null>(null);
  const [total, setTotal] = useState(0);
  const [sel, setSel] = useState<Set<number>>(new Set());
  const [msg, setMsg] = useState('');
  const [rowErr, setRowErr] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);

  async function load() {
    try {
      const p = await api.reports({ status: 'new', limit: LIMIT });
      setItems(p.items);
      setTotal(p.total);
      setSel((s) => new Set([...s].filter((id) => p.items.some((r) => r.id === id))));
    } catch {
      setMsg(t('networkError'));
    }
  }
  useEffect(() => void load(), []);

  function replace(r: Report) {
    setItems((xs) => (xs ?? []).map((x) => (x.id === r.id ? r : x)));
  }

  async function patch(r: Report, body: { category?: string; status?: Status }): Promise<boolean> {
    setRowErr((e) => ({ ...e, [r.id]: '' }));
    try {
      const updated = await api.patchReport(r.id, { version: r.version, ...body });
      if (updated.status !== 'new') {
        setItems((xs) => (xs ?? []).filter((x) => x.id !== r.id));
        setTotal((n) => n - 1);
      } else replace(updated);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setRowErr((x) => ({ ...x, [r.id]: t('conflict') }));
        await load();
      } else if (e instanceof ApiError) {
        setRowErr((x) => ({ ...x, [r.id]: Object.values(e.fields)[0] ?? e.message }));
      } else if (e instanceof NetworkError) setRowErr((x) => ({ ...x, [r.id]: t('networkError') }));
      return false;
    }
  }

  async function bulk() {
    if (!items) return;
    setBusy(true);
    let ok = 0;
    for (const r of items.filter((x) => sel.has(x.id))) if (await patch(r, { status: 'reviewed' })) ok++;
    setSel(new Set());
    setMsg(t('bulkDone', ok));
    setBusy(false);
  }

  const allSelected = !!items?.length && items.every((r) => sel.has(r.id));

  return (
    <div>
      <h1>{t('reviewTitle')}</h1>
      <p class="lead">{t('reviewIntro')}</p>
      <p role="status" class="msg-line">{msg}</p>
      {!items && <p>{t('loading')}</p>}
      {items && items.length === 0 && <p>{t('reviewNone')}</p>}
      {items && items.length > 0 && (
        <>
          <p>{t('reviewTotal', total, items.length)}</p>
          <div class="toolbar">
            <div class="check">
              <input id="sel-all" type="checkbox" checked={allSelected}
                onChange={(e) => setSel(e.currentTarget.checked ? new Set(items.map((r) => r.id)) : new Set())} />
              <label for="sel-all">{t('selectAll')}</label>
            </div>
            <button type="button" class="btn primary" disabled={!sel.size || busy} onClick={bulk}>
              {t('bulkReviewed')} ({sel.size})
            </button>
          </div>
          <ul class="review-list">
            {items.map((r) => (
              <li key={r.id} class="card review-item" data-report-id={r.id}>
                <div class="check">
                  <input id={`sel-${r.id}`} type="checkbox" checked={sel.has(r.id)}
                    onChange={(e) => {
                      const s = new Set(sel);
                      if (e.currentTarget.checked) s.add(r.id);
                      else s.delete(r.id);
                      setSel(s);
                    }} />
                  <label for={`sel-${r.id}`}>
                    <span class="visually-hidden">{t('select', r.id)} </span>#{r.id}
                  </label>
                </div>
                <div class="ri-body">
                  <div class="muted">
                    {fmtDateTime(r.occurred_from)} · {r.place ?? r.area?.name ?? t('outside')} · {r.org_name ?? r.org} · {t('severity')} {r.severity} · {r.count}×
                  </div>
                  {r.description && <p class="rc-text">{r.description}</p>}
                  <div class="ri-actions">
                    <label for={`cat-${r.id}`} class="inline-label">{t('category')}</label>
                    <select id={`cat-${r.id}`} value={r.category} onChange={(e) => patch(r, { category: e.currentTarget.value })}>
                      {categories.value.map((c) => (
                        <option key={c.code} value={c.code}>{lang.value === 'en' ? c.name_en || c.name_sv : c.name_sv}</option>
                      ))}
                    </select>
                    <button type="button" class="btn small" onClick={() => patch(r, { status: 'reviewed' })}>{t('markReviewed')}</button>
                    <button type="button" class="btn small" onClick={() => patch(r, { status: 'duplicate' })}>{t('markDuplicate')}</button>
                    <button type="button" class="btn small danger" onClick={() => patch(r, { status: 'rejected' })}>{t('markRejected')}</button>
                  </div>
                  {rowErr[r.id] && <p class="error" role="alert">{rowErr[r.id]}</p>}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
