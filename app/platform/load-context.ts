import type { Locale } from './i18n/locales';

/** What the HTTP server hands every loader and action, and entry.server after them. */
export type RequestState = {
  requestId: string;
  /** Refined by the root loader once it knows who is signed in; read by entry.server. */
  locale: Locale;
  timeZone: string;
  /** Memoised per request: the root and the page loaders both ask who is signed in. */
  memo: Map<string, Promise<unknown>>;
  /**
   * Resolves when the connection can take more bytes (true), or when the client has gone
   * (false). Remix's adapter writes a streamed body without waiting for a slow reader, so a
   * download paces itself with this instead of piling the file up in memory.
   */
  clientReady?: () => Promise<boolean>;
};

declare module '@remix-run/node' {
  // Augmenting Remix's (empty) interface is how its loaders learn the context's type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RequestState {}
}

export function memoize<T>(
  context: RequestState,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  let value = context.memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    context.memo.set(key, value);
  }
  return value;
}
