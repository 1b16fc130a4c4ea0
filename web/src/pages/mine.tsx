import { useEffect, useState } from 'preact/hooks';
import { api, type Report } from '../api';
import { lang, t, type Key } from '../i18n';
import { fmtDateTime } from '../components/util';
import { currentOwner, places, queue, queueSize } from '../state';
import { tf } from './mine-text';

interface Msg {
  id: number;
  title: string;
  body: string;
  created_at: string;
}

export default function MinePage() {
  lang.value;
  const [items, setItems] = useState<Report[] | null>(null);
  const [err, setErr] = useState('');
  const [messages, setMessages] = useState<Msg[]>([]);
  useEffect(() => {
    api
      .get<{ items: Msg[] }>('/messages')
      .then((m) => setMessages(m.items))
      .catch(() => setMessages([]));
  }, []);
  useEffect(() => {
    api
      .reports({ limit: 50 })
      .then((p) => setItems(p.items))
      .catch(() => setErr(t('networkError')));
  }, [queueSize.value]);
  const pending = queue.mine(currentOwner());
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
              <Feedback r={r} />
            </li>
          ))}
        </ul>
      )}
      <section class="messages" aria-labelledby="msg-h">
        <h2 id="msg-h">{tf('messages')}</h2>
        {messages.length === 0 ? (
          <p>{tf('noMessages')}</p>
        ) : (
          <ul class="report-cards">
            {messages.map((m) => (
              <li key={m.id} class="card" data-testid="message">
                <strong>{m.title}</strong>
                <div class="muted">{fmtDateTime(m.created_at)}</div>
                {m.body.split('\n\n').map((para, i) => (
                  <p key={i} class="msg-body">
                    {para}
                  </p>
                ))}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** The review outcome and what came of the report: its problems and their actions. */
function Feedback({ r }: { r: Report }) {
  const fb = r.feedback;
  const lines: string[] = [];
  if (r.status === 'rejected' && r.review_note) lines.push(tf('reason', r.review_note));
  if (r.status === 'duplicate' && r.duplicate_of) lines.push(tf('duplicateOf', r.duplicate_of));
  for (const p of fb?.problems ?? []) lines.push(tf('problem', p.title, lang.value === 'en' ? p.status : p.status_sv));
  for (const a of fb?.actions ?? []) {
    lines.push(tf('action', a.title, a.owner, lang.value === 'en' ? a.status : a.status_sv));
    if (a.result) lines.push(tf('result', a.result));
  }
  if (lines.length === 0) return null;
  return (
    <div class="feedback" data-testid="feedback">
      <p class="feedback-title">{tf('feedbackTitle')}</p>
      <ul>
        {lines.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    </div>
  );
}
