import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  browserRequest,
  createTestWorkspace,
  createUser,
  loadContext,
  ownerSql,
  signedInCookie,
  type TestUser,
  type TestWorkspace,
} from '../../../tests/support/factories';
import { testDatabase } from '../../../tests/support/database-per-file';
import { inboxForThisFile } from '../../../tests/support/jobs';
import { collectPersonalData } from '~/modules/accounts/personal-data.server';
import { sessionIdFromRequest } from '~/modules/accounts/session.server';
import { withWorkspace } from '~/platform/db/database.server';
import { getEnv } from '~/platform/env.server';
import { startLiveListener, stopLiveListener, subscribe } from '~/platform/live/hub.server';
import type { SseMessage } from '~/platform/live/topics.server';
import * as accountPage from '~/routes/account._index';
import * as openRoute from '~/routes/w.$slug.notifications.$id';
import * as listRoute from '~/routes/w.$slug.notifications._index';
import * as workspaceLayout from '~/routes/w.$slug';
import './live-count.server';
import { notify, notificationsTopic } from './notify.server';

const inbox = inboxForThisFile();
const owner = ownerSql();
let workspace: TestWorkspace;
let maya: TestUser;
let ana: TestUser;
let anaCookie: string;

beforeAll(async () => {
  workspace = await createTestWorkspace();
  maya = await addMember(workspace, 'member', await createUser({ name: 'Maya Müller' }));
  ana = await addMember(workspace, 'member', await createUser({ name: 'Ana Ruiz' }));
  anaCookie = await signedInCookie(ana);
});
afterAll(() => owner.end());

type Input = Parameters<typeof notify>[1];

/** Maya does something that notifies someone (Ana unless told otherwise). */
function notifyAs(actor: TestUser | null, overrides: Partial<Input> = {}) {
  return withWorkspace({ userId: actor?.id ?? null, workspaceId: workspace.id }, (trx) =>
    notify(trx, {
      workspaceId: workspace.id,
      userId: ana.id,
      actorId: actor?.id ?? null,
      kind: 'task.mentioned',
      title: 'SPRING-12: Choose the paper',
      excerpt: 'What do you think, @Ana?',
      path: `/w/${workspace.slug}/tasks/SPRING-12#comment-1`,
      ...overrides,
    }),
  );
}

const rowsOf = (userId: string) =>
  owner`select id, kind, title, read_at from notifications where user_id = ${userId} order by created_at`;

async function clearNotifications() {
  await owner`delete from notifications where workspace_id = ${workspace.id}`;
  await owner`update users set email_notifications = true where id = ${ana.id}`;
}

/** What a loader or action answered, thrown or returned. */
async function outcome(run: () => Promise<unknown>) {
  try {
    const value = await run();
    return value instanceof Response
      ? { status: value.status, location: value.headers.get('Location'), data: null }
      : { status: 200, location: null, data: value };
  } catch (thrown) {
    if (thrown instanceof Response)
      return { status: thrown.status, location: thrown.headers.get('Location'), data: null };
    throw thrown;
  }
}

const args = (path: string, cookie: string, params: Record<string, string>, init?: RequestInit) =>
  ({ request: browserRequest(path, cookie, init), context: loadContext(), params }) as never;

