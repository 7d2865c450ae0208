import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  browserRequest,
  createTestWorkspace,
  createUser,
  loadContext,
  ownerSql,
  signedInCookie,
  type TestUser,
  type TestWorkspace,
} from '../../../tests/support/factories';
import { outcome, postForm } from '../../../tests/support/route-calls';
import { listFiles } from '~/modules/files/files.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { getEnv } from '~/platform/env.server';
import { LocalFileStore } from '~/platform/storage/local-store.server';
import { useFileStore } from '~/platform/storage/store.server';
import * as newProject from '~/routes/w.$slug.projects.new';
import * as overview from '~/routes/w.$slug.projects.$key._index';
import * as projectMembers from '~/routes/w.$slug.projects.$key.members';
import * as editProject from '~/routes/w.$slug.projects.$key.edit';
import { renderMarkdown } from './markdown.server';
import { purgeProjectsJob } from './projects.server';
import { suggestKey } from './schema';

const owner = ownerSql();
let workspace: TestWorkspace;
let lead: TestUser;
let leadCookie: string;

beforeAll(async () => {
  useFileStore(
    new LocalFileStore(
      mkdtempSync(path.join(os.tmpdir(), 'workroom-projects-')),
      getEnv().appUrl,
      getEnv().sessionSecrets,
    ),
  );
  workspace = await createTestWorkspace();
  lead = await addMember(workspace, 'member');
  leadCookie = await signedInCookie(lead);
});
afterAll(() => owner.end());

const post = (
  route: { action: (args: never) => Promise<unknown> },
  url: string,
  cookie: string,
  fields: Record<string, string>,
  params: Record<string, string>,
) => postForm(route, url, cookie, fields, params);

const create = (cookie: string, fields: Record<string, string>) =>
  post(newProject, `/w/${workspace.slug}/projects/new`, cookie, fields, { slug: workspace.slug });

const projectRow = async (key: string) =>
  (await owner`select * from projects where workspace_id = ${workspace.id} and key = ${key}`)[0];

describe('creating and editing projects', () => {
  it('creates a project led by its creator, with a key made from the name', async () => {
    const created = await create(leadCookie, {
      name: 'Website relaunch',
      description: 'New **shop** pages',
      startDate: '2026-12-01',
      targetDate: '2027-02-28',
    });
    expect(created.status).toBe(303);
    const project = await projectRow('WR');
    expect(project).toMatchObject({ name: 'Website relaunch', status: 'active', lead_id: lead.id });
    const members =
      await owner`select user_id, role from project_members where project_id = ${project!.id}`;
    expect(members).toEqual([{ user_id: lead.id, role: 'lead' }]);
    const audit =
      await owner`select action from audit_events where target_id = ${project!.id}::text`;
    expect(audit.map((row) => row.action)).toEqual(['project.created']);
  });

  it('refuses a taken key, impossible dates and a guest as lead, with messages and no rows', async () => {
    const guest = await addMember(workspace, 'guest');
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ name: 'Other', key: 'WR' }, 'key', 'projects:validation.keyTaken'],
      [{ name: 'Other', key: 'new' }, 'key', 'projects:validation.keyTaken'],
      [{ name: 'Other', key: '9X' }, 'key', 'projects:validation.keyInvalid'],
      [{ name: 'Other', startDate: '2026-02-30' }, 'startDate', 'projects:validation.dateInvalid'],
      [
        { name: 'Other', startDate: '2026-05-01', targetDate: '2026-04-01' },
        'targetDate',
        'projects:validation.targetBeforeStart',
      ],
      [{ name: 'Other', leadId: guest.id }, 'leadId', 'projects:validation.leadInvalid'],
      [{ name: '' }, 'name', 'projects:validation.nameRequired'],
    ];
    for (const [fields, field, message] of cases) {
      const answer = await create(leadCookie, fields);
      expect(answer.status, JSON.stringify(fields)).toBe(422);
      expect(
        (answer.body as { result: { error: Record<string, string[]> } }).result.error[field],
      ).toEqual([message]);
    }
    expect(
      await owner`select key from projects where workspace_id = ${workspace.id} and name = 'Other'`,
    ).toEqual([]);
  });

  it('lets the lead edit, records what changed, and hands the lead role over', async () => {
    const newLead = await addMember(workspace, 'member');
    const project = await projectRow('WR');
    const answer = await post(
      editProject,
      `/w/${workspace.slug}/projects/WR/edit`,
      leadCookie,
      {
        intent: 'update',
        name: 'Website relaunch',
        status: 'on_hold',
        leadId: newLead.id,
        targetDate: '2027-03-31',
        startDate: '2026-12-01',
        description: 'New **shop** pages',
      },
      { slug: workspace.slug, key: 'WR' },
    );
    expect(answer.status).toBe(303);
    expect(await projectRow('WR')).toMatchObject({ status: 'on_hold', lead_id: newLead.id });
    const roles =
      await owner`select user_id, role from project_members where project_id = ${project!.id} order by role`;
    expect(roles).toEqual(
      expect.arrayContaining([
        { user_id: newLead.id, role: 'lead' },
        { user_id: lead.id, role: 'member' },
      ]),
    );
    const [event] =
      await owner`select changes from audit_events where target_id = ${project!.id}::text and action = 'project.updated'`;
    expect(event!.changes).toMatchObject({
      status: { from: 'active', to: 'on_hold' },
      targetDate: { from: '2027-02-28', to: '2027-03-31' },
    });
  });

  it('refuses edits from a workspace member who does not lead it', async () => {
    const someone = await addMember(workspace, 'member');
    const answer = await post(
      editProject,
      `/w/${workspace.slug}/projects/WR/edit`,
      await signedInCookie(someone),
      { intent: 'update', name: 'Hijacked' },
      { slug: workspace.slug, key: 'WR' },
    );
    expect(answer.status).toBe(403);
    expect((await projectRow('WR'))!.name).toBe('Website relaunch');
  });
});

