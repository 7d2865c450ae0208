import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { testDatabase } from '../../../tests/support/database-per-file';
import {
  addMember,
  browserRequest,
  createTestWorkspace,
  signedInCookie,
  type TestUser,
  type TestWorkspace,
} from '../../../tests/support/factories';
import { getPage, postForm } from '../../../tests/support/route-calls';
import { sseClient } from '../../../tests/support/sse-client';
import { sessionIdFromRequest } from '~/modules/accounts/session.server';
import { withWorkspace } from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';
import type * as FragmentModule from '~/platform/fragment.server';
import { renderFragment } from '~/platform/fragment.server';
import type { Locale } from '~/platform/i18n/locales';
import { startLiveListener, stopLiveListener, subscribe } from '~/platform/live/hub.server';
import { liveCursor } from '~/platform/live/notify.server';
import { authorizeTopics, openLiveStream } from '~/platform/live/stream.server';
import type { SseMessage, Viewer } from '~/platform/live/topics.server';
import * as workspaceLayout from '~/routes/w.$slug';
import * as readRoute from '~/routes/w.$slug.chat.$conversationId.read';
import * as typingRoute from '~/routes/w.$slug.chat.$conversationId.typing';
import {
  conversationTopic,
  countUnreadMessages,
  createGroup,
  findConversation,
  inboxTopic,
  markRead,
  removeGroupMember,
  type ChatViewer,
} from './conversations.server';
import { CHAT_UNREAD_ID } from './components';
import { chatListTopic } from './live.server';
import type * as MessagesModule from './messages.server';
import { editMessage, findMessage, loadMessages, postMessage } from './messages.server';
import { markOnline, presenceTopic, setDoNotDisturb, trackPresence } from './presence.server';

// Counted, not changed: a busy conversation's event must be read once and rendered once per view.
vi.mock('./messages.server', async (importOriginal) => {
  const actual = await importOriginal<typeof MessagesModule>();
  return { ...actual, loadMessages: vi.fn(actual.loadMessages) };
});
vi.mock('~/platform/fragment.server', async (importOriginal) => {
  const actual = await importOriginal<typeof FragmentModule>();
  return { ...actual, renderFragment: vi.fn(actual.renderFragment) };
});

/** Someone of the workspace with a real session, as their open pages would be. */
type Person = { user: TestUser; cookie: string; viewer: Viewer; chat: ChatViewer };

let workspace: TestWorkspace;
let owner: Person;

async function signIn(
  user: TestUser,
  role: WorkspaceRole,
  ws: TestWorkspace,
  reader: { locale?: Locale; timeZone?: string } = {},
): Promise<Person> {
  const cookie = await signedInCookie(user);
  const sessionId = (await sessionIdFromRequest(browserRequest('/', cookie)))!;
  return {
    user,
    cookie,
    viewer: {
      userId: user.id,
      sessionId,
      workspaceId: ws.id,
      role,
      locale: reader.locale ?? 'en',
      timeZone: reader.timeZone ?? 'UTC',
    },
    chat: { role, ctx: { userId: user.id, workspaceId: ws.id } },
  };
}

async function person(
  role: WorkspaceRole = 'member',
  reader: { locale?: Locale; timeZone?: string } = {},
): Promise<Person> {
  return signIn(await addMember(workspace, role), role, workspace, reader);
}

async function group(creator: Person, members: Person[]): Promise<string> {
  return withWorkspace(creator.chat.ctx, (trx) =>
    createGroup(trx, creator.chat, {
      name: 'Launch',
      memberIds: members.map((member) => member.user.id),
    }),
  );
}

async function post(
  author: Person,
  conversationId: string,
  body: string,
  parentId?: string,
): Promise<{ id: string; seq: number }> {
  const posted = await withWorkspace(author.chat.ctx, async (trx) => {
    const conversation = await findConversation(trx, author.chat, conversationId);
    return postMessage(trx, author.chat, workspace.slug, conversation!, { body, parentId });
  });
  if (!posted.ok) throw new Error(`the message was refused: ${posted.message}`);
  return posted.message;
}

