import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and audit row of one request needs to know, without threading it through. */
export type RequestContext = {
  requestId: string;
  ip?: string;
  userAgent?: string;
};

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
