import postgres from 'postgres';
import { withSystem, withWorkspace } from '../db/database.server';
import { getLogger } from '../logger.server';
import { singleton } from '../singleton.server';
import { findTopic, type LiveEvent, type SseMessage, type Viewer } from './topics.server';

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
  const listener = hub.listener;
  hub.listener = undefined;
  hub.connected = false;
  await listener?.end({ timeout: 2 });
}

export function subscribe(subscriber: Omit<Subscriber, 'queue'>): () => void {
  const entry: Subscriber = { ...subscriber, queue: Promise.resolve() };
  hub.all.add(entry);
  for (const topic of entry.topics) {
    let set = hub.byTopic.get(topic);
    if (!set) hub.byTopic.set(topic, (set = new Set()));
    set.add(entry);
  }
  return () => {
    hub.all.delete(entry);
    for (const topic of entry.topics) {
      const set = hub.byTopic.get(topic);
      set?.delete(entry);
      if (set?.size === 0) hub.byTopic.delete(topic);
    }
  };
}

export function openStreamCount(): number {
  return hub.all.size;
}

export function allSubscribers(): Iterable<Subscriber> {
  return hub.all;
}

function deliver(payload: string): void {
  let event: LiveEvent;
  try {
    event = JSON.parse(payload) as LiveEvent;
  } catch {
    log().warn({ payload }, 'ignoring a malformed live event');
    return;
  }
  const subscribers = hub.byTopic.get(event.t);
  const topic = findTopic(event.t);
  if (!subscribers || !topic) return;
  for (const subscriber of subscribers) {
    // Never across workspaces, whatever a topic name says.
    if (subscriber.viewer.workspaceId !== event.w) continue;
    subscriber.queue = subscriber.queue.then(async () => {
      try {
        if (!(await stillAllowed(subscriber))) {
          subscriber.close();
          return;
        }
        const message = await withWorkspace(subscriber.viewer, (trx) =>
          topic.definition.render(trx, subscriber.viewer, event),
        );
        if (message) subscriber.send({ ...message, id: message.id ?? event.s });
      } catch (error) {
        log().error({ err: error, topic: event.t, kind: event.k }, 'rendering a live event failed');
      }
    });
  }
}

const RECHECK_MS = 10_000;

/**
 * A stream is authorised when it opens, and again before it is sent anything (at most every
 * 10 s): a signed-out session, a removed or deactivated member, or a changed role ends it. The
 * browser then reconnects, and the route's own checks answer.
 */
async function stillAllowed(subscriber: Subscriber): Promise<boolean> {
  if (subscriber.checkedAt && Date.now() - subscriber.checkedAt < RECHECK_MS) return true;
  const { userId, sessionId, workspaceId, role } = subscriber.viewer;
  const current = await withSystem(userId, (trx) =>
    trx
      .selectFrom('sessions')
      .innerJoin('memberships', 'memberships.userId', 'sessions.userId')
      .select('memberships.role')
      .where('sessions.id', '=', sessionId)
      .where('sessions.userId', '=', userId)
      .where('sessions.expiresAt', '>', new Date())
      .where('memberships.workspaceId', '=', workspaceId)
      .where('memberships.status', '=', 'active')
      .executeTakeFirst(),
  );
  const allowed = current?.role === role;
  if (allowed) subscriber.checkedAt = Date.now();
  return allowed;
}