/** A stream as the hub sees it: what it was sent, and whether it was closed. */
function listen(who: Person, topics: string[]) {
  const received: SseMessage[] = [];
  const state = { closed: false };
  const unsubscribe = subscribe({
    viewer: who.viewer,
    topics,
    send: (message) => received.push(message),
    heartbeat: () => {},
    close: () => {
      state.closed = true;
    },
  });
  return { received, state, unsubscribe };
}

const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, timeoutMs = 3000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for a live event');
    await settle(20);
  }
}

const ofKind = (received: SseMessage[], event: string) =>
  received.filter((message) => message.event === event);
const occurrences = (text: string, part: string) => text.split(part).length - 1;
const appendedInto = (target: string) => `hx-swap-oob="beforeend:#${target}"`;
const replacedLi = (messageId: string, className = 'message') =>
  `<li id="message-${messageId}" class="${className}" hx-swap-oob="true">`;

beforeAll(async () => {
  workspace = await createTestWorkspace();
  owner = await signIn(workspace.owner, 'owner', workspace);
  await startLiveListener(testDatabase.appUrl);
});
afterAll(() => stopLiveListener());
beforeEach(() => {
  vi.mocked(loadMessages).mockClear();
  vi.mocked(renderFragment).mockClear();
});

describe('a conversation’s open pages', () => {
  it('get a new message once, appended to the log, with what each reader may do and in their language', async () => {
    const author = await person();
    const other = await person();
    const spanish = await person('member', { locale: 'es', timeZone: 'Europe/Madrid' });
    const conversationId = await group(author, [owner, other, spanish]);
    const topics = [conversationTopic(conversationId)];
    const streams = {
      author: listen(author, topics),
      other: listen(other, topics),
      admin: listen(owner, topics),
      spanish: listen(spanish, topics),
    };
    const message = await post(author, conversationId, 'Shipping on Friday');
    await waitFor(() => Object.values(streams).every((stream) => stream.received.length > 0));
    await settle();
    for (const [who, stream] of Object.entries(streams)) {
      stream.unsubscribe();
      expect(stream.received, who).toHaveLength(1);
      const [received] = stream.received;
      expect(received!.event, who).toBe('message');
      expect(received!.id, who).toMatch(/^\d+$/);
      expect(received!.data, who).toContain(appendedInto('messages'));
      expect(occurrences(received!.data, `id="message-${message.id}"`), who).toBe(1);
      expect(received!.data, who).toContain('Shipping on Friday');
    }
    const permalink = `/w/${workspace.slug}/chat/${conversationId}/messages/${message.id}`;
    const edit = `<a href="${permalink}/edit">`;
    const remove = `<a href="${permalink}/delete">`;
    const sent = (stream: { received: SseMessage[] }) => stream.received[0]!.data;
    expect(sent(streams.author)).toContain(`${edit}Edit</a>`);
    expect(sent(streams.author)).toContain(`${remove}Delete</a>`);
    expect(sent(streams.other)).not.toContain(edit);
    expect(sent(streams.other)).not.toContain(remove);
    expect(sent(streams.other)).toContain('Reply in thread');
    expect(sent(streams.admin)).not.toContain(edit);
    expect(sent(streams.admin)).toContain(`${remove}Delete</a>`);
    expect(sent(streams.spanish)).toContain('Responder en el hilo');
    expect(sent(streams.spanish)).toContain('Citar');
    expect(sent(streams.spanish)).not.toContain('Reply in thread');
    expect(sent(streams.spanish)).not.toContain(edit);
  });

  it('200 pages of 20 members all get the message, read once and rendered once per view', async () => {
    const members = await Promise.all(Array.from({ length: 20 }, () => person()));
    const [author] = members;
    const conversationId = await group(author!, members.slice(1));
    const streams = members.flatMap((member) =>
      Array.from({ length: 10 }, () => ({
        member,
        ...listen(member, [conversationTopic(conversationId)]),
      })),
    );
    expect(streams).toHaveLength(200);
    const message = await post(author!, conversationId, 'Standup moved to 10:00');
    await waitFor(() => streams.every((stream) => stream.received.length > 0), 10_000);
    await settle();
    for (const stream of streams) stream.unsubscribe();

    for (const stream of streams) expect(stream.received).toHaveLength(1);
    const authorViews = new Set(
      streams.filter((s) => s.member === author).map((s) => s.received[0]!.data),
    );
    const otherViews = new Set(
      streams.filter((s) => s.member !== author).map((s) => s.received[0]!.data),
    );
    expect(authorViews.size).toBe(1);
    expect(otherViews.size).toBe(1);
    expect([...authorViews][0]).toContain(`id="message-${message.id}"`);
    expect([...otherViews][0]).toContain(`id="message-${message.id}"`);
    expect([...authorViews][0]).not.toBe([...otherViews][0]);
    const reads = vi
      .mocked(loadMessages)
      .mock.calls.filter(([, ids]) => ids.includes(message.id)).length;
    expect(reads).toBe(1);
    const renders = vi
      .mocked(renderFragment)
      .mock.results.filter(
        (result) => result.type === 'return' && String(result.value).includes(message.id),
      ).length;
    expect(renders).toBe(2);
  });

  it('a member removed from a group is sent nothing more of it; the others see who is in it now', async () => {
    const author = await person();
    const leaving = await person();
    const conversationId = await group(author, [leaving, owner]);
    const topics = [conversationTopic(conversationId)];
    const removed = listen(leaving, topics);
    const staying = listen(owner, topics);
    await withWorkspace(owner.chat.ctx, async (trx) => {
      const conversation = await findConversation(trx, owner.chat, conversationId);
      await removeGroupMember(trx, owner.chat, conversation!, leaving.user.id);
    });
    await post(author, conversationId, 'Only for those still here');
    await waitFor(() => ofKind(staying.received, 'message').length > 0);
    await settle();
    removed.unsubscribe();
    staying.unsubscribe();
    expect(ofKind(staying.received, 'message')[0]!.data).toContain('Only for those still here');
    const [people, ...more] = ofKind(staying.received, 'members');
    expect(more).toEqual([]);
    expect(people!.data).toContain(
      '<ul id="conversation-people" class="member-presence" hx-swap-oob="true">',
    );
    expect(people!.data).toContain(author.user.name);
    expect(people!.data).toContain(owner.user.name);
    expect(people!.data).not.toContain(leaving.user.name);
    expect(removed.received).toEqual([]);
  });

  it('may not be followed by anyone outside the conversation', async () => {
    const member = await person();
    const outsider = await person();
    const guest = await person('guest');
    const addedGuest = await person('guest');
    const conversationId = await group(member, [addedGuest]);
    const topics = [conversationTopic(conversationId)];
    const elsewhere = await createTestWorkspace();
    const stranger = await signIn(elsewhere.owner, 'owner', elsewhere);

    expect(await authorizeTopics(member.viewer, topics)).toBe(true);
    expect(await authorizeTopics(addedGuest.viewer, topics)).toBe(true);
    expect(await authorizeTopics(outsider.viewer, topics), 'a member not in it').toBe(false);
    expect(await authorizeTopics(owner.viewer, topics), 'the owner, not in it').toBe(false);
    expect(await authorizeTopics(guest.viewer, topics), 'a guest not added').toBe(false);
    expect(await authorizeTopics(stranger.viewer, topics), 'another workspace').toBe(false);
    expect(
      await authorizeTopics({ ...stranger.viewer, workspaceId: workspace.id }, topics),
      'another workspace’s person naming this one',
    ).toBe(false);
  });

  it('after a reconnect, replays what was missed after Last-Event-ID: new ones appended, changed ones replaced', async () => {
    const author = await person();
    const conversationId = await group(author, [owner]);
    const before = await post(author, conversationId, 'Long before');
    const older = await post(author, conversationId, 'Older, edited later');
    const [seen] = await withWorkspace(author.chat.ctx, (trx) => loadMessages(trx, [older.id]));
    const lastEventId = seen!.liveSeq;
    const first = await post(author, conversationId, 'First missed');
    const second = await post(author, conversationId, 'Second missed');
    await withWorkspace(author.chat.ctx, async (trx) => {
      const stored = await findMessage(trx, conversationId, older.id);
      expect(await editMessage(trx, author.chat, stored!, 'Older, now corrected')).toBeNull();
    });

    await settle();
    const client = sseClient();
    await openLiveStream({
      viewer: owner.viewer,
      topics: [conversationTopic(conversationId)],
      lastEventId,
      connection: client.connection,
    });
    const text = await readUntil(client, (received) =>
      [first.id, second.id, older.id].every((id) => received.includes(`id="message-${id}"`)),
    );
    const events = parseSse(text);

    const about = (id: string) => events.filter((e) => e.data.includes(`id="message-${id}"`));
    expect(about(before.id)).toEqual([]);
    for (const created of [first, second]) {
      expect(about(created.id)).toHaveLength(1);
      expect(about(created.id)[0]!.event).toBe('message');
      expect(about(created.id)[0]!.data).toContain(appendedInto('messages'));
    }
    expect(about(older.id)).toHaveLength(1);
    expect(about(older.id)[0]!.data).toContain(replacedLi(older.id));
    expect(about(older.id)[0]!.data).toContain('Older, now corrected');
    expect(about(older.id)[0]!.data).not.toContain('beforeend');
    // In the order they happened, each with its id for the next reconnect.
    expect(events.filter((e) => e.event === 'message').map((e) => e.data)).toEqual([
      about(first.id)[0]!.data,
      about(second.id)[0]!.data,
      about(older.id)[0]!.data,
    ]);
    for (const e of events.filter((e) => e.event === 'message'))
      expect(BigInt(e.id!)).toBeGreaterThan(BigInt(lastEventId));
  });

  it('a freshly loaded page’s stream starts where its data was read: a message posted before it connects still arrives, and the header gets its count as it is by then', async () => {
    const author = await person();
    const reader = await person();
    const conversationId = await group(author, [reader]);
    await post(author, conversationId, 'Already on the page');
    const layout = await getPage(workspaceLayout, `/w/${workspace.slug}`, reader.cookie, {
      slug: workspace.slug,
    });
    const { liveSince, chat } = layout.body as Awaited<ReturnType<typeof workspaceLayout.loader>>;
    expect(chat.unread).toBe(1);
    const between = await post(author, conversationId, 'Posted while the page was loading');
    // The page itself (the conversation) marks it read while the header's count is taken.
    await withWorkspace(reader.chat.ctx, async (trx) =>
      markRead(trx, reader.chat, (await findConversation(trx, reader.chat, conversationId))!),
    );

    const client = sseClient();
    await openLiveStream({
      viewer: reader.viewer,
      topics: [conversationTopic(conversationId), inboxTopic(workspace.id)],
      lastEventId: liveSince,
      connection: client.connection,
    });
    const text = await readUntil(
      client,
      (received) =>
        received.includes(`id="message-${between.id}"`) && received.includes('event: inbox'),
    );
    const events = parseSse(text);
    const appended = events.filter((e) => e.data.includes(`id="message-${between.id}"`));
    expect(appended).toHaveLength(1);
    expect(appended[0]!.data).toContain(appendedInto('messages'));
    expect(events.some((e) => e.data.includes('Already on the page'))).toBe(false);
    // Replayed on connecting, and maybe once more as the "read" notice arrives: both say 0.
    const inbox = events.filter((e) => e.event === 'inbox');
    expect(inbox.length).toBeGreaterThan(0);
    for (const count of inbox)
      expect(count.data).toContain(`<span id="${CHAT_UNREAD_ID}" hx-swap-oob="true"></span>`);
  });

  it('a reply is appended to its thread, and the message it answers shows the count in place', async () => {
    const author = await person();
    const replier = await person();
    const conversationId = await group(author, [replier]);
    const parent = await post(author, conversationId, 'Which release?');
    await settle();
    const stream = listen(author, [conversationTopic(conversationId)]);
    const reply = await post(replier, conversationId, 'The March one', parent.id);
    await waitFor(() => stream.received.length > 0);
    await settle();
    stream.unsubscribe();
    expect(stream.received).toHaveLength(1);
    const { data } = stream.received[0]!;
    expect(data).toContain(appendedInto(`replies-${parent.id}`));
    expect(data).toContain(`id="message-${reply.id}"`);
    expect(data).toContain('The March one');
    expect(data).toContain(replacedLi(parent.id));
    expect(data).toContain('1 reply');
    expect(data).not.toContain(appendedInto('messages'));
    // The reply comes before the parent's replacement, which says how many answers it has.
    expect(data.indexOf(replacedLi(parent.id))).toBeGreaterThan(data.indexOf('The March one'));
  });
});

