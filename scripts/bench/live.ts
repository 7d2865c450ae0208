/**
 * Live updates benchmark (issue 7's chat budgets): a message to 500 open streams, a sustained
 * 50 messages/s to them, 5,000 idle streams in one process, and a conversation page of 50
 * messages. `npm run bench:live [-- flags]`.
 *
 *   --no-build            skip `npm run build` (use the build/ already there)
 *   --write               replace the bench:live section of docs/benchmarks.md with this run's numbers
 *   --streams N           open streams on the conversation messages are posted to (default 500)
 *   --members N           members of that conversation, each with its own session; the streams
 *                         are spread evenly over them (default 500: one stream each)
 *   --messages N          messages posted one at a time to the open streams (default 100)
 *   --rate N              messages per second in the sustained run (default 50)
 *   --senders N           members who post in the sustained run, round robin (default 50; posting
 *                         is limited to 20 messages per 10 s per person)
 *   --sustain-seconds N   length of the sustained run (default 60)
 *   --idle-streams N      idle streams opened at once on one process (default 5000)
 *   --heartbeats N        heartbeat intervals (25 s each) to measure CPU over, with and without
 *                         the idle streams (default 2)
 *   --seconds N           length of each measured load run of the page (default 10; warm-ups 2 s)
 *   --phases LIST         which parts to run, comma-separated: page,burst,sustain,idle (default
 *                         all, in that order)
 *   --presence            streams also follow presence:<workspace>, as the conversation page's do
 *   --profile DIR         run the server under `node --cpu-prof`, writing its profile into DIR
 *   --serve               seed, print the URLs and a session cookie, and keep serving until Ctrl-C
 *
 * It starts Workroom as bench:tasks does (production, throwaway DATA_DIR, demo data), then
 * seeds straight into its database as the owner role: `--members` people in workspace acme
 * (role member), the group conversation "Bench live" with all of them and 60 messages, and the
 * group conversation "Bench page" with 8 of them and 80 messages of realistic length (some in
 * Markdown, rendered here with markdown-it as the app renders it). Sign-in is rate limited, so
 * each person's session is a row in `sessions` (the SHA-256 of a random token) and the cookie is
 * that token signed the way Remix signs it, with the server's SESSION_SECRET.
 *
 * Streams are plain node:http requests (keep-alive agent, no socket limit) to
 * /w/acme/live?topic=conversation:<id>, parsed as SSE here; a stream the server ends is
 * reopened after its `retry:` with Last-Event-ID, as a browser would. Each posted message (a
 * POST /w/acme/chat/<id>/messages as htmx sends it) carries a unique token; it has arrived in a
 * stream when a `message` event's data (the app names its message.created and message.updated
 * events `message`; `message.created` is accepted too) contains that token; the same token in a
 * second such event on one stream counts as a duplicate. Times are from just before
 * the POST is sent to the moment the chunk carrying the event is read here, on the same
 * machine (so this process's own event loop is part of each time).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import MarkdownIt from 'markdown-it';
import postgres from 'postgres';
import {
  cleanUp,
  cleanUpOnSignals,
  gzippedSize,
  load,
  machineFacts,
  markdownTable,
  onCleanup,
  percentile,
  rawGet,
  runToEnd,
  startBareServer,
  writeDocSection,
  type LoadResult,
  type MachineFacts,
} from './lib';
import { demo, ownerDatabaseUrl, startWorkroom, type Workroom } from './workroom';

const { values: flags } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    streams: { type: 'string', default: '500' },
    members: { type: 'string', default: '500' },
    messages: { type: 'string', default: '100' },
    rate: { type: 'string', default: '50' },
    senders: { type: 'string', default: '50' },
    'sustain-seconds': { type: 'string', default: '60' },
    'idle-streams': { type: 'string', default: '5000' },
    heartbeats: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '10' },
    phases: { type: 'string', default: 'page,burst,sustain,idle' },
    profile: { type: 'string' },
    serve: { type: 'boolean', default: false },
    presence: { type: 'boolean', default: false },
  },
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);

const positive = (name: string, value: string | undefined) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new Error(`--${name} must be a positive whole number`);
  return number;
};
const STREAMS = positive('streams', flags.streams);
const MEMBERS = positive('members', flags.members);
const MESSAGES = positive('messages', flags.messages);
const RATE = positive('rate', flags.rate);
const SENDERS = Math.min(positive('senders', flags.senders), MEMBERS);
const SUSTAIN_SECONDS = positive('sustain-seconds', flags['sustain-seconds']);
const IDLE_STREAMS = positive('idle-streams', flags['idle-streams']);
const HEARTBEATS = positive('heartbeats', flags.heartbeats);
const SECONDS = positive('seconds', flags.seconds);
const PHASES = new Set(flags.phases!.split(',').map((phase) => phase.trim()));
for (const phase of PHASES)
  if (!['page', 'idle', 'burst', 'sustain'].includes(phase))
    throw new Error(`--phases: unknown phase "${phase}" (page, burst, sustain, idle)`);

const WARMUP_SECONDS = 2;
const CONNECTIONS = 50;
const KB = 1024;
const HEARTBEAT_MS = 25_000; // stream.server.ts
const WARMUP_MESSAGES = 5;
const PAGE_MEMBERS = 8;
const PAGE_MESSAGES = 80;
const LIVE_HISTORY = 60;
/** How long one message may take to reach every stream before it counts as lost. */
const ARRIVAL_TIMEOUT_MS = 10_000;
/** After the sustained run: how long to wait for stragglers with no progress at all. */
const DRAIN_IDLE_MS = 15_000;
const DRAIN_MAX_MS = 180_000;

/** Issue 7's budgets (and DESIGN.md's for a typical page). */
const budget = {
  lastStreamP99Ms: 200,
  idleRssMB: 300,
  pageHtmlKB: 30,
  pageAloneP95Ms: 15,
  pageShareOfBare: 0.15,
};

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

const words = (
  'the a we it this that for with on to of and in is be will can our your team client ' +
  'meeting report draft invoice budget launch design review call notes plan week today ' +
  'tomorrow friday monday deadline update numbers slides copy photos contract approval ' +
  'feedback sent checked looks good thanks please could you send me again after lunch ' +
  'quick question about the new version which one final agreed moved pushed back ready'
).split(' ');

/** Chat messages of realistic length: mostly a sentence or two, sometimes Markdown. */
function messageText(next: () => number): string {
  const pick = () => words[Math.floor(next() * words.length)]!;
  const sentence = (n: number) => {
    const text = Array.from({ length: n }, pick).join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };
  const roll = next();
  if (roll < 0.45) return sentence(4 + Math.floor(next() * 10));
  if (roll < 0.7)
    return `${sentence(8 + Math.floor(next() * 10))} ${sentence(6 + Math.floor(next() * 12))}`;
  if (roll < 0.8) return `**${sentence(3)}** ${sentence(10)} See \`${pick()}-${pick()}.pdf\`.`;
  if (roll < 0.88) return `${sentence(5)}\n\n- ${sentence(4)}\n- ${sentence(5)}\n- ${sentence(3)}`;
  if (roll < 0.94) return `${sentence(7)} https://example.com/${pick()}/${pick()}`;
  return `> ${sentence(8)}\n\n${sentence(6)} _${pick()}_ ${sentence(9)}`;
}

// As the app renders Markdown (projects/markdown.server.ts); good enough for page weight.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true, breaks: true });

type Member = { id: string; email: string; cookie: string };

type Seeded = {
  workspaceId: string;
  members: Member[];
  live: { id: string };
  page: { id: string; members: Member[] };
};

