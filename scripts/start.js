#!/usr/bin/env node
// `npm start`: build when the sources changed since the last build (so a second start is
// quick), then run the server. Arguments after `--` go to the server (`--no-seed`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function newestChange(entry) {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))),
  );
}

const built = [path.join('build', 'index.js'), path.join('build', 'boot.js')];
const sources = ['app', 'db', 'remix.config.js', 'package-lock.json'].filter((entry) =>
  existsSync(entry),
);
const stale = () =>
  Math.min(...built.map((file) => statSync(file).mtimeMs)) < Math.max(...sources.map(newestChange));
if (!built.every((file) => existsSync(file)) || stale()) {
  const result = spawnSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
await import('./workroom.js');
