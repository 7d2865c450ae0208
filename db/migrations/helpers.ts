import { sql, type Kysely } from 'kysely';

/**
 * Row-level security for a tenant table, created in the migration that creates the table:
 * ENABLE + FORCE (so even the owner is filtered), one policy keyed on the request's workspace,
 * and the app role's grants. `using` and `check` widen or narrow the policy where a table needs it.
 */
export async function enableRls(
  db: Kysely<unknown>,
  table: string,
  options: { grants?: string; using?: string; check?: string } = {},
): Promise<void> {
  const using = options.using ?? 'workspace_id = app_workspace_id()';
  const check = options.check ?? 'workspace_id = app_workspace_id()';
  const grants = options.grants ?? 'select, insert, update, delete';
  await sql
    .raw(
      `alter table ${table} enable row level security;
       alter table ${table} force row level security;
       create policy tenant_isolation on ${table} to workroom_app
         using (${using}) with check (${check});
       grant ${grants} on ${table} to workroom_app;`,
    )
    .execute(db);
}
