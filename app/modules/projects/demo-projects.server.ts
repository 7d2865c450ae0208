import { sql } from 'kysely';
import { withWorkspace } from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';
import { addProjectMember, createProject, findProject } from './projects.server';

type Person = { userId: string; role: WorkspaceRole };

/**
 * The demo's projects in Acme: a campaign under way (with the guest, an outside photographer,
 * as a viewer), a website project led by the owner, and a move on hold. Returns their ids by key.
 */
export async function seedDemoProjects(
  workspaceId: string,
  people: { owner: Person; manager: Person; member: Person; guest: Person },
  divisions: Map<string, string>,
): Promise<Map<string, string>> {
  const as = (person: Person) => ({
    role: person.role,
    ctx: { userId: person.userId, workspaceId },
  });
  const projects = [
    {
      by: people.manager,
      key: 'SPRING',
      name: 'Spring catalogue',
      description:
        'The printed and online catalogue for the new season.\n\n- Photos of every new product\n- Prices checked against the **supplier list**\n- 2,000 printed copies for the shop',
      status: 'active' as const,
      divisionId: divisions.get('Marketing'),
      startDate: sql`(current_date - 20)::text`,
      targetDate: sql`(current_date + 25)::text`,
      members: [
        { person: people.member, role: 'member' as const },
        { person: people.guest, role: 'viewer' as const },
      ],
    },
    {
      by: people.owner,
      key: 'WEB',
      name: 'Website relaunch',
      description:
        'A faster shop that works on every phone. See https://example.com/brief for the brief.',
      status: 'active' as const,
      divisionId: undefined,
      startDate: sql`(current_date - 35)::text`,
      targetDate: sql`(current_date + 60)::text`,
      members: [{ person: people.manager, role: 'member' as const }],
    },
    {
      by: people.owner,
      key: 'MOVE',
      name: 'Warehouse move',
      description: 'Moving stock to the new unit on Dock Road, once the lease is signed.',
      status: 'on_hold' as const,
      divisionId: divisions.get('Operations'),
      startDate: undefined,
      targetDate: undefined,
      members: [{ person: people.member, role: 'member' as const }],
    },
  ];
  const ids = new Map<string, string>();
  for (const project of projects) {
    const viewer = as(project.by);
    const dates = await withWorkspace(viewer.ctx, async (trx) => {
      const row = await sql<{ start: string | null; target: string | null }>`select ${
        project.startDate ?? null
      }::text as start, ${project.targetDate ?? null}::text as target`.execute(trx);
      return row.rows[0]!;
    });
    const created = await createProject(viewer, {
      key: project.key,
      name: project.name,
      description: project.description,
      status: project.status,
      leadId: project.by.userId,
      divisionId: project.divisionId,
      startDate: dates.start ?? undefined,
      targetDate: dates.target ?? undefined,
    });
    if (!created.ok) throw new Error(`the demo project ${project.key} was refused`);
    await withWorkspace(viewer.ctx, async (trx) => {
      const found = (await findProject(trx, viewer, project.key))!;
      ids.set(project.key, found.id);
      for (const { person, role } of project.members)
        await addProjectMember(trx, viewer, found, { userId: person.userId, role });
    });
  }
  return ids;
}
