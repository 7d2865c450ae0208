import { afterAll, describe, expect, it } from 'vitest';
import { addMember, createTestWorkspace, ownerSql } from '../../../tests/support/factories';
import { changeMemberRole } from '../workspaces/members.server';
import { getT } from '~/platform/i18n/i18n';
import { presentAuditEvent } from './present';
import { listAuditEvents } from './queries.server';
import { auditFiltersFromUrl } from './schema';

const owner = ownerSql();
afterAll(() => owner.end());

describe('the audit log page', () => {
  it('filters by person, action and whole days in the reader’s time zone', async () => {
    const workspace = await createTestWorkspace();
    const ctx = { userId: workspace.owner.id, workspaceId: workspace.id };
    const member = await addMember(workspace, 'member');
    await changeMemberRole(ctx, member.id, 'manager');
    // 23:30 on 1 March in New York is already 2 March in UTC.
    await owner`update audit_events set created_at = '2026-03-02T04:30:00Z' where workspace_id = ${workspace.id} and action = 'member.role_changed'`;
    const list = (filters: Parameters<typeof listAuditEvents>[1], zone = 'America/New_York') =>
      listAuditEvents(ctx, filters, zone, 1).then((page) => page.rows.map((row) => row.action));
    expect(await list({ action: 'member.role_changed' })).toEqual(['member.role_changed']);
    expect(await list({ from: '2026-03-01', to: '2026-03-01' })).toEqual(['member.role_changed']);
    expect(await list({ from: '2026-03-01', to: '2026-03-01' }, 'UTC')).toEqual([]);
    expect(await list({ actor: member.id })).toEqual([]);
    expect(await list({ actor: workspace.owner.id, action: 'workspace.created' })).toEqual([
      'workspace.created',
    ]);
  });

  it('ignores malformed filters instead of failing', () => {
    expect(
      auditFiltersFromUrl(new URL('http://x/?actor=nope&action=drop+table&from=2026-13-45&to=')),
    ).toEqual({});
    // Days JavaScript accepts and Postgres does not.
    expect(auditFiltersFromUrl(new URL('http://x/?from=2024-02-30&to=0000-01-01'))).toEqual({});
    expect(auditFiltersFromUrl(new URL('http://x/?from=2024-02-29'))).toEqual({
      from: '2024-02-29',
    });
  });

  it('shows names and what changed, and “Deleted user” for a deleted account', async () => {
    const workspace = await createTestWorkspace();
    const member = await addMember(workspace, 'member');
    await changeMemberRole(
      { userId: workspace.owner.id, workspaceId: workspace.id },
      member.id,
      'admin',
    );
    const { rows } = await listAuditEvents(
      { userId: workspace.owner.id, workspaceId: workspace.id },
      { action: 'member.role_changed' },
      'UTC',
      1,
    );
    const t = getT('en');
    expect(presentAuditEvent(rows[0]!, t)).toMatchObject({
      actor: workspace.owner.name,
      target: member.name,
      changes: 'role: member → admin',
    });
    await owner`update users set deleted_at = now(), name = null, email = null where id = ${workspace.owner.id}`;
    const after = await listAuditEvents(
      { userId: member.id, workspaceId: workspace.id },
      { action: 'member.role_changed' },
      'UTC',
      1,
    );
    expect(presentAuditEvent(after.rows[0]!, t).actor).toBe('Deleted user');
  });
});
