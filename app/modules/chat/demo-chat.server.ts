import type { WorkspaceRole } from '~/platform/db/schema';
import { withWorkspace } from '~/platform/db/database.server';
import {
  createGroup,
  findConversation,
  markRead,
  openDirectConversation,
  type ChatViewer,
} from './conversations.server';
import { findMessage, postMessage, toggleReaction } from './messages.server';
import type { ReactionName } from './schema';

type Person = { userId: string; role: WorkspaceRole };
type Line = {
  by: Person;
  text: string;
  reactions?: Array<[Person, ReactionName]>;
  replies?: Array<[Person, string]>;
};

/**
 * Acme's conversations: the whole team's group, a marketing group, the spring catalogue's
 * project conversation (with the guest who works on it) and a direct conversation between
 * the manager and a member, with replies, reactions and mentions. Posted through the module's
 * own functions, so notifications and read state are what they would be; the member has the
 * last direct message still unread.
 */
export async function seedDemoChat(
  workspaceId: string,
  slug: string,
  people: { owner: Person; admin: Person; manager: Person; member: Person; guest: Person },
  springProjectId: string | undefined,
): Promise<void> {
  const as = (person: Person): ChatViewer => ({
    role: person.role,
    ctx: { userId: person.userId, workspaceId },
  });
  const { owner, admin, manager, member, guest } = people;

  const post = async (conversationId: string, lines: Line[]) => {
    for (const line of lines) {
      const id = await withWorkspace(as(line.by).ctx, async (trx) => {
        const conversation = (await findConversation(trx, as(line.by), conversationId))!;
        const posted = await postMessage(trx, as(line.by), slug, conversation, { body: line.text });
        if (!posted.ok) throw new Error(`demo message refused: ${posted.message}`);
        return posted.message.id;
      });
      for (const [person, emoji] of line.reactions ?? [])
        await withWorkspace(as(person).ctx, async (trx) =>
          toggleReaction(trx, as(person), (await findMessage(trx, conversationId, id))!, emoji),
        );
      for (const [person, text] of line.replies ?? [])
        await withWorkspace(as(person).ctx, async (trx) => {
          const conversation = (await findConversation(trx, as(person), conversationId))!;
          await postMessage(trx, as(person), slug, conversation, { body: text, parentId: id });
        });
    }
  };
  const readAll = (person: Person, conversationId: string) =>
    withWorkspace(as(person).ctx, async (trx) =>
      markRead(trx, as(person), (await findConversation(trx, as(person), conversationId))!),
    );

  const team = await withWorkspace(as(owner).ctx, (trx) =>
    createGroup(trx, as(owner), {
      name: 'Acme team',
      memberIds: [admin.userId, manager.userId, member.userId],
    }),
  );
  await post(team, [
    {
      by: owner,
      text: 'Morning, everyone! The spring catalogue goes to the printer on **Friday**. Anything that needs my sign-off, send it by Thursday noon.',
      reactions: [
        [manager, 'thumbs_up'],
        [member, 'thumbs_up'],
      ],
      replies: [
        [manager, 'Proofs are with the printer for a colour check; I will forward their notes.'],
        [owner, 'Perfect, thank you.'],
      ],
    },
    {
      by: admin,
      text: 'The new supplier contact list is in Files → *Suppliers 2026.xlsx*. Please stop using the old one.',
      reactions: [[member, 'check']],
    },
    {
      by: manager,
      text: '@Marco could you double-check the prices on pages 4–6 against the price list? Two of them look off to me.',
    },
    {
      by: member,
      text: 'On it. The linen throws were still at last year’s price; fixed in the proof, see `SPRING-3`.',
      reactions: [[manager, 'heart']],
    },
  ]);

  const marketing = await withWorkspace(as(manager).ctx, (trx) =>
    createGroup(trx, as(manager), { name: 'Marketing', memberIds: [member.userId, owner.userId] }),
  );
  await post(marketing, [
    {
      by: manager,
      text: 'Draft for the newsletter intro:\n\n> Spring is here, and so is our linen range: light, washable and made to last.\n\nThoughts?',
      replies: [[member, 'I like it. Maybe “made to last for years”?']],
    },
    {
      by: member,
      text: 'Posting times that worked best last month:\n\n- Tuesday 10:00\n- Thursday 18:30\n- Saturday 09:00',
      reactions: [[manager, 'eyes']],
    },
  ]);

  if (springProjectId) {
    const spring = await withWorkspace(as(manager).ctx, async (trx) =>
      trx
        .selectFrom('conversations')
        .select('id')
        .where('projectId', '=', springProjectId)
        .executeTakeFirst(),
    );
    if (spring)
      await post(spring.id, [
        {
          by: manager,
          text: 'Kick-off notes are in the project description. Shoot day is confirmed for next Tuesday.',
        },
        {
          by: guest,
          text: 'Thanks! I will send the supplier quotes by Wednesday. @Maya do you want them split by product line?',
          replies: [[manager, 'Yes please, one sheet per line.']],
        },
      ]);
  }

  const direct = await withWorkspace(as(manager).ctx, (trx) =>
    openDirectConversation(trx, as(manager), member.userId),
  );
  await post(direct, [
    { by: member, text: 'Do you have five minutes for the price list later?' },
    { by: manager, text: 'Sure, after lunch. Bring the proof for page 5.' },
    { by: manager, text: 'Also: the printer moved our slot to 9:00 on Friday.' },
  ]);
  for (const person of [owner, admin]) await readAll(person, team);
  await readAll(owner, marketing);
}
