import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createElement } from 'react';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
import { inboxForThisFile, runDueJobs } from '../../../tests/support/jobs';
import { getPage, outcome, postForm } from '../../../tests/support/route-calls';
import type { WorkspaceRole } from '~/platform/db/schema';
import { getEnv } from '~/platform/env.server';
import { renderFragment } from '~/platform/fragment.server';
import { resetLimit } from '~/platform/rate-limit.server';
import { LocalFileStore } from '~/platform/storage/local-store.server';
import { useFileStore } from '~/platform/storage/store.server';
import * as workspaceLayout from '~/routes/w.$slug';
import * as conversationPage from '~/routes/w.$slug.chat.$conversationId._index';
import * as membersPage from '~/routes/w.$slug.chat.$conversationId.members';
import * as threadPage from '~/routes/w.$slug.chat.$conversationId.messages.$messageId._index';
import * as deleteMessage from '~/routes/w.$slug.chat.$conversationId.messages.$messageId.delete';
import * as editMessage from '~/routes/w.$slug.chat.$conversationId.messages.$messageId.edit';
import * as reactions from '~/routes/w.$slug.chat.$conversationId.messages.$messageId.reactions';
import * as messagesRoute from '~/routes/w.$slug.chat.$conversationId.messages._index';
import * as typingRoute from '~/routes/w.$slug.chat.$conversationId.typing';
import * as olderMessages from '~/routes/w.$slug.chat.$conversationId.older';
import * as chatList from '~/routes/w.$slug.chat._index';
import * as newGroup from '~/routes/w.$slug.chat.new';
import * as chatSearch from '~/routes/w.$slug.chat.search';
import * as download from '~/routes/w.$slug.files.$id.download';
import * as projectMembers from '~/routes/w.$slug.projects.$key.members';
import * as newProject from '~/routes/w.$slug.projects.new';
import { MessageItem } from './components';
import type { MessageView } from './messages.server';

const owner = ownerSql();
const mail = inboxForThisFile();

/** Someone signed in, and the workspace they act in. */
type Person = TestUser & { cookie: string; slug: string };
type Answer = Awaited<ReturnType<typeof outcome>>;
type PageData = Awaited<ReturnType<typeof conversationPage.loader>>;
type ThreadData = Awaited<ReturnType<typeof threadPage.loader>>;
type SearchData = Awaited<ReturnType<typeof chatSearch.loader>>;
type ListData = Awaited<ReturnType<typeof chatList.loader>>;
type LayoutData = Awaited<ReturnType<typeof workspaceLayout.loader>>;

let workspace: TestWorkspace;
let maya: Person;
let ana: Person;
let ben: Person;
let ada: Person;
let gus: Person;
let outsider: Person;
const everyone: Person[] = [];
/** Maya's group with Ana and Ada (an admin); Ben and Gus are not in it. */
let launch: string;

async function person(role: WorkspaceRole, name: string, email?: string): Promise<Person> {
  const user = await addMember(workspace, role, await createUser({ name, email }));
  const someone = { ...user, cookie: await signedInCookie(user), slug: workspace.slug };
  everyone.push(someone);
  return someone;
}

// ---------------------------------------------------------------------------------------------
// Addresses and route calls

const chatPath = (who: Person, suffix = '') => `/w/${who.slug}/chat${suffix}`;
const conversationUrl = (who: Person, conversationId: string, suffix = '') =>
  chatPath(who, `/${conversationId}${suffix}`);
const messageUrl = (who: Person, conversationId: string, messageId: string, suffix = '') =>
  conversationUrl(who, conversationId, `/messages/${messageId}${suffix}`);
const params = (who: Person, conversationId?: string, messageId?: string) => ({
  slug: who.slug,
  ...(conversationId ? { conversationId } : {}),
  ...(messageId ? { messageId } : {}),
});
const htmx = { 'HX-Request': 'true' };

/** A message sent from the conversation's page without JavaScript. */
const post = (who: Person, conversationId: string, body: string, parentId?: string) =>
  postForm(
    conversationPage,
    conversationUrl(who, conversationId),
    who.cookie,
    parentId ? { body, parentId } : { body },
    params(who, conversationId),
  );

/** The composer's htmx post (to the messages route; `parentId` for a thread's composer). */
const postWithHtmx = (who: Person, conversationId: string, body: string, parentId?: string) =>
  postForm(
    messagesRoute,
    conversationUrl(who, conversationId, `/messages${parentId ? `?parentId=${parentId}` : ''}`),
    who.cookie,
    { body },
    params(who, conversationId),
    htmx,
  );

/** A reply sent from the thread's page without JavaScript. */
const reply = (who: Person, conversationId: string, parentId: string, body: string) =>
  postForm(
    threadPage,
    messageUrl(who, conversationId, parentId),
    who.cookie,
    { body },
    params(who, conversationId, parentId),
  );

/** A message (with files) sent as the page's multipart form. */
const postWithFiles = (who: Person, conversationId: string, body: string, files: File[]) => {
  const form = new FormData();
  form.append('body', body);
  for (const file of files) form.append('files', file);
  return outcome(() =>
    conversationPage.action({
      request: browserRequest(conversationUrl(who, conversationId), who.cookie, {
        method: 'POST',
        body: form,
      }),
      context: loadContext(),
      params: params(who, conversationId),
    } as never),
  );
};

const postedId = (answer: Answer) =>
  answer.response!.headers.get('Location')!.split('#message-')[1]!;

/** A message that is expected to be posted: its id. */
async function say(who: Person, conversationId: string, body: string): Promise<string> {
  const answer = await post(who, conversationId, body);
  expect(answer.status, body).toBe(303);
  return postedId(answer);
}

