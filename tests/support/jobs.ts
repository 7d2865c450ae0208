import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runOnce } from 'graphile-worker';
import { afterAll, beforeAll } from 'vitest';
import '../../app/modules/registry.server';
import { taskList } from '../../app/platform/jobs/runner.server';
import { jobQueueLogger } from '../../app/platform/jobs/logger.server';
import {
  listDevMail,
  startDevInbox,
  type DevInbox,
} from '../../app/platform/mail/dev-inbox.server';
import { configureMailTransport } from '../../app/platform/mail/mailer.server';
import { testDatabase } from './database-per-file';

/** Runs every job that is due now, with the real runner, then returns. */
export async function runDueJobs(): Promise<void> {
  await runOnce({
    connectionString: testDatabase.ownerUrl,
    taskList: taskList(),
    logger: await jobQueueLogger(),
  });
}

/** A real SMTP server for this test file; mail jobs deliver to it. */
export async function startTestInbox(): Promise<
  DevInbox & { messages(to?: string): ReturnType<typeof listDevMail> }
> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workroom-mail-'));
  const inbox = await startDevInbox(dir);
  configureMailTransport(inbox.url);
  return {
    ...inbox,
    async messages(to?: string) {
      const all = await listDevMail(dir, 500);
      return to ? all.filter((message) => message.to.includes(to)) : all;
    },
  };
}

/** The link in a mail's text that starts with the path given ("/verify-email/…"). */
export function linkIn(text: string, pathPrefix: string): string {
  const match = text.match(
    new RegExp(`https?://[^\\s]+(${pathPrefix.replaceAll('/', '\\/')}[^\\s]*)`),
  );
  if (!match) throw new Error(`no ${pathPrefix} link in:\n${text}`);
  return match[1]!;
}

/**
 * For a test file that sends mail: a real SMTP inbox for the file, and `mailTo(address)`, which
 * runs the due jobs (the mail among them) and returns what that address received, newest first.
 */
export function inboxForThisFile() {
  let inbox: Awaited<ReturnType<typeof startTestInbox>>;
  beforeAll(async () => {
    inbox = await startTestInbox();
  });
  afterAll(() => inbox.stop());
  return {
    async mailTo(address: string) {
      await runDueJobs();
      return inbox.messages(address);
    },
    stop: () => inbox.stop(),
    async restart() {
      inbox = await startTestInbox();
    },
  };
}
