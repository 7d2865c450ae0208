/**
 * Tasks benchmark (issue 6's speed budgets): a board of 200 tasks, a task page, an htmx card
 * move and a text-filtered list over 10,000 tasks. `npm run bench:tasks [-- flags]`.
 *
 *   --no-build      skip `npm run build` (use the build/ already there)
 *   --write         replace the bench:tasks section of docs/benchmarks.md with this run's numbers
 *   --seconds N     length of each measured load run (default 10; warm-ups are 2 s)
 *   --profile DIR   run the server under `node --cpu-prof`, writing its profile into DIR
 *   --serve         seed, print the URL and a session cookie, and keep serving until Ctrl-C
 *                   (to look at the pages and fragments by hand; nothing is measured)
 *
 * It starts Workroom as bench:pages does (production, throwaway DATA_DIR, demo data), then
 * seeds straight into its database as the owner role: project BENCH in workspace acme with 200
 * tasks (all four default statuses, priorities, assignees, due dates, labels, checklists) and
 * project LIST with 10,000 tasks whose words come from a made-up vocabulary of 500 words, so a
 * one-word filter matches about 1 % of them; then ANALYZE. Signed in as owner@acme.test it
 * measures the board and a task page (1 connection, 50 connections and a bare node:http server
 * sending the same bytes), the board's gzipped HTML, the bytes on the wire of one htmx card
 * move, and the filtered list's latency with one client, and prints the list query's plan.
 */
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import {
  cleanUp,
  cleanUpOnSignals,
  gzippedSize,
  load,
  machineFacts,
  markdownTable,
  rawGet,
  runToEnd,
  startBareServer,
  writeDocSection,
  type LoadResult,
  type MachineFacts,
} from './lib';
import { demo, ownerDatabaseUrl, signIn, startWorkroom } from './workroom';

const { values: flags } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    profile: { type: 'string' },
    serve: { type: 'boolean', default: false },
  },
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);

const SECONDS = Number(flags.seconds);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 50;
const KB = 1024;
const BOARD_TASKS = 200;
const LIST_TASKS = 10_000;
const VOCABULARY = 500;

/** Issue 6's budgets. */
const budget = {
  boardAloneP95Ms: 30,
  boardShareOfBare: 0.05,
  taskAloneP95Ms: 15,
  taskShareOfBare: 0.15,
  boardHtmlKB: 40,
  cardMoveKB: 3,
  listAloneP95Ms: 50,
};

if (!(SECONDS > 0)) throw new Error('--seconds must be a positive number');
cleanUpOnSignals();

// ---------------------------------------------------------------------------------------------
// Seed

/** A small deterministic generator, so every run seeds the same data. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Made-up words of three syllables (none is a prefix of another), e.g. "kapemo". */
function vocabulary(next: () => number): string[] {
  const syllables = [...'bdfgklmnprstvz'].flatMap((c) => [...'aeiou'].map((v) => c + v));
  const words = new Set<string>();
  const pick = () => syllables[Math.floor(next() * syllables.length)]!;
  while (words.size < VOCABULARY) words.add(pick() + pick() + pick());
  return [...words];
}

type Seeded = {
  workspaceId: string;
  ownerId: string;
  board: { id: string; statusIds: string[] };
  list: { id: string };
  word: string;
  wordMatches: number;
};

