import { ComponentChildren } from 'preact';

/** A labelled form field with the api's message for it underneath. */
export function Field({
  label,
  name,
  errors,
  children,
  hint,
}: {
  label: string;
  name: string;
  errors?: Record<string, string[]>;
  children: ComponentChildren;
  hint?: string;
}) {
  const messages = errors?.[name];
  return (
    <label>
      {label}
      {children}
      {messages ? (
        <small id={`${name}-error`} class="field-error" role="alert">
          {messages.join('; ')}
        </small>
      ) : hint ? (
        <small>{hint}</small>
      ) : null}
    </label>
  );
}

/** What a form's submission said that belongs to no field. */
export function FormMessage({ errors }: { errors?: Record<string, string[]> }) {
  const messages = errors?._form;
  if (!messages) return null;
  return (
    <p class="form-error" role="alert">
      {messages.join('; ')}
    </p>
  );
}
