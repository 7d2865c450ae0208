import { z } from 'zod';

export const taskPriorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export const statusCategories = ['todo', 'in_progress', 'done'] as const;
export const labelColours = [
  'grey',
  'red',
  'orange',
  'yellow',
  'green',
  'teal',
  'blue',
  'purple',
  'pink',
] as const;
export type TaskPriority = (typeof taskPriorities)[number];

/** "ACME-42": a project key and the task's number in it. */
export const taskKeyPattern = /^([A-Z][A-Z0-9]{1,9})-(\d{1,9})$/;

export function parseTaskKey(value: string | undefined) {
  const match = taskKeyPattern.exec((value ?? '').toUpperCase());
  return match ? { projectKey: match[1]!, number: Number(match[2]) } : null;
}

// A real calendar day: "2026-02-30" parses in JavaScript but not in Postgres.
export const isoDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'tasks:validation.dateInvalid')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'tasks:validation.dateInvalid');

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const title = z
  .string({ error: 'tasks:validation.titleRequired' })
  .trim()
  .min(1, 'tasks:validation.titleRequired')
  .max(200, 'tasks:validation.titleTooLong');

const optionalUuid = (message: string) =>
  z.preprocess(blankToUndefined, z.uuid({ error: message }).optional());

export const taskFields = z.object({
  title,
  description: z
    .string()
    .max(20_000, 'tasks:validation.descriptionTooLong')
    .optional()
    .transform((text) => text ?? ''),
  statusId: optionalUuid('tasks:validation.statusInvalid'),
  assigneeId: optionalUuid('tasks:validation.assigneeInvalid'),
  dueDate: z.preprocess(blankToUndefined, isoDay.optional()),
  priority: z.enum(taskPriorities, { error: 'tasks:validation.priorityInvalid' }).default('none'),
  labelIds: z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(z.uuid({ error: 'tasks:validation.labelInvalid' })).max(20),
  ),
});
export type TaskInput = z.infer<typeof taskFields>;

/** The board's and the task page's quick changes: one field at a time. */
export const taskChangeSchema = z.discriminatedUnion('field', [
  z.object({
    field: z.literal('status'),
    statusId: z.uuid({ error: 'tasks:validation.statusInvalid' }),
  }),
  z.object({
    field: z.literal('assignee'),
    assigneeId: optionalUuid('tasks:validation.assigneeInvalid'),
  }),
]);

export const commentSchema = z.object({
  body: z
    .string({ error: 'tasks:validation.commentRequired' })
    .trim()
    .min(1, 'tasks:validation.commentRequired')
    .max(10_000, 'tasks:validation.commentTooLong'),
});

export const checklistItemSchema = z.object({
  text: z
    .string({ error: 'tasks:validation.itemRequired' })
    .trim()
    .min(1, 'tasks:validation.itemRequired')
    .max(200, 'tasks:validation.itemTooLong'),
});

export const statusSchema = z.object({
  name: z
    .string({ error: 'tasks:validation.statusNameRequired' })
    .trim()
    .min(1, 'tasks:validation.statusNameRequired')
    .max(40, 'tasks:validation.statusNameTooLong'),
  category: z.enum(statusCategories, { error: 'tasks:validation.categoryInvalid' }),
});

export const labelSchema = z.object({
  name: z
    .string({ error: 'tasks:validation.labelNameRequired' })
    .trim()
    .min(1, 'tasks:validation.labelNameRequired')
    .max(40, 'tasks:validation.labelNameTooLong'),
  colour: z.enum(labelColours, { error: 'tasks:validation.colourInvalid' }),
});

/**
 * Bulk edit: the chosen tasks and the one change to make to all of them. Each change field is
 * optional; "keep" leaves it alone, so one post can set several fields.
 */
export const bulkEditSchema = z
  .object({
    taskIds: z.preprocess(
      (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
      z
        .array(z.uuid({ error: 'tasks:validation.selectTasks' }))
        .min(1, 'tasks:validation.selectTasks')
        .max(500),
    ),
    statusId: z.preprocess(blankToUndefined, z.uuid().optional()),
    assigneeId: z.preprocess(
      blankToUndefined,
      z
        .union([z.literal('nobody'), z.uuid({ error: 'tasks:validation.assigneeInvalid' })])
        .optional(),
    ),
    priority: z.preprocess(blankToUndefined, z.enum(taskPriorities).optional()),
    dueDate: z.preprocess(blankToUndefined, z.union([z.literal('none'), isoDay]).optional()),
  })
  .refine(
    (value) =>
      value.statusId !== undefined ||
      value.assigneeId !== undefined ||
      value.priority !== undefined ||
      value.dueDate !== undefined,
    { path: ['statusId'], message: 'tasks:validation.bulkNothing' },
  );

const dueFilters = ['overdue', 'week', 'none'] as const;
const sorts = ['priority', 'due', 'created', 'updated', 'key', 'title'] as const;

/**
 * The list's filters as they stand in the URL: anything unreadable is dropped rather than
 * refused, so an old bookmark still opens.
 */
export const taskFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  status: z.array(z.string()).catch([]),
  assignee: z.array(z.string()).catch([]),
  priority: z.array(z.enum(taskPriorities)).catch([]),
  label: z.array(z.string()).catch([]),
  due: z.enum(dueFilters).optional().catch(undefined),
  sort: z.enum(sorts).catch('priority'),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});
export type TaskFilters = z.infer<typeof taskFilterSchema>;

export function readTaskFilters(search: URLSearchParams): TaskFilters {
  const uuids = (name: string) =>
    search.getAll(name).filter((value) => z.uuid().safeParse(value).success);
  return taskFilterSchema.parse({
    q: search.get('q') ?? undefined,
    status: uuids('status'),
    // "me" and "nobody" stand beside people's ids.
    assignee: search
      .getAll('assignee')
      .filter((value) => value === 'me' || value === 'nobody' || z.uuid().safeParse(value).success),
    priority: search
      .getAll('priority')
      .filter((value) => (taskPriorities as readonly string[]).includes(value)),
    label: uuids('label'),
    due: search.get('due') ?? undefined,
    sort: search.get('sort') ?? undefined,
    page: search.get('page') ?? undefined,
  });
}

/** The filters back as a query string, in a stable order (for saved views and links). */
export function taskFilterQuery(filters: Partial<TaskFilters>): string {
  const search = new URLSearchParams();
  if (filters.q) search.set('q', filters.q);
  for (const name of ['status', 'assignee', 'priority', 'label'] as const)
    for (const value of filters[name] ?? []) search.append(name, value);
  if (filters.due) search.set('due', filters.due);
  if (filters.sort && filters.sort !== 'priority') search.set('sort', filters.sort);
  return search.toString();
}

export const savedViewSchema = z.object({
  name: z
    .string({ error: 'tasks:validation.viewNameRequired' })
    .trim()
    .min(1, 'tasks:validation.viewNameRequired')
    .max(60, 'tasks:validation.viewNameTooLong'),
  query: z.string().max(1000).default(''),
});

/** How long a deleted task can be restored from its page before it goes for good. */
export const TASK_TRASH_DAYS = 30;
