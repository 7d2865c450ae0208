/**
 * Regenerates app/platform/db/schema.ts from a freshly migrated throwaway database, so the
 * TypeScript types are the schema's own. `npm run db:types`; a test fails when they drift.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../app/platform/db/embedded-postgres.server';
import { migrateDatabase } from '../app/platform/db/migrate.server';

export const schemaFile = path.resolve('app/platform/db/schema.ts');

export async function generateSchemaTypes(outFile: string): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'workroom-types-'));
  const server = await startEmbeddedPostgres({ dataDir, durable: false });
  try {
    await migrateDatabase({ ownerUrl: server.ownerUrl, appUrl: server.appUrl });
    execFileSync(
      path.resolve('node_modules/.bin/kysely-codegen'),
      [
        '--dialect',
        'postgres',
        '--camel-case',
        '--url',
        server.ownerUrl,
        '--out-file',
        outFile,
        '--include-pattern',
        'public.*',
        '--exclude-pattern',
        'public.kysely_*',
        '--log-level',
        'warn',
      ],
      { stdio: 'inherit' },
    );
    execFileSync(
      path.resolve('node_modules/.bin/prettier'),
      ['--write', '--log-level', 'warn', '--config', path.resolve('.prettierrc.json'), outFile],
      { stdio: 'inherit' },
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await generateSchemaTypes(schemaFile);
  console.log(`wrote ${path.relative(process.cwd(), schemaFile)}`);
}
