import { parseWithZod } from '@conform-to/zod/v4';
import { data } from '@remix-run/node';
import type { Member } from '~/modules/workspaces/queries.server';
import { uploadProblems } from '~/modules/files/upload-form.server';
import { receiveUpload } from '~/modules/files/upload.server';
import { withWorkspace } from '~/platform/db/database.server';
import { refusal } from '~/platform/http-errors.server';
import { messageWithValues } from '~/platform/forms.server';
import { consumeLimit } from '~/platform/rate-limit.server';
import type { FormResult } from '~/ui/form';
import { findConversation, type Conversation } from './conversations.server';
import { postMessage, type PostedMessage } from './messages.server';
import { messageSchema } from './schema';

export type PostOutcome =
  | { ok: true; message: PostedMessage; conversation: Conversation; parentId?: string }
  /** The form again (422), with its errors and what was typed. */
  | { ok: false; reply: ReturnType<typeof data<{ result: FormResult }>> };

/** Counts a message against the sender's limit: past it, a 429 that says when to go on. */
async function checkPace(userId: string): Promise<void> {
  try {
    await consumeLimit('messagesByUser', userId);
  } catch (error) {
    if (!(error instanceof Response) || error.status !== 429) throw error;
    const seconds = error.headers.get('Retry-After') ?? '10';
    throw refusal(
      429,
      'chat:errors.tooFast',
      { seconds: Number(seconds) },
      { 'Retry-After': seconds },
    );
  }
}

/**
 * A message form as any of its routes receives it (the page without JavaScript, the messages
 * route with htmx, a thread's page): paced, parsed with its files streamed to the store,
 * checked, and posted; or the form back with why, and nothing kept (staged files removed).
 */
export async function receiveMessage(
  request: Request,
  member: Member,
  conversationId: string,
  options: { parentId?: string } = {},
): Promise<PostOutcome> {
  const conversation = await withWorkspace(member.ctx, (trx) =>
    findConversation(trx, member, conversationId),
  );
  if (!conversation) throw refusal(404, 'chat:errors.notFound');
  await checkPace(member.user.id);
  const upload = await receiveUpload(request, member.workspace.id);
  try {
    if (upload.problems.length) {
      await upload.discard();
      return { ok: false, reply: uploadProblems('files', upload.problems, upload.form) };
    }
    const submission = parseWithZod(upload.form, { schema: messageSchema });
    if (submission.status !== 'success') {
      await upload.discard();
      return {
        ok: false,
        reply: data({ result: submission.reply() as FormResult }, { status: 422 }),
      };
    }
    const parentId = options.parentId ?? submission.value.parentId;
    const posted = await withWorkspace(member.ctx, (trx) =>
      postMessage(
        trx,
        member,
        member.workspace.slug,
        conversation,
        { body: submission.value.body, parentId },
        upload.files,
      ),
    );
    if (!posted.ok) {
      await upload.discard();
      return {
        ok: false,
        reply: data(
          {
            result: submission.reply({
              fieldErrors: { body: [messageWithValues(posted.message, posted.values ?? {})] },
            }) as FormResult,
          },
          { status: 422 },
        ),
      };
    }
    return { ok: true, message: posted.message, conversation, parentId };
  } catch (error) {
    await upload.discard();
    throw error;
  }
}
