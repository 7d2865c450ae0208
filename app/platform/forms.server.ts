import { parseWithZod } from '@conform-to/zod/v4';
import { data } from '@remix-run/node';
import type { z } from 'zod';
import type { FormResult } from '~/ui/form';
import { badRequest } from './http-errors.server';

/** The request's form fields; a body that is not a form at all is a 400, not a 500. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw badRequest();
  }
}

/** Parses a posted form with its zod schema (conform coerces the strings). */
export async function parseForm<S extends z.ZodType>(request: Request, schema: S) {
  return parseWithZod(await readForm(request), { schema });
}

type Submission = {
  reply(options?: {
    formErrors?: string[];
    fieldErrors?: Record<string, string[]>;
    hideFields?: string[];
  }): unknown;
};

/**
 * A failed form: 422, the errors (translation keys) and what was typed, minus any passwords.
 * The page renders its error summary from this.
 */
export function invalidForm(
  submission: Submission,
  options: {
    formError?: string;
    fieldErrors?: Record<string, string[]>;
    hideFields?: string[];
  } = {},
) {
  return data(
    {
      result: submission.reply({
        formErrors: options.formError ? [options.formError] : undefined,
        fieldErrors: options.fieldErrors,
        hideFields: options.hideFields ?? ['password', 'currentPassword', 'confirmPassword'],
      }) as FormResult,
    },
    { status: 422 },
  );
}
