// Shared parts of the administration sections: a list loaded from the API, a form with client
// checks and server field errors, the save message and the "new" marker on freshly added rows.
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { t } from '../../i18n';
import { loadReference } from '../../state';
import { errorsFrom, firstError, type Errors } from './forms';

export interface Msg {
  kind: 'ok' | 'error';
  text: string;
}

/** Items from `load`, fetched on mount; `reload` fetches again (after a save). */
export function useList<T>(load: () => Promise<T[]>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState('');
  const reload = () =>
    load()
      .then((xs) => {
        setItems(xs);
        setError('');
      })
      .catch((e) => setError(t('adminLoadFailed', e instanceof Error ? e.message : String(e))));
  useEffect(() => void reload(), []);
  return { items, error, reload };
}

/**
 * Form state with Swedish errors next to the fields. `order` lists the form's fields (the server
 * fields it knows, in the order shown); the input of field f has the id `${prefix}-${f}` unless
 * `focusIds` says otherwise. A failed save keeps what the user typed.
 */
export function useAdminForm<D extends object>(
  empty: () => D,
  prefix: string,
  order: readonly string[],
  opts: { alias?: Record<string, string>; focusIds?: Record<string, string> } = {},
) {
  const [d, setD] = useState<D>(empty);
  const [errs, setErrs] = useState<Errors>({});
  const [msg, setMsg] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof D>(k: K, v: D[K]) => {
    setD((x) => ({ ...x, [k]: v }));
    setErrs((e) => (e[k as string] ? { ...e, [k as string]: '' } : e));
  };

  /** Removes the error shown at `field` (e.g. a location error once a point is chosen). */
  const clear = (field: string) => setErrs((e) => (e[field] ? { ...e, [field]: '' } : e));

  function focusFirst(e: Errors) {
    const f = firstError(e, order);
    if (f) setTimeout(() => document.getElementById(opts.focusIds?.[f] ?? `${prefix}-${f}`)?.focus(), 0);
  }

  /** Checks `clientErrs`; if none, runs `send` (which returns the success text) and resets the form. */
  async function run(clientErrs: Errors, send: () => Promise<string>) {
    setMsg(null);
    if (Object.values(clientErrs).some(Boolean)) {
      setErrs(clientErrs);
      setMsg({ kind: 'error', text: t('fixErrors') });
      focusFirst(clientErrs);
      return false;
    }
    setBusy(true);
    try {
      const text = await send();
      setD(empty());
      setErrs({});
      setMsg({ kind: 'ok', text });
      void loadReference().catch(() => undefined); // the report form and the lägesbild see the new entry
      return true;
    } catch (err) {
      const fe = errorsFrom(err, order, opts.alias);
      setErrs(fe);
      setMsg({ kind: 'error', text: fe[''] || t('fixErrors') });
      focusFirst(fe);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { d, setD, set, clear, errs, msg, busy, run };
}

export function FormMessage({ msg, testid }: { msg: Msg | null; testid: string }) {
  if (!msg) return null;
  return (
    <p class={`msg msg-${msg.kind}`} role={msg.kind === 'error' ? 'alert' : 'status'} data-testid={testid}>
      {msg.text}
    </p>
  );
}

export function SubmitButton({ busy, label }: { busy: boolean; label: string }) {
  return (
    <button type="submit" class="btn primary" disabled={busy}>
      {busy ? t('adminSaving') : label}
    </button>
  );
}

/** The list half of a section: heading, load error and a keyboard-scrollable table. */
export function ListSection(props: { id: string; title: string; error: string; loading: boolean; children: ComponentChildren }) {
  return (
    <section class="admin-list" aria-labelledby={`${props.id}-h`}>
      <h2 id={`${props.id}-h`}>{props.title}</h2>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      {props.loading && !props.error && <p aria-live="polite">{t('loading')}</p>}
      {!props.loading && (
        <div class="table-wrap" tabindex={0} role="region" aria-labelledby={`${props.id}-h`}>
          {props.children}
        </div>
      )}
    </section>
  );
}

export function NewBadge() {
  return <span class="badge-new">{t('adminNew')}</span>;
}

/** Options of a "part of" select: none, then the given items. */
export function Options({ items }: { items: { value: string; label: string }[] }) {
  return (
    <>
      <option value="">{t('adminNone')}</option>
      {items.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </>
  );
}
