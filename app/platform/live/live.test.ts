import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  browserRequest,
  createTestWorkspace,
  signedInCookie,
  type TestUser,
  type TestWorkspace,
} from '../../../tests/support/factories';
import { revokeSession } from '~/modules/accounts/account-settings.server';
import { sessionIdFromRequest } from '~/modules/accounts/session.server';
import { removeMember } from '~/modules/workspaces/members.server';
import { testDatabase } from '../../../tests/support/database-per-file';
import { withWorkspace } from '../db/database.server';
import { openStreamCount, startLiveListener, stopLiveListener, subscribe } from './hub.server';
import { notifyLive } from './notify.server';
import { openLiveStream } from './stream.server';
import { sseClient } from '../../../tests/support/sse-client';
import { defineTopic, type LiveEvent, type SseMessage, type Viewer } from './topics.server';

/**
 * A topic defined for this test only: its fragment names the workspace the renderer saw
 * through RLS, and its replay lists sequence numbers above Last-Event-ID.
 */
defineTopic({
  kind: 'probe',
  authorize: async () => true,
  async render(trx, _viewer, event) {
    const { rows } = await sql<{ name: string }>`select name from workspaces`.execute(trx);
    return {
      event: event.k,
      data: `<p id="probe-${event.id}">${rows.map((row) => row.name).join(',')}</p>`,
    };
  },
  async replay(_trx, _viewer, _id, afterSeq) {
    return [1, 2, 3]
      .filter((seq) => seq > Number(afterSeq))
      .map((seq) => ({ event: 'probe.replayed', data: `<p>${seq}</p>`, id: String(seq) }));
  },
});

let workspace: TestWorkspace;
let viewer: Viewer;

async function sessionOf(user: TestUser) {
  return (await sessionIdFromRequest(browserRequest('/', await signedInCookie(user))))!;
}

beforeAll(async () => {
  workspace = await createTestWorkspace();
  viewer = {
    userId: workspace.owner.id,
    sessionId: await sessionOf(workspace.owner),
    workspaceId: workspace.id,
    role: 'owner',
    locale: 'en',
    timeZone: 'UTC',
  };
  await startLiveListener(testDatabase.appUrl);
});
afterAll(() => stopLiveListener());

function listen(topic: string, as: Viewer = viewer) {
  const received: SseMessage[] = [];
  const state = { closed: false };
  const unsubscribe = subscribe({
    viewer: as,
    topics: [topic],
    send: (message) => received.push(message),
    heartbeat: () => {},
    close: () => {
      state.closed = true;
    },
  });
  return { received, unsubscribe, state };
}

const event = (overrides: Partial<LiveEvent> = {}): LiveEvent => ({
  w: workspace.id,
  t: 'probe:1',
  k: 'probe.changed',
  id: 'x',
  s: '7',
  ...overrides,
});
const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, timeoutMs = 2000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for a live event');
    await settle(20);
  }
}