describe('who sees a project', () => {
  it('shows every project to members, and to a guest only the ones they were added to', async () => {
    const guest = await addMember(workspace, 'guest');
    const guestCookie = await signedInCookie(guest);
    const view = (cookie: string) =>
      outcome(() =>
        overview.loader({
          request: browserRequest(`/w/${workspace.slug}/projects/WR`, cookie),
          context: loadContext(),
          params: { slug: workspace.slug, key: 'WR' },
        }),
      );
    expect((await view(await signedInCookie(await addMember(workspace, 'member')))).status).toBe(
      200,
    );
    expect((await view(guestCookie)).status).toBe(404);
    const manager = await addMember(workspace, 'manager');
    const added = await post(
      projectMembers,
      `/w/${workspace.slug}/projects/WR/members`,
      await signedInCookie(manager),
      { intent: 'add', userId: guest.id, role: 'member' },
      { slug: workspace.slug, key: 'WR' },
    );
    expect(added.status).toBe(303);
    expect((await view(guestCookie)).status).toBe(200);
    const project = await projectRow('WR');
    const [row] =
      await owner`select role from project_members where project_id = ${project!.id} and user_id = ${guest.id}`;
    // A guest reads and comments: whatever was asked, they join as a viewer.
    expect(row!.role).toBe('viewer');
    const outsider = await createUser();
    expect((await view(await signedInCookie(outsider))).status).toBe(404);
  });

  it('attaches files to the project, seen by its guests and not by other guests', async () => {
    const form = new FormData();
    form.append('files', new File([new TextEncoder().encode('a,b\n1,2\n')], 'plan.csv'));
    const uploaded = await outcome(() =>
      overview.action({
        request: browserRequest(`/w/${workspace.slug}/projects/WR`, leadCookie, {
          method: 'POST',
          body: form,
        }),
        context: loadContext(),
        params: { slug: workspace.slug, key: 'WR' },
      }),
    );
    expect(uploaded.status).toBe(303);
    const project = await projectRow('WR');
    const [guestIn] =
      await owner`select user_id from project_members where project_id = ${project!.id} and role = 'viewer'`;
    const otherGuest = await addMember(workspace, 'guest');
    const filesFor = async (userId: string) => {
      const member = await requireMember(
        browserRequest(
          `/w/${workspace.slug}/files`,
          await signedInCookie({ id: userId } as TestUser),
        ),
        loadContext(),
        { slug: workspace.slug },
      );
      const { rows } = await listFiles(member, {
        sort: 'date',
        direction: 'desc',
        page: 1,
        trash: false,
      });
      return rows.map((file) => [file.name, file.ownerName]);
    };
    expect(await filesFor(guestIn!.user_id)).toEqual([['plan.csv', 'Website relaunch']]);
    expect(await filesFor(otherGuest.id)).toEqual([]);
    // A viewer reads; adding files is for the lead and members.
    const viewerForm = new FormData();
    viewerForm.append('files', new File([new TextEncoder().encode('x')], 'viewer.txt'));
    const viewerUpload = await outcome(async () =>
      overview.action({
        request: browserRequest(
          `/w/${workspace.slug}/projects/WR`,
          await signedInCookie({ id: guestIn!.user_id } as TestUser),
          { method: 'POST', body: viewerForm },
        ),
        context: loadContext(),
        params: { slug: workspace.slug, key: 'WR' },
      }),
    );
    expect(viewerUpload.status).toBe(403);
  });
});

