/**
 * @mentions in a comment. A person is mentioned by their name without spaces (@MayaMüller), their
 * first name when no one else shares it (@Maya), or their email's local part (@maya.mueller),
 * in any letter case. Words after an @ that name nobody are left as text.
 */
export type Mentionable = { id: string; name: string | null; email: string | null };

const mentionPattern = /(^|[^\p{L}\p{N}_.@])@([\p{L}\p{N}][\p{L}\p{N}._-]*)/gu;

const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Each handle a person answers to, folded (no accents, lower case). */
function handles(person: Mentionable, firstNameCounts: Map<string, number>): string[] {
  const result: string[] = [];
  if (person.name) {
    result.push(fold(person.name.replace(/\s+/g, '')));
    const first = fold(person.name.split(/\s+/)[0] ?? '');
    if (first && firstNameCounts.get(first) === 1) result.push(first);
  }
  if (person.email) result.push(fold(person.email.split('@')[0]!));
  return result;
}

export function findMentions(text: string, people: Mentionable[]): Mentionable[] {
  // Most texts mention nobody: then nobody's handles need working out.
  if (!text.includes('@')) return [];
  const firstNameCounts = new Map<string, number>();
  for (const person of people) {
    const first = fold(person.name?.split(/\s+/)[0] ?? '');
    if (first) firstNameCounts.set(first, (firstNameCounts.get(first) ?? 0) + 1);
  }
  const byHandle = new Map<string, Mentionable>();
  for (const person of people)
    for (const handle of handles(person, firstNameCounts)) byHandle.set(handle, person);
  const found = new Map<string, Mentionable>();
  for (const match of text.matchAll(mentionPattern)) {
    // "@maya." at the end of a sentence: the full stop is not part of the handle.
    const handle = fold(match[2]!.replace(/[._-]+$/, ''));
    const person = byHandle.get(handle);
    if (person) found.set(person.id, person);
  }
  return [...found.values()];
}

/** Makes each recognised mention stand out in rendered markdown: <strong class="mention">. */
export function markMentions(html: string, people: Mentionable[]): string {
  if (people.length === 0 || !html.includes('@')) return html;
  const known = knownHandles(people);
  // Only in text between tags, never inside an attribute or a link's address.
  return html.replace(/>([^<]+)</g, (_whole, text: string) => {
    const marked = text.replace(mentionPattern, (match, before: string, handle: string) => {
      const bare = handle.replace(/[._-]+$/, '');
      if (!known.has(fold(bare))) return match;
      return `${before}<strong class="mention">@${bare}</strong>${handle.slice(bare.length)}`;
    });
    return `>${marked}<`;
  });
}

/** Every handle that names someone among these people. */
function knownHandles(people: Mentionable[]): Set<string> {
  const firstNameCounts = new Map<string, number>();
  for (const person of people) {
    const first = fold(person.name?.split(/\s+/)[0] ?? '');
    if (first) firstNameCounts.set(first, (firstNameCounts.get(first) ?? 0) + 1);
  }
  return new Set(people.flatMap((person) => handles(person, firstNameCounts)));
}

/**
 * The @words that name nobody here (folded, without duplicates): a message refuses them rather
 * than leaving a mention that reaches no one. `reserved` words (@here) are not people.
 */
export function unknownMentions(
  text: string,
  people: Mentionable[],
  reserved: readonly string[] = [],
): string[] {
  if (!text.includes('@')) return [];
  const known = knownHandles(people);
  const unknown = new Set<string>();
  for (const match of text.matchAll(mentionPattern)) {
    const handle = fold(match[2]!.replace(/[._-]+$/, ''));
    if (!known.has(handle) && !reserved.includes(handle)) unknown.add(handle);
  }
  return [...unknown];
}

/** Whether the text mentions this word on its own (@here). */
export function mentionsWord(text: string, word: string): boolean {
  for (const match of text.matchAll(mentionPattern))
    if (fold(match[2]!.replace(/[._-]+$/, '')) === word) return true;
  return false;
}
