import postgres from 'postgres';
import { withWorkspace } from '../db/database.server';
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
  /** The check under way, if one is. */
  checking?: Promise<boolean>;
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
 * browser then reconnects, and the route's own checks answer.
 */
function stillAllowed(subscribers: Subscriber[]): Promise<boolean[]> {
  const now = Date.now();
  return Promise.all(
    subscribers.map((subscriber) =>
      subscriber.checkedAt !== undefined && now - subscriber.checkedAt < RECHECK_MS
        ? true
        : check(subscriber),
    ),
  );
}

type Check = { subscriber: Subscriber; settle: (allowed: boolean) => void };
let batch: Check[] | null = null;

/**
 * Checks due in one turn of the event loop go together, one query per workspace; a stream
 * already being checked waits for that check. Otherwise a busy conversation's events, each
 * finding hundreds of streams due, would each start hundreds of queries of their own.
 */
function check(subscriber: Subscriber): Promise<boolean> {
  subscriber.checking ??= new Promise<boolean>((settle) => {
    if (!batch) {
      const checks: Check[] = (batch = []);
      setImmediate(() => {
        batch = null;
        void runChecks(checks);
      });
    }
    batch.push({ subscriber, settle });
  }).then((allowed) => {
    subscriber.checking = undefined;
    if (allowed) subscriber.checkedAt = Date.now();
    return allowed;
  });
  return subscriber.checking;
}

async function runChecks(checks: Check[]): Promise<void> {
  const byWorkspace = new Map<string, Check[]>();
  for (const entry of checks) {
    const list = byWorkspace.get(entry.subscriber.viewer.workspaceId) ?? [];
    list.push(entry);
    byWorkspace.set(entry.subscriber.viewer.workspaceId, list);
  }
  await Promise.all(
    [...byWorkspace].map(async ([workspaceId, group]) => {
      let valid = new Set<string>();
      try {
        valid = await validSessions(
          workspaceId,
          group.map((entry) => entry.subscriber.viewer.sessionId),
        );
      } catch (error) {
        // Unverifiable is not allowed: the streams close, and their reconnection is checked.
        log().warn({ err: error, streams: group.length }, 'could not re-check live streams');
      }
      for (const { subscriber, settle } of group)
        settle(valid.has(`${subscriber.viewer.sessionId}|${subscriber.viewer.role}`));
    }),
  );
}

/** Which of these sessions are unexpired and belong to an active member, with their role. */
async function validSessions(workspaceId: string, sessionIds: string[]): Promise<Set<string>> {
  const rows = await withWorkspace({ userId: null, workspaceId }, (trx) =>
    trx
      .selectFrom('sessions')
      .innerJoin('memberships', 'memberships.userId', 'sessions.userId')
      .select(['sessions.id', 'memberships.role'])
      .where('sessions.id', 'in', [...new Set(sessionIds)])
      .where('sessions.expiresAt', '>', new Date())
      .where('memberships.workspaceId', '=', workspaceId)
      .where('memberships.status', '=', 'active')
      .execute(),
  );
  return new Set(rows.map((row) => `${row.id}|${row.role}`));
}
