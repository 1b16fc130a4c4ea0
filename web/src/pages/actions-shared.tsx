// Parts shared by the actions, problems and documents pages: a multi-choice checkbox group that
// folds away, status badges, day formatting and API errors → field errors.
import { useState } from 'preact/hooks';
import { ApiError, NetworkError } from '../api';
import { lang } from '../i18n';
import type { ActionStatus } from '../work-api';
import { ta, type AKey } from './actions-text';
import { fieldOf } from './actions-logic';
export { withoutErrors } from './actions-logic';

export function fmtDay(day: string | null | undefined): string {
  if (!day) return '';
  const d = new Date(`${day.slice(0, 10)}T12:00:00`);
  if (Number.isNaN(d.getTime())) return day;
  return d.toLocaleDateString(lang.value === 'en' ? 'en-GB' : 'sv-SE', { day: 'numeric', month: 'long', year: 'numeric' });
}

export interface Option {
  value: string;
  label: string;
  note?: string;
}

/**
 * A group of checkboxes for choosing several (organisations, areas, categories, problems). The
 * chosen ones are listed under the legend; the boxes sit in a disclosure so long lists do not
 * swamp the form. Short lists (≤ 6) start unfolded.
 */
export function MultiCheck(props: {
  id: string;
  legend: string;
  options: Option[];
  value: string[];
  onChange: (v: string[]) => void;
  hint?: string;
  error?: string;
  disabled?: boolean;
  empty?: string;
  /** start unfolded whatever the length */
  open?: boolean;
}) {
  const { id, options, value } = props;
  const [initOpen] = useState(!!props.open || options.length <= 6 || !!props.error);
  const chosen = options.filter((o) => value.includes(o.value));
  const described = [props.hint ? `${id}-hint` : '', `${id}-chosen`, props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset class={`multi ${props.error ? 'has-error' : ''}`} id={id} aria-describedby={described}>
      <legend>{props.legend}</legend>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <p class="multi-chosen" id={`${id}-chosen`}>
        {chosen.length ? chosen.map((o) => o.label).join(', ') : (props.empty ?? ta('chosenNone'))}
      </p>
      {props.error && (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      {options.length > 0 && (
        <details class="multi-pick" open={initOpen}>
          <summary id={`${id}-pick`}>{ta('choose', chosen.length, options.length)}</summary>
          <div class="check-grid">
            {options.map((o) => (
              <label key={o.value} class="check">
                <input
                  type="checkbox"
                  name={id}
                  value={o.value}
                  disabled={props.disabled}
                  checked={value.includes(o.value)}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    props.onChange(on ? [...value.filter((v) => v !== o.value), o.value] : value.filter((v) => v !== o.value));
                  }}
                />
                <span>
                  {o.label}
                  {o.note && <span class="check-note"> {o.note}</span>}
                </span>
              </label>
            ))}
          </div>
        </details>
      )}
    </fieldset>
  );
}

/** Radio buttons as pills (one choice), in a fieldset with a legend. */
export function Choice<T extends string>(props: {
  id: string;
  legend: string;
  options: { value: T; label: string }[];
  value: T;
  onChange: (v: T) => void;
  error?: string;
  hint?: string;
}) {
  const described = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset class={`choice ${props.error ? 'has-error' : ''}`} id={props.id} aria-describedby={described || undefined}>
      <legend>{props.legend}</legend>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <div class="segmented">
        {props.options.map((o) => (
          <span key={o.value}>
            <input
              type="radio"
              id={`${props.id}-${o.value}`}
              name={props.id}
              value={o.value}
              checked={props.value === o.value}
              onChange={() => props.onChange(o.value)}
            />
            <label for={`${props.id}-${o.value}`}>{o.label}</label>
          </span>
        ))}
      </div>
      {props.error && (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

export function StatusBadge({ status }: { status: ActionStatus }) {
  return <span class={`status astatus-${status}`}>{ta(`status_${status}` as AKey)}</span>;
}

export function OverdueFlag({ day }: { day: string }) {
  return (
    <span class="overdue-flag">
      <span aria-hidden="true">⚠ </span>
      {ta('overdue')}
      {day && <span class="overdue-day"> – {ta('overdueSince', fmtDay(day))}</span>}
    </span>
  );
}

/**
 * An API failure as errors per form field ('' = the whole form): the server's Swedish reasons
 * next to their fields; 409 and network trouble as a message that keeps what was typed.
 */
export function errorsFromApi(e: unknown, texts: { conflict: string; failed: string; forbidden: string }): Record<string, string> {
  if (e instanceof ApiError) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(e.fields)) {
      const f = fieldOf(k);
      if (!(f in out)) out[f] = v;
    }
    const head = e.status === 409 ? texts.conflict : e.status === 403 ? texts.forbidden : texts.failed;
    return { ...out, '': head };
  }
  if (e instanceof NetworkError) return { '': texts.failed };
  return { '': String(e) };
}

/** Moves focus to the first field with an error (in form order), after the render. */
export function focusFirstError(errors: Record<string, string>, order: readonly string[], prefix: string) {
  const f = order.find((k) => errors[k]);
  if (!f) return;
  setTimeout(() => {
    const el = document.getElementById(`${prefix}-${f}`);
    if (!el) return;
    if (el.tagName === 'FIELDSET') {
      const det = el.querySelector('details');
      if (det && !det.open) det.open = true;
      el.querySelector<HTMLElement>('input:not([disabled])')?.focus();
    } else el.focus();
  }, 0);
}

