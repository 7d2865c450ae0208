import type { SubmissionResult } from '@conform-to/dom';
import type {
  InputHTMLAttributes,
  ReactNode,
  SelectHTMLAttributes,
  TextareaHTMLAttributes,
} from 'react';
import { useT } from '~/platform/document-context';

/** What an action answers when a form fails: conform's submission reply. */
export type FormResult = SubmissionResult<string[]> | undefined | null;

export type FieldState = {
  id: string;
  name: string;
  hintId: string;
  errorId: string;
  /** Translated messages. */
  errors: string[];
  defaultValue: string | undefined;
};

/**
 * A validation message is a translation key, optionally with values for it after a "|"
 * (forms.server.ts `messageWithValues`): "files:problems.empty|{"name":"notes.txt"}".
 */
function splitMessage(message: string): { key: string; values: Record<string, unknown> } {
  const bar = message.indexOf('|{');
  if (bar < 0) return { key: message, values: {} };
  try {
    return { key: message.slice(0, bar), values: JSON.parse(message.slice(bar + 1)) };
  } catch {
    return { key: message.slice(0, bar), values: {} };
  }
}

/**
 * The state of one form as the server last answered it: per field, its ids, its errors
 * (validation messages are translation keys) and what was typed (passwords are never echoed).
 */
export function useFormState(
  formId: string,
  result: FormResult,
  defaults: Record<string, string | undefined> = {},
) {
  const t = useT();
  const translate = (messages: string[] | null | undefined) =>
    (messages ?? []).map((message) => {
      const { key, values } = splitMessage(message);
      return t(key as never, values) as string;
    });
  const field = (name: string): FieldState => {
    const submitted = result?.initialValue?.[name];
    return {
      id: `${formId}-${name}`,
      name,
      hintId: `${formId}-${name}-hint`,
      errorId: `${formId}-${name}-error`,
      errors: translate(result?.error?.[name]),
      defaultValue: typeof submitted === 'string' ? submitted : defaults[name],
    };
  };
  const formErrors = translate(result?.error?.['']);
  const fieldErrors = Object.entries(result?.error ?? {})
    .filter(([name, messages]) => name !== '' && messages && messages.length > 0)
    .map(([name, messages]) => ({ href: `#${formId}-${name}`, message: translate(messages)[0]! }));
  return { formId, field, formErrors, fieldErrors, failed: result?.status === 'error' };
}

export type FormState = ReturnType<typeof useFormState>;

/**
 * Shown above a failed form and focused on arrival, so a screen reader reads it first; each
 * problem links to its field (GOV.UK's error summary pattern).
 */
export function ErrorSummary({ form }: { form: FormState }) {
  const t = useT();
  if (!form.failed || (form.formErrors.length === 0 && form.fieldErrors.length === 0)) return null;
  const titleId = `${form.formId}-error-summary-title`;
  return (
    // eslint-disable-next-line jsx-a11y/no-autofocus -- moving focus to the summary is the point
    <div className="error-summary" role="alert" aria-labelledby={titleId} tabIndex={-1} autoFocus>
      <h2 id={titleId}>{t('errorSummary.title')}</h2>
      <ul>
        {form.formErrors.map((message) => (
          <li key={message}>{message}</li>
        ))}
        {form.fieldErrors.map((error) => (
          <li key={error.href}>
            <a href={error.href}>{error.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function describedBy(field: FieldState, hint: ReactNode) {
  const ids = [hint ? field.hintId : null, field.errors.length > 0 ? field.errorId : null].filter(
    Boolean,
  );
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function FieldError({ field }: { field: FieldState }) {
  const t = useT();
  if (field.errors.length === 0) return null;
  return (
    <span className="field__error" id={field.errorId}>
      <span className="visually-hidden">{t('errorSummary.prefix')} </span>
      {field.errors.join(' ')}
    </span>
  );
}

function FieldFrame({
  field,
  label,
  hint,
  children,
}: {
  field: FieldState;
  label: ReactNode;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className={field.errors.length > 0 ? 'field field--error' : 'field'}>
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <span className="field__hint" id={field.hintId}>
          {hint}
        </span>
      ) : null}
      <FieldError field={field} />
      {children}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id' | 'defaultValue'>;

export function TextField({
  field,
  label,
  hint,
  type = 'text',
  ...props
}: InputProps & { field: FieldState; label: ReactNode; hint?: ReactNode }) {
  return (
    <FieldFrame field={field} label={label} hint={hint}>
      <input
        id={field.id}
        name={field.name}
        type={type}
        defaultValue={type === 'password' ? undefined : field.defaultValue}
        aria-invalid={field.errors.length > 0 || undefined}
        aria-describedby={describedBy(field, hint)}
        {...props}
      />
    </FieldFrame>
  );
}

export function SelectField({
  field,
  label,
  hint,
  options,
  ...props
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'id' | 'defaultValue'> & {
  field: FieldState;
  label: ReactNode;
  hint?: ReactNode;
  options: Array<{ value: string; label: string }>;
}) {
  return (
    <FieldFrame field={field} label={label} hint={hint}>
      <select
        id={field.id}
        name={field.name}
        defaultValue={field.defaultValue}
        aria-invalid={field.errors.length > 0 || undefined}
        aria-describedby={describedBy(field, hint)}
        {...props}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/**
 * A file input for forms that upload (the form needs method="post" and
 * encType="multipart/form-data"); `hint` should say the limits, read before choosing.
 */
export function FileField({
  field,
  label,
  hint,
  ...props
}: Omit<InputProps, 'type'> & { field: FieldState; label: ReactNode; hint?: ReactNode }) {
  return (
    <FieldFrame field={field} label={label} hint={hint}>
      <input
        id={field.id}
        name={field.name}
        type="file"
        aria-invalid={field.errors.length > 0 || undefined}
        aria-describedby={describedBy(field, hint)}
        {...props}
      />
    </FieldFrame>
  );
}

export function TextAreaField({
  field,
  label,
  hint,
  ...props
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'id' | 'defaultValue'> & {
  field: FieldState;
  label: ReactNode;
  hint?: ReactNode;
}) {
  return (
    <FieldFrame field={field} label={label} hint={hint}>
      <textarea
        id={field.id}
        name={field.name}
        defaultValue={field.defaultValue}
        aria-invalid={field.errors.length > 0 || undefined}
        aria-describedby={describedBy(field, hint)}
        {...props}
      />
    </FieldFrame>
  );
}
