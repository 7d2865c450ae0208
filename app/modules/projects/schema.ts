import { z } from 'zod';

export const projectStatuses = ['active', 'on_hold', 'done', 'archived'] as const;
export const projectRoles = ['lead', 'member', 'viewer'] as const;

// A real calendar day: "2026-02-30" parses in JavaScript but not in Postgres.
const isoDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'projects:validation.dateInvalid')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'projects:validation.dateInvalid');

const optionalDay = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  isoDay.optional(),
);

/** "Website relaunch" → "WR"; "Payroll" → "PAYROLL": a key suggestion when none is typed. */
export function suggestKey(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  const key =
    words.length > 1 ? words.map((word) => word[0]).join('') : (words[0] ?? '').slice(0, 10);
  return /^[A-Z]/.test(key) && key.length >= 2 ? key.slice(0, 10) : `P${key}`.slice(0, 10);
}

export const projectFields = z.object({
  name: z
    .string({ error: 'projects:validation.nameRequired' })
    .trim()
    .min(1, 'projects:validation.nameRequired')
    .max(120, 'projects:validation.nameTooLong'),
  description: z
    .string()
    .max(20_000, 'projects:validation.descriptionTooLong')
    .optional()
    .transform((text) => text ?? ''),
  status: z.enum(projectStatuses, { error: 'projects:validation.statusInvalid' }).default('active'),
  leadId: z.uuid({ error: 'projects:validation.leadInvalid' }).optional(),
  divisionId: z.uuid({ error: 'projects:validation.divisionInvalid' }).optional(),
  startDate: optionalDay,
  targetDate: optionalDay,
});

const keyField = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9]{1,9}$/, 'projects:validation.keyInvalid')
  // /projects/new is the form for a new project, so no project may be called NEW.
  .refine((key) => key !== 'NEW', 'projects:validation.keyTaken');

function datesInOrder(value: { startDate?: string; targetDate?: string }, ctx: z.RefinementCtx) {
  if (value.startDate && value.targetDate && value.targetDate < value.startDate)
    ctx.addIssue({
      code: 'custom',
      path: ['targetDate'],
      message: 'projects:validation.targetBeforeStart',
    });
}

export const createProjectSchema = projectFields
  .extend({ key: z.string().optional() })
  .superRefine(datesInOrder)
  .transform((value, ctx) => {
    const parsed = keyField.safeParse(value.key?.trim() ? value.key : suggestKey(value.name));
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: parsed.error.issues[0]!.message });
      return z.NEVER;
    }
    return { ...value, key: parsed.data };
  });

export const updateProjectSchema = projectFields.superRefine(datesInOrder);

export type ProjectInput = z.infer<typeof updateProjectSchema>;

export const projectMemberSchema = z.object({
  userId: z.uuid({ error: 'projects:validation.personRequired' }),
  role: z.enum(projectRoles, { error: 'projects:validation.roleInvalid' }).default('member'),
});

export const projectFilterSchema = z.object({
  trash: z
    .literal('1')
    .optional()
    .catch(undefined)
    .transform((value) => value === '1'),
  status: z.enum(projectStatuses).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
});

/** Why a project could not be saved (projects.server.ts), as the field it concerns. */
export const projectRefusalErrors: Record<
  'key_taken' | 'lead_not_member' | 'division_unknown',
  Record<string, string[]>
> = {
  key_taken: { key: ['projects:validation.keyTaken'] },
  lead_not_member: { leadId: ['projects:validation.leadInvalid'] },
  division_unknown: { divisionId: ['projects:validation.divisionInvalid'] },
};