/** A form posted to one of a message's routes (edit, delete, reactions). */
const onMessage = (
  route: Parameters<typeof postForm>[0],
  suffix: string,
  who: Person,
  conversationId: string,
  messageId: string,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
) =>
  postForm(
    route,
    messageUrl(who, conversationId, messageId, suffix),
    who.cookie,
    fields,
    params(who, conversationId, messageId),
    headers,
  );

const openPage = (who: Person, conversationId: string, query = '') =>
  getPage(
    conversationPage,
    conversationUrl(who, conversationId, query),
    who.cookie,
    params(who, conversationId),
  );
const openThread = (who: Person, conversationId: string, messageId: string) =>
  getPage(
    threadPage,
    messageUrl(who, conversationId, messageId),
    who.cookie,
    params(who, conversationId, messageId),
  );
const search = (who: Person, query: string) =>
  getPage(chatSearch, chatPath(who, `/search?${query}`), who.cookie, { slug: who.slug });
/** "I am typing" (answered 204, kept nowhere). */
const typing = (who: Person, conversationId: string) =>
  postForm(
    typingRoute,
    conversationUrl(who, conversationId, '/typing'),
    who.cookie,
    {},
    params(who, conversationId),
  );
const onMembers = (who: Person, conversationId: string, fields: Array<[string, string]>) =>
  postForm(
    membersPage,
    conversationUrl(who, conversationId, '/members'),
    who.cookie,
    fields,
    params(who, conversationId),
  );
const onList = (who: Person, fields: Record<string, string>) =>
  postForm(chatList, chatPath(who), who.cookie, fields, { slug: who.slug });
const listOf = async (who: Person) =>
  (await getPage(chatList, chatPath(who), who.cookie, { slug: who.slug })).body as ListData;
const headerUnread = async (who: Person) =>
  (
    (await getPage(workspaceLayout, `/w/${who.slug}`, who.cookie, { slug: who.slug }))
      .body as LayoutData
  ).chat.unread;

async function startGroup(creator: Person, name: string, members: Person[]): Promise<string> {
  const answer = await postForm(
    newGroup,
    chatPath(creator, '/new'),
    creator.cookie,
    [['name', name], ...members.map((member): [string, string] => ['memberIds', member.id])],
    { slug: creator.slug },
  );
  expect(answer.status).toBe(303);
  return answer.response!.headers.get('Location')!.split('/').pop()!;
}

async function openDirect(from: Person, to: Person): Promise<string> {
  const answer = await onList(from, { intent: 'direct', userId: to.id });
  expect(answer.status).toBe(303);
  return answer.response!.headers.get('Location')!.split('/').pop()!;
}

/** The form's error messages for the message box (keys, with their values after a "|"). */
const bodyErrors = (answer: Answer) =>
  (answer.body as { result: { error: Record<string, string[]> } }).result.error.body ?? [];

/** A message as its page shows it (the same component as the page and its live updates). */
const shown = (message: MessageView, reader: Person) =>
  renderFragment(
    { locale: 'en', timeZone: 'UTC' },
    createElement(MessageItem, {
      message,
      reader: { userId: reader.id, isAdmin: false },
      slug: workspace.slug,
    }),
  );

// ---------------------------------------------------------------------------------------------
// What is in the database (as its owner sees it)

const messageRow = async (id: string) => (await owner`select * from messages where id = ${id}`)[0]!;
const messagesIn = async (conversationId: string) =>
  (
    await owner`select count(*)::int as n from messages
      where conversation_id = ${conversationId}`
  )[0]!.n as number;
const memberIds = async (conversationId: string) =>
  (await owner`select user_id from conversation_members where conversation_id = ${conversationId}`)
    .map((row) => row.user_id as string)
    .sort();
const auditOf = (targetId: string) =>
  owner`select action, actor_id, changes from audit_events
    where target_id = ${targetId} order by id`;
const notificationsFor = (conversationId: string, messageId: string) =>
  owner`select id, user_id, kind, title, excerpt from notifications
    where path = ${`/w/${workspace.slug}/chat/${conversationId}/messages/${messageId}`}`;

/**
 * Everything chat keeps for this workspace, summed up: a refusal must leave it as it was.
 */
async function chatState() {
  const [row] = await owner`select
    (select count(*)::int from conversations where workspace_id = ${workspace.id}) as conversations,
    (select md5(coalesce(string_agg(coalesce(name, '') || kind::text, ',' order by id), ''))
      from conversations where workspace_id = ${workspace.id}) as names,
    (select md5(coalesce(string_agg(conversation_id::text || user_id::text || muted::text, ',' order by conversation_id, user_id), ''))
      from conversation_members where workspace_id = ${workspace.id}) as members,
    (select md5(coalesce(string_agg(id::text || body || coalesce(deleted_at::text, '') || reply_count::text, ',' order by seq), ''))
      from messages where workspace_id = ${workspace.id}) as messages,
    (select count(*)::int from message_reactions where workspace_id = ${workspace.id}) as reactions,
    (select count(*)::int from message_edits where workspace_id = ${workspace.id}) as edits,
    (select count(*)::int from notifications where workspace_id = ${workspace.id}) as notifications,
    (select count(*)::int from files where workspace_id = ${workspace.id}) as files,
    (select count(*)::int from audit_events where workspace_id = ${workspace.id}) as audit`;
  return row;
}

