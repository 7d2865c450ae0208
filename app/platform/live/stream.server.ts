import { withWorkspace } from '../db/database.server';
import type { RequestState } from '../load-context';
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

/**
 * The SSE response for a page's topics: what it missed since Last-Event-ID first, then live
 * events as they commit. Topics must already be authorized for the viewer.
 */
export function openLiveStream(options: {
  viewer: Viewer;
  topics: string[];
  lastEventId: string | null;
  signal: AbortSignal;
  connection?: RequestState['connection'];
}): Response {
  const { viewer, topics, lastEventId, signal, connection } = options;
  ensureHeartbeat();
  let unsubscribe = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const close = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      const write = (bytes: Uint8Array) => {
        if (!open) return;
        if (connection && connection.backlog() > MAX_BACKLOG_BYTES) {
          close();
          return connection.drop();
        }
        try {
          controller.enqueue(bytes);
        } catch {
          close();
        }
      };
      const send = (message: SseMessage) => write(encodeSse(message));
      const heartbeat = () => write(heartbeatPayload);
      signal.addEventListener('abort', close, { once: true });
      connection?.onClose(close);
      controller.enqueue(encoder.encode('retry: 3000\n\n'));
      // Subscribe before replaying, so nothing committed in between is missed; the topic's
      // swaps are idempotent (by element id), so an event seen twice does no harm.
      unsubscribe = subscribe({ viewer, topics, send, heartbeat, close });
      if (lastEventId && /^\d+$/.test(lastEventId)) {
        for (const topic of topics) {
          const found = findTopic(topic);
          if (!found) continue;
          const missed = await withWorkspace(viewer, (trx) =>
            found.definition.replay(trx, viewer, found.id, lastEventId),
          );
          for (const message of missed) send(message);
        }
      }
    },
    cancel() {
      unsubscribe();
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform: proxies and our own compression must not buffer the stream.
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    },
  });
}
