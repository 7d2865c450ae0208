/**
 * What a notification can be about: a closed list that each module extends with its own
 * kinds. The sentence for a kind is `notifications:kinds.<kind>` ("{{actor}} mentioned you in
 * {{title}}"); `mailed` says whether people who want email get one for it.
 */
export const notificationKinds = {
  'task.mentioned': { mailed: true },
  'task.assigned': { mailed: true },
  // The assignee hears of every comment in the app; mail is for what needs them.
  'task.commented': { mailed: false },
  // Mailed by chat's own job, and only once the person has been away for ten minutes.
  'chat.mentioned': { mailed: false },
} as const satisfies Record<string, { mailed: boolean }>;

export type NotificationKind = keyof typeof notificationKinds;

export function isNotificationKind(value: string): value is NotificationKind {
  return Object.hasOwn(notificationKinds, value);
}