/** Presence as an open page leaves it: online for another minute. */
const goOnline = (who: Person) =>
  owner`insert into presence (workspace_id, user_id, online_until, last_seen_at, shown_online)
    values (${workspace.id}, ${who.id}, now() + interval '1 minute', now(), true)
    on conflict (workspace_id, user_id) do update
      set online_until = excluded.online_until, last_seen_at = excluded.last_seen_at`;
/** Last seen an hour ago, with no page open since. */
const awayForAnHour = (who: Person) =>
  owner`update presence set online_until = now() - interval '1 hour', last_seen_at = now() - interval '1 hour'
    where workspace_id = ${workspace.id} and user_id = ${who.id}`;
const mentionMailJob = async (notificationId: string) =>
  (
    await owner`select run_at from graphile_worker.jobs
      where key = ${`chat-mention-mail:${notificationId}`}`
  )[0] as { run_at: Date } | undefined;

beforeAll(async () => {
  useFileStore(
    new LocalFileStore(
      mkdtempSync(path.join(os.tmpdir(), 'workroom-chat-')),
      getEnv().appUrl,
      getEnv().sessionSecrets,
    ),
  );
  workspace = await createTestWorkspace();
  maya = await person('member', 'Maya Müller', 'maya.mueller@example.test');
  ana = await person('member', 'Ana Ruiz');
  ben = await person('member', 'Ben Okafor');
  ada = await person('admin', 'Ada Lovelace');
  gus = await person('guest', 'Gus Grant');
  const elsewhere = await createTestWorkspace();
  outsider = {
    ...elsewhere.owner,
    cookie: await signedInCookie(elsewhere.owner),
    slug: elsewhere.slug,
  };
  launch = await startGroup(maya, 'Launch', [ana, ada]);
});
// Each test may post many messages: the pace limit is tested on its own.
beforeEach(() => Promise.all(everyone.map((who) => resetLimit('messagesByUser', who.id))));
afterAll(() => owner.end());

describe('starting conversations', () => {
  it('a member starts a group with the people chosen, recorded in the audit log', async () => {
    const id = await startGroup(ana, 'Print run', [ben, gus]);
    const [conversation] = await owner`select kind, name, created_by from conversations
      where id = ${id}`;
    expect(conversation).toEqual({ kind: 'group', name: 'Print run', created_by: ana.id });
    expect(await memberIds(id)).toEqual([ana.id, ben.id, gus.id].sort());
    const audit = await auditOf(id);
    expect(audit.map((event) => [event.action, event.actor_id])).toEqual([
      ['chat.conversation_created', ana.id],
    ]);
    // The group shows in its members' lists.
    expect((await listOf(gus)).conversations.map((row) => row.id)).toContain(id);
  });

  it('opening a direct conversation from either side lands in the same one', async () => {
    const first = await openDirect(maya, ben);
    expect(await openDirect(ben, maya)).toBe(first);
    expect(await openDirect(maya, ben)).toBe(first);
    const rows = await owner`select id from conversations
      where workspace_id = ${workspace.id} and kind = 'direct' and direct_key = ${[maya.id, ben.id].sort().join(':')}`;
    expect(rows).toHaveLength(1);
    expect(await memberIds(first)).toEqual([maya.id, ben.id].sort());
  });

  it('a guest cannot start a direct conversation or a group (403), and nothing is created', async () => {
    const before = await chatState();
    expect((await onList(gus, { intent: 'direct', userId: maya.id })).status).toBe(403);
    expect(
      (await getPage(newGroup, chatPath(gus, '/new'), gus.cookie, { slug: gus.slug })).status,
    ).toBe(403);
    const group = await postForm(
      newGroup,
      chatPath(gus, '/new'),
      gus.cookie,
      [
        ['name', 'Guests only'],
        ['memberIds', maya.id],
      ],
      { slug: gus.slug },
    );
    expect(group.status).toBe(403);
    expect(await chatState()).toEqual(before);
  });

  it('refuses a group with someone from another workspace (422), and nothing is created', async () => {
    const before = await chatState();
    const answer = await postForm(
      newGroup,
      chatPath(maya, '/new'),
      maya.cookie,
      [
        ['name', 'Partners'],
        ['memberIds', outsider.id],
      ],
      { slug: maya.slug },
    );
    expect(answer.status).toBe(422);
    expect(await chatState()).toEqual(before);
  });
});

