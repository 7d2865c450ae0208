import { parseWithZod } from '@conform-to/zod/v4';
import { data } from '@remix-run/node';
import type { z } from 'zod';
import type { FormResult } from '~/ui/form';
import { getEnv } from './env.server';
import { badRequest, httpError } from './http-errors.server';

/** The largest form body read: a form post is a few kilobytes; uploads have their own limit. */
export const MAX_FORM_BYTES = 1024 * 1024;

export const MAX_FILES_PER_UPLOAD = 10;

/** The announced body an upload form may send: every file at the limit, plus its fields. */
export function maxUploadBodyBytes(fileMaxBytes = getEnv().FILE_MAX_BYTES): number {
  return fileMaxBytes * MAX_FILES_PER_UPLOAD + MAX_FORM_BYTES;
}

/**
 * The request's form fields. The body is read with a limit, however it is sent (chunked
 * bodies carry no Content-Length to refuse early): past it, 413. A body that is not a form is
 * a 400, never a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_FORM_BYTES) {
      await reader.cancel();
      throw httpError(413);
    }
    chunks.push(value);
  }
  try {
    return await new Response(Buffer.concat(chunks), {
      headers: { 'Content-Type': request.headers.get('Content-Type') ?? '' },
    }).formData();
  } catch {
    throw badRequest();
  }
}

/** The same form as a fresh request, for code that reads the body itself (remix-auth). */
export function formRequest(request: Request, form: FormData): Request {
  return new Request(request.url, { method: request.method, body: form });
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

/** A validation message that names something ("“notes.txt” is empty"): its key and values. */
export function messageWithValues(key: string, values: Record<string, string | number>): string {
  return `${key}|${JSON.stringify(values)}`;
}
