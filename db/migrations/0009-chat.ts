import { sql, type Kysely } from 'kysely';
import { enableRls } from './helpers';

/**
 * Conversations (issue 7): direct (one per pair), group (named, members chosen) and one per
 * project, whose members follow the project's through triggers. Messages carry their rendered
 * HTML (rendered once when written, not once per reader), a per-table order (seq) that read
 * state and paging count on, and a full-text vector. Only a conversation's members see its
 * messages: RLS says so on top of the workspace, so a query that forgets the membership join
 * still shows nothing of other people's conversations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create type conversation_kind as enum ('direct', 'group', 'project');

    create table conversations (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      kind conversation_kind not null,
      name text check (length(name) between 1 and 80),
      project_id uuid unique references projects on delete cascade,
      -- The pair's two user ids in order: one direct conversation per pair and workspace.
      direct_key text,
      created_by uuid references users on delete set null,
      created_at timestamptz not null default now(),
      -- The newest message's place and time: the list sorts on it and new members start there.
      last_message_seq bigint not null default 0,
      last_message_at timestamptz,
      unique (workspace_id, direct_key),
      check ((kind = 'group') = (name is not null)),
      check ((kind = 'project') = (project_id is not null)),
      check ((kind = 'direct') = (direct_key is not null))
    );

    create table conversation_members (
      workspace_id uuid not null references workspaces on delete cascade,
      conversation_id uuid not null references conversations on delete cascade,
      user_id uuid not null references users on delete cascade,
      added_by uuid references users on delete set null,
      joined_at timestamptz not null default now(),
      -- Messages up to this seq have been seen: the unread count and the "new" divider.
      last_read_seq bigint not null default 0,
      muted boolean not null default false,
      primary key (conversation_id, user_id)
    );
    create index conversation_members_user on conversation_members (workspace_id, user_id);

    create table messages (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      conversation_id uuid not null references conversations on delete cascade,
      author_id uuid references users on delete set null,
      -- A reply in a thread; the thread's first message has none.
      parent_id uuid references messages on delete cascade,
      seq bigint generated always as identity,
      body text not null,
      body_html text not null,
      created_at timestamptz not null default now(),
      edited_at timestamptz,
      deleted_at timestamptz,
      deleted_by uuid references users on delete set null,
      reply_count integer not null default 0,
      last_reply_at timestamptz,
      live_seq bigint not null default nextval('live_seq'),
      -- live_seq when written: a reconnecting page appends messages created since it last
      -- heard, and only replaces those merely changed (it may not show them at all).
      created_live_seq bigint not null,
      search tsvector generated always as (to_tsvector('simple', body)) stored,
      -- A deleted message keeps its place (a tombstone) but not its text.
      check (deleted_at is not null or length(body) between 1 and 4000),
      check (deleted_at is null or body = '')
    );
    create index messages_timeline on messages (conversation_id, seq) where parent_id is null;
    create index messages_thread on messages (parent_id, seq) where parent_id is not null;
    create index messages_live on messages (conversation_id, live_seq);
    create index messages_search on messages using gin (search);
    create trigger messages_live_seq before update on messages for each row execute function bump_live_seq();

    -- Earlier versions of edited messages, for admins.
    create table message_edits (
      id bigint generated always as identity primary key,
      workspace_id uuid not null references workspaces on delete cascade,
      message_id uuid not null references messages on delete cascade,
      editor_id uuid references users on delete set null,
      body text not null,
      replaced_at timestamptz not null default now()
    );
    create index message_edits_message on message_edits (message_id, id);

    create table message_reactions (
      workspace_id uuid not null references workspaces on delete cascade,
      message_id uuid not null references messages on delete cascade,
      user_id uuid not null references users on delete cascade,
      emoji text not null check (emoji in ('thumbs_up', 'heart', 'laugh', 'party', 'eyes', 'check')),
      created_at timestamptz not null default now(),
      primary key (message_id, emoji, user_id)
    );

    -- Who is around: kept current by open streams' heartbeats (online_until), with the moment
    -- each was last seen (for "away") and a person's own "do not disturb".
    create table presence (
      workspace_id uuid not null references workspaces on delete cascade,
      user_id uuid not null references users on delete cascade,
      online_until timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      -- What the others were last told: a change of it is announced live.
      shown_online boolean not null default false,
      do_not_disturb boolean not null default false,
      primary key (workspace_id, user_id)
    );

    -- A project's conversation exists with the project, and its members are the project's.
    -- The triggers run as whoever changes the project, under the same workspace policies.
    create function chat_project_created() returns trigger language plpgsql as $$
    begin
      insert into conversations (workspace_id, kind, project_id, created_by)
      values (new.workspace_id, 'project', new.id, new.created_by);
      return new;
    end $$;
    create trigger projects_conversation after insert on projects
      for each row execute function chat_project_created();

    create function chat_project_member_added() returns trigger language plpgsql as $$
    begin
      insert into conversation_members (workspace_id, conversation_id, user_id, added_by, last_read_seq)
      select new.workspace_id, c.id, new.user_id, new.added_by, c.last_message_seq
      from conversations c where c.project_id = new.project_id
      on conflict do nothing;
      return new;
    end $$;
    create trigger project_members_conversation_added after insert on project_members
      for each row execute function chat_project_member_added();

    create function chat_project_member_removed() returns trigger language plpgsql as $$
    begin
      delete from conversation_members cm using conversations c
      where c.project_id = old.project_id and cm.conversation_id = c.id and cm.user_id = old.user_id;
      return old;
    end $$;
    create trigger project_members_conversation_removed after delete on project_members
      for each row execute function chat_project_member_removed();

    -- Projects that exist already get theirs.
    insert into conversations (workspace_id, kind, project_id, created_by)
    select workspace_id, 'project', id, created_by from projects;
    insert into conversation_members (workspace_id, conversation_id, user_id, added_by)
    select pm.workspace_id, c.id, pm.user_id, pm.added_by
    from project_members pm join conversations c on c.project_id = pm.project_id;
  `.execute(db);

  await enableRls(db, 'conversations');
  await enableRls(db, 'conversation_members');
  await enableRls(db, 'presence');
  // Content is for the conversation's members alone.
  const inMyConversation = (column: string) =>
    `workspace_id = app_workspace_id() and ${column} in
       (select cm.conversation_id from conversation_members cm where cm.user_id = app_user_id())`;
  await enableRls(db, 'messages', {
    using: inMyConversation('conversation_id'),
    check: inMyConversation('conversation_id'),
  });
  const ofMyMessages = `workspace_id = app_workspace_id() and message_id in (select m.id from messages m)`;
  await enableRls(db, 'message_reactions', { using: ofMyMessages, check: ofMyMessages });
  await enableRls(db, 'message_edits', {
    using: ofMyMessages,
    check: ofMyMessages,
    grants: 'select, insert, delete',
  });
  await sql`
    -- The presence sweep finds people whose last container went away without saying so
    -- (ids and times only) and tells the others they are no longer online.
    create policy sweep on presence for select to workroom_maintenance
      using (shown_online and online_until < now());
    create policy sweep_update on presence for update to workroom_maintenance
      using (shown_online and online_until < now()) with check (not shown_online);
    grant select (workspace_id, user_id, online_until, shown_online),
      update (shown_online) on presence to workroom_maintenance;
  `.execute(db);
}