describe('who reads and writes a conversation', () => {
  it('gives a non-member, a guest not added and another workspace’s member a 404, and stores nothing', async () => {
    const root = await say(maya, launch, 'Members only');
    expect((await typing(ana, launch)).status).toBe(204);
    const before = await chatState();
    for (const who of [ben, gus, outsider]) {
      expect((await typing(who, launch)).status, who.name).toBe(404);
      expect((await openPage(who, launch)).status, who.name).toBe(404);
      expect((await openThread(who, launch, root)).status, who.name).toBe(404);
      expect((await search(who, `q=members&in=${launch}`)).status, who.name).toBe(404);
      expect((await post(who, launch, 'Let me in')).status, who.name).toBe(404);
      expect((await reply(who, launch, root, 'Let me in')).status, who.name).toBe(404);
      const withHtmx = await postWithHtmx(who, launch, 'Let me in');
      expect(withHtmx.status, who.name).toBe(404);
      expect(await withHtmx.response!.text()).toContain('id="composer"');
      expect(
        (await onMessage(reactions, '/reactions', who, launch, root, { emoji: 'heart' })).status,
        who.name,
      ).toBe(404);
    }
    // Their searches do not reach into it either.
    const found = (await search(ben, 'q=members')).body as SearchData;
    expect(found.results.map((result) => result.id)).not.toContain(root);
    expect(await chatState()).toEqual(before);
  });

  it('a guest is in a project’s conversation while a project member, and out of it once removed', async () => {
    const created = await postForm(
      newProject,
      `/w/${workspace.slug}/projects/new`,
      maya.cookie,
      { name: 'Website', key: 'WEB' },
      { slug: workspace.slug },
    );
    expect(created.status).toBe(303);
    const [project] =
      await owner`select c.id from conversations c join projects p on p.id = c.project_id
      where p.workspace_id = ${workspace.id} and p.key = 'WEB'`;
    const conversationId = project!.id as string;
    expect(await memberIds(conversationId)).toEqual([maya.id]);
    expect((await openPage(gus, conversationId)).status).toBe(404);

    const projectMembersAs = (fields: Record<string, string>) =>
      postForm(projectMembers, `/w/${workspace.slug}/projects/WEB/members`, maya.cookie, fields, {
        slug: workspace.slug,
        key: 'WEB',
      });
    expect((await projectMembersAs({ intent: 'add', userId: gus.id, role: 'viewer' })).status).toBe(
      303,
    );
    expect(await memberIds(conversationId)).toEqual([maya.id, gus.id].sort());
    expect((await openPage(gus, conversationId)).status).toBe(200);
    const posted = await say(gus, conversationId, 'Guest here, reading along');
    expect((await messageRow(posted)).author_id).toBe(gus.id);

    expect((await projectMembersAs({ intent: 'remove', userId: gus.id })).status).toBe(303);
    expect(await memberIds(conversationId)).toEqual([maya.id]);
    expect((await openPage(gus, conversationId)).status).toBe(404);
    expect((await post(gus, conversationId, 'Still here?')).status).toBe(404);
  });
});