describe('typing', () => {
  const typing = (conversationId: string, who: Person) =>
    postForm(
      typingRoute,
      `/w/${workspace.slug}/chat/${conversationId}/typing`,
      who.cookie,
      {},
      { slug: workspace.slug, conversationId },
    );

  it('shows “… is typing” to the others, not to the typist, until 5 s pass or their message arrives', async () => {
    const typist = await person();
    const other = await person();
    const conversationId = await group(typist, [other]);
    const topics = [conversationTopic(conversationId)];
    const mine = listen(typist, topics);
    const theirs = listen(other, topics);
    const notice = `${typist.user.name} is typing…`;

    expect((await typing(conversationId, typist)).status).toBe(204);
    await waitFor(() => theirs.received.length === 1);
    const shown = Date.now();
    expect(theirs.received[0]!.event).toBe('typing');
    expect(theirs.received[0]!.data).toContain('hx-swap-oob="innerHTML:#typing"');
    expect(theirs.received[0]!.data).toContain(notice);

    // Nothing more: five seconds after the last notice, the line clears by itself.
    await waitFor(() => theirs.received.length === 2, 7000);
    const cleared = Date.now() - shown;
    expect(cleared).toBeGreaterThanOrEqual(4500);
    expect(cleared).toBeLessThan(6500);
    expect(theirs.received[1]!.event).toBe('typing');
    expect(theirs.received[1]!.data).toContain('hx-swap-oob="innerHTML:#typing"');
    expect(theirs.received[1]!.data).not.toContain('is typing');

    // Typing again, then sending: the message itself clears the line at once.
    expect((await typing(conversationId, typist)).status).toBe(204);
    await waitFor(() => theirs.received.length === 3);
    expect(theirs.received[2]!.data).toContain(notice);
    const message = await post(typist, conversationId, 'Done typing');
    await waitFor(() => theirs.received.length === 4);
    expect(theirs.received[3]!.event).toBe('message');
    expect(theirs.received[3]!.data).toContain(`id="message-${message.id}"`);
    expect(theirs.received[3]!.data).toContain('<div hx-swap-oob="innerHTML:#typing"></div>');
    // …and the timer of the earlier notice has nothing left to clear.
    await settle(5500);
    mine.unsubscribe();
    theirs.unsubscribe();
    expect(theirs.received).toHaveLength(4);
    for (const received of mine.received) expect(received.data).not.toContain('is typing');
  });
});

