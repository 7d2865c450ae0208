import { z } from 'zod';

export const MESSAGE_MAX_LENGTH = 4000;
/** The newest messages a conversation opens with; "Older messages" pages back by as many. */
export const MESSAGES_PAGE_SIZE = 50;
/** A group's members besides its creator, chosen at once. */
export const GROUP_MAX_MEMBERS = 200;

/** The small fixed set of reactions: stored by name, shown as their emoji. */
export const reactionEmoji = {
  thumbs_up: '👍',
  heart: '❤️',
  laugh: '😄',
  party: '🎉',
  eyes: '👀',
  check: '✅',
} as const;
export type ReactionName = keyof typeof reactionEmoji;
export const reactionNames = Object.keys(reactionEmoji) as ReactionName[];

export const messageBody = z
  .string({ error: 'chat:validation.bodyRequired' })
  // Trailing spaces and blank lines are not part of a message; leading indentation may be code.
  .transform((value) => value.replace(/\s+$/u, '').replace(/^(\s*\n)+/u, ''))
  .pipe(
    // Conform turns a blank that trims to '' into undefined: the same message as no text.
    z
      .string({ error: 'chat:validation.bodyRequired' })
      .min(1, 'chat:validation.bodyRequired')
      .max(MESSAGE_MAX_LENGTH, 'chat:validation.bodyTooLong'),
  );

export const messageSchema = z.object({
  body: messageBody,
  parentId: z.uuid().optional(),
});

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const conversationName = z
  .string({ error: 'chat:validation.nameRequired' })
  .trim()
  .min(1, 'chat:validation.nameRequired')
  .max(80, 'chat:validation.nameTooLong');

export const groupSchema = z.object({
  name: conversationName,
  memberIds: z
    .array(z.uuid())
    .min(1, 'chat:validation.membersRequired')
    .max(GROUP_MAX_MEMBERS, 'chat:validation.tooManyMembers'),
});

export const renameSchema = z.object({ name: conversationName });

export const addMembersSchema = z.object({
  memberIds: z.array(z.uuid()).min(1, 'chat:validation.membersRequired').max(GROUP_MAX_MEMBERS),
});

export const searchSchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
  in: z.preprocess(blankToUndefined, z.uuid().optional()),
});

/** Paging through a conversation: before a message's seq, or around one (a search result). */
export const timelineSchema = z.object({
  before: z.coerce.number().int().positive().optional().catch(undefined),
  at: z.coerce.number().int().positive().optional().catch(undefined),
});
