import type { Server } from 'node:http';
import type { ServerBuild } from '@remix-run/node';
import '~/modules/registry.server';
import { seedDemo } from '#db/seed';
import { trackPresence } from '~/modules/chat/presence.server';
import { moveFilesBetweenStores } from '~/modules/files/move-store.server';
import type { EmbeddedDatabase } from './db/embedded-postgres.server';
import { startDatabase } from './db/start.server';
import { getEnv, InvalidEnvironmentError } from './env.server';
import { superviseJobRunner } from './jobs/runner.server';
import { startLiveListener, stopLiveListener } from './live/hub.server';
import { getLogger } from './logger.server';
import { startDevInbox, type DevInbox } from './mail/dev-inbox.server';
import { configureMailTransport } from './mail/mailer.server';
import { createApp, listen } from './server/http.server';

const usage = `Usage: node scripts/workroom.js <command> [--no-seed]

  serve     the web server (and, unless JOBS=off, the job runner)   [default]
  migrate   bring the database up to date, then exit (the release command)
  worker    run the job queue alone, without a web server
  seed      fill an empty database with the demo workspaces, then exit
  files-migrate --to=supabase|local
            copy every stored file to the other store, checking each copy`;

/**
 * The one entry point of the running app: `scripts/workroom.js` imports the built bundle and
 * calls this, so the web server, the release command and the worker share one copy of the code.
 */
export async function runCli(
  argv: string[],
  build: ServerBuild,
  boot: { embedded?: Promise<EmbeddedDatabase> } = {},
): Promise<void> {
  const command = argv.find((arg) => !arg.startsWith('-')) ?? 'serve';
  if (
    !['serve', 'migrate', 'worker', 'seed', 'files-migrate'].includes(command) ||
    argv.includes('--help')
  ) {
    console.log(usage);
    process.exitCode = argv.includes('--help') ? 0 : 1;
    return;
  }
  let env;
  try {
    env = getEnv();
  } catch (error) {
    // One clear line, exit code 1, before anything listens.
    if (error instanceof InvalidEnvironmentError) {
      console.error(error.message);
      await (await boot.embedded?.catch(() => undefined))?.stop();
      process.exit(1);
    }
    throw error;
  }
  const log = getLogger();
  const started = Date.now();

  // Migrations run on start in development and with the embedded database; a production
  // deployment with its own Postgres runs `migrate` as its release command instead.
  const database = await startDatabase({
    migrate: command === 'migrate' || command === 'seed' || !env.isProduction || !env.DATABASE_URL,
    booted: boot.embedded,
  });
  // Stopped in reverse order of starting: streams and HTTP first, the database last.
  const stops: Array<() => Promise<void>> = [() => database.stop()];
  const shutdown = onShutdown(stops);

  if (command === 'migrate') return shutdown('migrated', 0);
  if (command === 'files-migrate') {
    const moved = await moveFilesBetweenStores(env, argv, (line) => console.log(line));
    return shutdown('files copied', moved.ok ? 0 : 1);
  }

  const shouldSeed =
    command === 'seed' || (command === 'serve' && !env.isProduction && !argv.includes('--no-seed'));
  if (shouldSeed) {
    const seeded = await seedDemo();
    if (seeded) log.info('seeded the demo workspaces Acme and Globex');
    if (command === 'seed')
      return shutdown(seeded ? 'seeded' : 'the database already has data: nothing seeded', 0);
  }

  let inbox: DevInbox | undefined;
  if (!env.SMTP_URL && !env.isProduction) {
    inbox = await startDevInbox(env.dataDir);
    stops.unshift(() => inbox!.stop());
  }
  configureMailTransport(env.SMTP_URL ?? inbox?.url);

  if (command === 'worker') {
    const runner = await superviseJobRunner(database.urls.ownerUrl);
    stops.unshift(() => runner.stop());
    log.info('job runner started');
    return;
  }

  // Serve first; the queue and the LISTEN connection start while the first pages are served.
  const server: Server = await listen(createApp(build), env.PORT);
  stops.unshift(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open SSE streams were ended by stopLiveListener; idle keep-alive sockets go now.
        server.closeIdleConnections();
      }),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  log.info({ port, ms: Date.now() - started }, 'listening');
  announce(
    env.appUrl.replace(`:${env.PORT}`, `:${port}`),
    database.embedded,
    shouldSeed,
    inbox !== undefined,
  );

  if (env.JOBS === 'in-process') {
    const runner = superviseJobRunner(database.urls.ownerUrl);
    // Stopped right after HTTP (position 1), before the mail inbox and the database it needs;
    // a stop that comes while it is still starting waits for it to have started.
    stops.splice(1, 0, async () => (await runner.catch(() => undefined))?.stop());
    await runner;
  }
  // Live streams end before the server closes, or server.close() would wait on them forever.
  stops.unshift(() => stopLiveListener());
  // Who is online follows this server's open streams.
  trackPresence();
  await startLiveListener(database.urls.appUrl);
}

function onShutdown(stops: Array<() => Promise<void>>) {
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    getLogger().info({ reason }, 'stopping');
    const force = setTimeout(() => process.exit(code || 1), 10_000).unref();
    for (const stop of stops)
      await stop().catch((error) => getLogger().error({ err: error }, 'error while stopping'));
    clearTimeout(force);
    process.exit(code);
  };
  // embedded-postgres registers its own signal hooks that stop Postgres at once, while jobs and
  // requests still use it; this process stops things in order instead.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
  return shutdown;
}

function announce(url: string, embedded: boolean, seeded: boolean, devInbox: boolean) {
  // The build inlines process.env.NODE_ENV, so ask the parsed environment.
  if (!process.stdout.isTTY && getEnv().isProduction) return;
  const lines = [
    '',
    `  Workroom is running at ${url}`,
    embedded
      ? `  Database: embedded Postgres in ${getEnv().dataDir}/postgres`
      : '  Database: DATABASE_URL',
    seeded
      ? '  Sign in as owner@acme.test (or admin@, manager@, member@, guest@acme.test) with the password workroom-demo'
      : '',
    devInbox ? `  Mail sent by the app: ${url}/dev/mail` : '',
    '  Stop with Ctrl-C.',
    '',
  ];
  console.log(
    lines
      .filter((line, index) => line !== '' || index === 0 || index === lines.length - 1)
      .join('\n'),
  );
}
