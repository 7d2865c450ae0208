import type { Logger } from 'graphile-worker';
import { getLogger } from '../logger.server';

/** graphile-worker's log lines, as JSON lines in our logger (the queue is loaded when first needed, not at start). */
export async function jobQueueLogger(): Promise<Logger> {
  const { Logger } = await import('graphile-worker');
  return new Logger((scope) => (level, message, meta) => {
    const log = getLogger().child({ component: 'jobs', ...scope });
    const fields = meta ?? {};
    if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else if (level === 'info') log.info(fields, message);
    else log.debug(fields, message);
  });
}
