import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantAccess } from '~/modules/workspaces/visibility.server';
import {
  createDivision,
  listDivisions,
  setMemberDivisions,
} from '~/modules/workspaces/divisions.server';
import { inviteMember } from '~/modules/workspaces/invitations.server';
import {
  addMember,
  createTestWorkspace,
  ownerSql,
  type TestWorkspace,
} from '../../../tests/support/factories';
import { createDefaultStatuses } from '~/modules/tasks/statuses.server';
import { withSystem, withWorkspace, type WorkspaceContext } from './database.server';

/**
 * The promise of tenancy: through the app's role, with the `where workspace_id = …` filter
 * forgotten, workspace B can read, change, delete and insert none of workspace A's rows.
 * Tenant tables are discovered from the catalog, so a table added later is covered (and this
 * test fails until the fixture below puts a row in it).
 */
let a: TestWorkspace;
let b: TestWorkspace;
let asB: WorkspaceContext;
let tenantTables: string[];
const owner = ownerSql();

async function fill(workspace: TestWorkspace) {
  const ctx = { userId: workspace.owner.id, workspaceId: workspace.id };
  const member = await addMember(workspace, 'member');
  await createDivision(ctx, 'Operations');
  const [division] = await listDivisions(ctx);
  await setMemberDivisions(ctx, member.id, [division!.id]);
  await inviteMember(ctx, { email: `invitee-${workspace.slug}@example.test`, role: 'guest' }, 'en');
  await withWorkspace(ctx, async (trx) => {
    await grantAccess(
      trx,
      { ctx },
      { resourceType: 'project', resourceId: 'p-1', userId: member.id },
    );
    // A file's row (its bytes are the store's business, not the database's).
    const fileId = randomUUID();
    await trx
      .insertInto('files')
      .values({
        id: fileId,
        workspaceId: workspace.id,
        ownerKind: 'library',
        ownerId: workspace.id,
        uploadedBy: member.id,
        name: 'report.pdf',
        sizeBytes: 1024,
        contentType: 'application/pdf',
        sha256: 'a'.repeat(64),
        storeKey: `${workspace.id}/${fileId}`,
      })
      .execute();
    const project = await trx
      .insertInto('projects')
      .values({ workspaceId: workspace.id, key: 'WEB', name: 'Website', leadId: member.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('projectMembers')
      .values({ workspaceId: workspace.id, projectId: project.id, userId: member.id, role: 'lead' })
      .execute();
    await createDefaultStatuses(trx, workspace.id, project.id);
    const status = await trx
      .selectFrom('taskStatuses')
      .select('id')
      .where('projectId', '=', project.id)
      .executeTakeFirstOrThrow();
    const task = await trx
      .insertInto('tasks')
      .values({
        workspaceId: workspace.id,
        projectId: project.id,
        number: 1,
        title: 'Launch',
        statusId: status.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const label = await trx
      .insertInto('labels')
      .values({ workspaceId: workspace.id, name: 'Bug', colour: 'red' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const onTask = { workspaceId: workspace.id, taskId: task.id };
    await trx
      .insertInto('taskLabels')
      .values({ ...onTask, labelId: label.id })
      .execute();
    await trx
      .insertInto('checklistItems')
      .values({ ...onTask, text: 'Check links', position: 0 })
      .execute();
    await trx
      .insertInto('taskComments')
      .values({ ...onTask, authorId: member.id, body: 'Ready?' })
      .execute();
    await trx
      .insertInto('taskActivity')
      .values({ ...onTask, actorId: member.id, field: 'created' })
      .execute();
    await trx
      .insertInto('taskRemindersSent')
      .values({
        workspaceId: workspace.id,
        userId: member.id,
        kind: 'overdue_digest',
        localDay: '2026-01-01',
      })
      .execute();
    // Saved views, like notifications, are read only by their owner: the owner's, for B's checks.
    await trx
      .insertInto('savedViews')
      .values({
        workspaceId: workspace.id,
        userId: workspace.owner.id,
        projectId: project.id,
        name: 'Mine',
        query: 'assignee=me',
      })
      .execute();
    // Chat: a group of the owner and the member. Messages, their reactions and earlier
    // versions are visible only to a conversation's members, so the owner (who acts as B in
    // the checks below) is one: B must see all of B's rows and none of A's.
    const conversation = await trx
      .insertInto('conversations')
      .values({ workspaceId: workspace.id, kind: 'group', name: 'Launch', createdBy: member.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('conversationMembers')
      .values(
        [workspace.owner.id, member.id].map((userId) => ({
          workspaceId: workspace.id,
          conversationId: conversation.id,
          userId,
          addedBy: member.id,
        })),
      )
      .execute();
    const { seq } = (
      await sql<{ seq: string }>`select nextval('live_seq')::text as seq`.execute(trx)
    ).rows[0]!;
    const message = await trx
      .insertInto('messages')
      .values({
        workspaceId: workspace.id,
        conversationId: conversation.id,
        authorId: member.id,
        body: 'Ready to launch?',
        bodyHtml: '<p>Ready to launch?</p>',
        liveSeq: seq,
        createdLiveSeq: seq,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('messageEdits')
      .values({
        workspaceId: workspace.id,
        messageId: message.id,
        editorId: member.id,
        body: 'Ready?',
      })
      .execute();
    await trx
      .insertInto('messageReactions')
      .values({
        workspaceId: workspace.id,
        messageId: message.id,
        userId: workspace.owner.id,
        emoji: 'thumbs_up',
      })
      .execute();
    await trx
      .insertInto('presence')
      .values({ workspaceId: workspace.id, userId: member.id, doNotDisturb: true })
      .execute();
    // To the owner, the one person whose notifications the checks below read as B.
    await trx
      .insertInto('notifications')
      .values({
        workspaceId: workspace.id,
        userId: workspace.owner.id,
        actorId: member.id,
        kind: 'task.assigned',
        title: 'WEB-1: Launch',
        path: `/w/${workspace.slug}/tasks/WEB-1`,
      })
      .execute();
  });
}

beforeAll(async () => {
  a = await createTestWorkspace();
  b = await createTestWorkspace();
  await fill(a);
  await fill(b);
  asB = { userId: b.owner.id, workspaceId: b.id };
  const rows = await owner<{ table: string }[]>`
    select c.table_name as table from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'workspace_id' and t.table_type = 'BASE TABLE'
    order by 1`;
  tenantTables = rows.map((row) => row.table);
});

afterAll(() => owner.end());

const count = async (table: string, workspaceId: string) =>
  Number(
    (
      await owner.unsafe(`select count(*) from "${table}" where workspace_id = $1`, [workspaceId])
    )[0]!.count,
  );

/** Runs raw SQL as the app role inside B; returns rows affected, or the SQLSTATE it failed with. */
async function asWorkspaceB(
  statement: string,
  parameters: unknown[] = [],
): Promise<{ rows: number } | { error: string }> {
  try {
    return await withWorkspace(asB, async (trx) => {
      const result = await sql
        .raw(
          statement.replace(
            /\$(\d)/g,
            (_, n) => `'${String(parameters[Number(n) - 1]).replaceAll("'", "''")}'`,
          ),
        )
        .execute(trx);
      return { rows: Number(result.numAffectedRows ?? result.rows.length) };
    });
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

const outcome = (result: { rows: number } | { error: string }) =>
  'rows' in result ? result.rows : result.error;

describe('row-level security on every tenant table', () => {
  it('finds the tenant tables, and the fixture has rows of both workspaces in each', async () => {
    expect(tenantTables).toEqual(
      expect.arrayContaining([
        'memberships',
        'divisions',
        'division_members',
        'invitations',
        'resource_grants',
        'audit_events',
        'files',
        'projects',
        'project_members',
        'task_statuses',
        'tasks',
        'labels',
        'task_labels',
        'checklist_items',
        'task_comments',
        'task_activity',
        'saved_views',
        'task_reminders_sent',
        'notifications',
        'conversations',
        'conversation_members',
        'messages',
        'message_edits',
        'message_reactions',
        'presence',
      ]),
    );
    for (const table of tenantTables) {
      expect(await count(table, a.id), `rows of A in ${table}`).toBeGreaterThan(0);
      expect(await count(table, b.id), `rows of B in ${table}`).toBeGreaterThan(0);
    }
  });

  it('has row-level security enabled and forced, with policies, on each', async () => {
    const rows = await owner<
      { table: string; enabled: boolean; forced: boolean; policies: number }[]
    >`
      select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname = any(${tenantTables})`;
    expect(rows).toHaveLength(tenantTables.length);
    for (const row of rows)
      expect(row, row.table).toMatchObject({
        enabled: true,
        forced: true,
        policies: expect.any(Number),
      });
    for (const row of rows) expect(row.policies, row.table).toBeGreaterThan(0);
  });

  it('shows B none of A’s rows when a query forgets its filter', async () => {
    for (const table of tenantTables) {
      const seen = await withWorkspace(asB, (trx) =>
        sql<{ workspaceId: string }>`select workspace_id from ${sql.table(table)}`.execute(trx),
      );
      expect(seen.rows.length, table).toBe(await count(table, b.id));
      expect(
        seen.rows.every((row) => row.workspaceId === b.id),
        table,
      ).toBe(true);
    }
  });

  it('lets B update and delete none of A’s rows', async () => {
    for (const table of tenantTables) {
      const before = await count(table, a.id);
      const updated = await asWorkspaceB(
        `update "${table}" set workspace_id = workspace_id where workspace_id = $1`,
        [a.id],
      );
      const deleted = await asWorkspaceB(`delete from "${table}" where workspace_id = $1`, [a.id]);
      // Either the rows are invisible (0 affected) or the role may not do it at all (42501).
      expect(outcome(updated), table).toBeOneOf([0, '42501']);
      expect(outcome(deleted), table).toBeOneOf([0, '42501']);
      expect(await count(table, a.id), table).toBe(before);
    }
  });

  it('refuses B inserting a row into A', async () => {
    for (const table of tenantTables) {
      const [row] = await owner.unsafe(
        `select row_to_json(t) as json from "${table}" t where workspace_id = $1 limit 1`,
        [a.id],
      );
      // Generated columns (files.type_group) take no value: Postgres computes them.
      const columns = (
        await owner<{ name: string }[]>`
          select column_name as name from information_schema.columns
          where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER'`
      )
        .map((column) => `"${column.name}"`)
        .join(', ');
      const before = await count(table, a.id);
      const inserted = await asWorkspaceB(
        `insert into "${table}" (${columns}) overriding system value select ${columns} from json_populate_record(null::"${table}", $1::json)`,
        [JSON.stringify(row!.json)],
      );
      expect(inserted, table).toEqual({ error: '42501' });
      expect(await count(table, a.id), table).toBe(before);
    }
  });

  it('keeps the workspaces table itself to the current workspace', async () => {
    const seen = await withWorkspace(asB, (trx) =>
      trx.selectFrom('workspaces').select('id').execute(),
    );
    expect(seen.map((row) => row.id)).toEqual([b.id]);
    const renamed = await asWorkspaceB(`update workspaces set name = 'hijacked' where id = $1`, [
      a.id,
    ]);
    expect(renamed).toEqual({ rows: 0 });
  });

  it('outside any workspace, shows a person only their own memberships and workspaces', async () => {
    const mine = await withSystem(a.owner.id, async (trx) => ({
      memberships: await trx.selectFrom('memberships').select('workspaceId').execute(),
      workspaces: await trx.selectFrom('workspaces').select('id').execute(),
      divisions: await trx.selectFrom('divisions').select('id').execute(),
    }));
    expect(mine.memberships.map((row) => row.workspaceId)).toEqual([a.id]);
    expect(mine.workspaces.map((row) => row.id)).toEqual([a.id]);
    expect(mine.divisions).toEqual([]);
  });
});

describe('the role the app runs as', () => {
  it('is workroom_app: not a superuser, no BYPASSRLS, owner of nothing', async () => {
    const who = await withWorkspace(asB, (trx) =>
      sql<{ role: string; superuser: boolean; bypass: boolean; owns: number }>`
        select current_user as role, r.rolsuper as superuser, r.rolbypassrls as bypass,
               (select count(*)::int from pg_class c where c.relowner = r.oid) as owns
        from pg_roles r where r.rolname = current_user`.execute(trx),
    );
    expect(who.rows[0]).toEqual({ role: 'workroom_app', superuser: false, bypass: false, owns: 0 });
  });

  it('may never update or delete an audit row', async () => {
    const updated = await asWorkspaceB(
      `update audit_events set action = 'tampered' where workspace_id = $1`,
      [b.id],
    );
    const deleted = await asWorkspaceB(`delete from audit_events where workspace_id = $1`, [b.id]);
    expect(updated).toEqual({ error: '42501' });
    expect(deleted).toEqual({ error: '42501' });
  });
});
