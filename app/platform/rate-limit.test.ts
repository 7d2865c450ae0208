import { describe, expect, it } from 'vitest';
import { consumeLimit, limits, resetLimit } from './rate-limit.server';

describe('rate limits (shared through Postgres)', () => {
  it('answer 429 with Retry-After once a key has spent its points, and forget on reset', async () => {
    const key = `person-${Math.random()}@example.test`;
    for (let attempt = 0; attempt < limits.passwordResetByEmail.points; attempt++)
      await consumeLimit('passwordResetByEmail', key);
    const refused = await consumeLimit('passwordResetByEmail', key).then(
      () => null,
      (error: unknown) => error as Response,
    );
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get('Retry-After'))).toBeGreaterThan(3000);
    expect(await refused?.json()).toEqual({ retryAfterSeconds: expect.any(Number) });
    await resetLimit('passwordResetByEmail', key);
    await expect(consumeLimit('passwordResetByEmail', key)).resolves.toBeUndefined();
  });

  it('count each key apart, ignoring the case of an address', async () => {
    const key = `Mixed-${Math.random()}@Example.test`;
    for (let attempt = 0; attempt < limits.passwordResetByEmail.points; attempt++)
      await consumeLimit('passwordResetByEmail', key);
    await expect(consumeLimit('passwordResetByEmail', key.toLowerCase())).rejects.toBeInstanceOf(
      Response,
    );
    await expect(consumeLimit('passwordResetByEmail', `other-${key}`)).resolves.toBeUndefined();
  });
});
