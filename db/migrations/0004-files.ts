import { sql, type Kysely } from 'kysely';
import { enableRls } from './helpers';

/**
 * Files: the row describes, the store (local disk or Supabase Storage) keeps the bytes under
 * `store_key`. A file belongs to an owner — the workspace's library, its logo, later a task or
 * a conversation — named by kind and id, whose module decides who may see it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table files (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      owner_kind text not null check (owner_kind ~ '^[a-z_]{1,40}$'),
      owner_id uuid not null,
      uploaded_by uuid references users on delete set null,
      name text not null check (length(name) between 1 and 255),
      size_bytes bigint not null check (size_bytes > 0),
      content_type text not null check (content_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
      -- What the Files page filters by, derived from the type the bytes showed.
      type_group text not null generated always as (
        case
          when content_type like 'image/%' then 'image'
          when content_type = 'application/pdf' then 'pdf'
          when content_type like 'audio/%' then 'audio'
          when content_type like 'video/%' then 'video'
          when content_type in ('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                                'application/vnd.ms-excel', 'application/vnd.oasis.opendocument.spreadsheet')
            then 'spreadsheet'
          when content_type like 'text/%'
            or content_type in ('application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                                'application/msword', 'application/rtf', 'application/vnd.oasis.opendocument.text',
                                'application/vnd.openxmlformats-officedocument.presentationml.presentation',
                                'application/vnd.oasis.opendocument.presentation', 'application/vnd.ms-powerpoint')
            then 'document'
          when content_type in ('application/zip', 'application/gzip', 'application/x-tar',
                                'application/x-7z-compressed', 'application/x-rar-compressed', 'application/x-bzip2')
            then 'archive'
          else 'other'
        end
      ) stored,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      store_key text not null unique,
      thumbnail_key text,
      created_at timestamptz not null default now(),
      deleted_at timestamptz,
      deleted_by uuid references users on delete set null
    );
    create index files_listing on files (workspace_id, created_at desc) where deleted_at is null;
    create index files_owner on files (workspace_id, owner_kind, owner_id);
    create index files_uploader on files (workspace_id, uploaded_by);
    create index files_trash on files (deleted_at) where deleted_at is not null;

    -- A workspace may be given more (or less) room than the installation's default.
    alter table workspaces
      add column storage_quota_bytes bigint check (storage_quota_bytes >= 0),
      add column logo_file_id uuid references files on delete set null;
  `.execute(db);
  await enableRls(db, 'files');

  // Housekeeping across workspaces (the purge of old trash, the nightly check that store and
  // rows agree, moving files to another store) sees keys, sizes and checksums, never names.
  await sql`
    create policy housekeeping on files for select to workroom_maintenance using (true);
    create policy purge on files for delete to workroom_maintenance using (deleted_at is not null);
    grant select (id, workspace_id, store_key, thumbnail_key, sha256, content_type, size_bytes, deleted_at)
      on files to workroom_maintenance;
    grant delete on files to workroom_maintenance;
  `.execute(db);
}
