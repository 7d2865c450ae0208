import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Member } from '~/modules/workspaces/queries.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import type { Trx } from '~/platform/db/database.server';

type Viewer = Pick<Member, 'role' | 'ctx'>;

/**
 * What a file is attached to decides who sees it. Each module that takes attachments defines
 * its kind once — the workspace library here, a task's or a conversation's files in theirs —
 * and the Files page, the download route and attachFiles() ask it.
 */
export type FileOwnerKind = {
  /** Also names its label, `files:owners.<kind>` ("Attached to" on the Files page). */
  kind: string;
  /** A where-clause over `files` for a list query: the rows of this kind this member may see. */
  visibleTo(viewer: Viewer): Expression<SqlBool>;
  /** For one file: may this member see files of this owner? */
  canSee(trx: Trx, viewer: Viewer, ownerId: string): Promise<boolean>;
  /** May this member add files to this owner? */
  canAttach(trx: Trx, viewer: Viewer, ownerId: string): Promise<boolean>;
  /**
   * Who may rename, delete and restore this owner's files, when the owner decides it alone
   * (only admins touch the logo). Otherwise: whoever uploaded the file, and managers and above.
   */
  canManage?(viewer: Viewer): boolean;
  /** The only types this owner takes (an image for a logo), or undefined for any type. */
  accepts?: ReadonlySet<string>;
  /** The owner's own name for a `files` row ("Website relaunch"), where it has one. */
  ownerName?: Expression<string>;
};

const kinds = new Map<string, FileOwnerKind>();

export function defineFileOwner(definition: FileOwnerKind): FileOwnerKind {
  kinds.set(definition.kind, definition);
  return definition;
}

export function fileOwnerKinds(): FileOwnerKind[] {
  return [...kinds.values()];
}

export function findFileOwner(kind: string): FileOwnerKind | undefined {
  return kinds.get(kind);
}

/** Files of every kind this member may see, for list queries. */
export function visibleFiles(viewer: Viewer): Expression<SqlBool> {
  const clauses = fileOwnerKinds().map(
    (owner) => sql<SqlBool>`(files.owner_kind = ${owner.kind} and ${owner.visibleTo(viewer)})`,
  );
  return clauses.length ? sql<SqlBool>`(${sql.join(clauses, sql` or `)})` : sql<SqlBool>`false`;
}

/** The name of each row's owner (a project's name), or null where the kind has none. */
export function ownerNames(): RawBuilder<string | null> {
  const named = fileOwnerKinds().filter((owner) => owner.ownerName);
  if (named.length === 0) return sql<null>`null`;
  return sql<string | null>`case ${sql.join(
    named.map((owner) => sql`when files.owner_kind = ${owner.kind} then ${owner.ownerName}`),
    sql` `,
  )} end`;
}

/**
 * The workspace's shared library (what the Files page uploads to). Guests work only inside
 * what they were invited to, so the library is for members and above.
 */
export const libraryOwner = defineFileOwner({
  kind: 'library',
  visibleTo: (viewer) =>
    roleAtLeast(viewer.role, 'member') ? sql<SqlBool>`true` : sql<SqlBool>`false`,
  canSee: async (_trx, viewer) => roleAtLeast(viewer.role, 'member'),
  canAttach: async (_trx, viewer) => roleAtLeast(viewer.role, 'member'),
});
