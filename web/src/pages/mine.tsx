import { useEffect, useState } from 'preact/hooks';
import { api, type Report } from '../api';
import { lang, t, type Key } from '../i18n';
import { fmtDateTime } from '../components/util';
import { places, queue, queueSize } from '../state';

export default function MinePage() {
  lang.value;
  const [items, setItems] = useState<Report[] | null>(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    api
      .reports({ limit: 50 })
      .then((p) => setItems(p.items))
      .catch(() => setErr(t('networkError')));
  }, [queueSize.value]);
  const pending = queue.list();
  return (
    <div>
      <h1>{t('mineTitle')}</h1>
      <p class="lead">{t('mineIntro')}</p>
      {pending.length > 0 && (
        <p class="msg msg-warn">{t('queueCount', pending.length)}</p>
      )}
      {err && <p class="error" role="alert">{err}</p>}
      {!items && !err && <p>{t('loading')}</p>}
      {items && items.length === 0 && <p>{t('mineNone')}</p>}
      {items && items.length > 0 && (
        <ul class="report-cards">
          {items.map((r) => (
            <li key={r.id} class="card report-card">
              <div class="rc-head">
                <strong>{r.category_name}</strong>
                <span class={`status status-${r.status}`}>{t(`status_${r.status}` as Key)}</span>
              </div>
              <div class="muted">
                {fmtDateTime(r.occurred_from)} · {(r.place != null ? places.value.find((p) => String(p.id) === String(r.place))?.name : undefined) ?? r.area?.name ?? t('outside')} · {r.org_name ?? r.org}
              </div>
              {r.description && <p class="rc-text">{r.description}</p>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
