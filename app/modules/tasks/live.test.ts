import { afterAll, beforeAll, expect, it } from 'vitest';
import { testDatabase } from '../../../tests/support/database-per-file';
import {
  addMember,
  createTestWorkspace,
  type TestWorkspace,
} from '../../../tests/support/factories';
import { createProject, findProject } from '~/modules/projects/projects.server';
import { withWorkspace } from '~/platform/db/database.server';
import { startLiveListener, stopLiveListener, subscribe } from '~/platform/live/hub.server';
import { findTopic, type SseMessage, type Viewer } from '~/platform/live/topics.server';
import './live.server';
import { listStatuses } from './statuses.server';
import { changeTask, createTask, findTask } from './tasks.server';

let workspace: TestWorkspace;
let projectId: string;
const viewerOf = (userId: string, role: string): Viewer => ({
  userId,
  sessionId: 'unused: the hub checks sessions only every 10 s',
  workspaceId: workspace.id,
  role,
  locale: 'es',
  timeZone: 'Europe/Madrid',
});
const member = () => ({
  role: 'owner' as const,
  ctx: { userId: workspace.owner.id, workspaceId: workspace.id },
});

beforeAll(async () => {
  workspace = await createTestWorkspace();
  await createProject(member(), { key: 'LIVE', name: 'Live', description: '', status: 'active' });
  projectId = (await withWorkspace(member().ctx, (trx) => findProject(trx, member(), 'LIVE')))!.id;
  await withWorkspace(member().ctx, (trx) =>
    createTask(
      trx,
      member(),
      workspace.slug,
      { id: projectId, key: 'LIVE' },
      { title: 'Primera', description: '', priority: 'none', labelIds: [] },
    ),
  );
  await startLiveListener(testDatabase.appUrl);
});
afterAll(() => stopLiveListener());

async function until(check: () => boolean) {
  const deadline = Date.now() + 5000;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

it('a move on the board reaches another open board, rendered in that viewer’s language, and replays after a reconnect', async () => {
  const viewer = viewerOf(workspace.owner.id, 'owner');
  const received: SseMessage[] = [];
  // Skip the stream's periodic session check: this test is about the topic.
  const unsubscribe = subscribe({
    viewer,
    checkedAt: Date.now(),
    topics: [`project:${projectId}`],
    send: (m) => received.push(m),
    heartbeat: () => {},
    close: () => {},
  });
  const task = (await withWorkspace(member().ctx, (trx) => findTask(trx, member(), 'LIVE-1')))!;
  const statuses = await withWorkspace(member().ctx, (trx) => listStatuses(trx, projectId));
  const done = statuses.find((status) => status.preset === 'done')!;
  await withWorkspace(member().ctx, (trx) =>
    changeTask(trx, member(), workspace.slug, task, { statusId: done.id }),
  );
  await until(() => received.length > 0);
  unsubscribe();
  expect(received[0]!.event).toBe('board');
  expect(received[0]!.data).toContain(`hx-swap-oob="beforeend:#column-cards-${done.id}"`);
  expect(received[0]!.data).toContain('LIVE-1 está ahora en Hecho.');

  const topic = findTopic(`project:${projectId}`)!;
  const missed = await withWorkspace(viewer, (trx) =>
    topic.definition.replay(trx, viewer, projectId, '0'),
  );
  expect(missed).toHaveLength(1);
  expect(missed[0]!.id).toBe(received[0]!.id);
  const nothing = await withWorkspace(viewer, (trx) =>
    topic.definition.replay(trx, viewer, projectId, received[0]!.id!),
  );
  expect(nothing).toEqual([]);
});

it('a guest outside the project may not follow its board or its tasks', async () => {
  const guest = await addMember(workspace, 'guest');
  const viewer = viewerOf(guest.id, 'guest');
  const task = (await withWorkspace(member().ctx, (trx) => findTask(trx, member(), 'LIVE-1')))!;
  for (const name of [`project:${projectId}`, `task:${task.id}`]) {
    const topic = findTopic(name)!;
    expect(
      await withWorkspace(viewer, (trx) => topic.definition.authorize(trx, viewer, topic.id)),
      name,
    ).toBe(false);
  }
});
