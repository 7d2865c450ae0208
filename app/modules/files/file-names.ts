export const MAX_NAME_LENGTH = 255;

/**
 * A file's name as people will see it and as downloads will carry it: one Unicode form,
 * no control or direction-override characters (which can disguise "invoice‮fdp.exe"), no
 * path separators, no surrounding spaces or trailing dots, at most 255 characters with the
 * extension kept. A name with nothing left (only dots, slashes or spaces) is null: refused.
 */
export function cleanFileName(raw: string): string | null {
  const cleaned = raw
    .normalize('NFC')
    // Control characters are exactly what this removes.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[/\\]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '');
  if (!cleaned || /^[.\- ]*$/.test(cleaned)) return null;
  if (cleaned.length <= MAX_NAME_LENGTH) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, MAX_NAME_LENGTH - extension.length).trimEnd() + extension;
}

/**
 * Content-Disposition for a download: an ASCII fallback for old clients and the exact name
 * in RFC 5987 form for the rest.
 */
export function contentDisposition(name: string, disposition: 'attachment' | 'inline'): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
