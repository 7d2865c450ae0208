import { z } from 'zod';
import { emailField } from '~/modules/accounts/schema';
import { roles } from './roles';

export const workspaceNameField = z
  .string({ error: 'workspaces:validation.nameRequired' })
  .trim()
  .min(1, 'workspaces:validation.nameRequired')
  .max(80, 'workspaces:validation.nameTooLong');

export const slugField = z
  .string({ error: 'workspaces:validation.slugRequired' })
  .trim()
  .toLowerCase()
  .min(1, 'workspaces:validation.slugRequired')
  .max(40, 'workspaces:validation.slugInvalid')
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'workspaces:validation.slugInvalid');

/** "Acme Widgets, S.L." → "acme-widgets-s-l": a suggestion when the slug is left empty. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

export const createWorkspaceSchema = z
  .object({ name: workspaceNameField, slug: z.string().optional() })
  .transform((value, ctx) => {
    const parsed = slugField.safeParse(value.slug?.trim() ? value.slug : slugify(value.name));
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', path: ['slug'], message: parsed.error.issues[0]!.message });
      return z.NEVER;
    }
    return { name: value.name, slug: parsed.data };
  });

export const settingsSchema = z.object({
  name: workspaceNameField,
  brandColor: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(#[0-9a-f]{6})?$/, 'workspaces:validation.colorInvalid')
    .optional()
    .transform((color) => color || null),
});

const invitableRole = z.enum(
  roles.filter((role) => role !== 'owner') as ['admin', 'manager', 'member', 'guest'],
  {
    error: 'workspaces:validation.roleInvalid',
  },
);

export const inviteSchema = z.object({ email: emailField, role: invitableRole });

export const roleSchema = z.object({
  role: z.enum(roles as [string, ...string[]], { error: 'workspaces:validation.roleInvalid' }),
});

export const divisionSchema = z.object({
  name: z
    .string({ error: 'workspaces:validation.divisionNameRequired' })
    .trim()
    .min(1, 'workspaces:validation.divisionNameRequired')
    .max(80, 'workspaces:validation.nameTooLong'),
});

export const memberFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  role: z
    .enum(roles as [string, ...string[]])
    .optional()
    .catch(undefined),
  status: z.enum(['active', 'deactivated']).optional().catch(undefined),
  division: z.uuid().optional().catch(undefined),
});
