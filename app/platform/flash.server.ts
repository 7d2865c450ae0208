import { createCookie } from '@remix-run/node';
import { z } from 'zod';
import { getEnv } from './env.server';
import { singleton } from './singleton.server';

/**
 * One message shown on the next page after a redirect ("Invitation sent"). The cookie holds a
 * translation key and its values, not text, so it is shown in the reader's language.
 */
export const flashSchema = z.object({
  kind: z.enum(['success', 'info', 'error']).default('success'),
  key: z.string().max(120),
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type Flash = z.infer<typeof flashSchema>;

const flashCookie = () =>
  singleton('flash-cookie', () => {
    const env = getEnv();
    return createCookie('workroom_flash', {
      httpOnly: true,
      secure: env.isProduction,
      sameSite: 'lax',
      path: '/',
      maxAge: 60,
      secrets: env.sessionSecrets,
    });
  });

export async function flashCookieHeader(flash: Flash): Promise<string> {
  return flashCookie().serialize(flash);
}

/** The pending flash, if any, and the header that clears it once shown. */
export async function readFlash(
  request: Request,
): Promise<{ flash: Flash | null; clearHeader: string | null }> {
  const raw: unknown = await flashCookie().parse(request.headers.get('Cookie'));
  if (!raw) return { flash: null, clearHeader: null };
  const parsed = flashSchema.safeParse(raw);
  return {
    flash: parsed.success ? parsed.data : null,
    clearHeader: await flashCookie().serialize('', { maxAge: 0 }),
  };
}

/** POST → redirect → GET, carrying a message for the next page. */
export async function redirectWithFlash(
  url: string,
  flash: Flash,
  init: { headers?: Headers } = {},
): Promise<Response> {
  const headers = init.headers ?? new Headers();
  headers.append('Set-Cookie', await flashCookieHeader(flash));
  headers.set('Location', url);
  return new Response(null, { status: 303, headers });
}
