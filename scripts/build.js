#!/usr/bin/env node
// `npm run build`: the Remix server bundle (build/index.js), then the boot step that starts the
// embedded Postgres while that bundle loads (build/boot.js; see scripts/workroom.js).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const remix = spawnSync(path.join('node_modules', '.bin', 'remix'), ['build'], {
  stdio: 'inherit',
});
if (remix.status !== 0) process.exit(remix.status ?? 1);
await build({
  entryPoints: ['app/platform/db/boot.server.ts'],
  outfile: 'build/boot.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
