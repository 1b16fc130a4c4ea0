import type { ComponentChildren } from 'preact';

/** A labelled field with an optional hint and a Swedish error next to it. */
export function Field(props: { id: string; label: string; error?: string; hint?: string; children: ComponentChildren; class?: string }) {
  return (
    <div class={`field ${props.class ?? ''} ${props.error ? 'has-error' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.hint && <p class="hint" id={`${props.id}-hint`}>{props.hint}</p>}
      {props.children}
      {props.error && (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** aria attributes that tie an input to its hint and error. */
export function describe(id: string, error?: string, hint?: boolean) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': ids || undefined };
}

export function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="error" id={id}>
      {error}
    </p>
  ) : null;
}
