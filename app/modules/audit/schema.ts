import { z } from 'zod';
import { auditActions } from './record.server';

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => !Number.isNaN(Date.parse(value)));

/** The audit page's filters, from its query string; anything malformed is ignored, not an error. */
export const auditFilterSchema = z.object({
  actor: z.uuid().optional().catch(undefined),
  action: z.enum(auditActions).optional().catch(undefined),
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
});

export function auditFiltersFromUrl(url: URL) {
  return auditFilterSchema.parse(
    Object.fromEntries([...url.searchParams].filter(([, value]) => value !== '')),
  );
}
