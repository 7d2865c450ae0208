import postgres from 'postgres';
import { withSystem, withWorkspace } from '../db/database.server';
import { getLogger } from '../logger.server';
import { singleton } from '../singleton.server';
import {
  findTopic,
  type Audience,
  type LiveEvent,
  type SseMessage,
  type Viewer,
} from './topics.server';

export type Subscriber = {
  viewer: Viewer;
  /** When the viewer's session and membership were last found still valid (see stillAllowed). */
  checkedAt?: number;
  topics: string[];
  send(message: SseMessage): void;
  /** A comment line: keeps proxies from closing an idle stream and reveals dead clients. */
  heartbeat(): void;
  /** Ends the stream; the browser reconnects and replays from its Last-Event-ID. */
  close(): void;
  /** Events for one stream are rendered one after another, so they arrive in commit order. */
  queue: Promise<void>;
};

type Hub = {
  byTopic: Map<string, Set<Subscriber>>;
  all: Set<Subscriber>;
  listener?: ReturnType<typeof postgres>;
  connected: boolean;
};

const hub = singleton<Hub>('live-hub', () => ({
  byTopic: new Map(),
  all: new Set(),
  connected: false,
}));
const log = () => getLogger().child({ component: 'live' });

/**
 * One LISTEN connection per process. postgres.js reconnects it by itself; events sent while it
 * was away are lost to it, so on every reconnect all streams are closed and their browsers
 * reconnect with Last-Event-ID, catching up from the tables.
 */
export async function startLiveListener(url: string): Promise<void> {
  if (hub.listener) return;
  const listener = postgres(url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: 'workroom-live' },
  });
  hub.listener = listener;
  await listener.listen(
    'live',
    (payload) => deliver(payload),
    () => {
      if (hub.connected) {
        log().warn(
          { streams: hub.all.size },
          'LISTEN connection re-established; asking streams to resync',
        );
        for (const subscriber of [...hub.all]) subscriber.close();
      }
      hub.connected = true;
    },
  );
}

export async function stopLiveListener(): Promise<void> {
  for (const subscriber of [...hub.all]) subscriber.close();
  await Promise.allSettled([...watching]);
  const listener = hub.listener;
  hub.listener = undefined;
  hub.connected = false;
  await listener?.end({ timeout: 2 });
}

/**
 * What other modules learn of streams coming and going (presence): called with the stream's
 * viewer as it opens and closes, and with every open stream's viewer at each heartbeat.
 */
export type StreamWatcher = {
  opened(viewer: Viewer): Promise<void> | void;
  closed(viewer: Viewer): Promise<void> | void;
  heartbeat(viewers: Viewer[]): Promise<void> | void;
};
const watchers = singleton('live-watchers', () => new Set<StreamWatcher>());
/** What watchers are still doing (writing presence): awaited before the database closes. */
const watching = singleton('live-watching', () => new Set<Promise<void>>());

function tell(work: Promise<void> | void): void {
  if (!work) return;
  const tracked = work.finally(() => watching.delete(tracked));
  watching.add(tracked);
}

export function watchStreams(watcher: StreamWatcher): void {
  watchers.add(watcher);
}

export function heartbeatAll(): void {
  for (const subscriber of hub.all) subscriber.heartbeat();
  if (watchers.size === 0) return;
  const viewers = [...hub.all].map((subscriber) => subscriber.viewer);
  for (const watcher of watchers) tell(watcher.heartbeat(viewers));
}

export function subscribe(subscriber: Omit<Subscriber, 'queue'>): () => void {
  const entry: Subscriber = { ...subscriber, queue: Promise.resolve() };
  hub.all.add(entry);
  for (const topic of entry.topics) {
    let set = hub.byTopic.get(topic);
    if (!set) hub.byTopic.set(topic, (set = new Set()));
    set.add(entry);
  }
  for (const watcher of watchers) tell(watcher.opened(entry.viewer));
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    hub.all.delete(entry);
    for (const topic of entry.topics) {
      const set = hub.byTopic.get(topic);
      set?.delete(entry);
      if (set?.size === 0) hub.byTopic.delete(topic);
    }
    for (const watcher of watchers) tell(watcher.closed(entry.viewer));
  };
}

export function openStreamCount(): number {
  return hub.all.size;
}

function deliver(payload: string): void {
  let event: LiveEvent;
  try {
    event = JSON.parse(payload) as LiveEvent;
  } catch {
    log().warn({ payload }, 'ignoring a malformed live event');
    return;
  }
  deliverEvent(event);
}

/**
 * Sends an event to this process's streams that follow its topic. Also for events that never
 * went through Postgres: a typing notice expiring here.
 */