/** The cookie Remix's createCookie(…, { secrets }).serialize(token) makes (cookie-signature). */
function signedSessionCookie(secret: string, token: string): string {
  const encoded = Buffer.from(JSON.stringify(token), 'utf8').toString('base64');
  const signature = createHmac('sha256', secret)
    .update(encoded)
    .digest('base64')
    .replace(/=+$/, '');
  return `__Host-workroom_session=${encodeURIComponent(`${encoded}.${signature}`)}`;
}

async function seed(sql: postgres.Sql, sessionSecret: string): Promise<Seeded> {
  const [workspace] = await sql<
    { id: string }[]
  >`select id from workspaces where slug = ${demo.workspace}`;
  const [owner] = await sql<{ id: string }[]>`select id from users where email = ${demo.email}`;
  if (!workspace || !owner) throw new Error('The demo workspace or its owner is missing');

  const emails = Array.from({ length: MEMBERS }, (_, i) => `bench-live-${i + 1}@acme.test`);
  const users = await sql<{ id: string; email: string }[]>`
    insert into users (email, name, email_verified_at)
    select e, 'Bench Person ' || n, now()
    from unnest(${emails}::text[]) with ordinality as u(e, n)
    returning id, email`;
  const byEmail = new Map(users.map((user) => [user.email, user.id]));
  const userIds = emails.map((email) => byEmail.get(email)!);
  await sql`
    insert into memberships (workspace_id, user_id, role, status)
    select ${workspace.id}, u, 'member', 'active' from unnest(${userIds}::uuid[]) as u`;
  const tokens = userIds.map(() => randomBytes(32).toString('base64url'));
  await sql`
    insert into sessions (id, user_id, expires_at, ip, user_agent)
    select h, u, now() + interval '30 days', '127.0.0.1', 'bench:live'
    from unnest(${tokens.map((token) => createHash('sha256').update(token).digest('hex'))}::text[],
                ${userIds}::uuid[]) as s(h, u)`;
  const members = userIds.map((id, i) => ({
    id,
    email: emails[i]!,
    cookie: signedSessionCookie(sessionSecret, tokens[i]!),
  }));

  const createdLiveSeq =
    (
      await sql`
        select 1 from information_schema.columns
        where table_name = 'messages' and column_name = 'created_live_seq'`
    ).length > 0;
  const next = random(7);
  const createConversation = async (name: string, people: Member[], history: number) => {
    const [conversation] = await sql<{ id: string }[]>`
      insert into conversations (workspace_id, kind, name, created_by)
      values (${workspace.id}, 'group', ${name}, ${owner.id}) returning id`;
    const ids = [owner.id, ...people.map((person) => person.id)];
    await sql`
      insert into conversation_members (workspace_id, conversation_id, user_id, added_by)
      select ${workspace.id}, ${conversation!.id}, u, ${owner.id} from unnest(${ids}::uuid[]) as u`;
    const bodies = Array.from({ length: history }, () => messageText(next));
    const authors = bodies.map(() => ids[Math.floor(next() * ids.length)]!);
    // A minute apart, ending now, in order of seq; created_live_seq (when the schema has it) is
    // the live_seq the row was written with.
    await sql`
      insert into messages (workspace_id, conversation_id, author_id, body, body_html, created_at,
                            live_seq ${createdLiveSeq ? sql`, created_live_seq` : sql``})
      select ${workspace.id}, ${conversation!.id}, a, b, h,
             now() - make_interval(mins => (${history}::int - n)::int),
             s ${createdLiveSeq ? sql`, s` : sql``}
      from (select a, b, h, n, nextval('live_seq') as s
            from unnest(${authors}::uuid[], ${bodies}::text[],
                        ${bodies.map((body) => markdown.render(body))}::text[])
              with ordinality as m(a, b, h, n)
            order by n) as m
      order by n`;
    await sql`
      update conversations c
      set last_message_seq = (select max(seq) from messages m where m.conversation_id = c.id),
          last_message_at = now()
      where id = ${conversation!.id}`;
    await sql`
      update conversation_members set last_read_seq = c.last_message_seq
      from conversations c
      where c.id = ${conversation!.id} and conversation_members.conversation_id = c.id`;
    return { id: conversation!.id };
  };
  const live = await createConversation('Bench live', members, LIVE_HISTORY);
  const pageMembers = members.slice(0, PAGE_MEMBERS);
  const page = await createConversation('Bench page', pageMembers, PAGE_MESSAGES);
  await sql`analyze`;
  return { workspaceId: workspace.id, members, live, page: { ...page, members: pageMembers } };
}

// ---------------------------------------------------------------------------------------------
// Processes: memory and CPU time from /proc

const CLOCK_TICKS = 100; // USER_HZ on Linux

function rssKB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/**
 * utime + stime in ms, the same with the reaped children's (cutime + cstime: a Postgres backend
 * that exits leaves its time to the postmaster), and the parent's pid.
 */
function procStat(pid: number): { cpuMs: number; withChildrenMs: number; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
    const ticks = (index: number) => (Number(fields[index]) * 1000) / CLOCK_TICKS;
    return {
      ppid: Number(fields[1]),
      cpuMs: ticks(11) + ticks(12),
      withChildrenMs: ticks(11) + ticks(12) + ticks(13) + ticks(14),
    };
  } catch {
    return null; // gone
  }
}

/** The server's descendants (the embedded Postgres and its backends). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat) parents.set(Number(entry), stat.ppid);
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents)
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
  };
  walk(pid);
  return found;
}

type CpuSample = { server: number; database: number; at: number };

/** The server's CPU time, and its descendants' (the embedded Postgres) with their reaped children's. */
function cpuSample(pid: number): CpuSample {
  const database = descendants(pid).reduce(
    (sum, child) => sum + (procStat(child)?.withChildrenMs ?? 0),
    0,
  );
  return { server: procStat(pid)?.cpuMs ?? NaN, database, at: performance.now() };
}

/** The Postgres processes' memory as PSS (shared buffers counted once, not once per backend). */
function databasePssKB(pid: number): number {
  return descendants(pid).reduce((sum, child) => {
    try {
      const rollup = readFileSync(`/proc/${child}/smaps_rollup`, 'utf8');
      return sum + Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      return sum;
    }
  }, 0);
}

function openFileLimit(pid: number | 'self'): string {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((row) => row.startsWith('Max open files'));
  const [soft, hard] = line?.split(/\s{2,}/).slice(1, 3) ?? ['?', '?'];
  return `${soft} (hard ${hard})`;
}

