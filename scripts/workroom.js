#!/usr/bin/env node
// The running app's entry point: web server, release command (migrate), worker, seed.
// Everything lives in the Remix server bundle (build/index.js), so all share one copy of the code.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const buildFile = path.join(root, 'build', 'index.js');
if (!existsSync(buildFile)) {
  console.error('No build found: run `npm run build` first (npm start does it for you).');
  process.exit(1);
}
const build = await import(pathToFileURL(buildFile).href);
await build.entry.module.runCli(process.argv.slice(2), build);
