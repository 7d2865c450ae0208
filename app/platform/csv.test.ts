import { describe, expect, it } from 'vitest';
import { csvRow } from './csv';

describe('CSV export', () => {
  it('quotes what needs quoting and keeps spreadsheet formulas inert', () => {
    expect(csvRow(['plain', 'a,b', 'say "hi"', 'two\nlines', null, 3])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",,3\r\n',
    );
    expect(csvRow(['=HYPERLINK("http://evil")', '+1', '-2', '@cmd'])).toBe(
      `"'=HYPERLINK(""http://evil"")",'+1,'-2,'@cmd\r\n`,
    );
    expect(csvRow([new Date('2026-01-02T03:04:05Z'), { a: 1 }])).toBe(
      '2026-01-02T03:04:05.000Z,"{""a"":1}"\r\n',
    );
  });
});
