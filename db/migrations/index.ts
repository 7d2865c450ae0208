import type { Migration } from 'kysely';
import * as platform from './0001-platform';
import * as accountsWorkspacesAudit from './0002-accounts-workspaces-audit';
import * as jobs from './0003-jobs';
import * as files from './0004-files';
import * as projects from './0005-projects';
import * as tasks from './0006-tasks';
import * as notifications from './0007-notifications';
import * as taskPurge from './0008-task-purge';
import * as chat from './0009-chat';
import * as presenceReplay from './0010-presence-replay';

/**
 * Every migration, in order. Listed by hand so the production bundle carries them; a test
 * fails when a file in this folder is missing here.
 */
export const migrations: Record<string, Migration> = {
  '0001-platform': platform,
  '0002-accounts-workspaces-audit': accountsWorkspacesAudit,
  '0003-jobs': jobs,
  '0004-files': files,
  '0005-projects': projects,
  '0006-tasks': tasks,
  '0007-notifications': notifications,
  '0008-task-purge': taskPurge,
  '0009-chat': chat,
  '0010-presence-replay': presenceReplay,
};
