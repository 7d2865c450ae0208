import postgres from 'postgres';
import { withWorkspace } from '../db/database.server';
import { getLogger } from '../logger.server';
import { singleton } from '../singleton.server';
import { findTopic, type LiveEvent, type SseMessage, type Viewer } from './topics.server';

export type Subscriber = {
  viewer: Viewer;
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
