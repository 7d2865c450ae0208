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
import { inboxForThisFile } from '../../../tests/support/jobs';
import { getPage, outcome, postForm } from '../../../tests/support/route-calls';
import * as newProject from '~/routes/w.$slug.projects.new';
import * as projectMembers from '~/routes/w.$slug.projects.$key.members';
import * as newTask from '~/routes/w.$slug.projects.$key.tasks.new';
import * as taskList from '~/routes/w.$slug.projects.$key.tasks._index';
import * as taskCsv from '~/routes/w.$slug.projects.$key.tasks[.csv]';
import * as board from '~/routes/w.$slug.projects.$key.board';
import * as statusesPage from '~/routes/w.$slug.projects.$key.statuses';
import * as taskPage from '~/routes/w.$slug.tasks.$key._index';
import * as taskCard from '~/routes/w.$slug.tasks.$key.card';
import * as editTask from '~/routes/w.$slug.tasks.$key.edit';
import * as myTasksPage from '~/routes/w.$slug.tasks._index';
import { findMentions } from './mentions';
import { purgeDeletedTasks } from './purge.server';
import { prefixQuery, RECENT_DONE_CARDS } from './queries.server';
import { TASK_TRASH_DAYS } from './schema';

const owner = ownerSql();
const mail = inboxForThisFile();
let workspace: TestWorkspace;
let lead: TestUser;
let leadCookie: string;
let teammate: TestUser;
let teammateCookie: string;
let guest: TestUser;
let guestCookie: string;
let bystander: TestUser;
let bystanderCookie: string;
let statuses: Array<{ id: string; preset: string | null; category: string }>;

const params = (extra: Record<string, string> = {}) => ({
  slug: workspace.slug,
  key: 'SHOP',
  ...extra,
});
const taskRow = async (key: string) =>
  (
    await owner`select t.* from tasks t join projects p on p.id = t.project_id
      where p.workspace_id = ${workspace.id} and p.key || '-' || t.number = ${key}`
  )[0]!;
const statusId = (preset: string) => statuses.find((status) => status.preset === preset)!.id;

async function createTask(
  fields: Record<string, string> | Array<[string, string]>,
  cookie = leadCookie,
) {
  return postForm(
    newTask,
    `/w/${workspace.slug}/projects/SHOP/tasks/new`,
    cookie,
    fields,
    params(),
  );
}

const onTask = (
  key: string,
  cookie: string,
  fields: Record<string, string> | Array<[string, string]>,
  headers = {},
) =>
  postForm(
    taskPage,
    `/w/${workspace.slug}/tasks/${key}`,
    cookie,
    fields,
    { slug: workspace.slug, key },
    headers,
  );