describe('posting messages', () => {
  it('a message without JavaScript goes back to the page at the message; with htmx the answer is a fresh composer and the message', async () => {
    const answer = await post(ana, launch, '\n\nMorning all   \n\n');
    expect(answer.status).toBe(303);
    const id = postedId(answer);
    expect(answer.response!.headers.get('Location')).toBe(
      `/w/${workspace.slug}/chat/${launch}#message-${id}`,
    );
    expect(await messageRow(id)).toMatchObject({ body: 'Morning all', author_id: ana.id });

    const withHtmx = await postWithHtmx(ana, launch, 'And with *htmx*');
    expect(withHtmx.status).toBe(200);
    expect(withHtmx.response!.headers.get('Content-Type')).toContain('text/html');
    const html = await withHtmx.response!.text();
    const [row] = await owner`select id from messages where conversation_id = ${launch}
      order by seq desc limit 1`;
    expect(html).toContain('id="composer"');
    expect(html).toContain(`<li id="message-${row!.id}"`);
    expect(html).toContain('<em>htmx</em>');
  });

  it('refuses an empty, blank or too long message with a 422 that says why, keeps nothing, and takes exactly 4000 characters', async () => {
    const before = await chatState();
    const cases: Array<[string, string, string]> = [
      ['empty', '', 'chat:validation.bodyRequired'],
      ['blank', '   \n\t  ', 'chat:validation.bodyRequired'],
      ['too long', 'x'.repeat(4001), 'chat:validation.bodyTooLong'],
    ];
    const answers: Array<[string, number, string[], number]> = [];
    for (const [label, body] of cases) {
      const answer = await post(maya, launch, body);
      const withHtmx = await postWithHtmx(maya, launch, body);
      expect(await withHtmx.response!.text()).toContain('id="composer"');
      answers.push([label, answer.status, bodyErrors(answer), withHtmx.status]);
    }
    expect(await chatState()).toEqual(before);
    const longest = await say(maya, launch, `${'x'.repeat(4000)}\n\n   `);
    expect((await messageRow(longest)).body).toHaveLength(4000);
    expect(answers).toEqual(cases.map(([label, , error]) => [label, 422, [error], 422]));
  });

  it('“Quote” opens the conversation with the message quoted in the box, never one from elsewhere', async () => {
    const id = await say(maya, launch, 'Print run of 500\nor 1000?');
    const page = (await openPage(ana, launch, `?quote=${id}`)).body as PageData;
    expect(page.quote).toBe('> **Maya Müller:** Print run of 500\n> or 1000?\n\n');
    const bensDirect = await openDirect(ben, ada);
    const secret = await say(ben, bensDirect, 'Between us');
    expect(((await openPage(ana, launch, `?quote=${secret}`)).body as PageData).quote).toBe(
      undefined,
    );
  });

  it('refuses a mention of someone not in the conversation (422), and notifies and stores nothing', async () => {
    const before = await chatState();
    for (const body of ['Ask @Ben about it', 'Ping @nobody.at.all please']) {
      const answer = await post(maya, launch, body);
      expect(answer.status).toBe(422);
      expect(bodyErrors(answer)[0]).toMatch(/^chat:errors\.unknownMention\|/);
    }
    expect(bodyErrors(await post(maya, launch, 'Ask @Ben'))[0]).toContain('@ben');
    expect(await chatState()).toEqual(before);
  });

  it('the 21st message within ten seconds is refused with 429 "too fast", and not stored', async () => {
    const rapid = await person('member', 'Rapid Typist');
    const conversationId = await openDirect(rapid, maya);
    for (let index = 1; index <= 20; index += 1)
      expect((await post(rapid, conversationId, `Message ${index}`)).status).toBe(303);
    const refused = await post(rapid, conversationId, 'One more');
    expect(refused.status).toBe(429);
    expect(Number(refused.response!.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await refused.response!.json()).toMatchObject({ message: 'chat:errors.tooFast' });
    const withHtmx = await postWithHtmx(rapid, conversationId, 'One more');
    expect(withHtmx.status).toBe(429);
    expect(await withHtmx.response!.text()).toContain('You are sending messages too quickly');
    expect(await messagesIn(conversationId)).toBe(20);
  });

  it('renders markdown on the server, showing raw HTML as text and never linking javascript:', async () => {
    const answer = await postWithHtmx(
      maya,
      launch,
      '<script>alert(1)</script> **bold**\n[click me](javascript:alert(1)) and <img src=x onerror=alert(2)>',
    );
    expect(answer.status).toBe(200);
    const html = await answer.response!.text();
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src="x"');
    expect(html).not.toMatch(/href="javascript:/i);
  });

  it('links in messages open with rel="noopener noreferrer nofollow"', async () => {
    const id = await say(maya, launch, 'The brief: https://example.com/brief');
    const html = (await messageRow(id)).body_html as string;
    const rel = html.match(/<a href="https:\/\/example\.com\/brief"[^>]*\brel="([^"]*)"/)?.[1];
    expect(rel?.split(/\s+/).sort()).toEqual(['nofollow', 'noopener', 'noreferrer']);
  });
});

describe('mentions', () => {
  it('a mention by first name or email handle notifies that person, and mails them when they are away', async () => {
    const id = await say(ana, launch, 'Could @maya.mueller and @Ada check the printer proofs?');
    const notes = await notificationsFor(launch, id);
    expect(notes.map((note) => note.user_id).sort()).toEqual([maya.id, ada.id].sort());
    expect(notes[0]).toMatchObject({
      kind: 'chat.mentioned',
      title: 'Launch',
      excerpt: 'Could @maya.mueller and @Ada check the printer proofs?',
    });
    // Neither has a page open (no presence at all): the mail goes at once.
    for (const who of [maya, ada]) {
      const mails = await mail.mailTo(who.email);
      const mention = mails.find((message) => message.text.includes('printer proofs'));
      expect(mention?.subject, who.name).toBe('Ana Ruiz mentioned you in Launch');
      expect(mention!.text).toContain(`/w/${workspace.slug}/chat/${launch}/messages/${id}`);
    }
  });

  it('@here notifies every member of the conversation except its author', async () => {
    const id = await say(maya, launch, '@here stand-up in five minutes');
    const notes = await notificationsFor(launch, id);
    expect(notes.map((note) => note.user_id).sort()).toEqual([ana.id, ada.id].sort());
    expect(notes.every((note) => note.kind === 'chat.mentioned')).toBe(true);
  });

  it('someone online gets no mail about a mention: the mail waits until they have been away ten minutes', async () => {
    const mailsBefore = (await mail.mailTo(ana.email)).length;
    await goOnline(ana);
    const id = await say(maya, launch, '@Ana are you free for a call?');
    const [note] = await notificationsFor(launch, id);
    expect(note!.user_id).toBe(ana.id);
    await runDueJobs();
    expect((await mail.mailTo(ana.email)).length).toBe(mailsBefore);
    const later = await mentionMailJob(note!.id);
    expect(later).toBeDefined();
    expect(later!.run_at.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
  });

  it('do not disturb holds mention mail back until it is turned off', async () => {
    const quiet = await startGroup(maya, 'Quiet corner', [ben]);
    expect((await onList(ben, { intent: 'do-not-disturb', on: '1' })).status).toBe(303);
    await awayForAnHour(ben);
    const id = await say(maya, quiet, 'When you have a moment, @Ben: the invoice');
    const [note] = await notificationsFor(quiet, id);
    expect(note!.user_id).toBe(ben.id);
    await runDueJobs();
    const toBen = async () =>
      (await mail.mailTo(ben.email)).filter((message) => message.text.includes('the invoice'));
    expect(await toBen()).toEqual([]);
    expect(await mentionMailJob(note!.id)).toBeDefined();

    expect((await onList(ben, { intent: 'do-not-disturb', on: '0' })).status).toBe(303);
    // The held mail's next try comes due.
    await owner`update graphile_worker._private_jobs set run_at = now()
      where key = ${`chat-mention-mail:${note!.id}`}`;
    const [sent] = await toBen();
    expect(sent?.subject).toBe('Maya Müller mentioned you in Quiet corner');
  });

  it('a mention in a direct conversation is titled as its reader sees it: with the sender’s name', async () => {
    const direct = await openDirect(maya, ana);
    const id = await say(maya, direct, '@Ana did you see the quote?');
    const [note] = await notificationsFor(direct, id);
    expect(note!.user_id).toBe(ana.id);
    // Ana's list calls this conversation "Maya Müller"; so should the notification and its mail.
    const [row] = (await listOf(ana)).conversations.filter((item) => item.id === direct);
    expect(row!.title).toBe('Maya Müller');
    expect(note!.title).toBe('Maya Müller');
  });
});

describe('editing and deleting', () => {
  it('the author edits a message: it says "edited", and only admins see the earlier version', async () => {
    const id = await say(maya, launch, 'We ship on Friday');
    const edited = await onMessage(editMessage, '/edit', maya, launch, id, {
      body: 'We ship on Monday',
    });
    expect(edited.status).toBe(303);
    const row = await messageRow(id);
    expect(row.body).toBe('We ship on Monday');
    expect(row.edited_at).not.toBeNull();

    const asAdmin = (await openThread(ada, launch, id)).body as ThreadData;
    expect(asAdmin.edits.map((edit) => edit.body)).toEqual(['We ship on Friday']);
    const asMember = (await openThread(ana, launch, id)).body as ThreadData;
    expect(asMember.edits).toEqual([]);
    const html = shown(asMember.thread.root, ana);
    expect(html).toContain('We ship on Monday');
    expect(html).toMatch(/·\s*edited/);
  });

  it('nobody but the author edits a message, not even an admin (403), and nothing changes', async () => {
    const id = await say(maya, launch, 'Only mine to change');
    const before = await chatState();
    for (const who of [ada, ana]) {
      const page = await getPage(
        editMessage,
        messageUrl(who, launch, id, '/edit'),
        who.cookie,
        params(who, launch, id),
      );
      expect(page.status, who.name).toBe(403);
      const answer = await onMessage(editMessage, '/edit', who, launch, id, { body: 'Changed' });
      expect(answer.status, who.name).toBe(403);
    }
    expect(await chatState()).toEqual(before);
  });

  it('the author or an admin deletes a message: a tombstone, an audit event, and its reactions gone', async () => {
    const id = await say(maya, launch, 'Wrong channel, sorry');
    expect(
      (await onMessage(reactions, '/reactions', ana, launch, id, { emoji: 'heart' })).status,
    ).toBe(303);

    // Another member may not.
    const before = await chatState();
    const confirmAs = (who: Person) =>
      getPage(
        deleteMessage,
        messageUrl(who, launch, id, '/delete'),
        who.cookie,
        params(who, launch, id),
      );
    expect((await confirmAs(ana)).status).toBe(403);
    expect((await onMessage(deleteMessage, '/delete', ana, launch, id)).status).toBe(403);
    expect(await chatState()).toEqual(before);

    expect((await confirmAs(ada)).status).toBe(200);
    const deleted = await onMessage(deleteMessage, '/delete', ada, launch, id);
    expect(deleted.status).toBe(303);
    const row = await messageRow(id);
    expect(row).toMatchObject({ body: '', body_html: '', deleted_by: ada.id });
    expect(row.deleted_at).not.toBeNull();
    expect(await owner`select 1 from message_reactions where message_id = ${id}`).toHaveLength(0);
    const audit = await auditOf(id);
    expect(audit.map((event) => [event.action, event.actor_id])).toEqual([
      ['chat.message_deleted', ada.id],
    ]);
    const { thread } = (await openThread(ana, launch, id)).body as ThreadData;
    const html = shown(thread.root, ana);
    expect(html).toContain('This message was deleted.');
    expect(html).not.toContain('Wrong channel');

    // The author deletes their own.
    const own = await say(ana, launch, 'Typo');
    expect((await onMessage(deleteMessage, '/delete', ana, launch, own)).status).toBe(303);
    expect((await messageRow(own)).deleted_by).toBe(ana.id);
  });

  it('a reaction pressed once is added and pressed again taken away; with htmx the message comes back', async () => {
    const id = await say(maya, launch, 'Cover design is final');
    const react = (who: Person, emoji: string, headers = {}) =>
      onMessage(reactions, '/reactions', who, launch, id, { emoji }, headers);
    const reactors = async () =>
      (
        await owner`select user_id, emoji from message_reactions where message_id = ${id}
          order by created_at`
      ).map((row) => [row.user_id, row.emoji]);

    const plain = await react(ana, 'thumbs_up');
    expect(plain.status).toBe(303);
    expect(plain.response!.headers.get('Location')).toContain(`#message-${id}`);
    const withHtmx = await react(ada, 'thumbs_up', htmx);
    expect(withHtmx.status).toBe(200);
    const html = await withHtmx.response!.text();
    expect(html).toContain(`<li id="message-${id}"`);
    expect(html).toContain('hx-swap-oob="true"');
    expect(html).toMatch(/aria-pressed="true"[^>]*>.*?👍<\/span> 2/s);
    expect(await reactors()).toEqual([
      [ana.id, 'thumbs_up'],
      [ada.id, 'thumbs_up'],
    ]);

    expect((await react(ana, 'thumbs_up')).status).toBe(303);
    expect(await reactors()).toEqual([[ada.id, 'thumbs_up']]);
    const before = await chatState();
    expect((await react(ana, 'skull')).status).toBe(400);
    expect(await chatState()).toEqual(before);
  });
});

describe('members of a group', () => {
  it('only the group’s creator or an admin adds, removes and renames, and each change is audited', async () => {
    const planning = await startGroup(maya, 'Planning', [ana, ada]);
    const before = await chatState();
    const attempts: Array<Array<[string, string]>> = [
      [
        ['intent', 'add'],
        ['memberIds', ben.id],
      ],
      [
        ['intent', 'rename'],
        ['name', 'Ana’s now'],
      ],
      [
        ['intent', 'remove'],
        ['userId', ada.id],
      ],
    ];
    for (const fields of attempts)
      expect((await onMembers(ana, planning, fields)).status, fields[0]![1]).toBe(403);
    expect(await chatState()).toEqual(before);

    const added = await onMembers(maya, planning, [
      ['intent', 'add'],
      ['memberIds', ben.id],
    ]);
    expect(added.status).toBe(303);
    expect(await memberIds(planning)).toContain(ben.id);
    const renamed = await onMembers(maya, planning, [
      ['intent', 'rename'],
      ['name', 'Planning Q3'],
    ]);
    expect(renamed.status).toBe(303);
    expect((await owner`select name from conversations where id = ${planning}`)[0]!.name).toBe(
      'Planning Q3',
    );
    // An admin manages a group they did not start.
    const removed = await onMembers(ada, planning, [
      ['intent', 'remove'],
      ['userId', ben.id],
    ]);
    expect(removed.status).toBe(303);
    expect(await memberIds(planning)).not.toContain(ben.id);
    expect((await openPage(ben, planning)).status).toBe(404);

    const audit = await auditOf(planning);
    expect(audit.map((event) => [event.action, event.actor_id, event.changes])).toEqual([
      ['chat.conversation_created', maya.id, expect.anything()],
      ['chat.member_added', maya.id, { userId: ben.id }],
      ['chat.conversation_renamed', maya.id, { from: 'Planning', to: 'Planning Q3' }],
      ['chat.member_removed', ada.id, { userId: ben.id }],
    ]);
  });

  it('a member leaves a group, but not a direct or a project conversation', async () => {
    const outing = await startGroup(maya, 'Team outing', [ana]);
    const left = await onMembers(ana, outing, [['intent', 'leave']]);
    expect(left.status).toBe(303);
    expect(left.response!.headers.get('Location')).toBe(`/w/${workspace.slug}/chat`);
    expect(await memberIds(outing)).toEqual([maya.id]);
    expect((await auditOf(outing)).map((event) => [event.action, event.actor_id])).toEqual([
      ['chat.conversation_created', maya.id],
      ['chat.member_left', ana.id],
    ]);

    const direct = await openDirect(ana, maya);
    const [project] =
      await owner`select c.id from conversations c join projects p on p.id = c.project_id
      where p.workspace_id = ${workspace.id} and p.key = 'WEB'`;
    const before = await chatState();
    expect((await onMembers(ana, direct, [['intent', 'leave']])).status).toBe(403);
    expect((await onMembers(maya, project!.id, [['intent', 'leave']])).status).toBe(403);
    expect(await chatState()).toEqual(before);
  });
});

describe('reading', () => {
  it('others’ messages are unread until the page is viewed; my own never; a muted conversation stays out of the header', async () => {
    const rosa = await person('member', 'Rosa Reader');
    const reading = await startGroup(maya, 'Reading club', [rosa]);
    const unreadIn = async (who: Person) =>
      (await listOf(who)).conversations.find((row) => row.id === reading)!;
    const first = await say(maya, reading, 'Chapter one');
    await say(maya, reading, 'Chapter two');
    await say(maya, reading, 'Chapter three');

    expect((await unreadIn(rosa)).unread).toBe(3);
    expect(await headerUnread(rosa)).toBe(3);
    expect((await unreadIn(maya)).unread).toBe(0);

    const page = (await openPage(rosa, reading)).body as PageData;
    expect(page.unreadFrom).toBe(Number((await messageRow(first)).seq));
    expect(page.unreadShown).toBe(true);
    // The page's header counts without what it has just read (the layout counts beside it).
    expect(page.headerChatUnread).toBe(0);
    expect((await unreadIn(rosa)).unread).toBe(0);
    expect(await headerUnread(rosa)).toBe(0);
    const again = (await openPage(rosa, reading)).body as PageData;
    expect(again.unreadFrom).toBeNull();
    expect(again.headerChatUnread).toBeUndefined();

    await say(rosa, reading, 'I liked chapter two');
    expect((await unreadIn(rosa)).unread).toBe(0);
    expect((await unreadIn(maya)).unread).toBe(1);

    expect(
      (
        await onMembers(rosa, reading, [
          ['intent', 'mute'],
          ['muted', '1'],
        ])
      ).status,
    ).toBe(303);
    await say(maya, reading, 'Chapter four');
    await say(maya, reading, 'Chapter five');
    expect(await unreadIn(rosa)).toMatchObject({ unread: 2, muted: true });
    expect(await headerUnread(rosa)).toBe(0);
  });

  it('a long conversation opens at its newest 50 messages, pages back, and opens around a message', async () => {
    const archive = await startGroup(maya, 'Archive', [ana]);
    await owner`insert into messages (workspace_id, conversation_id, author_id, body, body_html, created_live_seq)
      select ${workspace.id}, ${archive}, ${maya.id}, 'Message ' || n, '<p>Message ' || n || '</p>', nextval('live_seq')
      from generate_series(1, 60) n order by n`;
    await owner`update conversations set last_message_seq = (select max(seq) from messages where conversation_id = ${archive}),
      last_message_at = now() where id = ${archive}`;
    const bodies = (data: PageData) => data.timeline.messages.map((message) => message.body);
    const numbered = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, index) => `Message ${from + index}`);

    const newest = (await openPage(ana, archive)).body as PageData;
    expect(bodies(newest)).toEqual(numbered(11, 60));
    expect(newest.timeline.olderBefore).toBe(newest.timeline.messages[0]!.seq);
    expect(newest.timeline.hasNewer).toBe(false);

    const older = (await openPage(ana, archive, `?before=${newest.timeline.olderBefore}`))
      .body as PageData;
    expect(bodies(older)).toEqual(numbered(1, 10));
    expect(older.timeline.olderBefore).toBeNull();
    expect(older.timeline.hasNewer).toBe(true);

    const fragment = await outcome(() =>
      olderMessages.loader({
        request: browserRequest(
          conversationUrl(ana, archive, `/older?before=${newest.timeline.olderBefore}`),
          ana.cookie,
          { headers: htmx },
        ),
        context: loadContext(),
        params: params(ana, archive),
      } as never),
    );
    const olderHtml = await fragment.response!.text();
    for (const message of older.timeline.messages)
      expect(olderHtml).toContain(`id="message-${message.id}"`);

    const fifth = older.timeline.messages[4]!;
    const around = (await openPage(ana, archive, `?at=${fifth.seq}`)).body as PageData;
    expect(bodies(around)).toEqual(numbered(1, 30));
    expect(around.timeline.hasNewer).toBe(true);
    expect(around.live).toBe(false);
  });
});

