import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { listDivisions } from '~/modules/workspaces/divisions.server';
import { getMember } from '~/modules/workspaces/members.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { roles } from '~/modules/workspaces/roles';
import { useFormat, useT } from '~/platform/document-context';
import { notFound, uuidParam } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button, buttonClass } from '~/ui/button';
import { DescriptionList } from '~/ui/description-list';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = {
  title: (_t, data: { member: { name: string } }) => data.member.name,
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.manageMembers(actor.role));
  const userId = uuidParam(params.userId);
  const [member, divisions] = await Promise.all([
    getMember(actor.ctx, userId),
    listDivisions(actor.ctx),
  ]);
  if (!member) throw notFound();
  const self = userId === actor.user.id;
  return {
    slug: actor.workspace.slug,
    member: { ...member, name: member.name ?? '', joinedAt: member.joinedAt.toISOString() },
    divisions: divisions.map((division) => ({ id: division.id, name: division.name })),
    can: {
      changeRole: roles.filter(
        (role) => role !== member.role && workspacePolicy.changeRole(actor.role, member.role, role),
      ),
      changeMembership: workspacePolicy.changeMembership(actor.role, member.role),
      transferOwnership:
        workspacePolicy.transferOwnership(actor.role) &&
        !self &&
        member.role !== 'owner' &&
        member.status === 'active',
    },
    self,
  };
}

export default function MemberPage() {
  const t = useT();
  const format = useFormat();
  const { slug, member, divisions, can, self } = useLoaderData<typeof loader>();
  const base = `/w/${slug}/admin/members/${member.id}`;
  return (
    <>
      <p>
        <a href={`/w/${slug}/admin/members`}>{t('workspaces:members.backToList')}</a>
      </p>
      <PageHeader
        title={member.name || t('common:deletedUser')}
        description={member.email ?? undefined}
      />
      <DescriptionList
        items={[
          { term: t('workspaces:fields.role'), detail: t(`workspaces:roles.${member.role}`) },
          { term: t('workspaces:fields.status'), detail: t(`workspaces:status.${member.status}`) },
          {
            term: t('workspaces:members.joined'),
            detail: <time dateTime={member.joinedAt}>{format.date(member.joinedAt)}</time>,
          },
        ]}
      />

      {can.changeRole.length > 0 ? (
        <section aria-labelledby="role-title">
          <h2 id="role-title">{t('workspaces:member.roleTitle')}</h2>
          <form method="post" action={`${base}/role`}>
            <div className="field">
              <label htmlFor="member-role">{t('workspaces:fields.role')}</label>
              <select id="member-role" name="role" defaultValue={member.role}>
                <option value={member.role}>{t(`workspaces:roles.${member.role}`)}</option>
                {can.changeRole.map((role) => (
                  <option key={role} value={role}>
                    {t(`workspaces:roles.${role}`)}
                  </option>
                ))}
              </select>
            </div>
            <Button>{t('workspaces:member.changeRole')}</Button>
          </form>
        </section>
      ) : null}

      {divisions.length > 0 ? (
        <section aria-labelledby="divisions-title">
          <h2 id="divisions-title">{t('workspaces:fields.divisions')}</h2>
          <form method="post" action={`${base}/divisions`}>
            <fieldset>
              <legend className="visually-hidden">{t('workspaces:fields.divisions')}</legend>
              {divisions.map((division) => (
                <div className="checkbox" key={division.id}>
                  <input
                    type="checkbox"
                    id={`division-${division.id}`}
                    name="divisionId"
                    value={division.id}
                    defaultChecked={member.divisionIds.includes(division.id)}
                  />
                  <label htmlFor={`division-${division.id}`}>{division.name}</label>
                </div>
              ))}
            </fieldset>
            <Button variant="secondary">{t('workspaces:member.saveDivisions')}</Button>
          </form>
        </section>
      ) : null}

      {can.transferOwnership ? (
        <section aria-labelledby="ownership-title">
          <h2 id="ownership-title">{t('workspaces:member.ownershipTitle')}</h2>
          <p>{t('workspaces:member.ownershipIntro', { name: member.name })}</p>
          <form method="post" action={`/w/${slug}/admin/ownership`}>
            <input type="hidden" name="userId" value={member.id} />
            <Button variant="secondary">{t('workspaces:member.transferOwnership')}</Button>
          </form>
        </section>
      ) : null}

      {can.changeMembership && !self ? (
        <section aria-labelledby="access-title">
          <h2 id="access-title">{t('workspaces:member.accessTitle')}</h2>
          <form method="post" action={`${base}/status`}>
            <input
              type="hidden"
              name="status"
              value={member.status === 'active' ? 'deactivated' : 'active'}
            />
            <p>
              {member.status === 'active'
                ? t('workspaces:member.deactivateIntro')
                : t('workspaces:member.reactivateIntro')}
            </p>
            <Button variant="secondary">
              {member.status === 'active'
                ? t('workspaces:member.deactivate')
                : t('workspaces:member.reactivate')}
            </Button>
          </form>
          <p>
            <a className={buttonClass('danger')} href={`${base}/removal`}>
              {t('workspaces:member.removeLink')}
            </a>
          </p>
        </section>
      ) : null}
    </>
  );
}
