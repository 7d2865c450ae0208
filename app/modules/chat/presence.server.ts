import { sql } from 'kysely';
import { withMaintenance, withWorkspace, type Trx } from '~/platform/db/database.server';
import { defineCron, defineJob } from '~/platform/jobs/jobs.server';
import { watchStreams } from '~/platform/live/hub.server';
import { notifyLive } from '~/platform/live/notify.server';
import type { Viewer } from '~/platform/live/topics.server';
import { getLogger } from '~/platform/logger.server';
import { singleton } from '~/platform/singleton.server';
import { z } from 'zod';

/** The live topic of who is around in a workspace. */
export const presenceTopic = (workspaceId: string) => `presence:${workspaceId}`;

/** An open page renews its person's presence at each heartbeat (25 s); this outlasts two missed. */
const ONLINE_FOR = '70 seconds';
/** Seen this recently, without an open page: away. Longer: offline. */
export const AWAY_FOR_MS = 10 * 60_000;

export type PresenceState = 'online' | 'away' | 'offline' | 'dnd';

export function presenceState(
  row: { onlineUntil: Date | null; lastSeenAt: Date | null; doNotDisturb: boolean | null },
  now = Date.now(),
): PresenceState {
  if (row.doNotDisturb) return 'dnd';
  if (row.onlineUntil && row.onlineUntil.getTime() > now) return 'online';
  if (row.lastSeenAt && now - row.lastSeenAt.getTime() < AWAY_FOR_MS) return 'away';
  return 'offline';
}

/**
 * When someone shown away counts as offline: nothing happens on the server then, so a page left
 * open turns their badge itself (public/app.js).
 */
export function offlineAt(
  row: { onlineUntil: Date | null; lastSeenAt: Date | null; doNotDisturb: boolean | null },
  now = Date.now(),
): string | undefined {
  if (presenceState(row, now) !== 'away' || !row.lastSeenAt) return undefined;
  return new Date(row.lastSeenAt.getTime() + AWAY_FOR_MS).toISOString();
}

/** People as the conversation page lists them: a name, how they are, when away turns offline. */
export function peopleWithPresence(
  rows: Array<{
    id: string;
    name: string | null;
    email: string | null;
    onlineUntil: Date | null;
    lastSeenAt: Date | null;
    doNotDisturb: boolean | null;
  }>,
  now = Date.now(),
) {
  return rows.map((person) => ({
    id: person.id,
    name: person.name ?? person.email ?? '',
    state: presenceState(person, now),
    offlineAt: offlineAt(person, now),
  }));
}

async function announce(trx: Trx, workspaceId: string, userIds: string[]) {
  for (const userId of userIds)
    await notifyLive(trx, {
      w: workspaceId,
      t: presenceTopic(workspaceId),
      k: 'presence',
      id: userId,
      s: '',
    });
}

/**
 * These people have an open page here now: renewed until ONLINE_FOR from now, and whoever was
 * not shown online before is announced.
 */
export async function markOnline(workspaceId: string, userIds: string[]): Promise<void> {
  await withWorkspace({ userId: null, workspaceId }, async (trx) => {
    const { rows } = await sql<{ userId: string }>`
      with before as (
        select user_id, shown_online from presence where user_id = any(${userIds}::uuid[])
      )
      insert into presence as p (workspace_id, user_id, online_until, last_seen_at, shown_online)
      select ${workspaceId}::uuid, id, now() + ${ONLINE_FOR}::interval, now(), true
      from unnest(${userIds}::uuid[]) as id
      on conflict (workspace_id, user_id) do update
        set online_until = excluded.online_until, last_seen_at = excluded.last_seen_at, shown_online = true
      returning p.user_id as "userId",
        coalesce((select b.shown_online from before b where b.user_id = p.user_id), false) as "wasOnline"
    `.execute(trx);
    const appeared = (rows as Array<{ userId: string; wasOnline: boolean }>)
      .filter((row) => !row.wasOnline)
      .map((row) => row.userId);
    await announce(trx, workspaceId, appeared);
  });
}

