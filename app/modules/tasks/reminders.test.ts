import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createTestWorkspace,
  createUser,
  ownerSql,
  type TestUser,
  type TestWorkspace,
} from '../../../tests/support/factories';
import { inboxForThisFile } from '../../../tests/support/jobs';
import { withWorkspace } from '~/platform/db/database.server';
import type { ProjectStatus } from '~/platform/db/schema';
import { getEnv } from '~/platform/env.server';
import { localClock, sendTaskReminders } from './reminders.server';

const inbox = inboxForThisFile();
const owner = ownerSql();
let workspace: TestWorkspace;
let project: { id: string; statusId: string };
let taskNumber = 0;

/** Someone in the workspace living in a time zone. */
async function person(timeZone: string, role: 'member' | 'guest' = 'member'): Promise<TestUser> {
  const user = await addMember(workspace, role, await createUser());
  await owner`update users set time_zone = ${timeZone} where id = ${user.id}`;
  return user;
}

async function createProject(
  key: string,
  deleted = false,
  projectStatus: ProjectStatus = 'active',
) {
  return withWorkspace({ userId: workspace.owner.id, workspaceId: workspace.id }, async (trx) => {
    const { id } = await trx
      .insertInto('projects')
      .values({
        workspaceId: workspace.id,
        key,
        name: `Project ${key}`,
        leadId: workspace.owner.id,
        deletedAt: deleted ? new Date() : null,
        status: projectStatus,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const status = await trx
      .insertInto('taskStatuses')
      .values({
        workspaceId: workspace.id,
        projectId: id,
        preset: 'todo',
        category: 'todo',
        position: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, statusId: status.id };
  });
}

/** A task assigned to someone, due on a day; returns its key (SPRING-n). */
async function task(
  assignee: TestUser,
  dueDate: string,
  options: { done?: boolean; deleted?: boolean; in?: { id: string; statusId: string } } = {},
) {
  const number = ++taskNumber;
  const where = options.in ?? project;
  await withWorkspace({ userId: workspace.owner.id, workspaceId: workspace.id }, (trx) =>
    trx
      .insertInto('tasks')
      .values({
        workspaceId: workspace.id,
        projectId: where.id,
        number,
        title: `Task number ${number}`,
        statusId: where.statusId,
        assigneeId: assignee.id,
        dueDate,
        completedAt: options.done ? new Date() : null,
        deletedAt: options.deleted ? new Date() : null,
      })
      .execute(),
  );
  return `${where === project ? 'SPRING' : 'GONE'}-${number}`;
}

const taskLink = (key: string) => `${getEnv().appUrl}/w/${workspace.slug}/tasks/${key}`;

beforeAll(async () => {
  workspace = await createTestWorkspace();
  project = await createProject('SPRING');
});
afterAll(() => owner.end());

// 19:30 UTC on 2 March 2026: 08:30 on Tuesday 3 March in Auckland (UTC+13), 11:30 on Monday
// 2 March in Los Angeles (UTC−8).
const instant = new Date('2026-03-02T19:30:00Z');

describe('the local clock', () => {
  it('reads the day and hour in the person’s own time zone', () => {
    expect(localClock(instant, 'Pacific/Auckland')).toEqual({ day: '2026-03-03', hour: 8 });
    expect(localClock(instant, 'America/Los_Angeles')).toEqual({ day: '2026-03-02', hour: 11 });
    expect(localClock(instant, 'Mars/Olympus')).toEqual({ day: '2026-03-02', hour: 19 });
  });
});

describe('reminders of tasks due tomorrow', () => {
  it('go to each assignee the morning before in their own time zone, once', async () => {
    const auckland = await person('Pacific/Auckland');
    const losAngeles = await person('America/Los_Angeles');
    // Due on 3 March: tomorrow in Los Angeles, already today in Auckland.
    const forLosAngeles = await task(losAngeles, '2026-03-03');
    await task(auckland, '2026-03-03');
    const forAuckland = await task(auckland, '2026-03-04');

    await sendTaskReminders(instant);
    await sendTaskReminders(instant);

    const [toLosAngeles, ...moreForLosAngeles] = await inbox.mailTo(losAngeles.email);
    expect(moreForLosAngeles).toEqual([]);
    expect(toLosAngeles!.subject).toBe(`Due tomorrow: 1 task in ${workspace.name}`);
    expect(toLosAngeles!.text).toContain('due tomorrow, Tuesday, March 3:');
    expect(toLosAngeles!.text).toContain(`${forLosAngeles}: Task number`);
    expect(toLosAngeles!.text).toContain(taskLink(forLosAngeles));

    const toAuckland = await inbox.mailTo(auckland.email);
    expect(toAuckland.map((mail) => mail.subject)).toEqual([
      `Due tomorrow: 1 task in ${workspace.name}`,
    ]);
    expect(toAuckland[0]!.text).toContain(taskLink(forAuckland));
    expect(toAuckland[0]!.text).toContain('Wednesday, March 4');
  });

  it('wait for the morning: nothing before 7 o’clock local time', async () => {
    const early = await person('America/Los_Angeles');
    await task(early, '2026-03-03');
    // 05:00 in Los Angeles.
    await sendTaskReminders(new Date('2026-03-02T13:00:00Z'));
    expect(await inbox.mailTo(early.email)).toEqual([]);
    // 07:00 there.
    await sendTaskReminders(new Date('2026-03-02T15:00:00Z'));
    expect(await inbox.mailTo(early.email)).toHaveLength(1);
  });

  it('leave out done and deleted tasks, deleted, archived and paused projects, and send nothing when none is left', async () => {
    const someone = await person('America/Los_Angeles');
    const open = await task(someone, '2026-03-03');
    const done = await task(someone, '2026-03-03', { done: true });
    const deleted = await task(someone, '2026-03-03', { deleted: true });
    const inDeletedProject = await task(someone, '2026-03-03', {
      in: await createProject('GONE', true),
    });
    const inArchivedProject = await task(someone, '2026-03-03', {
      in: await createProject('OLD', false, 'archived'),
    });
    const inPausedProject = await task(someone, '2026-03-03', {
      in: await createProject('WAIT', false, 'on_hold'),
    });
    await sendTaskReminders(instant);
    const [mail] = await inbox.mailTo(someone.email);
    expect(mail!.text).toContain(taskLink(open));
    for (const key of [done, deleted, inDeletedProject, inArchivedProject, inPausedProject])
      expect(mail!.text).not.toContain(taskLink(key));

    const finished = await person('America/Los_Angeles');
    await task(finished, '2026-03-03', { done: true });
    await sendTaskReminders(instant);
    expect(await inbox.mailTo(finished.email)).toEqual([]);
  });

  it('respect the email preference, deactivated members, and what a guest may see', async () => {
    const quiet = await person('America/Los_Angeles');
    await owner`update users set email_notifications = false where id = ${quiet.id}`;
    const gone = await person('America/Los_Angeles');
    await owner`update memberships set status = 'deactivated' where user_id = ${gone.id}`;
    // A guest sees only the projects they were added to, and this is not one.
    const guest = await person('America/Los_Angeles', 'guest');
    for (const someone of [quiet, gone, guest]) await task(someone, '2026-03-03');
    await sendTaskReminders(instant);
    for (const someone of [quiet, gone, guest])
      expect(await inbox.mailTo(someone.email)).toEqual([]);
  });
});

describe('the digest of overdue tasks', () => {
  it('lists what is past due in the assignee’s own today, once per local day', async () => {
    const losAngeles = await person('America/Los_Angeles');
    const late = await task(losAngeles, '2026-02-27');
    const alsoLate = await task(losAngeles, '2026-03-01');
    // Due today in Los Angeles: not overdue yet, and not due tomorrow either.
    const today = await task(losAngeles, '2026-03-02');
    await task(losAngeles, '2026-02-20', { done: true });

    await sendTaskReminders(instant);
    await sendTaskReminders(new Date('2026-03-02T23:00:00Z'));
    const [digest, ...others] = await inbox.mailTo(losAngeles.email);
    expect(others).toEqual([]);
    expect(digest!.subject).toBe(`Overdue: 2 tasks in ${workspace.name}`);
    expect(digest!.text).toContain(`${late}: Task number`);
    expect(digest!.text).toContain('due Feb 27, 2026');
    expect(digest!.text).toContain(taskLink(alsoLate));
    expect(digest!.text).not.toContain(taskLink(today));

    // The next morning there, the task due "today" has become overdue as well.
    await sendTaskReminders(new Date('2026-03-03T16:00:00Z'));
    const [nextDay] = await inbox.mailTo(losAngeles.email);
    expect(nextDay!.subject).toBe(`Overdue: 3 tasks in ${workspace.name}`);
    const ledger =
      await owner`select kind, local_day::text as day from task_reminders_sent where user_id = ${losAngeles.id} order by local_day`;
    expect(ledger).toEqual([
      { kind: 'overdue_digest', day: '2026-03-02' },
      { kind: 'overdue_digest', day: '2026-03-03' },
    ]);
  });
});