describe('notifying someone', () => {
  it('emails a mention, in the recipient’s words, with the excerpt and a link to what it is about', async () => {
    await clearNotifications();
    await notifyAs(maya);
    expect(await rowsOf(ana.id)).toMatchObject([
      { kind: 'task.mentioned', title: 'SPRING-12: Choose the paper', read_at: null },
    ]);
    const [mail] = await inbox.mailTo(ana.email);
    expect(mail!.subject).toBe('Maya Müller mentioned you in SPRING-12: Choose the paper');
    expect(mail!.text).toContain('> What do you think, @Ana?');
    expect(mail!.text).toContain(
      `${getEnv().appUrl}/w/${workspace.slug}/tasks/SPRING-12#comment-1`,
    );
    expect(mail!.text).toContain(`${getEnv().appUrl}/account`);
  });

  it('writes the email in the recipient’s language', async () => {
    const lucia = await addMember(
      workspace,
      'member',
      await createUser({ name: 'Lucía', locale: 'es' }),
    );
    await notifyAs(maya, { userId: lucia.id, kind: 'task.assigned', excerpt: undefined });
    const [mail] = await inbox.mailTo(lucia.email);
    expect(mail!.subject).toBe('Maya Müller te asignó SPRING-12: Choose the paper');
  });

  it('sends no email to someone who turned email off, even after the notification was made', async () => {
    await clearNotifications();
    await notifyAs(maya, { title: 'SPRING-13: Quiet please' });
    // The preference is read when the job runs, not when the notification is made.
    await owner`update users set email_notifications = false where id = ${ana.id}`;
    const mails = await inbox.mailTo(ana.email);
    expect(mails.map((mail) => mail.subject)).not.toContain(
      'Maya Müller mentioned you in SPRING-13: Quiet please',
    );
    expect(await rowsOf(ana.id)).toHaveLength(1);
  });

  it('sends no email for a notification read before the job ran, nor for comments', async () => {
    await clearNotifications();
    await notifyAs(maya, { title: 'SPRING-14: Read already' });
    const [row] = await rowsOf(ana.id);
    await outcome(() =>
      openRoute.loader(
        args(`/w/${workspace.slug}/notifications/${row!.id}`, anaCookie, {
          slug: workspace.slug,
          id: row!.id,
        }),
      ),
    );
    await notifyAs(maya, { title: 'SPRING-15: Just a comment', kind: 'task.commented' });
    const subjects = (await inbox.mailTo(ana.email)).map((mail) => mail.subject);
    expect(subjects.some((subject) => /SPRING-1[45]/.test(subject))).toBe(false);
    expect(await rowsOf(ana.id)).toHaveLength(2);
  });

  it('notifies nobody of their own doing, nor someone outside the workspace', async () => {
    await clearNotifications();
    await notifyAs(ana);
    const outsider = await createUser();
    await notifyAs(maya, { userId: outsider.id });
    expect(await rowsOf(ana.id)).toEqual([]);
    expect(await rowsOf(outsider.id)).toEqual([]);
  });

  it('leaves nothing behind, row or email, when the change it belongs to rolls back', async () => {
    await clearNotifications();
    await expect(
      withWorkspace({ userId: maya.id, workspaceId: workspace.id }, async (trx) => {
        await notify(trx, {
          workspaceId: workspace.id,
          userId: ana.id,
          actorId: maya.id,
          kind: 'task.assigned',
          title: 'SPRING-16: Never happened',
          path: `/w/${workspace.slug}/tasks/SPRING-16`,
        });
        throw new Error('the assignment failed');
      }),
    ).rejects.toThrow('the assignment failed');
    expect(await rowsOf(ana.id)).toEqual([]);
    const subjects = (await inbox.mailTo(ana.email)).map((mail) => mail.subject);
    expect(subjects.some((subject) => subject.includes('SPRING-16'))).toBe(false);
  });

  it('keeps only its recipient able to read it', async () => {
    await clearNotifications();
    await notifyAs(maya);
    const seenByMaya = await withWorkspace({ userId: maya.id, workspaceId: workspace.id }, (trx) =>
      trx.selectFrom('notifications').select('id').execute(),
    );
    expect(seenByMaya).toEqual([]);
  });
});