export function deliverEvent(event: LiveEvent): void {
  const subscribers = hub.byTopic.get(event.t);
  const topic = findTopic(event.t);
  if (!subscribers || !topic) return;
  // Never across workspaces, whatever a topic name says.
  const audience = [...subscribers].filter((s) => s.viewer.workspaceId === event.w);
  if (audience.length === 0) return;
  const { definition } = topic;
  if (definition.fanOut) {
    fanOut(definition.fanOut, event, audience);
    return;
  }
  for (const subscriber of audience) {
    subscriber.queue = subscriber.queue.then(async () => {
      try {
        if (!(await stillAllowed([subscriber]))[0]) {
          subscriber.close();
          return;
        }
        const message = await withWorkspace(subscriber.viewer, (trx) =>
          definition.render(trx, subscriber.viewer, event),
        );
        if (message) subscriber.send(withEventId(message, event));
      } catch (error) {
        log().error({ err: error, topic: event.t, kind: event.k }, 'rendering a live event failed');
      }
    });
  }
}

/** A message's SSE id: its own, or the event's live_seq (none for an event without a row). */
const withEventId = (message: SseMessage, event: LiveEvent): SseMessage =>
  message.id || event.s ? { ...message, id: message.id ?? event.s } : message;

/**
 * One read and one render per distinct view for all of a topic's streams; each stream still
 * gets its messages in commit order, through its own queue.
 */
function fanOut(
  render: (event: LiveEvent, audience: Audience[]) => Promise<Array<SseMessage | null>>,
  event: LiveEvent,
  subscribers: Subscriber[],
): void {
  const rendered = (async () => {
    const allowed = await stillAllowed(subscribers);
    const open = subscribers.filter((subscriber, index) => {
      if (!allowed[index]) subscriber.close();
      return allowed[index];
    });
    const messages = open.length ? await render(event, open) : [];
    // One object per distinct message, with its id, so that it is encoded once (encodeSse).
    const withIds = new Map<SseMessage, SseMessage>();
    return new Map(
      open.map((subscriber, index) => {
        const message = messages[index];
        if (!message) return [subscriber, null];
        if (!withIds.has(message)) withIds.set(message, withEventId(message, event));
        return [subscriber, withIds.get(message)!];
      }),
    );
  })().catch((error: unknown) => {
    log().error({ err: error, topic: event.t, kind: event.k }, 'rendering a live event failed');
    return new Map<Subscriber, SseMessage | null>();
  });
  for (const subscriber of subscribers) {
    subscriber.queue = subscriber.queue.then(async () => {
      const message = (await rendered).get(subscriber);
      if (message) subscriber.send(message);
    });
  }
}

const RECHECK_MS = 10_000;

/**
 * A stream is authorised when it opens, and again before it is sent anything (at most every
 * 10 s): a signed-out session, a removed or deactivated member, or a changed role ends it. The
 * browser then reconnects, and the route's own checks answer. One query per person whose
 * streams are due a check (sessions are readable only as their user), not one per stream.
 */
async function stillAllowed(subscribers: Subscriber[]): Promise<boolean[]> {
  const now = Date.now();
  const due = new Map<string, Subscriber[]>();
  for (const subscriber of subscribers) {
    if (subscriber.checkedAt && now - subscriber.checkedAt < RECHECK_MS) continue;
    const list = due.get(subscriber.viewer.userId) ?? [];
    list.push(subscriber);
    due.set(subscriber.viewer.userId, list);
  }
  const valid = new Set<string>();
  await Promise.all(
    [...due].map(async ([userId, streams]) => {
      const rows = await withSystem(userId, (trx) =>
        trx
          .selectFrom('sessions')
          .innerJoin('memberships', 'memberships.userId', 'sessions.userId')
          .select(['sessions.id', 'memberships.workspaceId', 'memberships.role'])
          .where('sessions.id', 'in', [...new Set(streams.map((s) => s.viewer.sessionId))])
          .where('sessions.userId', '=', userId)
          .where('sessions.expiresAt', '>', new Date())
          .where('memberships.workspaceId', 'in', [
            ...new Set(streams.map((s) => s.viewer.workspaceId)),
          ])
          .where('memberships.status', '=', 'active')
          .execute(),
      );
      for (const row of rows) valid.add(`${row.id}|${row.workspaceId}|${row.role}`);
    }),
  );
  return subscribers.map((subscriber) => {
    if (subscriber.checkedAt && now - subscriber.checkedAt < RECHECK_MS) return true;
    const { sessionId, workspaceId, role } = subscriber.viewer;
    const allowed = valid.has(`${sessionId}|${workspaceId}|${role}`);
    if (allowed) subscriber.checkedAt = now;
    return allowed;
  });
}
