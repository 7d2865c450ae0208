import { z } from 'zod';
import { auditActions } from './record.server';

// A real calendar day: "2024-02-30" parses in JavaScript but not in Postgres, so round-trip it.
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return (
      !Number.isNaN(date.getTime()) &&
      date.toISOString().slice(0, 10) === value &&
      date.getUTCFullYear() >= 1970
    );
  });

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
