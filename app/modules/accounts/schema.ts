import { z } from 'zod';
import { isTimeZone } from '~/platform/i18n/format';
import { locales } from '~/platform/i18n/locales';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-rules';
import { isCommonPassword } from './passwords.server';

// Messages are translation keys; the form components translate them for the reader.
export const emailField = z
  .string({ error: 'accounts:validation.emailRequired' })
  .trim()
  .min(1, 'accounts:validation.emailRequired')
  .max(254, 'accounts:validation.emailInvalid')
  .pipe(z.email({ error: 'accounts:validation.emailInvalid' }))
  .transform((email) => email.toLowerCase());

export const nameField = z
  .string({ error: 'accounts:validation.nameRequired' })
  .trim()
  .min(1, 'accounts:validation.nameRequired')
  .max(100, 'accounts:validation.nameTooLong');

export const newPasswordField = z
  .string({ error: 'accounts:validation.passwordRequired' })
  .min(MIN_PASSWORD_LENGTH, 'accounts:validation.passwordTooShort')
  .max(MAX_PASSWORD_LENGTH, 'accounts:validation.passwordTooLong')
  .refine((password) => !isCommonPassword(password), 'accounts:validation.passwordCommon');

export const currentPasswordField = z
  .string({ error: 'accounts:validation.currentPasswordRequired' })
  .min(1, 'accounts:validation.currentPasswordRequired')
  .max(MAX_PASSWORD_LENGTH, 'accounts:validation.passwordWrong');

export const signUpSchema = z.object({
  name: nameField,
  email: emailField,
  password: newPasswordField,
});

export const signInSchema = z.object({
  email: emailField,
  password: z
    .string({ error: 'accounts:validation.passwordRequired' })
    .min(1, 'accounts:validation.passwordRequired')
    .max(MAX_PASSWORD_LENGTH),
  redirectTo: z.string().optional(),
});

export const twoFactorCodeSchema = z.object({
  code: z
    .string({ error: 'accounts:validation.codeRequired' })
    .trim()
    .min(1, 'accounts:validation.codeRequired')
    .max(20, 'accounts:validation.codeInvalid')
    .transform((code) => code.replace(/[\s-]/g, '').toLowerCase()),
});

export const emailOnlySchema = z.object({ email: emailField });

export const resetPasswordSchema = z
  .object({
    password: newPasswordField,
    confirmPassword: z.string({ error: 'accounts:validation.confirmRequired' }),
  })
  .refine((value) => value.password === value.confirmPassword, {
    path: ['confirmPassword'],
    message: 'accounts:validation.confirmMismatch',
  });

export const changePasswordSchema = z
  .object({
    currentPassword: currentPasswordField,
    password: newPasswordField,
    confirmPassword: z.string({ error: 'accounts:validation.confirmRequired' }),
  })
  .refine((value) => value.password === value.confirmPassword, {
    path: ['confirmPassword'],
    message: 'accounts:validation.confirmMismatch',
  });

export const profileSchema = z.object({
  name: nameField,
  locale: z
    .enum(['', ...locales], { error: 'accounts:validation.localeInvalid' })
    .transform((locale) => (locale === '' ? null : locale)),
  timeZone: z
    .string({ error: 'accounts:validation.timeZoneInvalid' })
    .refine(isTimeZone, 'accounts:validation.timeZoneInvalid'),
});

export const changeEmailSchema = z.object({
  email: emailField,
  currentPassword: currentPasswordField,
});

export const passwordConfirmationSchema = z.object({ currentPassword: currentPasswordField });