describe('the unread count', () => {
  it('follows a new message on pages outside its conversation, and marking it read on all the reader’s pages', async () => {
    const author = await person();
    const reader = await person();
    const bystander = await person();
    const conversationId = await group(author, [reader]);
    const inbox = inboxTopic(workspace.id);
    const header = listen(reader, [inbox]);
    const list = listen(reader, [inbox, chatListTopic(workspace.id)]);
    const inConversation = listen(reader, [conversationTopic(conversationId), inbox]);
    const notAMember = listen(bystander, [inbox]);

    await post(author, conversationId, 'Are you there?');
    await waitFor(() => header.received.length > 0 && list.received.length > 0);
    await waitFor(() => inConversation.received.length > 0);
    await settle();
    expect(header.received).toHaveLength(1);
    expect(header.received[0]!.event).toBe('inbox');
    expect(header.received[0]!.data).toContain(`<span id="${CHAT_UNREAD_ID}" hx-swap-oob="true">`);
    expect(header.received[0]!.data).toContain('1 unread message');
    expect(header.received[0]!.data).not.toContain('conversation-list');
    expect(list.received).toHaveLength(1);
    expect(list.received[0]!.data).toContain('1 unread message');
    expect(list.received[0]!.data).toContain(
      '<ul id="conversation-list" class="conversation-list" hx-swap-oob="true">',
    );
    expect(list.received[0]!.data).toContain('Are you there?');
    // The conversation's own page gets the message, not a count it is about to clear.
    expect(ofKind(inConversation.received, 'inbox')).toEqual([]);
    expect(ofKind(inConversation.received, 'message')).toHaveLength(1);
    expect(notAMember.received).toEqual([]);

    const read = await postForm(
      readRoute,
      `/w/${workspace.slug}/chat/${conversationId}/read`,
      reader.cookie,
      {},
      { slug: workspace.slug, conversationId },
      { 'HX-Request': 'true' },
    );
    expect(read.status).toBe(204);
    await waitFor(
      () =>
        header.received.length === 2 &&
        list.received.length === 2 &&
        ofKind(inConversation.received, 'inbox').length === 1,
    );
    await settle();
    for (const stream of [header, list, inConversation]) {
      const [count] = ofKind(stream.received, 'inbox').slice(-1);
      expect(count!.data).toContain(`<span id="${CHAT_UNREAD_ID}" hx-swap-oob="true">`);
      expect(count!.data).not.toContain('unread message');
    }
    expect(notAMember.received).toEqual([]);
    for (const stream of [header, list, inConversation, notAMember]) stream.unsubscribe();
  });

  it('marking read clears the count when the newest message’s number has more digits than the last read', async () => {
    const author = await person();
    const reader = await person();
    const conversationId = await group(author, [reader]);
    // The reader's own message is read by them; make it number 10^n - 1, the next one 10^n.
    let mine = await post(reader, conversationId, 'Mine');
    const target = 10 ** String(mine.seq + 1).length - 1;
    while (mine.seq < target) mine = await post(reader, conversationId, `Mine ${mine.seq}`);
    expect(mine.seq).toBe(target);
    const theirs = await post(author, conversationId, 'Yours to read');
    expect(String(theirs.seq)).toHaveLength(String(target).length + 1);
    await settle();
    const header = listen(reader, [inboxTopic(workspace.id)]);
    const unread = () =>
      withWorkspace(reader.chat.ctx, (trx) => countUnreadMessages(trx, reader.user.id));
    expect(await unread()).toBe(1);

    await withWorkspace(reader.chat.ctx, async (trx) => {
      const conversation = await findConversation(trx, reader.chat, conversationId);
      await markRead(trx, reader.chat, conversation!);
    });
    await settle();
    header.unsubscribe();
    expect(await unread()).toBe(0);
    expect(header.received).toHaveLength(1);
    expect(header.received[0]!.data).not.toContain('unread message');
  });
});