/** A board card's Move or Assign form (with htmx when headers say so). */
const onCard = (
  key: string,
  cookie: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  postForm(
    taskCard,
    `/w/${workspace.slug}/tasks/${key}/card`,
    cookie,
    fields,
    { slug: workspace.slug, key },
    headers,
  );

beforeAll(async () => {
  workspace = await createTestWorkspace();
  lead = await addMember(workspace, 'member');
  teammate = await addMember(workspace, 'member');
  guest = await addMember(workspace, 'guest');
  bystander = await addMember(workspace, 'member');
  [leadCookie, teammateCookie, guestCookie, bystanderCookie] = (await Promise.all(
    [lead, teammate, guest, bystander].map(signedInCookie),
  )) as [string, string, string, string];
  await postForm(
    newProject,
    `/w/${workspace.slug}/projects/new`,
    leadCookie,
    { name: 'Web shop', key: 'SHOP' },
    { slug: workspace.slug },
  );
  for (const [person, role] of [
    [teammate, 'member'],
    [guest, 'viewer'],
  ] as const)
    await postForm(
      projectMembers,
      `/w/${workspace.slug}/projects/SHOP/members`,
      leadCookie,
      { intent: 'add', userId: person.id, role },
      params(),
    );
  statuses =
    await owner`select s.id, s.preset, s.category from task_statuses s join projects p on p.id = s.project_id
    where p.workspace_id = ${workspace.id} and p.key = 'SHOP' order by s.position`;
});
afterAll(() => owner.end());

describe('tasks', () => {
  it('a new project has To do, In progress, In review and Done, read in each reader’s language', () => {
    expect(statuses.map((status) => [status.preset, status.category])).toEqual([
      ['todo', 'todo'],
      ['in_progress', 'in_progress'],
      ['in_review', 'in_progress'],
      ['done', 'done'],
    ]);
  });

  it('numbers tasks per project, starts them in "to do", and records who created them', async () => {
    const first = await createTask({ title: 'Choose a payment provider', priority: 'high' });
    const second = await createTask({
      title: 'Write the returns policy',
      assigneeId: teammate.id,
      dueDate: '2030-01-15',
    });
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(first.response!.headers.get('Location')).toBe(`/w/${workspace.slug}/tasks/SHOP-1`);
    const row = await taskRow('SHOP-2');
    expect(row).toMatchObject({
      title: 'Write the returns policy',
      assignee_id: teammate.id,
      status_id: statusId('todo'),
    });
    const history =
      await owner`select field, actor_id from task_activity where task_id = ${row.id}`;
    expect(history).toEqual([{ field: 'created', actor_id: lead.id }]);
    const audit = await owner`select action from audit_events where target_id = ${row.id}`;
    expect(audit.map((event) => event.action)).toContain('task.created');
    // The teammate was assigned by someone else: a notification, and a mail.
    const notes =
      await owner`select kind, title, path from notifications where user_id = ${teammate.id}`;
    expect(notes).toEqual([
      {
        kind: 'task.assigned',
        title: 'SHOP-2: Write the returns policy',
        path: `/w/${workspace.slug}/tasks/SHOP-2`,
      },
    ]);
    const mails = await mail.mailTo(teammate.email);
    expect(mails[0]?.subject).toContain('SHOP-2');
  });

  it('refuses bad input with a 422 and changes nothing', async () => {
    const before = (
      await owner`select count(*)::int as n from tasks where workspace_id = ${workspace.id}`
    )[0]!.n;
    const cases: Array<[Record<string, string>, string]> = [
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 'Fine', dueDate: '2026-02-30' }, 'dueDate'],
      [{ title: 'Fine', priority: 'extreme' }, 'priority'],
      // Not in the project: an assignee must be one of its members.
      [{ title: 'Fine', assigneeId: bystander.id }, 'assigneeId'],
    ];
    for (const [fields, field] of cases) {
      const answer = await createTask(fields);
      expect(answer.status, JSON.stringify(fields)).toBe(422);
      expect(Object.keys((answer.body as { result: { error: object } }).result.error)).toContain(
        field,
      );
    }
    const after = (
      await owner`select count(*)::int as n from tasks where workspace_id = ${workspace.id}`
    )[0]!.n;
    expect(after).toBe(before);
  });

  it('a guest viewer reads and comments but cannot change; an outsider gets 404', async () => {
    const page = await getPage(taskPage, `/w/${workspace.slug}/tasks/SHOP-1`, guestCookie, {
      slug: workspace.slug,
      key: 'SHOP-1',
    });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ canChange: false, canComment: true });
    expect((await onCard('SHOP-1', guestCookie, { statusId: statusId('done') })).status).toBe(403);
    expect((await createTask({ title: 'Sneaky' }, guestCookie)).status).toBe(403);
    expect(
      (await onTask('SHOP-1', guestCookie, { intent: 'comment', body: 'Looks good from here.' }))
        .status,
    ).toBe(303);
    expect((await taskRow('SHOP-1')).status_id).toBe(statusId('todo'));

    const outsider = await createUser();
    const outsiderCookie = await signedInCookie(outsider);
    const refused = await getPage(taskPage, `/w/${workspace.slug}/tasks/SHOP-1`, outsiderCookie, {
      slug: workspace.slug,
      key: 'SHOP-1',
    });
    expect(refused.status).toBe(404);
    // A member of the workspace who is not in the project sees it, but may not change it.
    expect((await onCard('SHOP-1', bystanderCookie, { statusId: statusId('done') })).status).toBe(
      403,
    );
  });

  it('a change writes the history with readable values, completes in "done", and reopens', async () => {
    expect(
      (
        await onTask('SHOP-1', teammateCookie, {
          intent: 'details',
          statusId: statusId('done'),
          assigneeId: lead.id,
          priority: 'urgent',
          dueDate: '2030-02-01',
        })
      ).status,
    ).toBe(303);
    const row = await taskRow('SHOP-1');
    expect(row.completed_at).not.toBeNull();
    const history =
      await owner`select field, from_value, to_value from task_activity where task_id = ${row.id} and field <> 'created' order by id`;
    expect(history).toEqual(
      expect.arrayContaining([
        { field: 'status', from_value: 'preset:todo', to_value: 'preset:done' },
        { field: 'assignee', from_value: null, to_value: lead.name },
        { field: 'priority', from_value: 'high', to_value: 'urgent' },
        { field: 'due_date', from_value: null, to_value: '2030-02-01' },
      ]),
    );
    await onCard('SHOP-1', teammateCookie, { statusId: statusId('in_progress') });
    expect((await taskRow('SHOP-1')).completed_at).toBeNull();
  });

  it('moves a card with htmx: only the card, the counts and an announcement come back, under 3 KB', async () => {
    const htmx = { 'HX-Request': 'true' };
    const answer = await onCard('SHOP-2', leadCookie, { statusId: statusId('in_review') }, htmx);
    expect(answer.status).toBe(200);
    const html = await answer.response!.text();
    expect(Buffer.byteLength(html)).toBeLessThan(3 * 1024);
    expect(html).not.toContain('<html');
    expect(html).toContain(`hx-swap-oob="delete:#card-2"`);
    expect(html).toContain(`<li id="card-2" class="card">`);
    expect(html).toContain(`id="column-count-${statusId('in_review')}"`);
    expect(html).toContain('SHOP-2 is now in In review.');
    expect((await taskRow('SHOP-2')).status_id).toBe(statusId('in_review'));
    // A status of another project: refused where the board shows it, and nothing changes.
    const unknown = '00000000-0000-4000-8000-000000000000';
    const foreign = await onCard('SHOP-2', leadCookie, { statusId: unknown }, htmx);
    expect(foreign.status).toBe(422);
    const message = await foreign.response!.text();
    expect(message).toContain('role="alert"');
    expect(message).toContain('hx-swap-oob="true"');
    expect(message).toContain('Choose one of this project');
    expect((await taskRow('SHOP-2')).status_id).toBe(statusId('in_review'));
    // Without JavaScript the same form sends the browser back to the board.
    const plain = await onCard('SHOP-2', leadCookie, { assigneeId: '' });
    expect(plain.response!.headers.get('Location')).toBe(
      `/w/${workspace.slug}/projects/SHOP/board`,
    );
    expect((await taskRow('SHOP-2')).assignee_id).toBeNull();
    // Refused without JavaScript: the translated error page says why.
    const plainRefusal = await onCard('SHOP-2', leadCookie, { statusId: unknown });
    expect(plainRefusal.status).toBe(422);
    expect(await plainRefusal.response!.text()).toContain('Choose one of this project');
    expect((await onCard('SHOP-2', leadCookie, { assigneeId: unknown })).status).toBe(422);
    // A form that is neither is a bad request.
    expect((await onCard('SHOP-2', leadCookie, { priority: 'high' })).status).toBe(400);
    // A guest of the project may not change it, and the board says so.
    const forbidden = await onCard('SHOP-2', guestCookie, { statusId: statusId('done') }, htmx);
    expect(forbidden.status).toBe(403);
    const why = await forbidden.response!.text();
    expect(why).toContain('role="alert"');
    expect(why).toContain('You do not have permission to do that');
    expect((await taskRow('SHOP-2')).status_id).toBe(statusId('in_review'));
  });

  it('the board lists every task in its status column, most urgent first', async () => {
    await createTask({ title: 'Photograph the new range', priority: 'low' });
    await createTask({ title: 'Fix the checkout on old phones', priority: 'urgent' });
    const page = await getPage(
      board,
      `/w/${workspace.slug}/projects/SHOP/board`,
      leadCookie,
      params(),
    );
    const data = page.body as { tasks: Array<{ key: string; statusId: string }> };
    const todo = data.tasks
      .filter((task) => task.statusId === statusId('todo'))
      .map((task) => task.key);
    expect(todo).toEqual(['SHOP-4', 'SHOP-3']);
  });

  it('a done column shows its most recently finished cards; the others are counted and in the list', async () => {
    await postForm(
      newProject,
      `/w/${workspace.slug}/projects/new`,
      leadCookie,
      { name: 'Archive', key: 'ARCH' },
      { slug: workspace.slug },
    );
    const [project] =
      await owner`select id from projects where workspace_id = ${workspace.id} and key = 'ARCH'`;
    const [done] =
      await owner`select id from task_statuses where project_id = ${project!.id} and preset = 'done'`;
    const finished = RECENT_DONE_CARDS + 2;
    // Task n was finished n minutes ago: 1 is the most recent.
    await owner`
      insert into tasks (workspace_id, project_id, number, title, status_id, created_by, completed_at)
      select ${workspace.id}, ${project!.id}, n, 'Finished ' || n, ${done!.id}, ${lead.id},
             now() - n * interval '1 minute'
      from generate_series(1, ${finished}) n`;
    await owner`update projects set task_seq = ${finished} where id = ${project!.id}`;
    const archive = { slug: workspace.slug, key: 'ARCH' };
    const page = await getPage(
      board,
      `/w/${workspace.slug}/projects/ARCH/board`,
      leadCookie,
      archive,
    );
    const data = page.body as {
      tasks: Array<{ number: number }>;
      counts: Array<{ id: string; count: number }>;
    };
    expect(data.tasks.map((task) => task.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: RECENT_DONE_CARDS }, (_, index) => index + 1),
    );
    expect(data.counts.find((column) => column.id === done!.id)?.count).toBe(finished);

    // A change to a card the board does not show takes nothing off and puts nothing on it…
    const htmx = { 'HX-Request': 'true' };
    const oldest = `ARCH-${finished}`;
    const hidden = await onCard(oldest, leadCookie, { assigneeId: teammate.id }, htmx);
    const quiet = await hidden.response!.text();
    expect(quiet).not.toContain(`<li id="card-${finished}"`);
    // …until it leaves the done column, when it shows where it went.
    const [todo] =
      await owner`select id from task_statuses where project_id = ${project!.id} and preset = 'todo'`;
    const reopened = await onCard(oldest, leadCookie, { statusId: todo!.id }, htmx);
    const html = await reopened.response!.text();
    expect(html).toContain(`<li id="card-${finished}" class="card">`);
    expect(html).toContain(`beforeend:#column-cards-${todo!.id}`);
  });

  it('filters the list by words (prefixes too), assignee "me" and "nobody", due, and exports the same as CSV', async () => {
    const list = async (query: string, cookie = leadCookie) =>
      (
        (
          await getPage(
            taskList,
            `/w/${workspace.slug}/projects/SHOP/tasks?${query}`,
            cookie,
            params(),
          )
        ).body as {
          tasks: Array<{ key: string }>;
        }
      ).tasks.map((task) => task.key);
    expect(await list('q=checko')).toEqual(['SHOP-4']);
    expect(await list('q=returns+pol')).toEqual(['SHOP-2']);
    expect(await list('q=SHOP-3')).toEqual(['SHOP-3']);
    expect(await list('q=%27%3A*+%26+!')).toEqual([]);
    expect(await list('assignee=me')).toEqual(['SHOP-1']);
    expect((await list('assignee=nobody')).sort()).toEqual(['SHOP-2', 'SHOP-3', 'SHOP-4']);
    // The total comes with the page, and still comes on a page past the end.
    const counted = async (query: string) =>
      (
        await getPage(
          taskList,
          `/w/${workspace.slug}/projects/SHOP/tasks?${query}`,
          leadCookie,
          params(),
        )
      ).body as { tasks: unknown[]; total: number };
    expect(await counted('assignee=nobody')).toMatchObject({ total: 3 });
    expect(await counted('assignee=nobody&page=9')).toMatchObject({ tasks: [], total: 3 });
    expect(await list('due=none&sort=key')).toEqual(
      ['SHOP-2', 'SHOP-3', 'SHOP-4'].filter((key) => key !== 'SHOP-2'),
    );
    const csv = await getPage(
      taskCsv,
      `/w/${workspace.slug}/projects/SHOP/tasks.csv?q=checkout`,
      leadCookie,
      params(),
    );
    const text = await csv.response!.text();
    expect(csv.response!.headers.get('Content-Type')).toContain('text/csv');
    expect(text.trim().split('\r\n')).toHaveLength(2);
    expect(text).toContain('SHOP-4,Fix the checkout on old phones,To do,,Urgent');
  });

  it('bulk edit changes every selected task, or none when one change is refused', async () => {
    const ids = await Promise.all(['SHOP-3', 'SHOP-4'].map(async (key) => (await taskRow(key)).id));
    const url = `/w/${workspace.slug}/projects/SHOP/tasks`;
    const refused = await postForm(
      taskList,
      url,
      leadCookie,
      [
        ['intent', 'bulk'],
        ...ids.map((id): [string, string] => ['taskIds', id]),
        ['assigneeId', bystander.id],
      ],
      params(),
    );
    expect(refused.status).toBe(422);
    expect((await taskRow('SHOP-3')).assignee_id).toBeNull();
    const nothing = await postForm(
      taskList,
      url,
      leadCookie,
      [
        ['intent', 'bulk'],
        ['taskIds', ids[0]!],
      ],
      params(),
    );
    expect(nothing.status).toBe(422);
    const done = await postForm(
      taskList,
      url,
      leadCookie,
      [
        ['intent', 'bulk'],
        ...ids.map((id): [string, string] => ['taskIds', id]),
        ['assigneeId', teammate.id],
        ['priority', 'medium'],
        ['query', 'sort=key'],
      ],
      params(),
    );
    expect(done.status).toBe(303);
    expect(done.response!.headers.get('Location')).toBe(`${url}?sort=key`);
    for (const key of ['SHOP-3', 'SHOP-4'])
      expect(await taskRow(key)).toMatchObject({ assignee_id: teammate.id, priority: 'medium' });
  });

  it('saved views belong to the person who saved them', async () => {
    const url = `/w/${workspace.slug}/projects/SHOP/tasks`;
    expect(
      (
        await postForm(
          taskList,
          url,
          leadCookie,
          { intent: 'save-view', name: 'Urgent for me', query: 'assignee=me&priority=urgent' },
          params(),
        )
      ).status,
    ).toBe(303);
    const mine = (await getPage(taskList, url, leadCookie, params())).body as {
      savedViews: Array<{ id: string; name: string; query: string }>;
    };
    expect(mine.savedViews).toEqual([
      expect.objectContaining({ name: 'Urgent for me', query: 'assignee=me&priority=urgent' }),
    ]);
    const theirs = (await getPage(taskList, url, teammateCookie, params())).body as {
      savedViews: unknown[];
    };
    expect(theirs.savedViews).toEqual([]);
    const removedByOther = await postForm(
      taskList,
      url,
      teammateCookie,
      { intent: 'remove-view', viewId: mine.savedViews[0]!.id },
      params(),
    );
    expect(removedByOther.status).toBe(404);
  });

  it('a comment notifies the people it mentions and the assignee, and mails them', async () => {
    // Test people share a first name ("Person"), so the mention uses the email's local part.
    const handle = teammate.email.split('@')[0]!;
    const answer = await onTask('SHOP-1', guestCookie, {
      intent: 'comment',
      body: `@${handle} can you check the **refund** flow?`,
    });
    expect(answer.status).toBe(303);
    const notes =
      await owner`select user_id, kind, excerpt from notifications where path like ${`/w/${workspace.slug}/tasks/SHOP-1#comment-%`} order by kind`;
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user_id: teammate.id, kind: 'task.mentioned' }),
        // The lead is the assignee of SHOP-1 and was not mentioned.
        expect.objectContaining({ user_id: lead.id, kind: 'task.commented' }),
      ]),
    );
    const mails = await mail.mailTo(teammate.email);
    expect(mails.some((message) => message.subject.includes('SHOP-1'))).toBe(true);
    const page = await getPage(taskPage, `/w/${workspace.slug}/tasks/SHOP-1`, leadCookie, {
      slug: workspace.slug,
      key: 'SHOP-1',
    });
    const comments = (page.body as { comments: Array<{ bodyHtml: string }> }).comments;
    expect(comments.at(-1)!.bodyHtml).toContain('<strong class="mention">@');
  });

  it('checklist items are added, ticked and removed by members, and shown on the card', async () => {
    expect(
      (await onTask('SHOP-3', teammateCookie, { intent: 'checklist-add', text: 'Studio booked' }))
        .status,
    ).toBe(303);
    expect(
      (await onTask('SHOP-3', teammateCookie, { intent: 'checklist-add', text: '' })).status,
    ).toBe(422);
    const [item] =
      await owner`select id from checklist_items where task_id = ${(await taskRow('SHOP-3')).id}`;
    expect(
      (
        await onTask('SHOP-3', teammateCookie, {
          intent: 'checklist-toggle',
          itemId: item!.id,
          done: '1',
        })
      ).status,
    ).toBe(303);
    const boardPage = await getPage(
      board,
      `/w/${workspace.slug}/projects/SHOP/board`,
      leadCookie,
      params(),
    );
    const card = (
      boardPage.body as {
        tasks: Array<{ key: string; checklistDone: number; checklistTotal: number }>;
      }
    ).tasks.find((task) => task.key === 'SHOP-3');
    expect(card).toMatchObject({ checklistDone: 1, checklistTotal: 1 });
    expect(
      (await onTask('SHOP-3', guestCookie, { intent: 'checklist-remove', itemId: item!.id }))
        .status,
    ).toBe(403);
    expect(
      (await onTask('SHOP-3', teammateCookie, { intent: 'checklist-remove', itemId: item!.id }))
        .status,
    ).toBe(303);
  });

  it('"My tasks" groups my open tasks by when they are due, in my time zone', async () => {
    await owner`update tasks set due_date = current_date - 3, status_id = ${statusId('todo')}, completed_at = null where id = ${(await taskRow('SHOP-1')).id}`;
    const page = await getPage(myTasksPage, `/w/${workspace.slug}/tasks`, leadCookie, {
      slug: workspace.slug,
    });
    const groups = (page.body as { groups: Record<string, Array<{ key: string }>> }).groups;
    expect(groups.overdue!.map((task) => task.key)).toEqual(['SHOP-1']);
    expect(groups.none).toEqual([]);
  });

  it('the lead edits statuses; the last "done" status cannot go', async () => {
    const url = `/w/${workspace.slug}/projects/SHOP/statuses`;
    expect(
      (
        await postForm(
          statusesPage,
          url,
          leadCookie,
          { intent: 'add', name: 'Blocked', category: 'in_progress' },
          params(),
        )
      ).status,
    ).toBe(303);
    const refused = await postForm(
      statusesPage,
      url,
      leadCookie,
      { intent: 'remove', statusId: statusId('done'), moveTo: statusId('todo') },
      params(),
    );
    expect(refused.status).toBe(422);
    expect(
      (
        await postForm(
          statusesPage,
          url,
          teammateCookie,
          { intent: 'add', name: 'Mine', category: 'todo' },
          params(),
        )
      ).status,
    ).toBe(403);
    // Removing "In review" moves its tasks to the status chosen.
    await postForm(
      statusesPage,
      url,
      leadCookie,
      { intent: 'remove', statusId: statusId('in_review'), moveTo: statusId('in_progress') },
      params(),
    );
    expect((await taskRow('SHOP-2')).status_id).toBe(statusId('in_progress'));
  });

  it('a deleted task shows as deleted and can be restored', async () => {
    const url = `/w/${workspace.slug}/tasks/SHOP-3/edit`;
    const keyParams = { slug: workspace.slug, key: 'SHOP-3' };
    expect(
      (await postForm(editTask, url, teammateCookie, { intent: 'delete' }, keyParams)).status,
    ).toBe(303);
    expect((await taskRow('SHOP-3')).deleted_at).not.toBeNull();
    const listed = (
      await getPage(taskList, `/w/${workspace.slug}/projects/SHOP/tasks`, leadCookie, params())
    ).body as { tasks: Array<{ key: string }> };
    expect(listed.tasks.map((task) => task.key)).not.toContain('SHOP-3');
    expect(
      (await postForm(editTask, url, teammateCookie, { intent: 'restore' }, keyParams)).status,
    ).toBe(303);
    expect((await taskRow('SHOP-3')).deleted_at).toBeNull();
  });

  it(`a task ${TASK_TRASH_DAYS} days in the trash goes for good with its comments, and the log says so`, async () => {
    for (const title of ['Old mistake', 'Recent mistake'])
      expect((await createTask({ title })).status).toBe(303);
    const [old, recent] =
      await owner`select t.id, p.key || '-' || t.number as key from tasks t join projects p on p.id = t.project_id
        where p.workspace_id = ${workspace.id} and t.title in ('Old mistake', 'Recent mistake') order by t.title`;
    await onTask(old!.key, leadCookie, { intent: 'comment', body: 'This one was a mistake.' });
    for (const task of [old!, recent!])
      await postForm(
        editTask,
        `/w/${workspace.slug}/tasks/${task.key}/edit`,
        leadCookie,
        { intent: 'delete' },
        { slug: workspace.slug, key: task.key },
      );
    await owner`update tasks set deleted_at = now() - make_interval(days => ${TASK_TRASH_DAYS + 1}) where id = ${old!.id}`;
    await owner`update tasks set deleted_at = now() - make_interval(days => ${TASK_TRASH_DAYS - 1}) where id = ${recent!.id}`;

    await purgeDeletedTasks();
    expect(await owner`select id from tasks where id in (${old!.id}, ${recent!.id})`).toEqual([
      { id: recent!.id },
    ]);
    expect(await owner`select id from task_comments where task_id = ${old!.id}`).toEqual([]);
    const [entry] =
      await owner`select actor_id, changes from audit_events where action = 'task.purged' and target_id = ${old!.id}`;
    expect(entry).toMatchObject({
      actor_id: null,
      changes: { key: old!.key, title: 'Old mistake' },
    });
  });
});

