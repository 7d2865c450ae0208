import enAccounts from './locales/en/accounts.json';
import enAudit from './locales/en/audit.json';
import enChat from './locales/en/chat.json';
import enCommon from './locales/en/common.json';
import enFiles from './locales/en/files.json';
import enNotifications from './locales/en/notifications.json';
import enProjects from './locales/en/projects.json';
import enTasks from './locales/en/tasks.json';
import enWorkspaces from './locales/en/workspaces.json';
import esAccounts from './locales/es/accounts.json';
import esAudit from './locales/es/audit.json';
import esChat from './locales/es/chat.json';
import esCommon from './locales/es/common.json';
import esFiles from './locales/es/files.json';
import esNotifications from './locales/es/notifications.json';
import esProjects from './locales/es/projects.json';
import esTasks from './locales/es/tasks.json';
import esWorkspaces from './locales/es/workspaces.json';

/** Every namespace in every language. A test fails when a key exists in one and not the other. */
export const resources = {
  en: {
    common: enCommon,
    accounts: enAccounts,
    workspaces: enWorkspaces,
    audit: enAudit,
    files: enFiles,
    projects: enProjects,
    tasks: enTasks,
    notifications: enNotifications,
    chat: enChat,
  },
  es: {
    common: esCommon,
    accounts: esAccounts,
    workspaces: esWorkspaces,
    audit: esAudit,
    files: esFiles,
    projects: esProjects,
    tasks: esTasks,
    notifications: esNotifications,
    chat: esChat,
  },
} as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['en'];
  }
}
