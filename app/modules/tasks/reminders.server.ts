import { sql } from 'kysely';
import { z } from 'zod';
import { appLink } from '~/modules/accounts/mails.server';
import { workspaceMail } from '~/modules/notifications/mails.server';
import { projectPolicy } from '~/modules/projects/policy';
import { withMaintenance, withWorkspace, type Trx } from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';
import { createFormatter, isTimeZone } from '~/platform/i18n/format';
import type { Locale } from '~/platform/i18n/locales';
import { defineCron, defineJob } from '~/platform/jobs/jobs.server';
import { queueMail } from '~/platform/mail/mailer.server';

/**
 * Task reminders (issue 6): the assignee's morning mail of tasks due tomorrow, and a daily
 * digest of their overdue tasks, each in their own time zone and at most once per local day
 * (task_reminders_sent is the ledger). The job runs hourly, so each person's morning comes
 * within the hour wherever they are; people who turned email off get neither.
 */

/** Mail goes out from this local hour on: the morning, not midnight. */
const MORNING_HOUR = 7;
/** A mail lists this many tasks and counts the rest. */
const LISTED_MAX = 50;

type ReminderKind = 'due_tomorrow' | 'overdue_digest';

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day and hour at this instant in a time zone (an unknown zone reads as UTC). */
export function localClock(now: Date, timeZone: string): { day: string; hour: number } {
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  let hours = hourFormats.get(zone);
  if (!hours) {
    hours = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' });
    hourFormats.set(zone, hours);
  }
  return { day: createFormatter('en', zone).isoDate(now), hour: Number(hours.format(now)) };
}

/** The day after an ISO day ("2026-02-28" → "2026-03-01"). */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** An ISO day as a SQL date, compared as a calendar day (no time zone involved). */
const asDate = (day: string) => sql<Date>`${day}::date`;

export const taskRemindersJob = defineJob({
  name: 'tasks.reminders',
  // The cron's own payload ({ _cron: … }) is not needed: the job acts as of when it runs.
  payload: z.object({}).passthrough(),
  run: () => sendTaskReminders(new Date()),
});
defineCron({
  job: taskRemindersJob.name,
  pattern: '5 * * * *',
  identifier: 'hourly-task-reminders',
});

/** Sends every reminder and digest that is due at `now` and not yet sent. */
export async function sendTaskReminders(now: Date): Promise<void> {
  // Anywhere on Earth (UTC−12 to UTC+14), tomorrow is no later than the UTC day after next.
  const horizon = nextDay(nextDay(now.toISOString().slice(0, 10)));
  // Across workspaces the maintenance role reads only ids and dates of tasks (and also sees
  // deleted ones, for the purge): open, assigned, dated ones are asked for here.
  const assigned = await withMaintenance((trx) =>
    trx
      .selectFrom('tasks')
      .select(['workspaceId', 'assigneeId'])
      .distinct()
      .where('dueDate', '<=', asDate(horizon))
      .where('deletedAt', 'is', null)
      .where('completedAt', 'is', null)
      .where('assigneeId', 'is not', null)
      .execute(),
  );
  const byWorkspace = new Map<string, string[]>();
  for (const { workspaceId, assigneeId } of assigned) {
    if (!assigneeId) continue;
    byWorkspace.set(workspaceId, [...(byWorkspace.get(workspaceId) ?? []), assigneeId]);
  }
  for (const [workspaceId, assigneeIds] of byWorkspace)
    await withWorkspace({ userId: null, workspaceId }, (trx) =>
      remindInWorkspace(trx, workspaceId, assigneeIds, now),
    );
}

type Person = {
  id: string;
  email: string;
  name: string | null;
  locale: Locale | null;
  role: WorkspaceRole;
  today: string;
  tomorrow: string;
  pending: Set<ReminderKind>;
};

async function remindInWorkspace(
  trx: Trx,
  workspaceId: string,
  assigneeIds: string[],
  now: Date,
): Promise<void> {
  const workspace = await trx
    .selectFrom('workspaces')
    .select(['name', 'slug'])
    .where('id', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!workspace) return;
  const people = await peopleInTheirMorning(trx, assigneeIds, now);
  if (people.length === 0) return;
  const tasks = await openTasksOf(trx, people);
  for (const person of people) {
    const theirs = tasks.filter(
      (task) => task.assigneeId === person.id && projectPolicy.see(person.role, task.projectRole),
    );
    const lists: Array<[ReminderKind, typeof theirs]> = [
      ['due_tomorrow', theirs.filter((task) => task.dueDate === person.tomorrow)],
      ['overdue_digest', theirs.filter((task) => task.dueDate < person.today)],
    ];
    for (const [kind, list] of lists) {
      if (list.length === 0 || !person.pending.has(kind)) continue;
      // The ledger row and the mail commit together: a second run, or a second runner at the
      // same moment, finds the row and sends nothing.
      const claimed = await trx
        .insertInto('taskRemindersSent')
        .values({ workspaceId, userId: person.id, kind, localDay: person.today })
        .onConflict((oc) => oc.doNothing())
        .returning('userId')
        .executeTakeFirst();
      if (claimed) await queueMail(trx, reminderMail(person, workspace, kind, list));
    }
  }
}

