#!/usr/bin/env node
// `npm test`: every check the project has, in the order a failure is cheapest to find —
// types, lint, unit and integration tests (embedded Postgres, then a system PostgreSQL),
// the production build, then the browser tests. It installs what it needs on a fresh
// Debian machine (Chromium, PostgreSQL) when it runs as root; elsewhere it says what to run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const isRoot = os.userInfo().uid === 0;
const hasApt = existsSync('/usr/bin/apt-get');
const started = Date.now();
const timings = [];

function step(name, command, args, env = {}) {
  const began = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  timings.push([name, Date.now() - began]);
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed`);
    process.exit(result.status ?? 1);
  }
}

function aptInstall(packages) {
  console.log(`Installing ${packages.join(', ')} from Debian…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function ensureChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return;
  if (existsSync('/usr/bin/chromium')) return;
  if (isRoot && hasApt) {
    aptInstall(['chromium']);
    return;
  }
  const bundled = spawnSync(
    process.execPath,
    ['-e', "console.log(require('playwright-core').chromium.executablePath())"],
    { encoding: 'utf8' },
  );
  if (bundled.status === 0 && existsSync(bundled.stdout.trim())) return;
  console.error(
    'No Chromium found for the browser tests. Install one with:\n\n  npx playwright install chromium\n\n(or on Debian: sudo apt-get install chromium)',
  );
  process.exit(1);
}

function findInitdb() {
  const inPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  // A PATH entry may be a symlink into the real folder, which also holds pg_isready.
  if (inPath) return realpathSync(inPath);
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((version) => existsSync(path.join(base, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin', 'initdb') : null;
}

const freePort = () =>
  new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

/**
 * The second database the suite runs on: the system's PostgreSQL (Debian's package), in a
 * throwaway cluster on a free port, so the app is proven on a server it did not start.
 */
async function startSystemPostgres() {
  let initdb = findInitdb();
  if (!initdb && isRoot && hasApt) {
    aptInstall(['postgresql']);
    initdb = findInitdb();
  }
  if (!initdb) {
    console.error(
      'PostgreSQL (15 or newer) is needed for the second pass of the integration tests. Install it with:\n\n  sudo apt-get install postgresql   (or: brew install postgresql@16)\n',
    );
    process.exit(1);
  }
  const binDir = path.dirname(initdb);
  // Postgres refuses to run as root: as root, run it as the OS user the package created.
  const owner = isRoot
    ? {
        uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
        gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
      }
    : {};
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workroom-syspg-'));
  const password = 'test-superuser';
  writeFileSync(path.join(dir, 'pw'), password);
  if (isRoot) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(path.join(dir, 'pw'), owner.uid, owner.gid);
  }
  const dataDir = path.join(dir, 'data');
  execFileSync(
    initdb,
    [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--pwfile',
      path.join(dir, 'pw'),
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ],
    {
      stdio: 'pipe',
      ...owner,
    },
  );
  const port = await freePort();
  const server = spawn(
    path.join(binDir, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
    ],
    { stdio: 'ignore', ...owner },
  );
  for (let waited = 0; ; waited += 200) {
    if (
      spawnSync(path.join(binDir, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)])
        .status === 0
    )
      break;
    if (waited > 20_000 || server.exitCode !== null)
      throw new Error('the system PostgreSQL did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const version = spawnSync(path.join(binDir, 'postgres'), ['--version'], {
    encoding: 'utf8',
  }).stdout.trim();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    version,
    async stop() {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

ensureChromium();
step('Type check', bin('tsc'), []);
step('Lint', bin('eslint'), ['.', '--max-warnings', '0']);
step('Unit and integration tests (embedded Postgres)', bin('vitest'), ['run']);
const system = await startSystemPostgres();
try {
  step(`Integration tests again on the system's ${system.version}`, bin('vitest'), ['run'], {
    TEST_DATABASE_URL: system.url,
  });
} finally {
  await system.stop();
}
step('Production build', process.execPath, ['scripts/build.js']);
step('Browser tests (JavaScript on and off, axe on every page)', bin('playwright'), ['test']);

console.log('\n✔ All checks passed\n');
for (const [name, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`);
console.log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  in all`);