async function seed(sql: postgres.Sql): Promise<Seeded> {
  const [workspace] = await sql<
    { id: string }[]
  >`select id from workspaces where slug = ${demo.workspace}`;
  const [owner] = await sql<{ id: string }[]>`select id from users where email = ${demo.email}`;
  if (!workspace || !owner) throw new Error('The demo workspace or its owner is missing');
  const members = (
    await sql<{ userId: string }[]>`
      select user_id as "userId" from memberships
      where workspace_id = ${workspace.id} and status = 'active' and role <> 'guest' order by user_id`
  ).map((row) => row.userId);

  // As createProject does: the project, its lead (the owner) and the four default statuses.
  const createProject = async (key: string, name: string) =>
    sql.begin(async (trx) => {
      const [project] = await trx<{ id: string }[]>`
        insert into projects (workspace_id, key, name, lead_id, created_by)
        values (${workspace.id}, ${key}, ${name}, ${owner.id}, ${owner.id}) returning id`;
      for (const userId of members)
        await trx`
          insert into project_members (workspace_id, project_id, user_id, role, added_by)
          values (${workspace.id}, ${project!.id}, ${userId},
                  ${userId === owner.id ? 'lead' : 'member'}, ${owner.id})`;
      const statuses = await trx<{ id: string }[]>`
        insert into task_statuses (workspace_id, project_id, preset, category, position)
        values (${workspace.id}, ${project!.id}, 'todo', 'todo', 0),
               (${workspace.id}, ${project!.id}, 'in_progress', 'in_progress', 1),
               (${workspace.id}, ${project!.id}, 'in_review', 'in_progress', 2),
               (${workspace.id}, ${project!.id}, 'done', 'done', 3)
        returning id`;
      return { id: project!.id, statusIds: statuses.map((status) => status.id) };
    });

  const next = random(6);
  const words = vocabulary(next);
  const pickWord = () => words[Math.floor(next() * words.length)]!;
  const priorities = ['none', 'low', 'medium', 'high', 'urgent'];

  type Row = {
    number: number;
    title: string;
    description: string;
    statusId: string;
    assigneeId: string | null;
    dueDate: string | null;
    priority: string;
    done: boolean;
  };
  const day = (offset: number) =>
    new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const makeRows = (count: number, statusIds: string[], text: () => [string, string]) =>
    Array.from({ length: count }, (_, index): Row => {
      const statusIndex = Math.floor(next() * statusIds.length);
      const [title, description] = text();
      return {
        number: index + 1,
        title,
        description,
        statusId: statusIds[statusIndex]!,
        assigneeId: next() < 0.8 ? members[Math.floor(next() * members.length)]! : null,
        dueDate: next() < 0.6 ? day(Math.floor(next() * 60) - 15) : null,
        priority: priorities[Math.floor(next() * priorities.length)]!,
        done: statusIndex === statusIds.length - 1,
      };
    });
  // BENCH: a board of 200 cards with labels, checklists and a few comments.
  const board = await createProject('BENCH', 'Benchmark board');
  const sentence = (n: number) => Array.from({ length: n }, pickWord).join(' ');
  const boardRows = makeRows(BOARD_TASKS, board.statusIds, () => [
    `Prepare the ${pickWord()} ${pickWord()} report for the client`,
    `${sentence(20)}.\n\n${sentence(15)}.`,
  ]);
  await sql`
    insert into tasks (workspace_id, project_id, number, title, description, status_id,
                       assignee_id, due_date, priority, created_by, completed_at)
    select ${workspace.id}, ${board.id}, number::int, title, description, status_id,
           nullif(assignee, '')::uuid, nullif(due, '')::date, priority::task_priority,
           ${owner.id}, case when done::bool then now() end
    from unnest(${boardRows.map((r) => String(r.number))}::text[],
                ${boardRows.map((r) => r.title)}::text[],
                ${boardRows.map((r) => r.description)}::text[],
                ${boardRows.map((r) => r.statusId)}::uuid[],
                ${boardRows.map((r) => r.assigneeId ?? '')}::text[],
                ${boardRows.map((r) => r.dueDate ?? '')}::text[],
                ${boardRows.map((r) => r.priority)}::text[],
                ${boardRows.map((r) => String(r.done))}::text[])
      as r(number, title, description, status_id, assignee, due, priority, done)`;
  await sql`update projects set task_seq = ${BOARD_TASKS} where id = ${board.id}`;
  const labelNames = ['Bench design', 'Bench backend', 'Bench urgent', 'Bench client', 'Bench bug'];
  const colours = ['blue', 'green', 'red', 'purple', 'orange'];
  for (const [index, name] of labelNames.entries())
    await sql`
      insert into labels (workspace_id, name, colour)
      values (${workspace.id}, ${name}, ${colours[index]!}::label_colour)`;
  await sql`
    insert into task_labels (workspace_id, task_id, label_id)
    select t.workspace_id, t.id, l.id
    from tasks t join labels l on l.workspace_id = t.workspace_id and l.name like 'Bench %'
    where t.project_id = ${board.id} and (t.number + length(l.name)) % 4 = 0`;
  await sql`
    insert into checklist_items (workspace_id, task_id, text, done, position)
    select t.workspace_id, t.id, 'Step ' || i, i <= t.number % 4, i
    from tasks t, generate_series(1, 4) i
    where t.project_id = ${board.id} and t.number % 3 = 0`;
  await sql`
    insert into task_comments (workspace_id, task_id, author_id, body)
    select t.workspace_id, t.id, ${owner.id}, 'A comment on this task, number ' || i
    from tasks t, generate_series(1, 3) i
    where t.project_id = ${board.id} and t.number % 10 = 1`;
  await sql`
    insert into task_activity (workspace_id, task_id, actor_id, field)
    select workspace_id, id, ${owner.id}, 'created' from tasks where project_id = ${board.id}`;

  // LIST: 10,000 tasks of made-up words; 2 in the title and 3 in the description.
  const list = await createProject('LIST', 'Benchmark list');
  const listRows = makeRows(LIST_TASKS, list.statusIds, () => [
    `${pickWord()} ${pickWord()}`,
    sentence(3),
  ]);
  for (let from = 0; from < listRows.length; from += 2000) {
    const chunk = listRows.slice(from, from + 2000);
    await sql`
      insert into tasks (workspace_id, project_id, number, title, description, status_id,
                         assignee_id, due_date, priority, created_by, completed_at)
      select ${workspace.id}, ${list.id}, number::int, title, description, status_id,
             nullif(assignee, '')::uuid, nullif(due, '')::date, priority::task_priority,
             ${owner.id}, case when done::bool then now() end
      from unnest(${chunk.map((r) => String(r.number))}::text[],
                  ${chunk.map((r) => r.title)}::text[],
                  ${chunk.map((r) => r.description)}::text[],
                  ${chunk.map((r) => r.statusId)}::uuid[],
                  ${chunk.map((r) => r.assigneeId ?? '')}::text[],
                  ${chunk.map((r) => r.dueDate ?? '')}::text[],
                  ${chunk.map((r) => r.priority)}::text[],
                  ${chunk.map((r) => String(r.done))}::text[])
        as r(number, title, description, status_id, assignee, due, priority, done)`;
  }
  await sql`update projects set task_seq = ${LIST_TASKS} where id = ${list.id}`;
  await sql`analyze`;

  // The word to filter by: the one whose share of tasks is nearest 1 %.
  const counts = new Map<string, number>();
  for (const row of listRows)
    for (const word of new Set(`${row.title} ${row.description}`.split(' ')))
      counts.set(word, (counts.get(word) ?? 0) + 1);
  const [word, wordMatches] = [...counts].sort(
    (a, b) => Math.abs(a[1] - LIST_TASKS / 100) - Math.abs(b[1] - LIST_TASKS / 100),
  )[0]!;
  return { workspaceId: workspace.id, ownerId: owner.id, board, list, word, wordMatches };
}

