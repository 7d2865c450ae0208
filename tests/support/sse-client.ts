import type { SseConnection } from '~/platform/live/stream.server';

/**
 * A stream's client for tests, in place of the HTTP response: it collects what it is sent as
 * text, can leave, and reports a backlog the test sets (a reader falling behind).
 */
export function sseClient() {
  const decoder = new TextDecoder();
  const state = { text: '', writes: 0, ended: false, dropped: false, backlog: 0 };
  const closeListeners: Array<() => void> = [];
  const connection: SseConnection = {
    write(bytes) {
      state.text += decoder.decode(bytes);
      state.writes += 1;
    },
    backlog: () => state.backlog,
    end() {
      state.ended = true;
    },
    drop() {
      state.dropped = true;
    },
    onClose: (listener) => void closeListeners.push(listener),
  };
  return {
    state,
    connection,
    /** The browser goes away: the socket closes. */
    leave() {
      for (const listener of closeListeners) listener();
    },
    /** The text received once it satisfies `done` (or after 3 s, for the assertions to say why). */
    async until(done: (text: string) => boolean, timeoutMs = 3000): Promise<string> {
      const started = Date.now();
      while (!done(state.text) && Date.now() - started < timeoutMs)
        await new Promise((resolve) => setTimeout(resolve, 20));
      return state.text;
    },
  };
}
