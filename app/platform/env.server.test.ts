import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.server';

describe('the environment', () => {
  it('has working defaults for development', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      NODE_ENV: 'development',
      isProduction: false,
      appUrl: 'http://localhost:3000',
      DATABASE_POOL_SIZE: 10,
      JOBS: 'in-process',
    });
    expect(env.dataDir.endsWith('.data')).toBe(true);
  });

  it('names the bad variable in its error', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/^Invalid environment: PORT /);
    expect(() => parseEnv({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('demands a long SESSION_SECRET and an APP_URL in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', APP_URL: 'https://w.example' })).toThrow(
      /SESSION_SECRET/,
    );
    expect(() => parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) })).toThrow(
      /APP_URL/,
    );
    const env = parseEnv({
      NODE_ENV: 'production',
      SESSION_SECRET: `${'n'.repeat(40)}, ${'o'.repeat(40)}`,
      APP_URL: 'https://w.example/',
    });
    expect(env.sessionSecrets).toEqual(['n'.repeat(40), 'o'.repeat(40)]);
    expect(env.appUrl).toBe('https://w.example');
  });

  it('takes the three Supabase variables together or not at all', () => {
    expect(() => parseEnv({ SUPABASE_URL: 'https://x.supabase.co' })).toThrow(
      /SUPABASE_SERVICE_KEY/,
    );
    expect(() =>
      parseEnv({ SUPABASE_URL: 'https://x.supabase.co', SUPABASE_SERVICE_KEY: 'k' }),
    ).toThrow(/STORAGE_BUCKET/);
    expect(
      parseEnv({
        SUPABASE_URL: 'https://x.supabase.co',
        SUPABASE_SERVICE_KEY: 'k',
        STORAGE_BUCKET: 'files',
      }).STORAGE_BUCKET,
    ).toBe('files');
  });

  it('treats an empty variable as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', SMTP_URL: ' ' }).DATABASE_URL).toBeUndefined();
  });
});

describe('the README', () => {
  it('lists every environment variable Workroom reads, and no other', async () => {
    const { readFileSync } = await import('node:fs');
    const { environmentVariables } = await import('./env.server');
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Deploy'));
    const documented = [...table.matchAll(/^\|\s*((?:`[A-Z_]+`(?:,\s*)?)+)\s*\|/gm)].flatMap(
      (row) => [...row[1]!.matchAll(/`([A-Z_]+)`/g)].map((match) => match[1]),
    );
    expect(documented.sort()).toEqual([...environmentVariables].sort());
  });
});
