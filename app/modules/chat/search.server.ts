import { sql } from 'kysely';
import type { Trx } from '~/platform/db/database.server';
import { prefixQuery } from '~/modules/tasks/queries.server';

export const SEARCH_RESULTS = 50;

/** Markers ts_headline puts around a match: characters no message can contain as text. */
const START = '\u0002';
const STOP = '\u0003';

/**
 * Messages matching the words (each a prefix: "deliv" finds "delivery"), newest first, in my
 * conversations only (RLS) or in one of them, with an excerpt around the match.
 */
export async function searchMessages(
  trx: Trx,
  userId: string,
  text: string,
  conversationId?: string,
) {
  const query = prefixQuery(text);
  if (!query) return [];
  let search = trx
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversationId')
    .leftJoin('projects', 'projects.id', 'conversations.projectId')
    .leftJoin('users', 'users.id', 'messages.authorId')
    .select([
      'messages.id',
      'messages.conversationId',
      'messages.parentId',
      'messages.seq',
      'messages.createdAt',
      'users.name as authorName',
      sql<string>`coalesce(conversations.name, projects.name,
        (select coalesce(u.name, u.email) from conversation_members o join users u on u.id = o.user_id
          where o.conversation_id = conversations.id and o.user_id <> ${userId} limit 1), '')`.as(
        'conversationTitle',
      ),
      sql<string>`ts_headline('simple', messages.body, (select to_tsquery('simple', ${query})),
        ${`StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2`})`.as(
        'excerpt',
      ),
    ])
    // A sub-select: the query is parsed once, not once per row (see the task list's search).
    .where(sql<boolean>`messages.search @@ (select to_tsquery('simple', ${query}))`)
    .where('messages.deletedAt', 'is', null)
    .where('projects.deletedAt', 'is', null);
  if (conversationId) search = search.where('messages.conversationId', '=', conversationId);
  const rows = await search.orderBy('messages.seq', 'desc').limit(SEARCH_RESULTS).execute();
  return rows.map((row) => ({ ...row, excerpt: highlightParts(row.excerpt) }));
}

/** The excerpt as text and matched parts, for the page to put the matches in <mark>. */
export function highlightParts(excerpt: string): Array<{ text: string; match: boolean }> {
  const parts: Array<{ text: string; match: boolean }> = [];
  for (const piece of excerpt.split(START)) {
    const stop = piece.indexOf(STOP);
    if (stop < 0) {
      if (piece) parts.push({ text: piece, match: false });
      continue;
    }
    parts.push({ text: piece.slice(0, stop), match: true });
    if (piece.slice(stop + 1)) parts.push({ text: piece.slice(stop + 1), match: false });
  }
  return parts;
}

export type SearchResult = Awaited<ReturnType<typeof searchMessages>>[number];