/** This person's last page here closed: away from now (another container's page renews it). */
async function markGone(workspaceId: string, userId: string): Promise<void> {
  await withWorkspace({ userId: null, workspaceId }, async (trx) => {
    const gone = await trx
      .updateTable('presence')
      .set({ onlineUntil: sql`now()`, lastSeenAt: sql`now()`, shownOnline: false })
      .where('userId', '=', userId)
      .where('shownOnline', '=', true)
      .returning('userId')
      .execute();
    await announce(
      trx,
      workspaceId,
      gone.map((row) => row.userId),
    );
  });
}

export async function setDoNotDisturb(workspaceId: string, userId: string, on: boolean) {
  await withWorkspace({ userId, workspaceId }, async (trx) => {
    await trx
      .insertInto('presence')
      .values({ workspaceId, userId, doNotDisturb: on, lastSeenAt: new Date() })
      .onConflict((oc) => oc.columns(['workspaceId', 'userId']).doUpdateSet({ doNotDisturb: on }))
      .execute();
    await announce(trx, workspaceId, [userId]);
  });
}

export async function myPresence(trx: Trx, userId: string) {
  return trx
    .selectFrom('presence')
    .select(['onlineUntil', 'lastSeenAt', 'doNotDisturb'])
    .where('userId', '=', userId)
    .executeTakeFirst();
}

/** Whose presence, as the others see it, changed after a live_seq: what a (re)connecting page missed. */
export async function presenceChangedSince(trx: Trx, afterSeq: string) {
  return trx
    .selectFrom('presence')
    .select(['userId', 'onlineUntil', 'lastSeenAt', 'doNotDisturb'])
    .where('liveSeq', '>', afterSeq)
    .orderBy('liveSeq')
    .limit(500)
    .execute();
}

const log = () => getLogger().child({ component: 'presence' });
const failed = (error: unknown) => log().warn({ err: error }, 'presence could not be recorded');

/**
 * Presence follows this process's open streams: a person's first stream marks them online,
 * each heartbeat renews everyone with a stream, and their last stream closing marks them away.
 */
export function trackPresence(): void {
  singleton('presence-tracker', () => {
    const streams = new Map<string, number>();
    const key = (viewer: Viewer) => `${viewer.workspaceId}|${viewer.userId}`;
    watchStreams({
      opened(viewer) {
        const count = (streams.get(key(viewer)) ?? 0) + 1;
        streams.set(key(viewer), count);
        if (count === 1) return markOnline(viewer.workspaceId, [viewer.userId]).catch(failed);
      },
      closed(viewer) {
        const count = (streams.get(key(viewer)) ?? 1) - 1;
        if (count > 0) {
          streams.set(key(viewer), count);
          return;
        }
        streams.delete(key(viewer));
        return markGone(viewer.workspaceId, viewer.userId).catch(failed);
      },
      heartbeat(viewers) {
        const byWorkspace = new Map<string, Set<string>>();
        for (const viewer of viewers) {
          const users = byWorkspace.get(viewer.workspaceId) ?? new Set();
          users.add(viewer.userId);
          byWorkspace.set(viewer.workspaceId, users);
        }
        return Promise.all(
          [...byWorkspace].map(([workspaceId, users]) =>
            markOnline(workspaceId, [...users]).catch(failed),
          ),
        ).then(() => {});
      },
    });
    return streams;
  });
}

/**
 * A container that stops without closing its streams leaves people "online" until their time
 * runs out; once a minute this tells everyone they are not.
 */
export const presenceSweepJob = defineJob({
  name: 'chat.presence-sweep',
  payload: z.object({}).passthrough(),
  async run() {
    await withMaintenance(async (trx) => {
      const expired = await trx
        .updateTable('presence')
        .set({ shownOnline: false })
        .where('shownOnline', '=', true)
        .where('onlineUntil', '<', sql<Date>`now()`)
        .returning(['workspaceId', 'userId'])
        .execute();
      for (const { workspaceId, userId } of expired) await announce(trx, workspaceId, [userId]);
    });
  },
});
defineCron({ job: presenceSweepJob.name, pattern: '* * * * *', identifier: 'presence-sweep' });
