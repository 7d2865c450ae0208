import type { Member } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { taskChangeSchema } from './schema';
import { changeTask, type Task, type TaskRefusal } from './tasks.server';

/** The translation key that says why a change was refused. */
export const taskRefusalMessages: Record<TaskRefusal, string> = {
  assignee_not_member: 'tasks:validation.assigneeInvalid',
  status_unknown: 'tasks:validation.statusInvalid',
  label_unknown: 'tasks:validation.labelInvalid',
};

export type CardChange = { field: 'status' | 'assignee'; refusal: string | null };

/**
 * A board card's Move or Assign form: each sends one field (statusId or assigneeId), which
 * says which it was. The change is checked and applied; `refusal` is the translation key of
 * why it was refused, and null once the task has changed. Null for a form that is neither.
 */
export async function changeFromCard(
  member: Member,
  task: Task,
  form: FormData,
): Promise<CardChange | null> {
  const field = form.has('statusId') ? 'status' : form.has('assigneeId') ? 'assignee' : null;
  if (!field) return null;
  const parsed = taskChangeSchema.safeParse({
    field,
    statusId: form.get('statusId') ?? undefined,
    assigneeId: form.get('assigneeId') ?? undefined,
  });
  if (!parsed.success)
    return { field, refusal: parsed.error.issues[0]?.message ?? 'tasks:validation.statusInvalid' };
  const change =
    parsed.data.field === 'status'
      ? { statusId: parsed.data.statusId }
      : { assigneeId: parsed.data.assigneeId ?? null };
  const refused = await withWorkspace(member.ctx, (trx) =>
    changeTask(trx, member, member.workspace.slug, task, change),
  );
  return { field, refusal: refused ? taskRefusalMessages[refused] : null };
}
