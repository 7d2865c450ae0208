import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createTestWorkspace,
  ownerSql,
  type TestWorkspace,
} from '../../../tests/support/factories';
import { inboxForThisFile, runDueJobs } from '../../../tests/support/jobs';
import { withWorkspace } from '../db/database.server';
import { queueMail } from '../mail/mailer.server';
import { defineJob, enqueueJob } from './jobs.server';
import { listJobFailures, retryJob } from '~/modules/workspaces/jobs.server';

const seen: Array<Record<string, unknown>> = [];
const probeJob = defineJob({
  name: 'test.probe',
  payload: z.object({ note: z.string(), workspaceId: z.string().optional() }),
  run: async (payload) => void seen.push(payload),
});

let workspace: TestWorkspace;
const inbox = inboxForThisFile();
const owner = ownerSql();

beforeAll(async () => {
  workspace = await createTestWorkspace();
});
afterAll(() => owner.end());

const ctx = () => ({ userId: workspace.owner.id, workspaceId: workspace.id });
const pending = async (task: string) =>
  Number(
    (await owner`select count(*) from graphile_worker.jobs where task_identifier = ${task}`)[0]!
      .count,
  );

describe('the job queue', () => {
  it('keeps no job enqueued in a transaction that rolled back', async () => {
    await expect(
      withWorkspace(ctx(), async (trx) => {
        await enqueueJob(trx, probeJob, { note: 'never' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await pending('test.probe')).toBe(0);
  });

  it('runs a committed job, stamped with the workspace it was enqueued in whatever the payload said', async () => {
    await withWorkspace(ctx(), (trx) =>
      enqueueJob(trx, probeJob, {
        note: 'hello',
        workspaceId: '00000000-0000-0000-0000-000000000000',
      }),
    );
    await runDueJobs();
    expect(seen).toEqual([{ note: 'hello', workspaceId: workspace.id }]);
    expect(await pending('test.probe')).toBe(0);
  });

  it('sends queued mail over SMTP', async () => {
    await withWorkspace(ctx(), (trx) =>
      queueMail(trx, { to: 'someone@example.test', subject: 'Hello', text: 'A line of text' }),
    );
    const [mail] = await inbox.mailTo('someone@example.test');
    expect(mail).toMatchObject({
      subject: 'Hello',
      text: expect.stringContaining('A line of text'),
    });
  });

  it('keeps a failing job with its error, visible to the workspace and retryable', async () => {
    await inbox.stop();
    await withWorkspace(ctx(), (trx) =>
      queueMail(trx, { to: 'unreachable@example.test', subject: 'Lost', text: 'x' }),
    );
    await runDueJobs();
    const failures = await listJobFailures(ctx());
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ task: 'mail.send', attempts: 1 });
    expect(failures[0]!.lastError).toMatch(/ECONNREFUSED|connect/);

    await inbox.restart();
    expect(await retryJob(ctx(), String(failures[0]!.id))).toBe(true);
    expect(await inbox.mailTo('unreachable@example.test')).toHaveLength(1);
    expect(await listJobFailures(ctx())).toEqual([]);
  });
});
