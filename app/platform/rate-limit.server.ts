import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { databaseUrls, createAppSql } from './db/database.server';
import { isDatabaseUnavailable } from './db/unavailable.server';
import { serviceUnavailable } from './http-errors.server';
import { singleton } from './singleton.server';

/**
 * Limits shared by every container: counters live in Postgres (rate-limiter-flexible's
 * Postgres store, table rate_limits). Keys are hashed by nothing: an email or an IP, prefixed
 * by the limit's name.
 */
export const limits = {
  signInByIp: { points: 30, duration: 15 * 60 },
  signInByAccount: { points: 10, duration: 15 * 60 },
  twoFactorByAccount: { points: 10, duration: 15 * 60 },
  signUpByIp: { points: 10, duration: 60 * 60 },
  passwordResetByIp: { points: 10, duration: 60 * 60 },
  passwordResetByEmail: { points: 3, duration: 60 * 60 },
  verificationByEmail: { points: 3, duration: 60 * 60 },
  invitationsByWorkspace: { points: 100, duration: 60 * 60 },
  // A burst of 20 chat messages in 10 s is fast typing; more is a script.
  messagesByUser: { points: 20, duration: 10 },
} as const;
export type LimitName = keyof typeof limits;

const limiters = () =>
  singleton('rate-limiters', () => {
    // The store speaks node-postgres' query({ text, values }); answer it from a small postgres.js
    // pool (the app role) rather than adding a second driver's pool.
    const sql = createAppSql(databaseUrls().appUrl, 2);
    const client = {
      async query(query: { text: string; values?: unknown[] }) {
        const rows = await sql.unsafe(query.text, (query.values ?? []) as never[]);
        return { rows, rowCount: rows.count };
      },
    };
    const map = new Map<LimitName, RateLimiterPostgres>();
    for (const [name, limit] of Object.entries(limits) as Array<
      [LimitName, (typeof limits)[LimitName]]
    >) {
      map.set(
        name,
        new RateLimiterPostgres({
          storeClient: client,
          storeType: 'pool',
          tableName: 'rate_limits',
          tableCreated: true,
          keyPrefix: name,
          points: limit.points,
          duration: limit.duration,
          clearExpiredByTimeout: name === 'signInByIp',
        }),
      );
    }
    return map;
  });

/** A 429 whose body says when to try again; the error page shows it in minutes. */
export function tooManyRequests(retryAfterSeconds: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new Response(JSON.stringify({ retryAfterSeconds: seconds }), {
    status: 429,
    headers: { 'Content-Type': 'application/json', 'Retry-After': String(seconds) },
  });
}

/** Counts one attempt; throws the 429 response when the limit is spent. */
export async function consumeLimit(name: LimitName, key: string, points = 1): Promise<void> {
  try {
    await limiters().get(name)!.consume(`${key}`.toLowerCase().slice(0, 200), points);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooManyRequests(error.msBeforeNext / 1000);
    if (isDatabaseUnavailable(error)) throw serviceUnavailable();
    throw error;
  }
}

/** Forgets the count (a successful sign-in clears its account's failures). */
export async function resetLimit(name: LimitName, key: string): Promise<void> {
  await limiters().get(name)!.delete(`${key}`.toLowerCase().slice(0, 200));
}
