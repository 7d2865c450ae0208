import { withWorkspace } from '../db/database.server';
import { singleton } from '../singleton.server';
import { heartbeatAll, subscribe } from './hub.server';
import { findTopic, type SseMessage, type Viewer } from './topics.server';

const HEARTBEAT_MS = 25_000;
/**
 * A reader this far behind (a stalled phone, a dead connection the kernel has not noticed) is
 * cut off rather than buffered without end: its browser reconnects with Last-Event-ID and
 * catches up from the tables. About a hundred chat messages' worth.
 */
const MAX_BACKLOG_BYTES = 256 * 1024;
const encoder = new TextEncoder();

/** A fanned-out message goes to many streams as the same object: encoded once for all of them. */
const encoded = new WeakMap<SseMessage, Uint8Array>();

export function encodeSse(message: SseMessage): Uint8Array {
  let bytes = encoded.get(message);
  if (!bytes) {
    bytes = encodeMessage(message);
    encoded.set(message, bytes);
  }
  return bytes;
}

function encodeMessage(message: SseMessage): Uint8Array {
  let text = '';
  if (message.id) text += `id: ${message.id}\n`;
  text += `event: ${message.event}\n`;
  for (const line of message.data.split('\n')) text += `data: ${line}\n`;
  return encoder.encode(`${text}\n`);
}

const heartbeatPayload = encoder.encode(': heartbeat\n\n');
const retryPayload = encoder.encode('retry: 3000\n\n');

/** Whether the viewer may follow every one of these topics (each must exist). */
export async function authorizeTopics(viewer: Viewer, topics: string[]): Promise<boolean> {
  return withWorkspace(viewer, async (trx) => {
    for (const topic of topics) {
      const found = findTopic(topic);
      if (!found || !(await found.definition.authorize(trx, viewer, found.id))) return false;
    }
    return true;
  });
}

/** One timer for every stream of the process, not one per stream. */
function ensureHeartbeat(): void {
  singleton('live-heartbeat', () => setInterval(heartbeatAll, HEARTBEAT_MS).unref());
}

/** The client's end of a stream: the HTTP response, or a test's stand-in. */
export type SseConnection = {
  write(bytes: Uint8Array): void;
  /** Bytes written but not yet taken by the client's socket. */
  backlog(): number;
  /** Ends the response; the browser reconnects with Last-Event-ID. */
  end(): void;
  /** Cuts the connection at once, letting go of whatever it had not sent. */
  drop(): void;
  onClose(listener: () => void): void;
};

/**
 * What each stream has to send in this turn of the event loop, written together once it ends:
 * under load, events arrive in bunches, and each stream then costs one system call per bunch
 * instead of one per event.
 */
const unsent = new Map<() => void, true>();
function flushLater(flush: () => void): void {
  if (unsent.size === 0) setImmediate(flushAll);
  unsent.set(flush, true);
}
function flushAll(): void {
  const flushes = [...unsent.keys()];
  unsent.clear();
  for (const flush of flushes) flush();
}

/**
 * Streams a page's topics to the client: what it missed since Last-Event-ID first, then live
 * events as they commit. Topics must already be authorized for the viewer; the caller has sent
 * the response's head (sseHeaders).
 */
export async function openLiveStream(options: {
  viewer: Viewer;
  topics: string[];
  lastEventId: string | null;
  connection: SseConnection;
}): Promise<void> {
  const { viewer, topics, lastEventId, connection } = options;
  ensureHeartbeat();
  let open = true;
  let pending: Uint8Array[] = [];
  const close = () => {
    if (!open) return;
    open = false;
    pending = [];
    unsubscribe();
    connection.end();
  };
  const flush = () => {
    if (!open || pending.length === 0) return;
    if (connection.backlog() > MAX_BACKLOG_BYTES) {
      close();
      return connection.drop();
    }
    connection.write(pending.length === 1 ? pending[0]! : Buffer.concat(pending));
    pending = [];
  };
  const write = (bytes: Uint8Array) => {
    if (!open) return;
    pending.push(bytes);
    flushLater(flush);
  };
  const send = (message: SseMessage) => write(encodeSse(message));
  const heartbeat = () => write(heartbeatPayload);
  write(retryPayload);
  // Subscribe before replaying, so nothing committed in between is missed; the topic's swaps
  // are idempotent (by element id), so an event seen twice does no harm.
  const unsubscribe = subscribe({ viewer, topics, send, heartbeat, close });
  connection.onClose(close);
  if (!lastEventId || !/^\d+$/.test(lastEventId)) return;
  for (const topic of topics) {
    const found = findTopic(topic);
    if (!found || !open) continue;
    const missed = await withWorkspace(viewer, (trx) =>
      found.definition.replay(trx, viewer, found.id, lastEventId),
    );
    for (const message of missed) send(message);
  }
}

export const sseHeaders = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-transform: proxies and our own compression must not buffer the stream.
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
};