describe('presence', () => {
  const badges = (received: SseMessage[], userId: string) =>
    ofKind(received, 'presence').filter((m) => m.data.includes(`id="presence-${userId}"`));

  it('announces someone coming online and turning on “do not disturb”', async () => {
    const someone = await person();
    const watching = listen(owner, [presenceTopic(workspace.id)]);
    await markOnline(workspace.id, [someone.user.id]);
    await waitFor(() => badges(watching.received, someone.user.id).length === 1);
    expect(badges(watching.received, someone.user.id)[0]!.data).toBe(
      `<span id="presence-${someone.user.id}" class="presence presence--online" hx-swap-oob="true">online</span>`,
    );
    // Renewed while shown online already: nobody needs telling again.
    await markOnline(workspace.id, [someone.user.id]);
    await setDoNotDisturb(workspace.id, someone.user.id, true);
    await waitFor(() => badges(watching.received, someone.user.id).length === 2);
    await settle();
    watching.unsubscribe();
    expect(badges(watching.received, someone.user.id)).toHaveLength(2);
    expect(badges(watching.received, someone.user.id)[1]!.data).toContain('presence--dnd');
    expect(badges(watching.received, someone.user.id)[1]!.data).toContain('do not disturb');
  });

  it('a page that connects after someone’s presence changed gets their badge as it is now; a renewal alone is not a change', async () => {
    const before = await person();
    const changed = await person();
    await markOnline(workspace.id, [before.user.id, changed.user.id]);
    const since = await withWorkspace(owner.chat.ctx, (trx) => liveCursor(trx));
    await markOnline(workspace.id, [before.user.id]);
    await setDoNotDisturb(workspace.id, changed.user.id, true);
    await settle(); // the live announcements have gone by: only the replay is left to see

    const client = sseClient();
    await openLiveStream({
      viewer: owner.viewer,
      topics: [presenceTopic(workspace.id)],
      lastEventId: since,
      connection: client.connection,
    });
    const text = await readUntil(client, (received) => received.includes('event: presence'));
    const [replayed, ...more] = ofKind(parseSse(text), 'presence');
    expect(more).toEqual([]);
    expect(replayed!.id).toBeUndefined();
    expect(replayed!.data).toBe(
      `<span id="presence-${changed.user.id}" class="presence presence--dnd" hx-swap-oob="true">do not disturb</span>`,
    );
  });

  it('follows a person’s open pages: their first page brings them online, their last one closing makes them away', async () => {
    trackPresence();
    const watching = listen(owner, [presenceTopic(workspace.id)]);
    const someone = await person();
    const page = listen(someone, [inboxTopic(workspace.id)]);
    await waitFor(() => badges(watching.received, someone.user.id).length === 1);
    expect(badges(watching.received, someone.user.id)[0]!.data).toContain('presence--online');
    page.unsubscribe();
    await waitFor(() => badges(watching.received, someone.user.id).length === 2);
    const away = badges(watching.received, someone.user.id)[1]!.data;
    expect(away).toContain('presence--away');
    // Ten minutes after they were last seen, an open page shows them offline by itself.
    const turns = Date.parse(/data-offline-at="([^"]+)"/.exec(away)![1]!);
    expect(turns - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(turns - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    expect(away).toContain('data-offline-label="offline"');
    // The watcher's own page closing marks its owner away too: done before the database closes.
    watching.unsubscribe();
    const shownOnline = () =>
      withWorkspace(owner.chat.ctx, (trx) =>
        trx
          .selectFrom('presence')
          .select('shownOnline')
          .where('userId', '=', owner.user.id)
          .executeTakeFirstOrThrow(),
      );
    const started = Date.now();
    while ((await shownOnline()).shownOnline && Date.now() - started < 3000) await settle(20);
    expect((await shownOnline()).shownOnline).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// The SSE response, read as a browser would

async function readUntil(
  client: ReturnType<typeof sseClient>,
  done: (text: string) => boolean,
): Promise<string> {
  await client.until(done, 5000);
  // Whatever else was already sent arrives with it.
  await settle(200);
  client.leave();
  return client.state.text;
}

function parseSse(text: string): SseMessage[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('event: '))
    .map((block) => {
      const lines = block.split('\n');
      const field = (name: string) =>
        lines
          .filter((line) => line.startsWith(`${name}: `))
          .map((line) => line.slice(name.length + 2));
      return { event: field('event')[0]!, id: field('id')[0], data: field('data').join('\n') };
    });
}
