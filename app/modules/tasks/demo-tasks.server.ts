import type { WorkspaceRole } from '~/platform/db/schema';
import { withWorkspace } from '~/platform/db/database.server';
import { addChecklistItem, setChecklistItem } from './checklist.server';
import { addComment } from './comments.server';
import { saveLabel, labelChoices } from './labels.server';
import type { TaskPriority } from './schema';
import { listStatuses } from './statuses.server';
import { changeTask, createTask, findTask } from './tasks.server';

type Person = { userId: string; role: WorkspaceRole };
type DemoTask = {
  project: string;
  by: Person;
  title: string;
  description?: string;
  status?: 'todo' | 'in_progress' | 'in_review' | 'done';
  assignee?: Person;
  due?: number;
  priority?: TaskPriority;
  labels?: string[];
  checklist?: Array<[string, boolean]>;
  comments?: Array<[Person, string]>;
};

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * Acme's tasks: a catalogue half done (some late, one in review, comments with mentions), a
 * website project just started, a move on hold. Made through the module's own functions, so
 * history, notifications and the audit log read as if people had done the work.
 */
export async function seedDemoTasks(
  workspaceId: string,
  slug: string,
  people: { owner: Person; manager: Person; member: Person; guest: Person },
): Promise<void> {
  const as = (person: Person) => ({
    role: person.role,
    ctx: { userId: person.userId, workspaceId },
  });
  const { owner, manager, member, guest } = people;
  const labels = new Map<string, string>();
  await withWorkspace(as(manager).ctx, async (trx) => {
    for (const [name, colour] of [
      ['Print', 'purple'],
      ['Photos', 'teal'],
      ['Supplier', 'orange'],
      ['Bug', 'red'],
      ['Design', 'blue'],
    ] as const)
      await saveLabel(trx, as(manager), { name, colour });
    for (const label of await labelChoices(trx)) labels.set(label.name, label.id);
  });
  const tasks: DemoTask[] = [
    {
      project: 'SPRING',
      by: manager,
      title: 'Shoot the new linen range',
      status: 'done',
      assignee: member,
      due: -6,
      priority: 'high',
      labels: ['Photos'],
      checklist: [
        ['Book the studio', true],
        ['Steam every piece', true],
        ['Pick the best 40 shots', true],
      ],
    },
    {
      project: 'SPRING',
      by: manager,
      title: 'Check prices against the supplier list',
      status: 'in_review',
      assignee: manager,
      due: -1,
      priority: 'urgent',
      labels: ['Supplier'],
      description:
        'The supplier raised three prices in October. Every page must match **their list of 1 November**.',
      comments: [
        [member, '@Maya two prices still differ on page 14: the oak tray and the linen runner.'],
        [manager, 'Thanks @Marco, fixed both. Ready for a last look.'],
      ],
    },
    {
      project: 'SPRING',
      by: manager,
      title: 'Write product descriptions for pages 1–20',
      status: 'in_progress',
      assignee: member,
      due: 3,
      priority: 'medium',
      labels: ['Print'],
      checklist: [
        ['Pages 1–10', true],
        ['Pages 11–20', false],
      ],
    },
    {
      project: 'SPRING',
      by: manager,
      title: 'Lay out the cover',
      status: 'in_progress',
      assignee: manager,
      due: 5,
      priority: 'high',
      labels: ['Design', 'Print'],
      comments: [[guest, 'I can send two extra cover shots by Friday if you want options.']],
    },
    {
      project: 'SPRING',
      by: manager,
      title: 'Get three quotes for printing 2,000 copies',
      status: 'todo',
      assignee: manager,
      due: 8,
      priority: 'medium',
      labels: ['Print', 'Supplier'],
    },
    {
      project: 'SPRING',
      by: member,
      title: 'Proofread the price pages',
      status: 'todo',
      assignee: member,
      due: 12,
      labels: ['Print'],
    },
    {
      project: 'SPRING',
      by: manager,
      title: 'Retouch the garden furniture photos',
      status: 'todo',
      assignee: member,
      due: -2,
      priority: 'high',
      labels: ['Photos'],
    },
    {
      project: 'SPRING',
      by: manager,
      title: 'Decide on recycled paper',
      status: 'todo',
      priority: 'low',
    },
    {
      project: 'SPRING',
      by: manager,
      title: 'Send the final PDF to the printer',
      status: 'todo',
      assignee: manager,
      due: 20,
      priority: 'urgent',
      labels: ['Print'],
    },
    {
      project: 'WEB',
      by: owner,
      title: 'Checkout fails on older Android phones',
      status: 'in_progress',
      assignee: owner,
      due: 1,
      priority: 'urgent',
      labels: ['Bug'],
      description:
        'Reported by two customers this week. Android 9, Chrome 80: the pay button does nothing.',
      comments: [[manager, 'Reproduced on the shop tablet. @Olivia do you want the screenshots?']],
    },
    {
      project: 'WEB',
      by: owner,
      title: 'Choose a new hosting plan',
      status: 'todo',
      assignee: owner,
      due: 10,
      priority: 'medium',
    },
    {
      project: 'WEB',
      by: owner,
      title: 'Draft the new home page',
      status: 'todo',
      assignee: manager,
      due: 14,
      labels: ['Design'],
    },
    {
      project: 'WEB',
      by: owner,
      title: 'Move product photos to the new sizes',
      status: 'todo',
      labels: ['Photos'],
    },
    {
      project: 'WEB',
      by: owner,
      title: 'Write the shipping and returns page',
      status: 'done',
      assignee: manager,
      due: -10,
      priority: 'low',
    },
    {
      project: 'MOVE',
      by: owner,
      title: 'Sign the lease for Dock Road',
      status: 'todo',
      assignee: owner,
      due: 30,
      priority: 'high',
      checklist: [
        ['Read the draft', true],
        ['Ask the lawyer about clause 7', false],
      ],
    },
    {
      project: 'MOVE',
      by: owner,
      title: 'Count the stock before the move',
      status: 'todo',
      assignee: member,
      priority: 'medium',
    },
  ];
  for (const demo of tasks) {
    const viewer = as(demo.by);
    await withWorkspace(viewer.ctx, async (trx) => {
      const project = await trx
        .selectFrom('projects')
        .select(['id', 'key'])
        .where('key', '=', demo.project)
        .executeTakeFirstOrThrow();
      const statuses = await listStatuses(trx, project.id);
      const created = await createTask(trx, viewer, slug, project, {
        title: demo.title,
        description: demo.description ?? '',
        assigneeId: demo.assignee?.userId,
        dueDate: demo.due === undefined ? undefined : day(demo.due),
        priority: demo.priority ?? 'none',
        labelIds: (demo.labels ?? []).map((name) => labels.get(name)!),
        statusId: undefined,
      });
      if (!created.ok)
        throw new Error(`the demo task "${demo.title}" was refused: ${created.reason}`);
      let task = (await findTask(trx, viewer, created.key))!;
      for (const [text, done] of demo.checklist ?? []) {
        await addChecklistItem(trx, viewer, task, text);
        if (done) {
          const item = await trx
            .selectFrom('checklistItems')
            .select('id')
            .where('taskId', '=', task.id)
            .where('text', '=', text)
            .executeTakeFirstOrThrow();
          await setChecklistItem(trx, viewer, task, item.id, true);
        }
      }
      for (const [author, body] of demo.comments ?? []) {
        const reader = as(author);
        await addComment(trx, reader, slug, (await findTask(trx, reader, created.key))!, body);
      }
      // Work moves along after it is created: the history shows the move.
      const status = statuses.find((candidate) => candidate.preset === (demo.status ?? 'todo'))!;
      task = (await findTask(trx, viewer, created.key))!;
      if (status.id !== task.statusId)
        await changeTask(trx, viewer, slug, task, { statusId: status.id });
    });
  }
}