describe('threads', () => {
  it('a reply is listed in its thread and counted on the message it answers', async () => {
    const root = await say(maya, launch, 'Which paper for the flyer?');
    const answer = await reply(ana, launch, root, 'The recycled one');
    expect(answer.status).toBe(303);
    const replyId = postedId(answer);
    expect(answer.response!.headers.get('Location')).toBe(
      `/w/${workspace.slug}/chat/${launch}/messages/${root}#message-${replyId}`,
    );
    const withHtmx = await postWithHtmx(ada, launch, 'Agreed', root);
    expect(withHtmx.status).toBe(200);
    expect(await withHtmx.response!.text()).toContain(`beforeend:#replies-${root}`);

    expect((await messageRow(root)).reply_count).toBe(2);
    expect((await messageRow(replyId)).parent_id).toBe(root);
    const { thread } = (await openThread(maya, launch, root)).body as ThreadData;
    expect(thread.replies.map((message) => message.body)).toEqual(['The recycled one', 'Agreed']);
    // Replies stay in the thread, not in the conversation's timeline.
    const page = (await openPage(maya, launch)).body as PageData;
    expect(page.timeline.messages.map((message) => message.id)).not.toContain(replyId);
  });

  it('refuses a reply to a reply or to a deleted message with a 422, and stores nothing', async () => {
    const root = await say(maya, launch, 'Lunch options?');
    const firstReply = postedId(await reply(ana, launch, root, 'Pizza'));
    const gone = await say(maya, launch, 'Never mind this one');
    expect((await onMessage(deleteMessage, '/delete', maya, launch, gone)).status).toBe(303);

    const before = await chatState();
    for (const parentId of [firstReply, gone]) {
      const onThread = await reply(ana, launch, parentId, 'Replying');
      expect(onThread.status).toBe(422);
      expect(bodyErrors(onThread)[0]).toMatch(/^chat:errors\.noThread/);
      const fromPage = await post(ana, launch, 'Replying', parentId);
      expect(fromPage.status).toBe(422);
      expect(bodyErrors(fromPage)[0]).toMatch(/^chat:errors\.noThread/);
    }
    expect(await chatState()).toEqual(before);
  });
});