/** One of the server's Prometheus metrics; NaN when it does not answer within 5 s (busy). */
async function metric(app: Workroom, name: string): Promise<number> {
  const response = await Promise.race([
    rawGet(`${app.url}/metrics`).catch(() => null),
    sleep(5000).then(() => null),
  ]);
  if (!response) return NaN;
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+(\\S+)`, 'm').exec(
    response.body.toString('utf8'),
  );
  return match ? Number(match[1]) : NaN;
}

/** Waits (up to `timeoutMs`) until the server uses under 10 % of a core over 2 s. */
async function untilServerQuiet(app: Workroom, timeoutMs = 180_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const before = cpuSample(app.pid);
    await sleep(2000);
    const after = cpuSample(app.pid);
    if ((after.server - before.server) / (after.at - before.at) < 0.1) break;
  }
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------
// Streams

const runTag = randomBytes(3).toString('hex');
/** The token in message n's body: plain letters and digits, which Markdown leaves alone. */
const tokenOf = (n: number) => `lv${runTag}m${n}z`;
const tokenPattern = new RegExp(`lv${runTag}m(\\d+)z`, 'g');

type Posted = {
  n: number;
  sender: Member;
  postedAt: number;
  respondedAt?: number;
  status?: number;
  responseExcerpt?: string;
  /** Arrival time minus postedAt, once per stream (the first arrival). */
  arrivals: number[];
  waiter?: () => void;
};

type Stream = {
  index: number;
  member: Member;
  request?: http.ClientRequest;
  buffer: string;
  lastEventId?: string;
  retryMs: number;
  seen: Set<number>;
  heartbeats: number;
  opens: number;
  /** The server's `retry:` arrived: it is subscribed. */
  ready: boolean;
  /** Refused (not a 200 event stream) or never connected: not counted as open. */
  failed: boolean;
  closing: boolean;
};

type StreamStats = {
  duplicates: number;
  unexpected: number;
  reconnects: number;
  failures: string[];
  heartbeats: number;
};

class LiveClient {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  readonly posted = new Map<number, Posted>();
  readonly streams: Stream[] = [];
  stats: StreamStats = { duplicates: 0, unexpected: 0, reconnects: 0, failures: [], heartbeats: 0 };

  constructor(
    private readonly app: Workroom,
    private readonly conversationId: string,
    private readonly workspaceId: string,
  ) {
    onCleanup('live streams', () => this.closeAll());
  }

  /** Opens `count` streams spread over `members`, `concurrency` at a time; resolves when all are subscribed. */
  async open(count: number, members: Member[], concurrency = 50): Promise<number> {
    const started = performance.now();
    const first = this.streams.length;
    for (let i = 0; i < count; i++)
      this.streams.push({
        index: first + i,
        member: members[i % members.length]!,
        buffer: '',
        retryMs: 3000,
        seen: new Set(),
        heartbeats: 0,
        opens: 0,
        ready: false,
        failed: false,
        closing: false,
      });
    let nextIndex = first;
    const worker = async () => {
      while (nextIndex < first + count && !this.closed) {
        const stream = this.streams[nextIndex++];
        if (stream) await this.connect(stream);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return performance.now() - started;
  }

  /** One request; resolves once the server's `retry:` has arrived (it is subscribed by then) or it failed. */
  private connect(stream: Stream): Promise<void> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = () => {
        if (!settled) {
          settled = true;
          resolve();
        }
      };
      stream.opens++;
      stream.ready = false;
      stream.buffer = '';
      const headers: Record<string, string> = {
        cookie: stream.member.cookie,
        accept: 'text/event-stream',
        'cache-control': 'no-cache',
      };
      if (stream.lastEventId) headers['last-event-id'] = stream.lastEventId;
      const topics = [`conversation:${this.conversationId}`];
      if (flags.presence) topics.push(`presence:${this.workspaceId}`);
      const query = new URLSearchParams(topics.map((topic) => ['topic', topic]));
      const url = `${this.app.url}/w/${demo.workspace}/live?${query}`;
      const request = http.request(url, { agent: this.agent, headers }, (response) => {
        const type = String(response.headers['content-type'] ?? '');
        if (response.statusCode !== 200 || !type.startsWith('text/event-stream')) {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            stream.failed = true;
            this.fail(
              `stream ${stream.index}: ${response.statusCode} ${type} ${Buffer.concat(chunks)
                .toString('utf8')
                .slice(0, 300)}`,
            );
            settle();
          });
          return;
        }
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          const now = performance.now();
          stream.buffer += chunk;
          let end: number;
          while ((end = stream.buffer.indexOf('\n\n')) >= 0) {
            const block = stream.buffer.slice(0, end);
            stream.buffer = stream.buffer.slice(end + 2);
            if (this.onBlock(stream, block, now)) settle();
          }
        });
        response.on('close', () => {
          settle();
          if (stream.closing) return;
          // Ended by the server (or the network): reconnect after `retry:` as a browser does.
          this.stats.reconnects++;
          setTimeout(() => {
            if (!stream.closing) void this.connect(stream);
          }, stream.retryMs).unref();
        });
      });
      request.on('error', (error) => {
        if (!stream.closing && !stream.ready) {
          // Never connected (or refused before any event): a browser would retry; counted instead.
          stream.failed = true;
          this.fail(`stream ${stream.index}: ${error.message}`);
        }
        settle();
      });
      stream.request = request;
      request.end();
    });
  }

  private fail(message: string) {
    if (this.stats.failures.length < 20) console.error(`  ${message}`);
    this.stats.failures.push(message);
  }

  /** One SSE block; returns true for the `retry:` that opens a stream. */
  private onBlock(stream: Stream, block: string, now: number): boolean {
    let event = 'message';
    let data = '';
    let opening = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        if (line.includes('heartbeat')) {
          stream.heartbeats++;
          this.stats.heartbeats++;
        }
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data += `${value}\n`;
      else if (field === 'id') stream.lastEventId = value;
      else if (field === 'retry') {
        stream.retryMs = Number(value) || stream.retryMs;
        stream.ready = true;
        opening = true;
      }
    }
    if ((event === 'message' || event === 'message.created') && data) {
      const found = new Set<number>();
      for (const match of data.matchAll(tokenPattern)) found.add(Number(match[1]));
      for (const n of found) this.arrived(stream, n, now);
    }
    return opening;
  }

  private arrived(stream: Stream, n: number, now: number) {
    if (stream.seen.has(n)) {
      this.stats.duplicates++;
      return;
    }
    stream.seen.add(n);
    const posted = this.posted.get(n);
    if (!posted) {
      this.stats.unexpected++;
      return;
    }
    posted.arrivals.push(now - posted.postedAt);
    if (posted.waiter && posted.arrivals.length >= this.openCount()) posted.waiter();
  }

  openCount(): number {
    return this.streams.filter((stream) => !stream.closing && !stream.failed).length;
  }

  /** POSTs message n as htmx does, from `sender`; resolves with the response. */
  post(n: number, sender: Member, text: string): Promise<Posted> {
    const body = new URLSearchParams({ body: text }).toString();
    const url = `${this.app.url}/w/${demo.workspace}/chat/${this.conversationId}/messages`;
    const page = `${this.app.url}/w/${demo.workspace}/chat/${this.conversationId}`;
    const posted: Posted = { n, sender, postedAt: performance.now(), arrivals: [] };
    this.posted.set(n, posted);
    return new Promise((resolve) => {
      const request = http.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            cookie: sender.cookie,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(Buffer.byteLength(body)),
            origin: this.app.url,
            referer: page,
            'sec-fetch-site': 'same-origin',
            'sec-fetch-mode': 'cors',
            'sec-fetch-dest': 'empty',
            'hx-request': 'true',
            'hx-current-url': page,
            'hx-target': 'messages',
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            posted.respondedAt = performance.now();
            posted.status = response.statusCode ?? 0;
            if (posted.status !== 200)
              posted.responseExcerpt = Buffer.concat(chunks).toString('utf8').slice(0, 300);
            resolve(posted);
          });
        },
      );
      request.setTimeout(60_000, () => request.destroy(new Error('POST timed out')));
      request.on('error', (error) => {
        posted.respondedAt = performance.now();
        posted.status = 0;
        posted.responseExcerpt = error.message;
        resolve(posted);
      });
      posted.postedAt = performance.now();
      request.end(body);
    });
  }

  /** Resolves when message n has reached every open stream, or after timeoutMs. */
  untilEverywhere(posted: Posted, timeoutMs: number): Promise<boolean> {
    if (posted.arrivals.length >= this.openCount()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        posted.waiter = undefined;
        resolve(false);
      }, timeoutMs);
      posted.waiter = () => {
        clearTimeout(timer);
        posted.waiter = undefined;
        resolve(true);
      };
    });
  }

  resetStats() {
    this.stats = { duplicates: 0, unexpected: 0, reconnects: 0, failures: [], heartbeats: 0 };
  }

  private closed = false;

  closeAll() {
    this.closed = true;
    for (const stream of this.streams) {
      stream.closing = true;
      stream.request?.destroy();
    }
    this.streams.length = 0;
    this.agent.destroy();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function messageBody(n: number, next: () => number): string {
  return `${messageText(next)} ${tokenOf(n)}`;
}

/** Waits until the server reports `count` open streams (its gauge), up to `timeoutMs`. */
async function untilServerStreams(
  app: Workroom,
  count: number,
  timeoutMs = 30_000,
): Promise<{ open: number; ms: number }> {
  const started = performance.now();
  let open = NaN;
  while (performance.now() - started < timeoutMs) {
    open = await metric(app, 'workroom_sse_streams_open');
    if (open === count) break;
    await sleep(100);
  }
  return { open, ms: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------
// Phases

type Latencies = { p50: number; p99: number; max: number; count: number };
const latencyOf = (values: number[]): Latencies => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    count: sorted.length,
  };
};

type BurstResult = {
  streams: number;
  members: number;
  messages: number;
  accepted: number;
  complete: number;
  lastStream: Latencies;
  firstStream: Latencies;
  all: Latencies;
  postResponse: Latencies;
  rejected: string[];
  stats: StreamStats;
  serverCpuMs: number;
  databaseCpuMs: number;
  elapsedMs: number;
  openMs: number;
};

async function burst(app: Workroom, client: LiveClient, seeded: Seeded, openMs: number) {
  const next = random(17);
  const senders = seeded.members;
  let n = 0;
  console.log(`Burst: ${WARMUP_MESSAGES} warm-up messages…`);
  for (let i = 0; i < WARMUP_MESSAGES; i++) {
    const posted = await client.post(++n, senders[n % senders.length]!, messageBody(n, next));
    if (posted.status !== 200)
      throw new Error(
        `POST message: ${posted.status}, expected 200: ${posted.responseExcerpt ?? ''}\n${app.output().slice(-2000)}`,
      );
    await client.untilEverywhere(posted, ARRIVAL_TIMEOUT_MS);
  }
  await sleep(500);
  client.resetStats();
  console.log(`Burst: ${MESSAGES} messages one at a time to ${client.openCount()} streams…`);
  const cpuBefore = cpuSample(app.pid);
  const measured: Posted[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    n++;
    const posted = await client.post(n, senders[n % senders.length]!, messageBody(n, next));
    measured.push(posted);
    if (posted.status === 200) {
      const complete = await client.untilEverywhere(posted, ARRIVAL_TIMEOUT_MS);
      if (!complete)
        console.error(
          `  message ${n}: reached ${posted.arrivals.length} of ${client.openCount()} streams in ${ARRIVAL_TIMEOUT_MS / 1000} s`,
        );
    }
    if ((i + 1) % 25 === 0) console.log(`  ${i + 1} of ${MESSAGES}`);
    await sleep(20);
  }
  const cpuAfter = cpuSample(app.pid);
  const accepted = measured.filter((posted) => posted.status === 200);
  const streams = client.openCount();
  const complete = accepted.filter((posted) => posted.arrivals.length >= streams);
  const result: BurstResult = {
    streams,
    members: Math.min(MEMBERS, streams),
    messages: measured.length,
    accepted: accepted.length,
    complete: complete.length,
    // A message that never reached every stream counts as infinitely late.
    lastStream: latencyOf(
      accepted.map((posted) =>
        posted.arrivals.length >= streams ? Math.max(...posted.arrivals) : Infinity,
      ),
    ),
    firstStream: latencyOf(accepted.map((posted) => Math.min(...posted.arrivals))),
    all: latencyOf(accepted.flatMap((posted) => posted.arrivals)),
    postResponse: latencyOf(accepted.map((posted) => posted.respondedAt! - posted.postedAt)),
    rejected: measured
      .filter((posted) => posted.status !== 200)
      .map((posted) => `${posted.status} ${posted.responseExcerpt ?? ''}`),
    stats: client.stats,
    serverCpuMs: cpuAfter.server - cpuBefore.server,
    databaseCpuMs: cpuAfter.database - cpuBefore.database,
    elapsedMs: cpuAfter.at - cpuBefore.at,
    openMs,
  };
  return { result, nextN: n };
}

/**
 * What the app's database sessions are doing, sampled every second while `running`: how often
 * each (state, wait event) was seen, and the statements seen most often while not idle. For
 * telling a server that is busy from one that waits (on locks, or for a pooled connection).
 */
function sampleDatabase(sql: postgres.Sql) {
  const waits = new Map<string, number>();
  const queries = new Map<string, number>();
  let samples = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      try {
        const rows = await sql<{ state: string | null; wait: string | null; query: string }[]>`
          select state, wait_event_type || ':' || wait_event as wait,
                 regexp_replace(left(query, 90), '\\s+', ' ', 'g') as query
          from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()
            and backend_type = 'client backend' and usename <> 'postgres'`;
        samples++;
        for (const row of rows) {
          const key = `${row.state ?? '?'} / ${row.wait ?? 'on CPU'}`;
          waits.set(key, (waits.get(key) ?? 0) + 1);
          if (row.state !== 'idle') queries.set(row.query, (queries.get(row.query) ?? 0) + 1);
        }
      } catch {
        // a sample missed: the database was busy
      }
      await sleep(1000);
    }
  })();
  return async () => {
    running = false;
    await done;
    const top = (map: Map<string, number>, count: number) =>
      [...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, count)
        .map(([key, seen]) => `${(seen / Math.max(1, samples)).toFixed(1)} x ${key}`);
    return { samples, waits: top(waits, 8), queries: top(queries, 6) };
  };
}

type SustainResult = {
  streams: number;
  rate: number;
  seconds: number;
  senders: number;
  posted: number;
  accepted: number;
  postingSeconds: number;
  rejected: Record<string, number>;
  rejectedSample: string[];
  expected: number;
  delivered: number;
  missing: number;
  messagesIncomplete: number;
  drainMs: number;
  all: Latencies;
  lastStream: Latencies;
  postResponse: Latencies;
  stats: StreamStats;
  serverCpuMs: number;
  databaseCpuMs: number;
  elapsedMs: number;
  clientCpuMs: number;
  /** The app's database sessions during the run: average count per (state / wait), top statements. */
  database: { samples: number; waits: string[]; queries: string[] };
};

async function sustain(
  app: Workroom,
  client: LiveClient,
  seeded: Seeded,
  firstN: number,
  sql: postgres.Sql,
): Promise<SustainResult> {
  const stopSampling = sampleDatabase(sql);
  const next = random(27);
  const senders = seeded.members.slice(0, SENDERS);
  const total = RATE * SUSTAIN_SECONDS;
  const streams = client.openCount();
  console.log(
    `Sustained: ${RATE} messages/s for ${SUSTAIN_SECONDS} s from ${senders.length} senders to ${streams} streams…`,
  );
  client.resetStats();
  const cpuBefore = cpuSample(app.pid);
  const clientCpuBefore = process.cpuUsage();
  const started = performance.now();
  const requests: Array<Promise<Posted>> = [];
  let n = firstN;
  for (let i = 0; i < total; i++) {
    // Open loop: message i goes at started + i / RATE, whatever the answers to earlier ones.
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    n++;
    requests.push(client.post(n, senders[i % senders.length]!, messageBody(n, next)));
    if ((i + 1) % (RATE * 10) === 0) console.log(`  ${(i + 1) / RATE} s posted`);
  }
  const postingSeconds = (performance.now() - started) / 1000;
  const posted = await Promise.all(requests);
  const accepted = posted.filter((message) => message.status === 200);
  const expected = accepted.length * streams;
  const delivered = () => accepted.reduce((sum, message) => sum + message.arrivals.length, 0);
  // Wait for stragglers: until all arrived, nothing moved for DRAIN_IDLE_MS, or DRAIN_MAX_MS.
  const lastPost = performance.now();
  let last = delivered();
  let lastProgress = performance.now();
  let reported = performance.now();
  while (delivered() < expected) {
    const now = performance.now();
    if (now - reported > 10_000) {
      reported = now;
      console.log(
        `  ${((now - lastPost) / 1000).toFixed(0)} s after the last POST: ${delivered()} of ${expected} delivered`,
      );
    }
    if (now - lastProgress > DRAIN_IDLE_MS || now - lastPost > DRAIN_MAX_MS) break;
    await sleep(100);
    const current = delivered();
    if (current !== last) {
      last = current;
      lastProgress = performance.now();
    }
  }
  const drainMs = performance.now() - lastPost;
  const cpuAfter = cpuSample(app.pid);
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const rejected: Record<string, number> = {};
  for (const message of posted)
    if (message.status !== 200) rejected[message.status!] = (rejected[message.status!] ?? 0) + 1;
  const got = delivered();
  return {
    streams,
    rate: RATE,
    seconds: SUSTAIN_SECONDS,
    senders: senders.length,
    posted: posted.length,
    accepted: accepted.length,
    postingSeconds,
    rejected,
    rejectedSample: posted
      .filter((message) => message.status !== 200)
      .slice(0, 3)
      .map((message) => `${message.status} ${message.responseExcerpt ?? ''}`),
    expected,
    delivered: got,
    missing: expected - got,
    messagesIncomplete: accepted.filter((message) => message.arrivals.length < streams).length,
    drainMs,
    all: latencyOf(accepted.flatMap((message) => message.arrivals)),
    lastStream: latencyOf(
      accepted.map((message) =>
        message.arrivals.length >= streams ? Math.max(...message.arrivals) : Infinity,
      ),
    ),
    postResponse: latencyOf(accepted.map((message) => message.respondedAt! - message.postedAt)),
    stats: client.stats,
    serverCpuMs: cpuAfter.server - cpuBefore.server,
    databaseCpuMs: cpuAfter.database - cpuBefore.database,
    elapsedMs: cpuAfter.at - cpuBefore.at,
    clientCpuMs: (clientCpu.user + clientCpu.system) / 1000,
    database: await stopSampling(),
  };
}

type CpuWindow = {
  serverMs: number;
  databaseMs: number;
  seconds: number;
  /** Per interval: the server's heaviest second less its median second. */
  peakAboveMedianMs: number;
  heartbeats: number;
};

type IdleResult = {
  streams: number;
  opened: number;
  serverCount: number;
  openMs: number;
  rssStartMB: number;
  rssBeforeMB: number;
  rssAfterOpenMB: number;
  rssAfterHeartbeatsMB: number;
  /** V8's heap in use (the server's nodejs_heap_size_used_bytes) at the same three moments. */
  heapMB: [number, number, number];
  hwmMB: number;
  databasePssBeforeMB: number;
  databasePssAfterMB: number;
  without: CpuWindow;
  with: CpuWindow;
  failures: string[];
  reconnects: number;
  /** The server's gauge before they were opened (streams closed earlier it still held). */
  alreadyOpen: number;
  /** After this client closed them all: what the server's gauge said, and when. */
  afterClose?: { open: number; ms: number };
};

/**
 * CPU time over `HEARTBEATS` heartbeat intervals, sampled every second: the total, and the
 * heaviest second of each interval (every 25 s stretch holds exactly one heartbeat) less the
 * median second, which leaves out most of what else the server does now and then (jobs).
 */
async function cpuWindow(app: Workroom, client: LiveClient | null): Promise<CpuWindow> {
  const heartbeatsBefore = client?.stats.heartbeats ?? 0;
  const samples = [cpuSample(app.pid)];
  const end = samples[0]!.at + HEARTBEATS * HEARTBEAT_MS;
  while (performance.now() < end - 1) {
    await sleep(Math.min(1000, end - performance.now()));
    samples.push(cpuSample(app.pid));
  }
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const seconds = samples.slice(1).map((sample, i) => sample.server - samples[i]!.server);
  const median = percentile(
    [...seconds].sort((a, b) => a - b),
    50,
  );
  const perInterval = Math.ceil(seconds.length / HEARTBEATS);
  let peaks = 0;
  for (let i = 0; i < HEARTBEATS; i++)
    peaks += Math.max(...seconds.slice(i * perInterval, (i + 1) * perInterval)) - median;
  return {
    serverMs: last.server - first.server,
    databaseMs: last.database - first.database,
    seconds: (last.at - first.at) / 1000,
    peakAboveMedianMs: peaks / HEARTBEATS,
    heartbeats: (client?.stats.heartbeats ?? 0) - heartbeatsBefore,
  };
}

async function idle(app: Workroom, seeded: Seeded, rssStartKB: number): Promise<IdleResult> {
  const windowSeconds = (HEARTBEATS * HEARTBEAT_MS) / 1000;
  await sleep(3000); // let what came before settle
  // Streams this client closed that the server still holds (it should hold none).
  const alreadyOpen = await metric(app, 'workroom_sse_streams_open');
  console.log(`Idle: server CPU over ${windowSeconds} s with no streams open…`);
  const without = await cpuWindow(app, null);
  const rssBefore = rssKB(app.pid).rss;
  const heapBefore = await metric(app, 'nodejs_heap_size_used_bytes');
  const databasePssBefore = databasePssKB(app.pid);
  const client = new LiveClient(app, seeded.live.id, seeded.workspaceId);
  console.log(`Idle: opening ${IDLE_STREAMS} streams…`);
  const openMs = await client.open(IDLE_STREAMS, seeded.members, 100);
  const { open: serverCount } = await untilServerStreams(app, alreadyOpen + IDLE_STREAMS);
  const opened = client.streams.filter((stream) => stream.ready).length;
  console.log(
    `  opened in ${(openMs / 1000).toFixed(1)} s; the server counts ${serverCount} open streams`,
  );
  await sleep(2000);
  const rssAfterOpen = rssKB(app.pid).rss;
  const heapAfterOpen = await metric(app, 'nodejs_heap_size_used_bytes');
  console.log(`Idle: server CPU over ${windowSeconds} s with ${IDLE_STREAMS} streams open…`);
  const withStreams = await cpuWindow(app, client);
  const { rss: rssAfterHeartbeats, hwm } = rssKB(app.pid);
  const heapAfterHeartbeats = await metric(app, 'nodejs_heap_size_used_bytes');
  const databasePssAfter = databasePssKB(app.pid);
  const result: IdleResult = {
    streams: IDLE_STREAMS,
    alreadyOpen,
    opened,
    serverCount,
    openMs,
    rssStartMB: rssStartKB / 1024,
    rssBeforeMB: rssBefore / 1024,
    rssAfterOpenMB: rssAfterOpen / 1024,
    rssAfterHeartbeatsMB: rssAfterHeartbeats / 1024,
    heapMB: [heapBefore / 2 ** 20, heapAfterOpen / 2 ** 20, heapAfterHeartbeats / 2 ** 20],
    hwmMB: hwm / 1024,
    databasePssBeforeMB: databasePssBefore / 1024,
    databasePssAfterMB: databasePssAfter / 1024,
    without,
    with: withStreams,
    failures: client.stats.failures,
    reconnects: client.stats.reconnects,
  };
  client.closeAll();
  // A heartbeat and a bit: a stream the server has not noticed closing is found by writing to it.
  result.afterClose = await untilServerStreams(app, alreadyOpen, HEARTBEAT_MS + 5000);
  console.log(
    `  closed here; the server counted ${result.afterClose.open} open after ${(result.afterClose.ms / 1000).toFixed(1)} s`,
  );
  return result;
}

type PageResult = {
  rawBytes: number;
  gzip: { bytes: number; serverGzipped: boolean };
  messagesShown: number;
  alone: LoadResult;
  loaded: LoadResult;
  bare: LoadResult;
  /** CPU time per request at 50 connections (warm-up included, its requests estimated). */
  cpuPerRequest: { serverMs: number; databaseMs: number };
};

async function page(app: Workroom, seeded: Seeded): Promise<PageResult> {
  const pagePath = `/w/${demo.workspace}/chat/${seeded.page.id}`;
  const url = `${app.url}${pagePath}`;
  const headers = { cookie: seeded.page.members[0]!.cookie };
  const gzipped = await rawGet(url, { ...headers, 'accept-encoding': 'gzip' });
  if (gzipped.status !== 200)
    throw new Error(
      `GET ${pagePath}: ${gzipped.status}, expected 200\n${app.output().slice(-2000)}`,
    );
  const plain = await rawGet(url, headers);
  const html = plain.body.toString('utf8');
  const messagesShown = new Set(html.match(/id="message-[0-9a-f-]{36}"/g) ?? []).size;
  console.log(
    `Page: ${plain.body.length} bytes, ${gzippedSize(gzipped).bytes} gzipped, ${messagesShown} messages shown.`,
  );
  const run = (target: string, connections: number) =>
    load({ url: target, headers, connections, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
  console.log('Page: 1 connection…');
  const alone = await run(url, 1);
  console.log(`Page: ${CONNECTIONS} connections…`);
  const cpuBefore = cpuSample(app.pid);
  const loaded = await run(url, CONNECTIONS);
  const cpuAfter = cpuSample(app.pid);
  // Per request of the measured run (the warm-up's are in the CPU time too, not in the count).
  const requests = loaded.requests + loaded.rps * WARMUP_SECONDS;
  const cpuPerRequest = {
    serverMs: (cpuAfter.server - cpuBefore.server) / requests,
    databaseMs: (cpuAfter.database - cpuBefore.database) / requests,
  };
  console.log(`Page: ${CONNECTIONS} connections, bare node:http…`);
  const bareServer = await startBareServer(plain.body, plain.headers);
  try {
    const bare = await run(`${bareServer.url}${pagePath}`, CONNECTIONS);
    return {
      rawBytes: plain.body.length,
      gzip: gzippedSize(gzipped),
      messagesShown,
      alone,
      loaded,
      cpuPerRequest,
      bare,
    };
  } finally {
    await bareServer.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const ms = (value: number) =>
  !Number.isFinite(value)
    ? value > 0
      ? 'lost'
      : '-'
    : value < 10
      ? value.toFixed(2)
      : value.toFixed(1);
const kb = (bytes: number) => (bytes / KB).toFixed(1);
const mb = (value: number) => value.toFixed(0);
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const met = (ok: boolean) => (ok ? 'yes' : 'NO');
const pair = (l: Latencies) => `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}`;
const cpuShare = (cpuMs: number, elapsedMs: number) => percent(cpuMs / elapsedMs);

type Results = {
  page?: PageResult;
  idle?: IdleResult;
  burst?: BurstResult;
  sustain?: SustainResult;
  /** The server's gauge once the burst's and sustained run's streams were closed here. */
  afterLiveClose?: { open: number; ms: number };
  limits: { client: string; server: string };
};

function report(facts: MachineFacts, results: Results): string {
  const {
    page: pageResult,
    idle: idleResult,
    burst: burstResult,
    sustain: sustainResult,
  } = results;
  const out: string[] = [];
  const machine =
    `${facts.cpu}, ${facts.cores} cores, ${facts.ramGiB} GiB RAM, ${facts.os}, Node ${facts.node}; ` +
    `1-minute load average ${facts.loadAverage.toFixed(2)} at the start, ` +
    `${os.loadavg()[0]!.toFixed(2)} at the end. Open-file limit: ${results.limits.client} here, ` +
    `${results.limits.server} for the server.`;
  out.push('## Live updates (`npm run bench:live`)', '', `Run ${facts.date} on ${machine}`, '');
  if (facts.loadAverage > facts.cores / 2)
    out.push(
      `The machine was already busy when the run started (load ${facts.loadAverage.toFixed(2)} on ${facts.cores} cores): expect lower numbers than on an idle one.`,
      '',
    );
  out.push(
    `Data: the demo, plus ${MEMBERS} members of acme, each with a session made in the database; ` +
      `the group conversation "Bench live" with all of them (${LIVE_HISTORY} messages) and ` +
      `"Bench page" with ${PAGE_MEMBERS} of them (${PAGE_MESSAGES} messages of one to three sentences, ` +
      'some in Markdown). Server: `node scripts/workroom.js serve` with NODE_ENV=production, embedded Postgres, ' +
      'and the client (this script) on the same machine. Streams are node:http requests to ' +
      `/w/acme/live?topic=conversation:<id>${flags.presence ? '&topic=presence:<workspace> (as the page asks)' : ''}, parsed as SSE; a message has arrived in a stream when a ` +
      '`message` event carries its token (a second one with it on the same stream is a duplicate). Times run from just before the POST (as htmx sends it) ' +
      'to the moment the chunk with the event is read by the client.',
    '',
  );

  const rows: string[][] = [];
  if (burstResult) {
    const b = burstResult;
    out.push(
      `**${b.streams} streams, one message at a time.** ${b.streams} streams of ${b.members} members; ` +
        `${b.messages} messages posted one after another, each once the previous one had reached every stream ` +
        `(after ${WARMUP_MESSAGES} warm-up messages). ${b.accepted} accepted, ${b.complete} reached every stream. ` +
        `Opening the ${b.streams} streams took ${(b.openMs / 1000).toFixed(1)} s. Server CPU ` +
        `${cpuShare(b.serverCpuMs, b.elapsedMs)} of one core, Postgres ${cpuShare(b.databaseCpuMs, b.elapsedMs)}.`,
      '',
      markdownTable(
        ['Per message', 'p50 / p99 / max ms'],
        [
          ['POST answered', pair(b.postResponse)],
          ['First stream reached', pair(b.firstStream)],
          [`Last of the ${b.streams} streams reached`, pair(b.lastStream)],
          [`Every delivery (${b.all.count})`, pair(b.all)],
        ],
        ['l', 'r'],
      ),
      '',
    );
    if (b.rejected.length) out.push(`Rejected posts: ${b.rejected.slice(0, 3).join('; ')}`, '');
    if (b.stats.duplicates || b.stats.reconnects || b.stats.failures.length)
      out.push(
        `Duplicates ${b.stats.duplicates}, streams reopened ${b.stats.reconnects}, stream failures ${b.stats.failures.length}.`,
        '',
      );
    rows.push([
      `A message to ${b.streams} open streams, p99 from POST to the last stream`,
      `<= ${budget.lastStreamP99Ms} ms`,
      `${ms(b.lastStream.p99)} ms`,
      met(b.lastStream.p99 <= budget.lastStreamP99Ms),
    ]);
  }
  if (sustainResult) {
    const s = sustainResult;
    out.push(
      `**${s.rate} messages/s for ${s.seconds} s to ${s.streams} streams**, from ${s.senders} members round robin, ` +
        `open loop (each POST at its time, whatever the answers to earlier ones); posting took ` +
        `${s.postingSeconds.toFixed(1)} s. Server CPU ${cpuShare(s.serverCpuMs, s.elapsedMs)} of one core, ` +
        `Postgres ${cpuShare(s.databaseCpuMs, s.elapsedMs)}, this client ${cpuShare(s.clientCpuMs, s.elapsedMs)}, ` +
        `over ${(s.elapsedMs / 1000).toFixed(1)} s including ${(s.drainMs / 1000).toFixed(1)} s after the last POST.`,
      '',
      markdownTable(
        [
          'Messages',
          'Posted',
          'Accepted',
          'Deliveries expected',
          'Delivered',
          'Missing',
          'Duplicated',
          'Reopened streams',
        ],
        [
          [
            `${s.rate}/s x ${s.seconds} s`,
            String(s.posted),
            String(s.accepted),
            String(s.expected),
            String(s.delivered),
            String(s.missing),
            String(s.stats.duplicates),
            String(s.stats.reconnects),
          ],
        ],
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
      markdownTable(
        ['Under load', 'p50 / p99 / max ms'],
        [
          ['POST answered', pair(s.postResponse)],
          [`Last of the ${s.streams} streams reached`, pair(s.lastStream)],
          [`Every delivery (${s.all.count})`, pair(s.all)],
        ],
        ['l', 'r'],
      ),
      '',
    );
    if (s.posted !== s.accepted)
      out.push(
        `Rejected posts: ${Object.entries(s.rejected)
          .map(([status, count]) => `${count} x ${status}`)
          .join(', ')} (e.g. ${s.rejectedSample.join('; ')}).`,
        '',
      );
    if (s.database.samples > 0)
      out.push(
        `The app's database sessions during the run, on average per 1 s sample (state / wait event): ` +
          `${s.database.waits.join('; ')}.`,
        '',
      );
    rows.push([
      `${s.rate} messages/s for ${s.seconds} s to ${s.streams} streams: deliveries lost`,
      '0',
      `${s.missing} of ${s.expected}`,
      met(s.missing === 0 && s.accepted > 0),
    ]);
  }
  if (results.afterLiveClose)
    out.push(
      results.afterLiveClose.open === 0
        ? `After this client closed the ${STREAMS} streams above, the server's gauge was back to 0 in ${(results.afterLiveClose.ms / 1000).toFixed(1)} s.`
        : `**After this client closed the ${STREAMS} streams above, the server still counted ${results.afterLiveClose.open} open** ` +
            `${(results.afterLiveClose.ms / 1000).toFixed(1)} s later, where it should count 0.`,
      '',
    );
  if (idleResult) {
    const i = idleResult;
    const heartbeatCost = (window: CpuWindow) => window.serverMs / HEARTBEATS;
    out.push(
      `**${i.streams} idle streams in one process**, on a server of their own (started and seeded as above, nothing else run on it), ` +
        `spread over ${Math.min(MEMBERS, i.streams)} members, ` +
        `opened 100 at a time in ${(i.openMs / 1000).toFixed(1)} s (the server's gauge then said ${i.serverCount}). ` +
        `CPU time (utime + stime from /proc) over ${HEARTBEATS} heartbeat interval(s) of ${HEARTBEAT_MS / 1000} s, ` +
        `without and then with the streams; the client read ${i.with.heartbeats} heartbeats ` +
        `(${HEARTBEATS * i.streams} expected).`,
      '',
      markdownTable(
        ['Memory', 'RSS MB', 'V8 heap used MB'],
        [
          ['Server just started (seeded, nothing measured yet)', mb(i.rssStartMB), '-'],
          ['Before opening the streams', mb(i.rssBeforeMB), mb(i.heapMB[0])],
          [`${i.streams} streams open`, mb(i.rssAfterOpenMB), mb(i.heapMB[1])],
          [`… after ${HEARTBEATS} heartbeat(s)`, mb(i.rssAfterHeartbeatsMB), mb(i.heapMB[2])],
          ['Peak (VmHWM) over the whole run so far', mb(i.hwmMB), '-'],
          [
            'Postgres processes (PSS), before / with the streams',
            `${mb(i.databasePssBeforeMB)} / ${mb(i.databasePssAfterMB)}`,
            '-',
          ],
        ],
        ['l', 'r', 'r'],
      ),
      '',
      markdownTable(
        [
          `CPU per ${HEARTBEAT_MS / 1000} s heartbeat interval`,
          'Server ms',
          "Server's heaviest second less its median, ms",
          'Postgres ms',
        ],
        [
          [
            'No streams',
            ms(i.without.serverMs / HEARTBEATS),
            ms(i.without.peakAboveMedianMs),
            ms(i.without.databaseMs / HEARTBEATS),
          ],
          [
            `${i.streams} idle streams`,
            ms(i.with.serverMs / HEARTBEATS),
            ms(i.with.peakAboveMedianMs),
            ms(i.with.databaseMs / HEARTBEATS),
          ],
          [
            'Difference: the heartbeat',
            ms(heartbeatCost(i.with) - heartbeatCost(i.without)),
            ms(i.with.peakAboveMedianMs - i.without.peakAboveMedianMs),
            ms((i.with.databaseMs - i.without.databaseMs) / HEARTBEATS),
          ],
        ],
        ['l', 'r', 'r', 'r'],
      ),
      '',
    );
    if (i.alreadyOpen > 0)
      out.push(
        `**Before these were opened the server still counted ${i.alreadyOpen} streams open** that this client had ` +
          'closed earlier (so "no streams" above is not quite none).',
        '',
      );
    if (i.afterClose && i.afterClose.open !== i.alreadyOpen)
      out.push(
        `**After this client closed the ${i.streams} streams, the server still counted ${i.afterClose.open} open** ` +
          `${(i.afterClose.ms / 1000).toFixed(1)} s later (a heartbeat included), where it should count ${i.alreadyOpen}.`,
        '',
      );
    else if (i.afterClose)
      out.push(
        `After this client closed the ${i.streams} streams, the server's gauge was back to ${i.alreadyOpen} in ${(i.afterClose.ms / 1000).toFixed(1)} s.`,
        '',
      );
    if (i.failures.length || i.reconnects)
      out.push(
        `Stream failures ${i.failures.length} (e.g. ${i.failures.slice(0, 2).join('; ')}), reopened ${i.reconnects}.`,
        '',
      );
    rows.push([
      `${i.streams} idle streams: server RSS`,
      `<= ${budget.idleRssMB} MB`,
      `${mb(Math.max(i.rssAfterOpenMB, i.rssAfterHeartbeatsMB))} MB`,
      met(
        i.opened === i.streams &&
          Math.max(i.rssAfterOpenMB, i.rssAfterHeartbeatsMB) <= budget.idleRssMB,
      ),
    ]);
  }
  if (pageResult) {
    const p = pageResult;
    const share = p.loaded.rps / p.bare.rps;
    out.push(
      `**A conversation page** (/w/acme/chat/<id>, ${p.messagesShown} messages shown of ${PAGE_MESSAGES}): ` +
        `${p.rawBytes} bytes of HTML, ${p.gzip.bytes} gzipped${p.gzip.serverGzipped ? '' : ' (gzipped here)'}. ` +
        `One connection for ${SECONDS} s, then ${CONNECTIONS} for ${SECONDS} s, each after a ${WARMUP_SECONDS} s warm-up ` +
        '(autocannon); the bare node:http server sends the same bytes and headers. ' +
        `At ${CONNECTIONS} connections the server spent ${ms(p.cpuPerRequest.serverMs)} ms of CPU per request and ` +
        `Postgres ${ms(p.cpuPerRequest.databaseMs)} ms.`,
      '',
      markdownTable(
        [
          'Page',
          'Alone p50 / p95 / p99 ms',
          `${CONNECTIONS} conns req/s`,
          `${CONNECTIONS} conns p50 / p95 / p99 ms`,
          'Bare req/s',
          'App / bare',
        ],
        [
          [
            'GET conversation',
            `${ms(p.alone.p50)} / ${ms(p.alone.p95)} / ${ms(p.alone.p99)}`,
            p.loaded.rps.toFixed(0),
            `${ms(p.loaded.p50)} / ${ms(p.loaded.p95)} / ${ms(p.loaded.p99)}`,
            p.bare.rps.toFixed(0),
            percent(share),
          ],
        ],
        ['l', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
    );
    const failures = p.alone.failures + p.loaded.failures + p.bare.failures;
    if (failures) out.push(`Failed requests: ${failures}.`, '');
    rows.push(
      [
        'Conversation of 50 messages, HTML gzipped',
        `<= ${budget.pageHtmlKB} KB`,
        `${kb(p.gzip.bytes)} KB`,
        met(p.gzip.bytes <= budget.pageHtmlKB * KB),
      ],
      [
        'Conversation page p95 alone',
        `<= ${budget.pageAloneP95Ms} ms`,
        `${ms(p.alone.p95)} ms`,
        met(p.alone.p95 <= budget.pageAloneP95Ms),
      ],
      [
        `Conversation page req/s at ${CONNECTIONS} conns vs bare node:http`,
        `>= ${budget.pageShareOfBare * 100} %`,
        percent(share),
        met(share >= budget.pageShareOfBare),
      ],
    );
  }
  out.push(markdownTable(['Budget', 'Limit', 'Measured', 'Met'], rows));
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

/** A fresh server (production, throwaway DATA_DIR, demo data) with this benchmark's data. */
async function startSeeded(): Promise<{
  app: Workroom & { sessionSecret: string };
  sql: postgres.Sql;
  seeded: Seeded;
  rssStart: number;
}> {
  console.log('Starting Workroom (production)…');
  const profileDir = flags.profile ? path.resolve(flags.profile) : undefined;
  const app = await startWorkroom({ production: true, profileDir });
  const { sessionSecret } = app;
  if (!sessionSecret) throw new Error('startWorkroom gave no SESSION_SECRET');
  const sql = postgres(ownerDatabaseUrl(app), { max: 1, onnotice: () => {} });
  onCleanup('owner connection', () => sql.end());
  console.log(`Seeding ${MEMBERS} members, their sessions and two conversations…`);
  const started = Date.now();
  const seeded = await seed(sql, sessionSecret);
  console.log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  const rssStart = rssKB(app.pid).rss;
  // The sessions made in the database must work before anything is measured.
  const check = await rawGet(`${app.url}/w/${demo.workspace}`, {
    cookie: seeded.members[0]!.cookie,
  });
  if (check.status !== 200)
    throw new Error(
      `A seeded session does not sign in: GET /w/${demo.workspace} answered ${check.status} ${String(check.headers.location ?? '')}`,
    );
  return { app: { ...app, sessionSecret }, sql, seeded, rssStart };
}

const serverOutput: string[] = [];

try {
  if (!flags['no-build']) await runToEnd('npm', ['run', 'build'], { echo: true });
  const facts = machineFacts();
  const limits = { client: openFileLimit('self'), server: '?' };
  console.log(`Open-file limit here: ${limits.client}.`);
  const needed = Math.max(PHASES.has('idle') ? IDLE_STREAMS : 0, STREAMS) + 100;
  const soft = Number(limits.client.split(' ')[0]);
  if (Number.isFinite(soft) && soft < needed)
    console.error(
      `The open-file limit (${soft}) is below the ${needed} sockets this run needs: raise it with \`ulimit -n ${needed}\` (up to the hard limit) or ask for fewer streams.`,
    );
  const results: Results = { limits };

  if (flags.serve) {
    const { app, seeded } = await startSeeded();
    console.log(
      `Serving ${app.url}\n  conversation (live): /w/acme/chat/${seeded.live.id}\n` +
        `  conversation (page): /w/acme/chat/${seeded.page.id}\n  Cookie: ${seeded.members[0]!.cookie}`,
    );
    await new Promise(() => {}); // until Ctrl-C, which cleanUpOnSignals() handles
  }

  // The page, one message at a time and the sustained run share one server.
  if (PHASES.has('page') || PHASES.has('burst') || PHASES.has('sustain')) {
    const { app, seeded, sql } = await startSeeded();
    limits.server = openFileLimit(app.pid);
    console.log(`Open-file limit of the server: ${limits.server}.`);
    try {
      if (PHASES.has('page')) results.page = await page(app, seeded);
      if (PHASES.has('burst') || PHASES.has('sustain')) {
        const client = new LiveClient(app, seeded.live.id, seeded.workspaceId);
        console.log(`Opening ${STREAMS} streams on "Bench live"…`);
        const openMs = await client.open(STREAMS, seeded.members);
        const { open: serverCount } = await untilServerStreams(app, STREAMS);
        console.log(
          `  opened in ${(openMs / 1000).toFixed(1)} s; the server counts ${serverCount} open streams`,
        );
        if (client.stats.failures.length)
          throw new Error(`${client.stats.failures.length} streams failed to open`);
        let n = 0;
        if (PHASES.has('burst')) {
          const { result, nextN } = await burst(app, client, seeded, openMs);
          results.burst = result;
          n = nextN;
          console.log(
            `  last stream p50 ${ms(result.lastStream.p50)} ms, p99 ${ms(result.lastStream.p99)} ms; every delivery p50 ${ms(result.all.p50)} ms, p99 ${ms(result.all.p99)} ms`,
          );
        }
        if (PHASES.has('sustain')) {
          // Past the posting limit's 10 s window of the burst's senders.
          if (PHASES.has('burst')) await sleep(10_000);
          const result = await sustain(app, client, seeded, n + 1000, sql);
          results.sustain = result;
          console.log(
            `  ${result.accepted} of ${result.posted} accepted (rejected: ${JSON.stringify(result.rejected)}); ` +
              `${result.delivered} of ${result.expected} delivered (${result.missing} missing, ` +
              `${result.stats.duplicates} duplicated); every delivery p50 ${ms(result.all.p50)} ms, ` +
              `p99 ${ms(result.all.p99)} ms; waited ${(result.drainMs / 1000).toFixed(1)} s after the last POST; ` +
              `server RSS ${mb(rssKB(app.pid).rss / 1024)} MB`,
          );
          if (result.rejectedSample.length)
            console.log(`  e.g. ${result.rejectedSample.join(' | ')}`);
          console.log(
            `  the app's database sessions, on average per sample (${result.database.samples} samples):\n    ` +
              `${result.database.waits.join('\n    ')}\n  statements seen most while not idle:\n    ` +
              `${result.database.queries.join('\n    ')}`,
          );
        }
        client.closeAll();
        results.afterLiveClose = await untilServerStreams(app, 0, 10_000);
        console.log(
          `Closed the ${STREAMS} streams; the server counted ${results.afterLiveClose.open} open ${(results.afterLiveClose.ms / 1000).toFixed(1)} s later.`,
        );
      }
    } finally {
      serverOutput.push(app.output().trim());
      await cleanUp(); // this server and its data
    }
  }

  // Idle streams on a server of their own: what a sustained run leaves behind (a backlog, a
  // grown heap) must not count as what idle streams cost.
  if (PHASES.has('idle')) {
    const { app, seeded, rssStart } = await startSeeded();
    if (limits.server === '?') limits.server = openFileLimit(app.pid);
    try {
      await untilServerQuiet(app, 30_000);
      results.idle = await idle(app, seeded, rssStart);
    } finally {
      serverOutput.push(app.output().trim());
    }
  }

  const section = report(facts, results);
  console.log(`\n${section}\n`);
  const serverLog = serverOutput
    .join('\n')
    .split('\n')
    .filter((line) => !line.includes('MailNotConfiguredError'))
    .join('\n')
    .trim();
  if (serverLog)
    console.log(`The servers' last output (mail failures left out):\n${serverLog.slice(-4000)}\n`);
  if (flags.write) {
    writeDocSection(path.join(root, 'docs', 'benchmarks.md'), 'live', section);
    console.log('Wrote the bench:live section of docs/benchmarks.md.');
  }
} finally {
  await cleanUp();
}