// ---------------------------------------------------------------------------------------------
// The list query's plan

/**
 * listProjectTasks' query as Kysely writes it (queries.server.ts), sort "priority": the page of
 * 50 and the total as a window over the same rows, with the project ($1) and the search ($2)
 * as parameters, as the app sends them.
 */
const listQuery = `
  select tasks.id, tasks.number, tasks.title, tasks.priority, tasks.status_id,
    tasks.assignee_id, tasks.project_id, tasks.completed_at, tasks.created_at, tasks.updated_at,
    to_char(tasks.due_date, 'YYYY-MM-DD') as due_date, projects.key as project_key,
    projects.name as project_name, status.name as status_name, status.preset as status_preset,
    status.category as status_category, assignee.name as assignee_name,
    (select coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'colour', l.colour) order by l.name), '[]') from task_labels tl join labels l on l.id = tl.label_id where tl.task_id = tasks.id) as labels,
    (select count(*)::int from checklist_items c where c.task_id = tasks.id) as checklist_total,
    (select count(*)::int from checklist_items c where c.task_id = tasks.id and c.done) as checklist_done,
    (select count(*)::int from task_comments c where c.task_id = tasks.id) as comment_count,
    (count(*) over ())::int as total
  from tasks
  inner join projects on projects.id = tasks.project_id
  inner join task_statuses as status on status.id = tasks.status_id
  left join users as assignee on assignee.id = tasks.assignee_id
  where tasks.deleted_at is null and projects.deleted_at is null
    and tasks.project_id = $1
    and (tasks.search @@ (select to_tsquery('simple', $2)))
  order by tasks.priority desc, tasks.due_date asc nulls last, tasks.number desc
  limit 50 offset 0`;