describe('search', () => {
  it('finds words by their beginning in my conversations only, with the matches marked', async () => {
    const mine = await say(maya, launch, 'The delivery schedule is ready');
    const bensDirect = await openDirect(ben, ada);
    const theirs = await say(ben, bensDirect, 'Delivery of the surprise gift');

    const everywhere = (await search(maya, 'q=deliv%20sched')).body as SearchData;
    expect(everywhere.results.map((result) => result.id)).toEqual([mine]);
    expect(everywhere.results[0]!.excerpt.filter((part) => part.match)).toEqual([
      { text: 'delivery', match: true },
      { text: 'schedule', match: true },
    ]);
    expect(
      ((await search(maya, 'q=deliv')).body as SearchData).results.map((result) => result.id),
    ).toEqual([mine]);
    expect(
      ((await search(ben, 'q=deliv')).body as SearchData).results.map((result) => result.id),
    ).toEqual([theirs]);

    const inLaunch = (await search(maya, `q=deliv&in=${launch}`)).body as SearchData;
    expect(inLaunch.results.map((result) => result.id)).toEqual([mine]);
    const elsewhere = await startGroup(maya, 'Elsewhere', [ana]);
    await say(maya, elsewhere, 'Nothing about it here');
    expect(((await search(maya, `q=deliv&in=${elsewhere}`)).body as SearchData).results).toEqual(
      [],
    );
    expect((await search(maya, `q=deliv&in=${bensDirect}`)).status).toBe(404);
  });

  it('takes any text as a query without failing', async () => {
    for (const q of ["'); drop table messages; --", 'a:* & !', '!!! ::: &&', '\\', '%_']) {
      const answer = await search(maya, `q=${encodeURIComponent(q)}`);
      expect(answer.status, q).toBe(200);
      expect(Array.isArray((answer.body as SearchData).results)).toBe(true);
    }
    expect(await owner`select 1 from messages limit 1`).toHaveLength(1);
  });
});

