import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Download links for the local store, the counterpart of Supabase's signed URLs: the key, the
 * download name and the expiry are signed with HMAC-SHA256 under the session secret (a
 * purpose-bound derivation of it), so none of them can be changed without the signature failing.
 */
type LinkClaims = { key: string; expires: number; name: string };

const purpose = 'workroom file link v1';

function signature(secret: string, claims: LinkClaims): string {
  const linkKey = createHmac('sha256', secret).update(purpose).digest();
  return createHmac('sha256', linkKey)
    .update(`${claims.key}\n${claims.expires}\n${claims.name}`)
    .digest('base64url');
}

export function signFileLink(secret: string, claims: LinkClaims): string {
  return new URLSearchParams({
    key: claims.key,
    expires: String(claims.expires),
    name: claims.name,
    signature: signature(secret, claims),
  }).toString();
}

export type LinkCheck =
  { ok: true; key: string; name: string } | { ok: false; reason: 'invalid' | 'expired' };

/** Checks a link against every configured secret (a rotation keeps links working until expiry). */
export function verifyFileLink(
  secrets: string[],
  query: URLSearchParams,
  now = Date.now(),
): LinkCheck {
  const key = query.get('key');
  const name = query.get('name');
  const expires = Number(query.get('expires'));
  const given = Buffer.from(query.get('signature') ?? '');
  if (!key || !name || !Number.isSafeInteger(expires)) return { ok: false, reason: 'invalid' };
  const claims = { key, name, expires };
  const valid = secrets.some((secret) => {
    const expected = Buffer.from(signature(secret, claims));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!valid) return { ok: false, reason: 'invalid' };
  // Checked after the signature: only a genuine link is told it has expired.
  if (expires * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true, key, name };
}
