import { useT } from '~/platform/document-context';
import { TextField, type FieldState } from '~/ui/form';
import { MIN_PASSWORD_LENGTH } from './password-rules';

/** The account fields every identity form uses, labelled and autocompleted the same way everywhere. */

export function EmailInput({
  field,
  autoComplete = 'email',
  label,
}: {
  field: FieldState;
  autoComplete?: 'email' | 'username' | 'off';
  label?: string;
}) {
  const t = useT();
  return (
    <TextField
      field={field}
      label={label ?? t('accounts:fields.email')}
      type="email"
      autoComplete={autoComplete}
      spellCheck={false}
      required
    />
  );
}

export function NewPasswordInput({ field }: { field: FieldState }) {
  const t = useT();
  return (
    <TextField
      field={field}
      label={t('accounts:fields.newPassword')}
      hint={t('accounts:signUp.passwordHint', { count: MIN_PASSWORD_LENGTH })}
      type="password"
      autoComplete="new-password"
      required
    />
  );
}

export function ConfirmPasswordInput({ field }: { field: FieldState }) {
  const t = useT();
  return (
    <TextField
      field={field}
      label={t('accounts:fields.confirmPassword')}
      type="password"
      autoComplete="new-password"
      required
    />
  );
}

export function CurrentPasswordInput({ field }: { field: FieldState }) {
  const t = useT();
  return (
    <TextField
      field={field}
      label={t('accounts:fields.currentPassword')}
      type="password"
      autoComplete="current-password"
      required
    />
  );
}

/** A code from an authenticator app, or a recovery code. */
export function OneTimeCodeInput({ field }: { field: FieldState }) {
  const t = useT();
  return (
    <TextField
      field={field}
      label={t('accounts:fields.code')}
      hint={t('accounts:twoFactor.codeHint')}
      inputMode="numeric"
      autoComplete="one-time-code"
      spellCheck={false}
      required
    />
  );
}
