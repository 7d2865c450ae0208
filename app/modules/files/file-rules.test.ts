import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { detectContentType } from './detect-type.server';
import { requestedRange } from './download.server';
import { cleanFileName, contentDisposition } from './file-names';

describe('file names', () => {
  it('keeps what people typed, minus what could mislead or break a path', () => {
    expect(cleanFileName('  Q3   budget.csv ')).toBe('Q3 budget.csv');
    expect(cleanFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanFileName('a/b\\c.txt')).toBe('a-b-c.txt');
    expect(cleanFileName('notes.txt...')).toBe('notes.txt');
    expect(cleanFileName('Cafe\u0301 menu.pdf')).toBe('Café menu.pdf');
  });

  it('refuses names with nothing left: only dots, slashes, dashes or spaces', () => {
    for (const name of ['', '.', '..', '...', '/', ' / ', '\\\\', '- .', '\u0000'])
      expect(cleanFileName(name)).toBeNull();
  });

  it('shortens long names to 255 characters, keeping the extension', () => {
    const cleaned = cleanFileName(`${'x'.repeat(400)}.pdf`)!;
    expect(cleaned).toHaveLength(255);
    expect(cleaned.endsWith('.pdf')).toBe(true);
  });

  it('writes Content-Disposition with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('Résumé "final".pdf', 'attachment')).toBe(
      `attachment; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
    expect(contentDisposition("it's (1).png", 'inline')).toBe(
      `inline; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`,
    );
  });
});

describe('the type a file really is', () => {
  it('believes the bytes, not the name', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect(await detectContentType(png, 'document.pdf')).toBe('image/png');
    expect(await detectContentType(Buffer.from('%PDF-1.7\n%\xe2\xe3'), 'scan.png')).toBe(
      'application/pdf',
    );
    expect(await detectContentType(Buffer.from([0x00, 0x01, 0x02, 0xff]), 'x.txt')).toBe(
      'application/octet-stream',
    );
  });

  it('recognises text, and which text by the name only once the bytes are text', async () => {
    expect(await detectContentType(Buffer.from('a,b\n1,2\n'), 'data.csv')).toBe('text/csv');
    expect(await detectContentType(Buffer.from('# Title\n'), 'readme.md')).toBe('text/markdown');
    expect(await detectContentType(Buffer.from('¡Hola, señor!'), 'hola')).toBe('text/plain');
  });

  it('spots markup a browser would run, however it is named', async () => {
    const svg = '<?xml version="1.0"?>\n<!-- drawn -->\n<svg xmlns="http://www.w3.org/2000/svg"/>';
    expect(await detectContentType(Buffer.from(svg), 'chart.png')).toBe('image/svg+xml');
    expect(await detectContentType(Buffer.from('\uFEFF<!DOCTYPE html><p>hi'), 'a.txt')).toBe(
      'text/html',
    );
    expect(await detectContentType(Buffer.from('  <script>alert(1)</script>'), 'b.csv')).toBe(
      'text/html',
    );
  });
});

describe('byte ranges', () => {
  const ask = (range: string, ifRange?: string) =>
    requestedRange(
      new Request('http://localhost/', {
        headers: { Range: range, ...(ifRange ? { 'If-Range': ifRange } : {}) },
      }),
      1000,
      '"abc"',
    );

  it('serves one range, an open end or a suffix', () => {
    expect(ask('bytes=0-99')).toEqual({ start: 0, end: 99 });
    expect(ask('bytes=900-')).toEqual({ start: 900, end: 999 });
    expect(ask('bytes=-100')).toEqual({ start: 900, end: 999 });
    expect(ask('bytes=990-5000')).toEqual({ start: 990, end: 999 });
  });

  it('says 416 outside the file, and sends the whole file for what it does not serve', () => {
    expect(ask('bytes=1000-')).toBe('unsatisfiable');
    expect(ask('bytes=-0')).toBe('unsatisfiable');
    expect(ask('bytes=0-1,5-6')).toBeNull();
    expect(ask('items=0-5')).toBeNull();
    expect(ask('bytes=50-10')).toBeNull();
    expect(ask('bytes=0-99', '"stale"')).toBeNull();
    expect(ask('bytes=0-99', '"abc"')).toEqual({ start: 0, end: 99 });
  });
});
