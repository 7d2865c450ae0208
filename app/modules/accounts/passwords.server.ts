import { hash, verify } from '@node-rs/argon2';
import { createRequire } from 'node:module';

/** OWASP's argon2id baseline (19 MiB, 2 passes): ~60 ms on this 2-core machine, slow for an attacker's GPU. */
const options = {
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  algorithm: 2 /* argon2id */,
} as const;

// 49,000 passwords take ~70 ms to load: not at start, but on the first password checked.
const require = createRequire(import.meta.url);
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(
    (require('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> }).dictionary[
      'passwords-common'
    ]!.map((password) => password.toLowerCase()),
  );
  return common;
}

/** Refuse passwords from the public lists attackers try first (49,000 of them). */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// A real hash of a random string: verifying against it costs what a real check costs, so a
// sign-in for an unknown email takes as long as one for a known email.
const dummyHash = hash(`no-such-user-${Math.random()}`, options);

export async function verifyPassword(
  password: string,
  passwordHash: string | null | undefined,
): Promise<boolean> {
  try {
    const ok = await verify(passwordHash ?? (await dummyHash), password);
    return Boolean(passwordHash) && ok;
  } catch {
    return false;
  }
}