/**
 * EXPLAIN (ANALYZE, BUFFERS) as the app runs it: role workroom_app, under row-level security, a
 * prepared statement with a generic plan (database.server.ts sets plan_cache_mode).
 */
async function explain(
  sql: postgres.Sql,
  seeded: Seeded,
  query: string,
  words: string,
  options: { noSeqScan?: boolean } = {},
): Promise<string> {
  let plan = '';
  await sql
    .begin(async (trx) => {
      await trx`set local role workroom_app`;
      await trx`set local plan_cache_mode = force_generic_plan`;
      // For comparison: the plan the GIN index tasks_search would give.
      if (options.noSeqScan) await trx`set local enable_seqscan = off`;
      await trx`select set_config('app.workspace_id', ${seeded.workspaceId}, true),
                       set_config('app.user_id', ${seeded.ownerId}, true)`;
      await trx.unsafe(`prepare list_query (uuid, text) as ${query}`);
      const execute = `execute list_query ('${seeded.list.id}', '${words.replaceAll("'", "''")}')`;
      await trx.unsafe(execute); // warm
      const rows = await trx.unsafe(`explain (analyze, buffers) ${execute}`);
      await trx`deallocate list_query`; // a prepared statement outlives the transaction
      plan = rows.map((row) => String(row['QUERY PLAN'])).join('\n');
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return plan;
}
class Rollback extends Error {}

// ---------------------------------------------------------------------------------------------
// Speed

type PageResult = { name: string; alone: LoadResult; loaded?: LoadResult; bare?: LoadResult };

async function measurePage(
  appUrl: string,
  name: string,
  pagePath: string,
  headers: Record<string, string>,
  underLoad: boolean,
): Promise<PageResult> {
  const url = `${appUrl}${pagePath}`;
  const sample = await rawGet(url, headers);
  if (sample.status !== 200) throw new Error(`${name}: ${sample.status}, expected 200`);
  const run = (target: string, connections: number) =>
    load({ url: target, headers, connections, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
  console.log(`${name}: 1 connection…`);
  const alone = await run(url, 1);
  if (!underLoad) return { name, alone };
  console.log(`${name}: ${CONNECTIONS} connections…`);
  const loaded = await run(url, CONNECTIONS);
  console.log(`${name}: ${CONNECTIONS} connections, bare node:http…`);
  const bareServer = await startBareServer(sample.body, sample.headers);
  try {
    const bare = await run(`${bareServer.url}${pagePath}`, CONNECTIONS);
    return { name, alone, loaded, bare };
  } finally {
    await bareServer.stop();
  }
}

type Transfer = {
  status: number;
  request: number;
  responseHeaders: number;
  responseBody: number;
  total: number;
  contentEncoding: string;
};

/** One request over a raw socket, counting every byte each way (headers, chunk framing). */
function rawExchange(appUrl: string, requestText: string): Promise<Transfer> {
  const { hostname, port } = new URL(appUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(requestText));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.setTimeout(30_000, () => socket.destroy(new Error('card move: timed out')));
    socket.on('close', () => {
      const response = Buffer.concat(chunks);
      const split = response.indexOf('\r\n\r\n') + 4;
      const head = response.subarray(0, split).toString('latin1');
      const request = Buffer.byteLength(requestText);
      resolve({
        status: Number(head.split(' ')[1]),
        request,
        responseHeaders: split,
        responseBody: response.length - split,
        total: request + response.length,
        contentEncoding: /\r\ncontent-encoding:\s*(\S+)/i.exec(head)?.[1] ?? 'none',
      });
    });
  });
}

/**
 * Moving card BENCH-n to another column the way htmx does on the board: the headers a
 * browser and htmx send (a typical Chrome User-Agent, Accept-Encoding gzip), the session cookie.
 */
async function cardMove(
  appUrl: string,
  cookie: string,
  taskNumber: number,
  statusId: string,
  gzip: boolean,
): Promise<Transfer> {
  const { host } = new URL(appUrl);
  const body = new URLSearchParams({ statusId }).toString();
  const board = `${appUrl}/w/${demo.workspace}/projects/BENCH/board`;
  const lines = [
    `POST /w/${demo.workspace}/tasks/BENCH-${taskNumber}/card HTTP/1.1`,
    `Host: ${host}`,
    'Connection: close',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Accept: */*',
    ...(gzip ? ['Accept-Encoding: gzip, deflate, br, zstd'] : []),
    'Accept-Language: en-GB,en;q=0.9',
    'Content-Type: application/x-www-form-urlencoded',
    `Origin: ${appUrl}`,
    `Referer: ${board}`,
    'Sec-Fetch-Site: same-origin',
    'Sec-Fetch-Mode: cors',
    'Sec-Fetch-Dest: empty',
    'HX-Request: true',
    `HX-Current-URL: ${board}`,
    `Cookie: ${cookie}`,
  ];
  return rawExchange(appUrl, `${lines.join('\r\n')}\r\n\r\n${body}`);
}

// ---------------------------------------------------------------------------------------------
// Report

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const kb = (bytes: number) => (bytes / KB).toFixed(1);
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const met = (ok: boolean) => (ok ? 'yes' : 'NO');
const latencies = (run: LoadResult) => `${ms(run.p50)} / ${ms(run.p95)} / ${ms(run.p99)}`;

type Results = {
  board: PageResult;
  task: PageResult;
  list: PageResult;
  listAll: PageResult;
  boardHtml: { bytes: number; raw: number; serverGzipped: boolean };
  move: Transfer;
  moveIdentity: Transfer;
  seeded: Seeded;
  plan: string;
};

/** The plan's top lines and its timing, for the document (the full plan is printed). */
function planSummary(plan: string): string {
  const lines = plan.split('\n');
  const scans = lines
    .filter((line) => /Scan|Sort|Limit|Aggregate|Hash Join|Nested Loop/.test(line))
    .map((line) => line.replace(/\s+\(cost=[^)]*\)/, '').trimEnd());
  const timing = lines.filter((line) => /^(Planning|Execution) Time/.test(line));
  return ['```', ...scans, ...timing, '```'].join('\n');
}

function report(facts: MachineFacts, results: Results): string {
  const { board, task, list, listAll, boardHtml, move, moveIdentity, seeded } = results;
  const speed = markdownTable(
    [
      'Page',
      'Alone p50 / p95 / p99 ms',
      `${CONNECTIONS} conns req/s`,
      `${CONNECTIONS} conns p50 / p95 / p99 ms`,
      'Bare node:http req/s',
      'App / bare',
    ],
    [board, task, list, listAll].map(({ name, alone, loaded, bare }) => [
      name,
      latencies(alone),
      loaded ? loaded.rps.toFixed(0) : '-',
      loaded ? latencies(loaded) : '-',
      bare ? bare.rps.toFixed(0) : '-',
      loaded && bare ? percent(loaded.rps / bare.rps) : '-',
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );
  const transfer = markdownTable(
    ['Card move (htmx POST)', 'Request', 'Response headers', 'Response body', 'Total', 'Encoding'],
    [move, moveIdentity].map((t, index) => [
      index === 0 ? 'Accept-Encoding: gzip' : 'no Accept-Encoding',
      String(t.request),
      String(t.responseHeaders),
      String(t.responseBody),
      `${t.total} (${kb(t.total)} KB)`,
      t.contentEncoding,
    ]),
    ['l', 'r', 'r', 'r', 'r', 'l'],
  );
  const share = (page: PageResult) => page.loaded!.rps / page.bare!.rps;
  const budgetTable = markdownTable(
    ['Budget', 'Limit', 'Measured', 'Met'],
    [
      [
        'Board (200 tasks) p95 alone',
        `<= ${budget.boardAloneP95Ms} ms`,
        `${ms(board.alone.p95)} ms`,
        met(board.alone.p95 <= budget.boardAloneP95Ms),
      ],
      [
        `Board req/s at ${CONNECTIONS} conns vs bare node:http`,
        `>= ${budget.boardShareOfBare * 100} %`,
        percent(share(board)),
        met(share(board) >= budget.boardShareOfBare),
      ],
      [
        'Task page p95 alone',
        `<= ${budget.taskAloneP95Ms} ms`,
        `${ms(task.alone.p95)} ms`,
        met(task.alone.p95 <= budget.taskAloneP95Ms),
      ],
      [
        `Task page req/s at ${CONNECTIONS} conns vs bare node:http`,
        `>= ${budget.taskShareOfBare * 100} %`,
        percent(share(task)),
        met(share(task) >= budget.taskShareOfBare),
      ],
      [
        'Board HTML, gzipped',
        `<= ${budget.boardHtmlKB} KB`,
        `${kb(boardHtml.bytes)} KB${boardHtml.serverGzipped ? '' : ' (gzipped here)'}`,
        met(boardHtml.bytes <= budget.boardHtmlKB * KB),
      ],
      [
        'Card move with htmx, bytes on the wire',
        `<= ${budget.cardMoveKB} KB`,
        `${kb(move.total)} KB`,
        met(move.total <= budget.cardMoveKB * KB),
      ],
      [
        `List of ${LIST_TASKS} tasks filtered by a word, p95 alone`,
        `<= ${budget.listAloneP95Ms} ms`,
        `${ms(list.alone.p95)} ms`,
        met(list.alone.p95 <= budget.listAloneP95Ms),
      ],
    ],
  );
  const failures = [board, task, list, listAll].flatMap(({ name, alone, loaded, bare }) =>
    Object.entries({ alone, [`${CONNECTIONS} conns`]: loaded, bare })
      .filter(([, run]) => run && run.failures > 0)
      .map(([label, run]) => `${name} (${label}): ${run!.failures} failed`),
  );
  const machine =
    `${facts.cpu}, ${facts.cores} cores, ${facts.ramGiB} GiB RAM, ${facts.os}, Node ${facts.node}; ` +
    `1-minute load average ${facts.loadAverage.toFixed(2)} at the start, ` +
    `${os.loadavg()[0]!.toFixed(2)} at the end.`;
  const busy =
    facts.loadAverage > facts.cores / 2
      ? `The machine was already busy when the run started (load ${facts.loadAverage.toFixed(2)} on ${facts.cores} cores): expect lower numbers than on an idle one.`
      : '';
  const data =
    `Data: the demo, plus project BENCH (${BOARD_TASKS} tasks over the four default statuses, ` +
    'with assignees, due dates, priorities, labels on about half, checklists on a third, comments on a tenth) ' +
    `and project LIST (${LIST_TASKS} tasks of made-up words); the filter "${seeded.word}" matches ` +
    `${seeded.wordMatches} of them (${percent(seeded.wordMatches / LIST_TASKS)}). Seeded with SQL as the owner role, then ANALYZE.`;
  const method =
    'Server: `node scripts/workroom.js serve` with NODE_ENV=production, embedded Postgres. ' +
    `Latency "alone" is one connection for ${SECONDS} s; then ${CONNECTIONS} connections for ${SECONDS} s, ` +
    `each after a ${WARMUP_SECONDS} s warm-up (autocannon). The bare node:http server sends the same bytes and headers. ` +
    'The card move is one POST /w/acme/tasks/BENCH-n/card (statusId, HX-Request) with the headers a ' +
    'browser and htmx send, counted byte for byte over a raw socket: request, response headers, response body.';

  return [
    '## Tasks (`npm run bench:tasks`)',
    '',
    `Run ${facts.date} on ${machine}`,
    '',
    ...(busy ? [busy, ''] : []),
    data,
    '',
    method,
    '',
    speed,
    '',
    transfer,
    '',
    budgetTable,
    '',
    "The filtered list's query (listProjectTasks: the page of 50 and the total in one; as workroom_app under row-level security, prepared with a generic plan as the app runs it), EXPLAIN (ANALYZE, BUFFERS), abridged:",
    '',
    planSummary(results.plan),
    ...(failures.length ? ['', `Failed requests: ${failures.join('; ')}.`] : []),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

try {
  if (!flags['no-build']) await runToEnd('npm', ['run', 'build'], { echo: true });
  const facts = machineFacts();
  console.log('Starting Workroom (production)…');
  const profileDir = flags.profile ? path.resolve(flags.profile) : undefined;
  const app = await startWorkroom({ production: true, profileDir });
  const sql = postgres(ownerDatabaseUrl(app), { max: 1, onnotice: () => {} });
  try {
    console.log('Seeding BENCH (200 tasks) and LIST (10,000 tasks)…');
    const started = Date.now();
    const seeded = await seed(sql);
    console.log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    const cookie = await signIn(app.url);
    if (flags.serve) {
      console.log(`Serving ${app.url} (board: /w/acme/projects/BENCH/board). Cookie: ${cookie}`);
      await new Promise(() => {}); // until Ctrl-C, which cleanUpOnSignals() handles
    }
    const headers = { cookie };
    const base = `/w/${demo.workspace}`;

    const boardSample = await rawGet(`${app.url}${base}/projects/BENCH/board`, {
      ...headers,
      'accept-encoding': 'gzip',
    });
    if (boardSample.status !== 200) throw new Error(`Board: ${boardSample.status}`);
    const plainBoard = await rawGet(`${app.url}${base}/projects/BENCH/board`, headers);
    const boardHtml = { ...gzippedSize(boardSample), raw: plainBoard.body.length };
    const cards = (plainBoard.body.toString('utf8').match(/BENCH-\d+/g) ?? []).length;
    console.log(
      `Board HTML: ${plainBoard.body.length} bytes, ${boardHtml.bytes} gzipped, ${cards} mentions of BENCH-n.`,
    );

    const board = await measurePage(
      app.url,
      'GET board (BENCH)',
      `${base}/projects/BENCH/board`,
      headers,
      true,
    );
    const task = await measurePage(
      app.url,
      'GET /w/acme/tasks/BENCH-1',
      `${base}/tasks/BENCH-1`,
      headers,
      true,
    );
    const list = await measurePage(
      app.url,
      `GET LIST tasks?q=${seeded.word}`,
      `${base}/projects/LIST/tasks?q=${seeded.word}`,
      headers,
      false,
    );
    const listAll = await measurePage(
      app.url,
      'GET LIST tasks (no filter)',
      `${base}/projects/LIST/tasks`,
      headers,
      false,
    );

    // Moves in a column the card is not in (statuses rotate, so the next one always differs).
    const [statusOf] = await sql<{ statusId: string }[]>`
      select status_id as "statusId" from tasks where project_id = ${seeded.board.id} and number = 7`;
    const other = seeded.board.statusIds.filter((id) => id !== statusOf!.statusId);
    const move = await cardMove(app.url, cookie, 7, other[0]!, true);
    const moveIdentity = await cardMove(app.url, cookie, 7, other[1]!, false);
    for (const t of [move, moveIdentity])
      if (t.status !== 200) throw new Error(`Card move answered ${t.status}, expected 200`);

    const words = `'${seeded.word}':*`;
    const plan = await explain(sql, seeded, listQuery, words);
    console.log(`\nEXPLAIN list:\n${plan}\n`);
    const indexed = await explain(sql, seeded, listQuery, words, { noSeqScan: true });
    console.log(`EXPLAIN list with enable_seqscan off (for comparison):\n${indexed}\n`);

    const section = report(facts, {
      board,
      task,
      list,
      listAll,
      boardHtml,
      move,
      moveIdentity,
      seeded,
      plan,
    });
    console.log(`\n${section}\n`);
    if (flags.write) {
      writeDocSection(path.join(root, 'docs', 'benchmarks.md'), 'tasks', section);
      console.log('Wrote the bench:tasks section of docs/benchmarks.md.');
    }
  } finally {
    await sql.end();
  }
} finally {
  await cleanUp();
}
