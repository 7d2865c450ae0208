import { z } from 'zod';
import { cleanFileName } from './file-names';

export const typeGroups = [
  'image',
  'pdf',
  'document',
  'spreadsheet',
  'archive',
  'audio',
  'video',
  'other',
] as const;

/**
 * The Files page's filters and sort, from its query string (so a view can be bookmarked);
 * anything malformed is ignored, not an error.
 */
export const fileFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  owner: z
    .string()
    .regex(/^[a-z_]{1,40}$/)
    .optional()
    .catch(undefined),
  type: z.enum(typeGroups).optional().catch(undefined),
  uploader: z.uuid().optional().catch(undefined),
  sort: z.enum(['name', 'size', 'date']).catch('date'),
  direction: z.enum(['asc', 'desc']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  trash: z.boolean().default(false),
});

export type FileFilters = Omit<z.infer<typeof fileFilterSchema>, 'direction'> & {
  direction: 'asc' | 'desc';
};

export function fileFiltersFromUrl(url: URL, options: { trash?: boolean } = {}): FileFilters {
  const filters = fileFilterSchema.parse({
    ...Object.fromEntries([...url.searchParams].filter(([, value]) => value !== '')),
    trash: options.trash ?? false,
  });
  // Names read A to Z; sizes and dates largest and newest first, unless asked otherwise.
  return { ...filters, direction: filters.direction ?? (filters.sort === 'name' ? 'asc' : 'desc') };
}

export const renameSchema = z.object({
  name: z
    .string({ error: 'files:validation.nameRequired' })
    .max(255, 'files:validation.nameTooLong')
    .transform((name, ctx) => {
      const cleaned = cleanFileName(name);
      if (!cleaned) {
        ctx.addIssue({ code: 'custom', message: 'files:validation.badName' });
        return z.NEVER;
      }
      return cleaned;
    }),
});

/** How long a download link lasts: the choices offered, in days. */
export const linkDays = [1, 7] as const;
export const linkSchema = z.object({
  days: z.coerce.number().pipe(z.union(linkDays.map((days) => z.literal(days)))),
});