describe('attachments', () => {
  it('a file sent with a message is attached to it, shown with it, and downloadable only by the conversation’s members', async () => {
    const bytes = new TextEncoder().encode('page,proof\n1,ok\n');
    const answer = await postWithFiles(maya, launch, 'The proofs, attached', [
      new File([bytes], 'proofs.csv', { type: 'text/csv' }),
    ]);
    expect(answer.status).toBe(303);
    const id = postedId(answer);
    const [file] = await owner`select id, owner_kind, owner_id, name from files
      where workspace_id = ${workspace.id} and name = 'proofs.csv'`;
    expect(file).toMatchObject({ owner_kind: 'message', owner_id: id });

    const page = (await openPage(ana, launch)).body as PageData;
    const message = page.timeline.messages.find((item) => item.id === id)!;
    expect(message.attachments.map((attachment) => attachment.name)).toEqual(['proofs.csv']);
    expect(shown(message, ana)).toContain(`/w/${workspace.slug}/files/${file!.id}/download`);

    const downloadAs = (who: Person) =>
      getPage(download, `/w/${who.slug}/files/${file!.id}/download`, who.cookie, {
        slug: who.slug,
        id: file!.id,
      });
    const ok = await downloadAs(ana);
    expect(ok.status).toBe(200);
    expect(await ok.response!.text()).toBe('page,proof\n1,ok\n');
    // Ben and Gus are in other conversations of the workspace, not this one.
    for (const who of [ben, gus]) expect((await downloadAs(who)).status, who.name).toBe(404);
  });
});
