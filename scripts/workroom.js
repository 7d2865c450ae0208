#!/usr/bin/env node
// The running app's entry point: web server, release command (migrate), worker, seed.
// Everything lives in the Remix server bundle (build/index.js), so all share one copy of the
// code. The embedded Postgres (when DATABASE_URL is unset) starts from the small build/boot.js
// first, so the database starts while the bundle loads.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const buildFile = path.join(root, 'build', 'index.js');
const bootFile = path.join(root, 'build', 'boot.js');
if (!existsSync(buildFile) || !existsSync(bootFile)) {
  console.error('No build found: run `npm run build` first (npm start does it for you).');
  process.exit(1);
}
const argv = process.argv.slice(2);
const command = argv.find((arg) => !arg.startsWith('-')) ?? 'serve';
let embedded;
if (
  ['serve', 'migrate', 'seed', 'worker', 'files-migrate'].includes(command) &&
  !argv.includes('--help')
) {
  const boot = await import(pathToFileURL(bootFile).href);
  embedded = boot.bootEmbeddedPostgres(process.env);
  // Failures are reported where the app awaits it, in the order of its start-up.
  embedded?.catch(() => {});
}
const build = await import(pathToFileURL(buildFile).href);
await build.entry.module.runCli(argv, build, { embedded });