describe('the notifications page', () => {
  const list = (query = '') =>
    outcome(() =>
      listRoute.loader(
        args(`/w/${workspace.slug}/notifications${query}`, anaCookie, { slug: workspace.slug }),
      ),
    );
  const open = (id: string, cookie = anaCookie) =>
    outcome(() =>
      openRoute.loader(
        args(`/w/${workspace.slug}/notifications/${id}`, cookie, { slug: workspace.slug, id }),
      ),
    );
  type Listed = Awaited<ReturnType<typeof listRoute.loader>>;

  it('lists my notifications newest first, unread ones marked, with an unread-only view', async () => {
    await clearNotifications();
    await notifyAs(maya, { title: 'SPRING-1: First' });
    await notifyAs(null, { title: 'SPRING-2: Second', kind: 'task.assigned' });
    const [first] = await rowsOf(ana.id);
    await open(first!.id);
    const all = (await list()).data as Listed;
    expect(
      all.notifications.map(({ title, read, actorName }) => ({ title, read, actorName })),
    ).toEqual([
      { title: 'SPRING-2: Second', read: false, actorName: null },
      { title: 'SPRING-1: First', read: true, actorName: 'Maya Müller' },
    ]);
    const unread = (await list('?show=unread')).data as Listed;
    expect(unread.unreadOnly).toBe(true);
    expect(unread.notifications.map((notification) => notification.title)).toEqual([
      'SPRING-2: Second',
    ]);
  });

  it('opens a notification: marked read, then on to its page with a 303', async () => {
    await clearNotifications();
    await notifyAs(maya);
    const [row] = await rowsOf(ana.id);
    expect(await open(row!.id)).toMatchObject({
      status: 303,
      location: `/w/${workspace.slug}/tasks/SPRING-12#comment-1`,
    });
    const [after] = await rowsOf(ana.id);
    expect(after!.read_at).toBeInstanceOf(Date);
    // Opening it again keeps the first reading's time.
    await open(row!.id);
    expect((await rowsOf(ana.id))[0]!.read_at).toEqual(after!.read_at);
  });

  it('answers 404 for someone else’s notification, an unknown id and a malformed one', async () => {
    await clearNotifications();
    await notifyAs(maya);
    const [row] = await rowsOf(ana.id);
    const mayaCookie = await signedInCookie(maya);
    expect((await open(row!.id, mayaCookie)).status).toBe(404);
    expect((await rowsOf(ana.id))[0]!.read_at).toBeNull();
    expect((await open('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await open('not-a-uuid')).status).toBe(404);
  });

  it('marks all as read, except what arrived after the page was shown', async () => {
    await clearNotifications();
    await notifyAs(maya, { title: 'SPRING-3: Seen' });
    await notifyAs(maya, { title: 'SPRING-4: Seen too' });
    const shownAt = ((await list()).data as Listed).shownAt;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await notifyAs(maya, { title: 'SPRING-5: Arrived later' });
    const answer = await outcome(() =>
      listRoute.action(
        args(
          `/w/${workspace.slug}/notifications`,
          anaCookie,
          { slug: workspace.slug },
          {
            method: 'POST',
            body: new URLSearchParams({ shownAt }),
          },
        ),
      ),
    );
    expect(answer).toMatchObject({ status: 303, location: `/w/${workspace.slug}/notifications` });
    const rows = await rowsOf(ana.id);
    expect(rows.map((row) => [row.title, row.read_at === null])).toEqual([
      ['SPRING-3: Seen', false],
      ['SPRING-4: Seen too', false],
      ['SPRING-5: Arrived later', true],
    ]);
  });
});

describe('the unread count in the workspace header', () => {
  const layout = async (cookie = anaCookie) =>
    (await workspaceLayout.loader(args(`/w/${workspace.slug}`, cookie, { slug: workspace.slug })))
      .notifications;

  it('counts my unread notifications in this workspace only', async () => {
    await clearNotifications();
    await notifyAs(maya);
    await notifyAs(maya);
    await notifyAs(ana, { userId: maya.id });
    expect(await layout()).toEqual({ unread: 2, cap: 99, topic: `notifications:${ana.id}` });
    expect((await layout(await signedInCookie(maya))).unread).toBe(1);
  });

  it('is updated live for the recipient with a fragment that replaces the header’s count', async () => {
    await clearNotifications();
    await startLiveListener(testDatabase.appUrl);
    const received: SseMessage[] = [];
    const sessionId = (await sessionIdFromRequest(browserRequest('/', anaCookie)))!;
    const unsubscribe = subscribe({
      viewer: {
        userId: ana.id,
        sessionId,
        workspaceId: workspace.id,
        role: 'member',
        locale: 'en',
        timeZone: 'UTC',
      },
      topics: [notificationsTopic(ana.id)],
      send: (message) => received.push(message),
      heartbeat: () => {},
      close: () => {},
    });
    try {
      await notifyAs(maya);
      const started = Date.now();
      while (received.length === 0 && Date.now() - started < 3000)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received[0]!.event).toBe('notification.created');
      expect(received[0]!.data).toMatch(/^<span id="notification-count" hx-swap-oob="true">/);
      expect(received[0]!.data).toContain(`href="/w/${workspace.slug}/notifications"`);
      expect(received[0]!.data).toContain('Notifications<span class="visually-hidden">, 1 unread');
    } finally {
      unsubscribe();
      await stopLiveListener();
    }
  });
});

describe('the email preference on the account page', () => {
  it('shows the setting and saves it with a message, both ways', async () => {
    await clearNotifications();
    const shown = async () =>
      (
        (await accountPage.loader(args('/account', anaCookie, {}))) as {
          emailNotifications: boolean;
        }
      ).emailNotifications;
    expect(await shown()).toBe(true);
    const save = (fields: Record<string, string>) =>
      outcome(() =>
        accountPage.action(
          args('/account', anaCookie, {}, { method: 'POST', body: new URLSearchParams(fields) }),
        ),
      );
    expect(await save({ intent: 'emailNotifications' })).toMatchObject({ status: 303 });
    expect(await shown()).toBe(false);
    expect(await save({ intent: 'emailNotifications', emailNotifications: 'on' })).toMatchObject({
      status: 303,
      location: '/account',
    });
    expect(await shown()).toBe(true);
    const audit =
      await owner`select changes from audit_events where actor_id = ${ana.id} and action = 'account.profile_updated' order by created_at`;
    expect(audit.map((row) => row.changes)).toEqual([
      { emailNotifications: { from: true, to: false } },
      { emailNotifications: { from: false, to: true } },
    ]);
  });
});

describe('my data', () => {
  it('includes my email setting and the notifications I received', async () => {
    await clearNotifications();
    await notifyAs(maya);
    const data = (await collectPersonalData(ana.id)) as { notifications: unknown };
    expect(data.notifications).toMatchObject({
      emailNotifications: true,
      received: [
        { workspace: workspace.slug, kind: 'task.mentioned', title: 'SPRING-12: Choose the paper' },
      ],
    });
  });
});
