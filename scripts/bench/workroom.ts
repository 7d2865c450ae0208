/**
 * Workroom itself, for the benchmarks: started the way `node scripts/workroom.js serve` starts
 * it, on a free port with a throwaway DATA_DIR (embedded Postgres, demo data), and signed in to.
 *
 * In production mode (the default) `seed` first fills the embedded database (production never
 * seeds on start), then the server starts with NODE_ENV=production on the same DATA_DIR.
 * Nothing of the app is imported into the benchmark's own process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureOutput, freePort, onCleanup, rawGet, runToEnd, stopChild, waitForOk } from './lib';

/** The demo data `serve` seeds into an empty database. */
export const demo = { workspace: 'acme', email: 'owner@acme.test', password: 'workroom-demo' };

export type Workroom = {
  url: string;
  mode: 'development' | 'production';
  /** The web server's process id. */
  pid: number;
  dataDir: string;
  /**
   * The SESSION_SECRET the server signs cookies with, in production mode (for a benchmark that
   * makes its sessions in the database instead of signing in); undefined in development.
   */
  sessionSecret?: string;
  /** The last few KB the server printed (its warnings and errors), for a report. */
  output: () => string;
};

const workroom = 'scripts/workroom.js';

/**
 * Starts the web server on a free port with a throwaway DATA_DIR and waits for /healthz 200.
 * Everything it starts, and the folder, is undone by cleanUp() (lib.ts). `profileDir` runs the
 * server under `node --cpu-prof`; `env` adds settings (e.g. FILE_MAX_BYTES) to its environment.
 * The working directory must be the project's root.
 */
export async function startWorkroom(
  options: { production?: boolean; profileDir?: string; env?: Record<string, string> } = {},
): Promise<Workroom> {
  const production = options.production ?? true;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'workroom-bench-'));
  // As root the embedded Postgres runs as the OS user "postgres", who must enter this folder.
  chmodSync(dataDir, 0o755);
  let keepDataDir = false;
  onCleanup('data dir', () => {
    if (keepDataDir) console.error(`Left ${dataDir} in place: a Postgres may still use it.`);
    else rmSync(dataDir, { recursive: true, force: true });
  });
  /** SIGINT, wait, and (after 15 s) kill; a killed process may leave Postgres running. */
  const stopOnCleanup = (label: string, child: ChildProcess) =>
    onCleanup(label, async () => {
      if (!(await stopChild(child, 'SIGINT', 15_000))) {
        keepDataDir = true;
        console.error(`The ${label} did not stop within 15 s of SIGINT and was killed.`);
      } else if (child.exitCode !== 0) {
        // Harmless for the numbers, but a clean stop would exit 0.
        console.error(`The ${label} exited with ${child.exitCode ?? child.signalCode} on SIGINT.`);
      }
    });

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Nothing from the caller's environment may point the app at another database or mode.
  const env: NodeJS.ProcessEnv = { ...process.env };
  const unset = ['NODE_ENV', 'DATABASE_URL', 'DATABASE_OWNER_URL', 'SESSION_SECRET', 'SMTP_URL'];
  for (const name of unset) delete env[name];
  Object.assign(env, { PORT: String(port), DATA_DIR: dataDir, APP_URL: url, LOG_LEVEL: 'warn' });
  Object.assign(env, options.env);

  let sessionSecret: string | undefined;
  if (production) {
    await runToEnd(process.execPath, [workroom, 'seed'], { env });
    sessionSecret = randomBytes(32).toString('base64url');
    Object.assign(env, { NODE_ENV: 'production', SESSION_SECRET: sessionSecret });
  }

  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const server = spawnDetached([...profile, workroom, 'serve'], env);
  stopOnCleanup('server', server);
  const output = captureOutput(server);
  await waitForOk(`${url}/healthz`, server, output);
  return {
    url,
    mode: production ? 'production' : 'development',
    pid: server.pid!,
    dataDir,
    sessionSecret,
    output,
  };
}

function spawnDetached(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches only the benchmark, which then
    // sends exactly one SIGINT (a second one would kill the app before it stops Postgres).
    detached: true,
  });
}

/**
 * Signs in and returns the Cookie header for the session. Sign-in is limited to 30 attempts
 * per address per 15 minutes: sign in once per run.
 */
export async function signIn(
  appUrl: string,
  email = demo.email,
  password = demo.password,
): Promise<string> {
  const body = new URLSearchParams({ email, password }).toString();
  const response = await rawGet(
    `${appUrl}/login`,
    { origin: appUrl, 'content-type': 'application/x-www-form-urlencoded' },
    'POST',
    body,
  );
  const setCookie = response.headers['set-cookie'] ?? [];
  // workroom_session in development, __Host-workroom_session in production.
  const session = setCookie
    .map((cookie) => cookie.split(';')[0]!)
    .find((cookie) => /^(__Host-)?workroom_session=/.test(cookie));
  if (response.status !== 303 || !session)
    throw new Error(`Sign-in failed: ${response.status}, Set-Cookie: ${setCookie.join(' / ')}`);
  return session;
}

/**
 * The embedded Postgres's owner URL (superuser "postgres", so row-level security does not
 * apply), for a benchmark that seeds or inspects the database directly. The app writes the
 * credentials into DATA_DIR and Postgres its port into postmaster.pid (line 4).
 */
export function ownerDatabaseUrl(app: Workroom, database = 'workroom'): string {
  const { ownerPassword } = JSON.parse(
    readFileSync(path.join(app.dataDir, 'postgres-credentials.json'), 'utf8'),
  ) as { ownerPassword: string };
  const port = readFileSync(path.join(app.dataDir, 'postgres', 'postmaster.pid'), 'utf8')
    .split('\n')[3]
    ?.trim();
  if (!port) throw new Error(`No port in ${app.dataDir}/postgres/postmaster.pid`);
  return `postgres://postgres:${encodeURIComponent(ownerPassword)}@127.0.0.1:${port}/${database}`;
}
