import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchemaTypes, schemaFile } from '../../../scripts/db-types';

describe('the TypeScript types of the database', () => {
  it('match what the migrations create (run `npm run db:types` after changing a migration)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workroom-schema-'));
    try {
      const fresh = path.join(dir, 'schema.ts');
      await generateSchemaTypes(fresh);
      expect(readFileSync(fresh, 'utf8')).toBe(readFileSync(schemaFile, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
