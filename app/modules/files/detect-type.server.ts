import { fileTypeFromBuffer } from 'file-type';

/** How much of the start of a file is kept for detection: enough for Office files' zip entries. */
export const SNIFF_BYTES = 64 * 1024;

/** Types a browser would render as a page or run scripts from: always downloaded, never shown. */
const activeTypes = new Set([
  'text/html',
  'image/svg+xml',
  'application/xhtml+xml',
  'text/xml',
  'application/xml',
]);

/** Raster images a browser can show safely inline and sharp can turn into a thumbnail. */
export const imageTypes = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

export const isActiveContent = (contentType: string) => activeTypes.has(contentType);

const textTypesByExtension: Record<string, string> = {
  csv: 'text/csv',
  md: 'text/markdown',
  markdown: 'text/markdown',
  ics: 'text/calendar',
  json: 'application/json',
};

/**
 * The file's type from its first bytes (magic numbers), never from the browser's claim or the
 * name alone. Text has no magic number: valid UTF-8 without NUL bytes is text, and then the
 * name's extension may say which text (CSV, Markdown); markup that a browser would render is
 * recognised so it is never served inline. Anything else is application/octet-stream.
 */
export async function detectContentType(head: Buffer, fileName: string): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  // file-type names any XML "application/xml": an SVG is XML too, so text rules decide.
  if (detected && !/xml$/.test(detected.mime)) return normalise(detected.mime);
  if (!looksLikeText(head)) return 'application/octet-stream';
  const start = head
    .subarray(0, 1024)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(start)) return 'image/svg+xml';
  if (/^(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>])/.test(start))
    return 'text/html';
  if (start.startsWith('<?xml')) return 'application/xml';
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  return textTypesByExtension[extension] ?? 'text/plain';
}

function normalise(mime: string): string {
  // file-type names a few types with x- prefixes or parameters the content_type check refuses.
  return mime.toLowerCase().split(';')[0]!.trim();
}

function looksLikeText(head: Buffer): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  try {
    // The sample may end inside a multi-byte character: streaming mode holds that tail back
    // instead of calling it invalid.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}