/**
 * The assignees it is morning or later for, who want email and are active members, with what
 * they have not been sent yet today (their today).
 */
async function peopleInTheirMorning(trx: Trx, assigneeIds: string[], now: Date): Promise<Person[]> {
  const rows = await trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.userId')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.locale',
      'users.timeZone',
      'memberships.role',
    ])
    .where('memberships.userId', 'in', assigneeIds)
    .where('memberships.status', '=', 'active')
    .where('users.deletedAt', 'is', null)
    .where('users.emailNotifications', '=', true)
    .execute();
  const people: Person[] = [];
  for (const row of rows) {
    const clock = localClock(now, row.timeZone);
    if (!row.email || clock.hour < MORNING_HOUR) continue;
    people.push({
      id: row.id,
      email: row.email,
      name: row.name,
      locale: row.locale,
      role: row.role,
      today: clock.day,
      tomorrow: nextDay(clock.day),
      pending: new Set(['due_tomorrow', 'overdue_digest']),
    });
  }
  if (people.length === 0) return [];
  // Most runs of the day find everything sent already: skip those people before reading tasks.
  const sent = await trx
    .selectFrom('taskRemindersSent')
    .select(['userId', 'kind', sql<string>`local_day::text`.as('day')])
    .where(
      'userId',
      'in',
      people.map((person) => person.id),
    )
    .where('localDay', '>=', asDate(people.map((person) => person.today).sort()[0]!))
    .execute();
  for (const row of sent) {
    const person = people.find((candidate) => candidate.id === row.userId);
    if (person?.today === row.day) person.pending.delete(row.kind as ReminderKind);
  }
  return people.filter((person) => person.pending.size > 0);
}

/** Open tasks of these people due by their tomorrow, in live projects, with their project role. */
function openTasksOf(trx: Trx, people: Person[]) {
  const latest = people
    .map((person) => person.tomorrow)
    .sort()
    .at(-1)!;
  return trx
    .selectFrom('tasks')
    .innerJoin('projects', 'projects.id', 'tasks.projectId')
    .leftJoin('projectMembers', (join) =>
      join
        .onRef('projectMembers.projectId', '=', 'tasks.projectId')
        .onRef('projectMembers.userId', '=', 'tasks.assigneeId'),
    )
    .select([
      'tasks.assigneeId',
      'tasks.number',
      'tasks.title',
      sql<string>`tasks.due_date::text`.as('dueDate'),
      'projects.key',
      'projects.name as projectName',
      'projectMembers.role as projectRole',
    ])
    .where(
      'tasks.assigneeId',
      'in',
      people.map((person) => person.id),
    )
    .where('tasks.dueDate', '<=', asDate(latest))
    .where('tasks.deletedAt', 'is', null)
    .where('tasks.completedAt', 'is', null)
    .where('projects.deletedAt', 'is', null)
    // An archived project is finished with, and one on hold is paused: no reminders from them.
    .where('projects.status', 'not in', ['archived', 'on_hold'])
    .orderBy('tasks.dueDate')
    .orderBy('projects.key')
    .orderBy('tasks.number')
    .execute();
}

type ReminderTask = Awaited<ReturnType<typeof openTasksOf>>[number];

function reminderMail(
  person: Person,
  workspace: { name: string; slug: string },
  kind: ReminderKind,
  tasks: ReminderTask[],
) {
  // A due date is a calendar day, not an instant: written as itself, whatever the zone.
  const format = createFormatter(person.locale ?? 'en', 'UTC');
  const day = (iso: string, style: 'date' | 'weekdayDate' = 'date') =>
    format.date(`${iso}T00:00:00Z`, style);
  return workspaceMail(person, workspace.name, (t) => {
    const values = { count: tasks.length, workspace: workspace.name };
    const lines = tasks.slice(0, LISTED_MAX).flatMap((task) => {
      const key = `${task.key}-${task.number}`;
      const item = { key, title: task.title, project: task.projectName };
      return [
        `- ${
          kind === 'due_tomorrow'
            ? t('notifications:reminders.task', item)
            : t('notifications:reminders.taskDue', { ...item, date: day(task.dueDate) })
        }`,
        `  ${appLink(`/w/${workspace.slug}/tasks/${key}`)}`,
      ];
    });
    if (tasks.length > LISTED_MAX)
      lines.push(t('notifications:reminders.more', { count: tasks.length - LISTED_MAX }));
    return kind === 'due_tomorrow'
      ? {
          subject: t('notifications:reminders.dueTomorrow.subject', values),
          body: [
            t('notifications:reminders.dueTomorrow.intro', {
              ...values,
              date: day(person.tomorrow, 'weekdayDate'),
            }),
            '',
            ...lines,
          ],
        }
      : {
          subject: t('notifications:reminders.overdue.subject', values),
          body: [t('notifications:reminders.overdue.intro', values), '', ...lines],
        };
  });
}