describe('live updates through LISTEN/NOTIFY', () => {
  it('delivers an event sent in a committed transaction, rendered under the viewer’s RLS context', async () => {
    const { received, unsubscribe } = listen('probe:1');
    await withWorkspace({ userId: workspace.owner.id, workspaceId: workspace.id }, (trx) =>
      notifyLive(trx, event({ id: 'committed' })),
    );
    await waitFor(() => received.length === 1);
    expect(received[0]).toEqual({
      event: 'probe.changed',
      data: `<p id="probe-committed">${workspace.name}</p>`,
      id: '7',
    });
    unsubscribe();
  });

  it('never delivers an event sent in a transaction that rolled back', async () => {
    const { received, unsubscribe } = listen('probe:1');
    await expect(
      withWorkspace({ userId: workspace.owner.id, workspaceId: workspace.id }, async (trx) => {
        await notifyLive(trx, event({ id: 'rolled-back' }));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await settle();
    expect(received).toEqual([]);
    unsubscribe();
  });

  it('does not deliver to another topic, or across workspaces whatever the topic says', async () => {
    const { received, unsubscribe } = listen('probe:2');
    const other = await createTestWorkspace();
    await withWorkspace({ userId: workspace.owner.id, workspaceId: workspace.id }, (trx) =>
      notifyLive(trx, event({ t: 'probe:1' })),
    );
    await withWorkspace({ userId: other.owner.id, workspaceId: other.id }, (trx) =>
      notifyLive(trx, event({ w: other.id, t: 'probe:2' })),
    );
    await settle();
    expect(received).toEqual([]);
    unsubscribe();
  });
});

describe('a stream whose viewer lost access', () => {
  it('is closed, and sent nothing, once the member is removed or the session ends', async () => {
    const member = await addMember(workspace, 'member');
    const asMember: Viewer = {
      ...viewer,
      userId: member.id,
      sessionId: await sessionOf(member),
      role: 'member',
    };
    const removed = listen('probe:1', asMember);
    await removeMember({ userId: workspace.owner.id, workspaceId: workspace.id }, member.id);
    await withWorkspace({ userId: workspace.owner.id, workspaceId: workspace.id }, (trx) =>
      notifyLive(trx, event({ id: 'after-removal' })),
    );
    await waitFor(() => removed.state.closed);
    expect(removed.received).toEqual([]);
    removed.unsubscribe();

    const other = await addMember(workspace, 'member');
    const sessionId = await sessionOf(other);
    const signedOut = listen('probe:1', { ...viewer, userId: other.id, sessionId, role: 'member' });
    await revokeSession(other.id, sessionId);
    await withWorkspace({ userId: workspace.owner.id, workspaceId: workspace.id }, (trx) =>
      notifyLive(trx, event({ id: 'after-sign-out' })),
    );
    await waitFor(() => signedOut.state.closed);
    expect(signedOut.received).toEqual([]);
    signedOut.unsubscribe();
  });
});

describe('the SSE stream', () => {
  it('replays what a reconnecting page missed after its Last-Event-ID, then streams live events', async () => {
    const client = sseClient();
    await openLiveStream({
      viewer,
      topics: ['probe:1'],
      lastEventId: '1',
      connection: client.connection,
    });
    await withWorkspace({ userId: workspace.owner.id, workspaceId: workspace.id }, (trx) =>
      notifyLive(trx, event({ id: 'live', s: '9' })),
    );
    const text = await client.until((received) => received.includes('probe-live'));
    client.leave();
    expect(text.startsWith('retry: 3000\n\n')).toBe(true);
    expect(text).toContain('id: 2\nevent: probe.replayed\ndata: <p>2</p>\n\n');
    expect(text).toContain('id: 3\nevent: probe.replayed\ndata: <p>3</p>\n\n');
    expect(text).not.toContain('<p>1</p>');
    expect(text).toContain(
      `id: 9\nevent: probe.changed\ndata: <p id="probe-live">${workspace.name}</p>\n\n`,
    );
  });

  it('writes what is sent in one turn of the event loop in one write: a replay is one write', async () => {
    const client = sseClient();
    await openLiveStream({
      viewer,
      topics: ['probe:1'],
      lastEventId: '1',
      connection: client.connection,
    });
    const text = await client.until((received) => received.includes('<p>3</p>'));
    client.leave();
    expect(text).toContain('<p>2</p>');
    // "retry" went out alone before the replay was read; the two replayed events together.
    expect(client.state.writes).toBeLessThanOrEqual(2);
  });

  it('stops listening when the client leaves', async () => {
    const before = openStreamCount();
    const client = sseClient();
    await openLiveStream({
      viewer,
      topics: ['probe:1'],
      lastEventId: null,
      connection: client.connection,
    });
    expect(openStreamCount()).toBe(before + 1);
    client.leave();
    expect(openStreamCount()).toBe(before);
    expect(client.state.ended).toBe(true);
  });

  it('cuts off a reader too far behind instead of buffering for it', async () => {
    const before = openStreamCount();
    const client = sseClient();
    await openLiveStream({
      viewer,
      topics: ['probe:1'],
      lastEventId: null,
      connection: client.connection,
    });
    await client.until((received) => received.includes('retry'));
    client.state.backlog = 300 * 1024;
    await withWorkspace({ userId: workspace.owner.id, workspaceId: workspace.id }, (trx) =>
      notifyLive(trx, event({ id: 'too-late' })),
    );
    await waitFor(() => client.state.dropped);
    expect(openStreamCount()).toBe(before);
    expect(client.state.text).not.toContain('too-late');
  });
});