describe('the trash', () => {
  it('hides a deleted project, restores it, and purges it after 30 days with its files', async () => {
    await create(leadCookie, { name: 'Old catalogue', key: 'OLD' });
    const project = await projectRow('OLD');
    await withWorkspace({ userId: lead.id, workspaceId: workspace.id }, (trx) =>
      trx
        .insertInto('files')
        .values({
          workspaceId: workspace.id,
          ownerKind: 'project',
          ownerId: project!.id,
          uploadedBy: lead.id,
          name: 'scan.pdf',
          sizeBytes: 10,
          contentType: 'application/pdf',
          sha256: 'b'.repeat(64),
          storeKey: `${workspace.id}/00000000-0000-4000-8000-0000000000aa`,
        })
        .execute(),
    );
    const editUrl = `/w/${workspace.slug}/projects/OLD/edit`;
    const params = { slug: workspace.slug, key: 'OLD' };
    expect(
      (await post(editProject, editUrl, leadCookie, { intent: 'delete' }, params)).status,
    ).toBe(303);
    expect((await projectRow('OLD'))!.deleted_at).not.toBeNull();
    expect(
      (await post(editProject, editUrl, leadCookie, { intent: 'restore' }, params)).status,
    ).toBe(303);
    expect((await projectRow('OLD'))!.deleted_at).toBeNull();

    await owner`update projects set deleted_at = now() - interval '31 days' where id = ${project!.id}`;
    await purgeProjectsJob.run({}, { attempt: 1, jobId: '1' });
    expect(await projectRow('OLD')).toBeUndefined();
    const [file] =
      await owner`select deleted_at < now() - interval '30 days' as expired from files where owner_id = ${project!.id}`;
    expect(file!.expired).toBe(true);
    const audit =
      await owner`select action from audit_events where target_id = ${project!.id}::text order by id`;
    expect(audit.map((row) => row.action)).toContain('project.purged');
  });
});

describe('descriptions and keys', () => {
  it('renders markdown without letting HTML or script links through', () => {
    expect(renderMarkdown('**bold** <script>alert(1)</script>')).toBe(
      '<p><strong>bold</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n',
    );
    expect(renderMarkdown('[x](javascript:alert(1))')).not.toContain('href');
    expect(renderMarkdown('see https://example.com')).toContain(
      '<a href="https://example.com" rel="noopener noreferrer nofollow">',
    );
  });

  it('suggests a key from a name', () => {
    expect(suggestKey('Website relaunch')).toBe('WR');
    expect(suggestKey('Payroll')).toBe('PAYROLL');
    expect(suggestKey('Año nuevo 2027 campaña')).toBe('AN2C');
    expect(suggestKey('x')).toBe('PX');
  });
});
