import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { FileTable, UploadForm } from '~/modules/files/components';
import { listOwnerFiles, saveUpload } from '~/modules/files/files.server';
import { megabytes } from '~/modules/files/quota.server';
import { uploadProblems } from '~/modules/files/upload-form.server';
import { receiveUpload } from '~/modules/files/upload.server';
import { getReader } from '~/modules/accounts/reader.server';
import { ProjectStatusBadge } from '~/modules/projects/components';
import { ProjectProgress } from '~/modules/tasks/project-progress';
import { ProjectTabs } from '~/modules/tasks/project-tabs';
import { projectProgress, recentProjectActivity } from '~/modules/tasks/queries.server';
import { createFormatter } from '~/platform/i18n/format';
import { renderMarkdown } from '~/modules/projects/markdown.server';
import { projectPolicy } from '~/modules/projects/policy';
import { projectFilesOwner } from '~/modules/projects/project-files.server';
import { isoDate, listProjectMembers, requireProject } from '~/modules/projects/projects.server';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useFormat, useT } from '~/platform/document-context';
import { getEnv } from '~/platform/env.server';
import { notFound } from '~/platform/http-errors.server';
import { redirectWithFlash } from '~/platform/flash.server';
import { MAX_FILES_PER_UPLOAD } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { DescriptionList } from '~/ui/description-list';
import { useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = {
  title: (t, data) =>
    (data as { project?: { name: string } } | undefined)?.project?.name ?? t('projects:title'),
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  const canManage = projectPolicy.manage(member.role, project.myRole);
  // A project in the trash is for those who can restore it.
  if (project.deletedAt && !canManage) throw notFound();
  const { members, files, progress, activity } = await withWorkspace(member.ctx, async (trx) => ({
    members: await listProjectMembers(trx, project.id),
    files: await listOwnerFiles(trx, { kind: projectFilesOwner.kind, id: project.id }),
    progress: await projectProgress(trx, project.id, reader.timeZone),
    activity: await recentProjectActivity(trx, project.id),
  }));
  return {
    slug: member.workspace.slug,
    project: {
      key: project.key,
      name: project.name,
      status: project.status,
      descriptionHtml: renderMarkdown(project.description),
      leadName: project.leadName,
      divisionName: project.divisionName,
      startDate: project.startDate ? isoDate(project.startDate) : null,
      targetDate: project.targetDate ? isoDate(project.targetDate) : null,
      deleted: project.deletedAt !== null,
    },
    members,
    files,
    progress,
    activity,
    today: createFormatter(reader.locale, reader.timeZone).isoDate(new Date()),
    canManage,
    canContribute: projectPolicy.contribute(member.role, project.myRole) && !project.deletedAt,
    limitMb: megabytes(getEnv().FILE_MAX_BYTES),
    maxFiles: MAX_FILES_PER_UPLOAD,
  };
}

/** Files uploaded here are attached to the project (its members see them). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  assertAllowed(projectPolicy.contribute(member.role, project.myRole) && !project.deletedAt);
  const upload = await receiveUpload(request, member.workspace.id);
  const saved = await saveUpload(member, { kind: projectFilesOwner.kind, id: project.id }, upload);
  if (!saved.ok) return uploadProblems('files', saved.problems, upload.form);
  return redirectWithFlash(`/w/${member.workspace.slug}/projects/${project.key}`, {
    kind: 'success',
    key: 'files:uploaded',
    values: { count: saved.fileIds.length },
  });
}

export default function ProjectOverview() {
  const t = useT();
  const format = useFormat();
  const data = useLoaderData<typeof loader>();
  const { project } = data;
  const upload = useFormState(
    'project-upload',
    (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result,
  );
  const base = `/w/${data.slug}/projects/${project.key}`;
  const day = (value: string | null) =>
    value ? <time dateTime={value}>{format.date(`${value}T12:00:00Z`)}</time> : '—';
  return (
    <>
      <PageHeader
        title={project.name}
        description={
          <>
            <span className="muted">{project.key}</span>{' '}
            <ProjectStatusBadge status={project.status} />
          </>
        }
        actions={
          data.canManage ? (
            <span className="button-row">
              <a href={`${base}/edit`}>{t('projects:overview.edit')}</a>
              <a href={`${base}/members`}>{t('projects:overview.manageMembers')}</a>
            </span>
          ) : null
        }
      />
      {project.deleted ? (
        <div className="flash flash--info" role="status">
          {t('projects:overview.inTrash')}
        </div>
      ) : (
        <ProjectTabs base={base} current="overview" />
      )}
      {project.descriptionHtml ? (
        // markdown-it with raw HTML off and unsafe links refused: see markdown.server.ts.
        <div className="prose" dangerouslySetInnerHTML={{ __html: project.descriptionHtml }} />
      ) : (
        <p className="muted">{t('projects:overview.noDescription')}</p>
      )}
      <DescriptionList
        items={[
          { term: t('projects:fields.lead'), detail: project.leadName ?? '—' },
          ...(project.divisionName
            ? [{ term: t('projects:fields.division'), detail: project.divisionName }]
            : []),
          { term: t('projects:fields.startDate'), detail: day(project.startDate) },
          { term: t('projects:fields.targetDate'), detail: day(project.targetDate) },
        ]}
      />

      {project.deleted ? null : (
        <ProjectProgress
          slug={data.slug}
          progress={data.progress}
          activity={data.activity}
          today={data.today}
          listHref={`${base}/tasks`}
        />
      )}

      <section aria-labelledby="members-title">
        <h2 id="members-title">{t('projects:fields.members')}</h2>
        <ul>
          {data.members.map((person) => (
            <li key={person.id}>
              {person.name ?? t('common:deletedUser')}{' '}
              <span className="muted">({t(`projects:roles.${person.role}`)})</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="files-title">
        <h2 id="files-title">{t('projects:overview.files')}</h2>
        {data.files.length === 0 ? (
          <p className="muted">{t('projects:overview.noFiles')}</p>
        ) : (
          <FileTable
            files={data.files}
            base={`/w/${data.slug}/files`}
            caption={t('projects:overview.filesCaption', { name: project.name })}
          />
        )}
        {data.canContribute ? (
          <UploadForm form={upload} label={t('projects:overview.addFiles')} limits={data} />
        ) : null}
      </section>
    </>
  );
}
