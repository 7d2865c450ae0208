import { deliverEvent } from '~/platform/live/hub.server';
import { notifyLive } from '~/platform/live/notify.server';
import type { Trx } from '~/platform/db/database.server';
import { singleton } from '~/platform/singleton.server';
import { conversationTopic } from './conversations.server';

/** "Ana is typing…" lasts this long after her last keystroke notice. */
export const TYPING_SHOWN_MS = 5_000;
/** A page sends a notice at most this often while its reader types (hx-trigger throttle). */
export const TYPING_NOTICE_MS = 3_000;

type Typist = { name: string; until: number };

/**
 * Who is typing where, as this process heard it: no table, no row. Every container hears the
 * same NOTIFY and keeps its own copy; each expires its own entries.
 */
const typing = singleton('chat-typing', () => new Map<string, Map<string, Typist>>());

/** Tells the conversation's open pages that this person is typing (ids only, no row written). */
export async function announceTyping(
  trx: Trx,
  workspaceId: string,
  conversationId: string,
  userId: string,
): Promise<void> {
  await notifyLive(trx, {
    w: workspaceId,
    t: conversationTopic(conversationId),
    k: 'typing',
    id: userId,
    s: '',
  });
}

/** A typing notice arrived: remember it, and say so again here when it runs out. */
export function noteTyping(
  workspaceId: string,
  conversationId: string,
  userId: string,
  name: string,
) {
  const typists = typing.get(conversationId) ?? new Map<string, Typist>();
  typing.set(conversationId, typists);
  const until = Date.now() + TYPING_SHOWN_MS;
  typists.set(userId, { name, until });
  setTimeout(() => {
    const current = typists.get(userId);
    if (!current || current.until > Date.now()) return;
    typists.delete(userId);
    if (typists.size === 0) typing.delete(conversationId);
    deliverEvent({
      w: workspaceId,
      t: conversationTopic(conversationId),
      k: 'typing.stopped',
      id: userId,
      s: '',
    });
  }, TYPING_SHOWN_MS + 50).unref();
}

/** A message from this person ends their typing notice. */
export function stopTyping(conversationId: string, userId: string): boolean {
  const typists = typing.get(conversationId);
  if (!typists?.delete(userId)) return false;
  if (typists.size === 0) typing.delete(conversationId);
  return true;
}

/** The names typing in a conversation now, other than the reader. */
export function typistsFor(conversationId: string, readerId: string): string[] {
  const now = Date.now();
  return [...(typing.get(conversationId) ?? [])]
    .filter(([userId, typist]) => userId !== readerId && typist.until > now)
    .map(([, typist]) => typist.name)
    .sort();
}
