import { registerPersonalData } from '~/modules/accounts/personal-data.server';
import { enterWorkspace, withSystem } from '~/platform/db/database.server';

/** The files I uploaded, per workspace: what they are and where, not their bytes. */
registerPersonalData({
  name: 'files',
  collect: (userId) =>
    withSystem(userId, async (trx) => {
      const workspaces = await trx
        .selectFrom('memberships')
        .innerJoin('workspaces', 'workspaces.id', 'memberships.workspaceId')
        .select(['workspaces.id', 'workspaces.slug'])
        .where('memberships.userId', '=', userId)
        .execute();
      const uploads = [];
      for (const workspace of workspaces) {
        await enterWorkspace(trx, workspace.id);
        const files = await trx
          .selectFrom('files')
          .select(['id', 'name', 'sizeBytes', 'contentType', 'sha256', 'createdAt', 'deletedAt'])
          .where('uploadedBy', '=', userId)
          .orderBy('createdAt')
          .execute();
        uploads.push(
          ...files.map((file) => ({
            workspace: workspace.slug,
            ...file,
            sizeBytes: Number(file.sizeBytes),
          })),
        );
      }
      await enterWorkspace(trx, null);
      return uploads;
    }),
});