describe('pieces', () => {
  it('finds mentions by first name, full name or email, never inside words or addresses', () => {
    const people = [
      { id: '1', name: 'Maya Müller', email: 'manager@acme.test' },
      { id: '2', name: 'Marco Rossi', email: 'member@acme.test' },
      { id: '3', name: 'Marco Polo', email: 'polo@acme.test' },
    ];
    const ids = (text: string) => findMentions(text, people).map((person) => person.id);
    expect(ids('@maya please look')).toEqual(['1']);
    expect(ids('thanks @MayaMuller.')).toEqual(['1']);
    expect(ids('cc @member and @polo')).toEqual(['2', '3']);
    // Two Marcos: the first name alone names nobody.
    expect(ids('@Marco?')).toEqual([]);
    expect(ids('write to maya@acme.test')).toEqual([]);
  });

  it('turns words into a prefix query and drops everything else', () => {
    expect(prefixQuery('cata pho')).toBe("'cata':* & 'pho':*");
    expect(prefixQuery("'):* | !")).toBeNull();
  });
});

it('the page of a task in another workspace is 404, whatever the key', async () => {
  const other = await createTestWorkspace();
  const cookie = await signedInCookie(other.owner);
  const answer = await outcome(() =>
    taskPage.loader({
      request: browserRequest(`/w/${other.slug}/tasks/SHOP-1`, cookie),
      context: loadContext(),
      params: { slug: other.slug, key: 'SHOP-1' },
    } as never),
  );
  expect(answer.status).toBe(404);
});
