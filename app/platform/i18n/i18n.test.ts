import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { createFormatter } from './format';
import { getT } from './i18n';
import { locales, resolveLocale } from './locales';
import { resources } from './resources';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : flatten(value, `${prefix}${key}.`),
  );
}

/** A plural key counts once, by its base: Spanish has _many where English has only _one/_other. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('translations', () => {
  for (const namespace of Object.keys(resources.en) as Array<keyof typeof resources.en>) {
    it(`have every ${namespace} key in both English and Spanish`, () => {
      const en = new Set(flatten(resources.en[namespace] as Tree).map(base));
      const es = new Set(flatten(resources.es[namespace] as Tree).map(base));
      expect(
        [...en].filter((key) => !es.has(key)),
        'missing in Spanish',
      ).toEqual([]);
      expect(
        [...es].filter((key) => !en.has(key)),
        'missing in English',
      ).toEqual([]);
    });
  }

  it('cover every literal key the code asks for', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry) && !entry.endsWith('.test.ts')) files.push(full);
      }
    };
    walk(path.resolve('app'));
    const known = new Set(
      Object.entries(resources.en).flatMap(([namespace, tree]) =>
        flatten(tree as Tree).map((key) => `${namespace}:${base(key)}`),
      ),
    );
    const missing: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      // t('key'), messages in zod schemas and flash keys: 'namespace:some.key'
      for (const match of source.matchAll(
        /['`]((?:common|accounts|workspaces|audit):[a-zA-Z0-9_.]+)['`]/g,
      )) {
        if (!known.has(base(match[1]!)))
          missing.push(`${path.relative(process.cwd(), file)}: ${match[1]}`);
      }
      for (const match of source.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
        if (!known.has(`common:${base(match[1]!)}`))
          missing.push(`${path.relative(process.cwd(), file)}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('interpolate and pluralise in both languages', () => {
    expect(getT('en')('workspaces:members.count', { count: 1 })).toBe('1 member');
    expect(getT('en')('workspaces:members.count', { count: 3 })).toBe('3 members');
    expect(getT('es')('workspaces:members.count', { count: 3 })).toMatch(/^3 /);
    expect(getT('es')('errors.404.title')).not.toBe(getT('en')('errors.404.title'));
  });

  it('give what i18next itself gives for every string, asked once or many times', async () => {
    // The remembered lookups of getT against a plain i18next with the same settings.
    const plain = i18next.createInstance();
    await plain.init({
      resources,
      fallbackLng: 'en',
      defaultNS: 'common',
      ns: Object.keys(resources.en),
      interpolation: { escapeValue: false },
    });
    const differences: string[] = [];
    for (const locale of locales) {
      const reference = plain.getFixedT(locale) as (key: string, values?: object) => string;
      for (const namespace of Object.keys(resources.en) as Array<keyof typeof resources.en>) {
        const keys = new Set(flatten(resources.en[namespace] as Tree).map(base));
        for (const key of keys) {
          const full = `${namespace}:${key}`;
          const names = [
            ...JSON.stringify(resources[locale][namespace]).matchAll(/\{\{\s*(\w+)/g),
          ].map((match) => match[1]!);
          const calls: Array<Record<string, string | number> | undefined> = [
            undefined,
            // A value that looks like a placeholder or a replacement pattern stays as it is.
            Object.fromEntries(names.map((name) => [name, `{{${name}}} $& <b>`])),
            ...[0, 1, 1.5, 2, 5, 11, 21, 1000, 1_000_000].map((count) => ({
              ...Object.fromEntries(names.map((name) => [name, `«${name}»`])),
              count,
            })),
          ];
          for (const values of calls)
            for (let round = 0; round < 2; round++) {
              const mine = values
                ? getT(locale)(full as never, values)
                : getT(locale)(full as never);
              const theirs = values ? reference(full, values) : reference(full);
              if (mine !== theirs)
                differences.push(
                  `${locale} ${full} ${JSON.stringify(values)}: ${mine} ≠ ${theirs}`,
                );
            }
        }
      }
    }
    expect(differences).toEqual([]);
  });
});

describe('the reader’s language', () => {
  it('prefers the person’s setting, then Accept-Language by quality, then English', () => {
    expect(resolveLocale('es-MX,es;q=0.9,en;q=0.8', 'en')).toBe('en');
    expect(resolveLocale('fr-FR,es;q=0.7,en;q=0.8')).toBe('en');
    expect(resolveLocale('fr-FR,es;q=0.9,en;q=0.8')).toBe('es');
    expect(resolveLocale('de')).toBe('en');
    expect(resolveLocale(null)).toBe('en');
    expect(resolveLocale('es;q=0')).toBe('en');
  });
});

describe('formatting', () => {
  const instant = new Date('2026-03-01T23:30:00Z');

  it('shows dates and times in the reader’s zone and language', () => {
    expect(createFormatter('en', 'America/New_York').date(instant, 'dateTime')).toBe(
      'Mar 1, 2026, 6:30 PM',
    );
    expect(createFormatter('es', 'Europe/Madrid').date(instant)).toBe('2 mar 2026');
    expect(createFormatter('en', 'Asia/Tokyo').isoDate(instant)).toBe('2026-03-02');
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(createFormatter('en', 'Mars/Olympus').timeZone).toBe('UTC');
  });

  it('writes numbers, sizes and relative times', () => {
    expect(createFormatter('es', 'UTC').number(1234567.5)).toBe('1.234.567,5');
    expect(createFormatter('en', 'UTC').bytes(1536)).toBe('1.5 kB');
    const now = new Date('2026-03-01T12:00:00Z');
    expect(createFormatter('en', 'UTC').relative(new Date('2026-03-01T11:57:00Z'), now)).toBe(
      '3 minutes ago',
    );
    expect(createFormatter('es', 'UTC').relative(new Date('2026-03-02T12:00:00Z'), now)).toBe(
      'mañana',
    );
  });
});
