/**
 * Page benchmark: how fast Workroom serves a typical page and how heavy a first visit is,
 * against the design's budgets. `npm run bench:pages [-- flags]` (or `npx tsx scripts/bench/pages.ts`).
 * The tasks module's own budgets (board, task page, card move, list) are `npm run bench:tasks`.
 *
 *   --no-build      skip `npm run build` (use the build/ already there)
 *   --write         replace the bench:pages section of docs/benchmarks.md with this run's numbers
 *                   (without it the numbers are only printed)
 *   --development   run the server as `npm start` does (no NODE_ENV: React's development
 *                   build) instead of the default NODE_ENV=production, which the budgets are for
 *   --seconds N     length of each measured load run (default 10; warm-ups are 2 s)
 *   --profile DIR   run the server under `node --cpu-prof`, writing its profile into DIR
 *                   (open it in Chrome DevTools' Performance panel or speedscope)
 *
 * It builds, starts the server on a free port with a throwaway DATA_DIR (embedded Postgres,
 * demo data), signs in once as owner@acme.test, then for `GET /login` (anonymous) and
 * `GET /w/acme` (signed in) measures:
 *   - latency with one client (autocannon, 1 connection) — the "p95 ≤ 15 ms alone" budget;
 *   - req/s and latency with 50 connections;
 *   - the same 50-connection run against a bare node:http server, in its own process, sending
 *     the very bytes and headers the app sent — the "≥ 15 % of bare node:http" budget;
 * and the gzipped bytes of a first visit to /login (HTML + its stylesheets and scripts) and of
 * the /w/acme HTML (a later navigation, assets cached).
 *
 * Load runs send no Accept-Encoding, so app and baseline both send uncompressed HTML and the
 * comparison is not about gzip. autocannon runs in this process; the app and the baseline each
 * run in their own, so with 2 cores the load generator and the server get one core each (and
 * /w/acme also shares the machine with Postgres).
 *
 * Production mode matters because react-dom picks its development build whenever NODE_ENV is
 * not "production", and that build renders markedly slower (see scripts/bench/workroom.ts for
 * how the server is started then).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
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
  type RawResponse,
} from './lib';
import { demo, signIn, startWorkroom, type Workroom } from './workroom';

const { values: flags } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    development: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    profile: { type: 'string' },
  },
});

// Given relative to where the command was run, before the chdir below.
const profileDir = flags.profile ? path.resolve(flags.profile) : undefined;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);

const SECONDS = Number(flags.seconds);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 50;
const KB = 1024;

/** The design's budgets. */
const budget = {
  aloneP95Ms: 15,
  shareOfBare: 0.15,
  firstVisitKB: 60,
  firstVisitJsKB: 20,
  laterNavigationKB: 15,
};

if (!(SECONDS > 0)) throw new Error('--seconds must be a positive number');
cleanUpOnSignals();

// ---------------------------------------------------------------------------------------------
// Weight

function decodedHtml(response: RawResponse): string {
  const body =
    response.headers['content-encoding'] === 'gzip' ? gunzipSync(response.body) : response.body;
  return body.toString('utf8');
}

type AssetRef = { kind: 'css' | 'js'; url: string };

/** The stylesheets and scripts a page's HTML makes the browser fetch. */
function assetsOf(html: string, base: string): AssetRef[] {
  const attribute = (tag: string, name: string) =>
    tag.match(new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, 'i'))?.[1]?.replaceAll('&amp;', '&');
  const assets: AssetRef[] = [];
  for (const [tag] of html.matchAll(/<(?:link|script)\b[^>]*>/gi)) {
    const href = attribute(tag, 'href');
    const src = attribute(tag, 'src');
    if (/^<link/i.test(tag) && attribute(tag, 'rel') === 'stylesheet' && href)
      assets.push({ kind: 'css', url: new URL(href, base).href });
    else if (/^<script/i.test(tag) && src)
      assets.push({ kind: 'js', url: new URL(src, base).href });
  }
  return assets;
}

/** Inline code the CSP forbids: scripts without src, <style> elements, style attributes. */
function inlineCode(html: string): string[] {
  const found: string[] = [];
  const tags = [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map(([tag]) => tag);
  const scripts = tags.filter((tag) => /^<script\b/i.test(tag) && !/\ssrc\s*=/i.test(tag));
  const styles = tags.filter((tag) => /^<style\b/i.test(tag));
  const styleAttributes = tags.filter((tag) => /\sstyle\s*=/i.test(tag));
  // In backticks: the findings end up in Markdown, where a bare <script> would be HTML.
  if (scripts.length) found.push(`${scripts.length} inline \`<script>\``);
  if (styles.length) found.push(`${styles.length} \`<style>\``);
  if (styleAttributes.length) found.push(`${styleAttributes.length} \`style=\``);
  return found;
}

type Sized = { label: string; bytes: number; serverGzipped: boolean };

type Weight = {
  loginHtml: Sized;
  assets: Array<Sized & { kind: 'css' | 'js' }>;
  css: number;
  js: number;
  total: number;
  laterHtml: Sized;
  /** Stylesheets or scripts /w/acme adds to those a first visit already cached. */
  laterExtraAssets: Sized[];
  inline: { login: string[]; later: string[] };
};

async function fetchSized(url: string, label: string, headers: Record<string, string> = {}) {
  const response = await rawGet(url, { 'accept-encoding': 'gzip', ...headers });
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
  return { response, sized: { label, ...gzippedSize(response) } };
}

const assetLabel = (url: string) => new URL(url).pathname.split('/').pop()!;

async function measureWeight(appUrl: string, cookie: string): Promise<Weight> {
  const login = await fetchSized(`${appUrl}/login`, 'GET /login HTML');
  const loginHtml = decodedHtml(login.response);
  const loginAssets = assetsOf(loginHtml, appUrl);
  const assets: Weight['assets'] = [];
  for (const asset of loginAssets) {
    const { sized } = await fetchSized(asset.url, assetLabel(asset.url));
    assets.push({ ...sized, kind: asset.kind });
  }
  const sum = (kind?: 'css' | 'js') =>
    assets.filter((asset) => !kind || asset.kind === kind).reduce((n, a) => n + a.bytes, 0);

  const later = await fetchSized(`${appUrl}/w/${demo.workspace}`, 'GET /w/acme HTML', { cookie });
  const laterHtml = decodedHtml(later.response);
  const cached = new Set(loginAssets.map((asset) => asset.url));
  const laterExtraAssets: Sized[] = [];
  for (const asset of assetsOf(laterHtml, appUrl).filter((a) => !cached.has(a.url)))
    laterExtraAssets.push((await fetchSized(asset.url, assetLabel(asset.url), { cookie })).sized);

  return {
    loginHtml: login.sized,
    assets,
    css: sum('css'),
    js: sum('js'),
    total: login.sized.bytes + sum(),
    laterHtml: later.sized,
    laterExtraAssets,
    inline: { login: inlineCode(loginHtml), later: inlineCode(laterHtml) },
  };
}

// ---------------------------------------------------------------------------------------------
// Speed

type Page = { name: string; path: string; headers: Record<string, string> };
type PageResult = { page: Page; alone: LoadResult; loaded: LoadResult; bare: LoadResult };

async function measurePage(appUrl: string, page: Page): Promise<PageResult> {
  const url = `${appUrl}${page.path}`;
  // One response, taken as it is for the baseline; it also proves the page answers 200 (a
  // session that did not work would measure the redirect to /login instead).
  const sample = await rawGet(url, page.headers);
  if (sample.status !== 200) throw new Error(`${page.name}: ${sample.status}, expected 200`);

  const run = (target: string, connections: number) =>
    load({
      url: target,
      headers: page.headers,
      connections,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
    });
  console.log(`${page.name}: 1 connection…`);
  const alone = await run(url, 1);
  console.log(`${page.name}: ${CONNECTIONS} connections…`);
  const loaded = await run(url, CONNECTIONS);
  console.log(`${page.name}: ${CONNECTIONS} connections, bare node:http…`);
  const bareServer = await startBareServer(sample.body, sample.headers);
  try {
    const bare = await run(`${bareServer.url}${page.path}`, CONNECTIONS);
    return { page, alone, loaded, bare };
  } finally {
    await bareServer.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const kb = (bytes: number) => (bytes / KB).toFixed(1);
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const met = (ok: boolean) => (ok ? 'yes' : 'NO');
const latencies = (run: LoadResult) => `${ms(run.p50)} / ${ms(run.p95)} / ${ms(run.p99)}`;

function report(facts: MachineFacts, mode: Workroom['mode'], pages: PageResult[], weight: Weight) {
  const speed = markdownTable(
    [
      'Page',
      'Alone p50 / p95 / p99 ms',
      `${CONNECTIONS} conns req/s`,
      `${CONNECTIONS} conns p50 / p95 / p99 ms`,
      'Bare node:http req/s',
      'App / bare',
    ],
    pages.map(({ page, alone, loaded, bare }) => [
      page.name,
      latencies(alone),
      loaded.rps.toFixed(0),
      latencies(loaded),
      bare.rps.toFixed(0),
      percent(loaded.rps / bare.rps),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );

  const gz = (sized: Sized) => (sized.serverGzipped ? '' : ' (not gzipped by the server)');
  const weightRows = [
    [
      weight.loginHtml.label + gz(weight.loginHtml),
      String(weight.loginHtml.bytes),
      kb(weight.loginHtml.bytes),
    ],
    ...weight.assets.map((asset) => [
      `${asset.kind.toUpperCase()} ${asset.label}${gz(asset)}`,
      String(asset.bytes),
      kb(asset.bytes),
    ]),
    ['CSS, all', String(weight.css), kb(weight.css)],
    ['JS, all', String(weight.js), kb(weight.js)],
    ['First visit to /login, total', String(weight.total), kb(weight.total)],
    [
      weight.laterHtml.label + gz(weight.laterHtml),
      String(weight.laterHtml.bytes),
      kb(weight.laterHtml.bytes),
    ],
    ...weight.laterExtraAssets.map((asset) => [
      `/w/acme also loads ${asset.label}${gz(asset)}`,
      String(asset.bytes),
      kb(asset.bytes),
    ]),
  ];
  const weightTable = markdownTable(['Gzipped, on the wire', 'Bytes', 'KB'], weightRows, [
    'l',
    'r',
    'r',
  ]);

  const budgetRows: string[][] = [];
  for (const { page, alone, loaded, bare } of pages) {
    budgetRows.push([
      `${page.name} p95 alone`,
      `<= ${budget.aloneP95Ms} ms`,
      `${ms(alone.p95)} ms`,
      met(alone.p95 <= budget.aloneP95Ms),
    ]);
    budgetRows.push([
      `${page.name} req/s at ${CONNECTIONS} conns vs bare node:http`,
      `>= ${budget.shareOfBare * 100} %`,
      percent(loaded.rps / bare.rps),
      met(loaded.rps / bare.rps >= budget.shareOfBare),
    ]);
  }
  budgetRows.push(
    [
      'First visit (HTML + CSS + JS), gzipped',
      `<= ${budget.firstVisitKB} KB`,
      `${kb(weight.total)} KB`,
      met(weight.total <= budget.firstVisitKB * KB),
    ],
    [
      'First visit JS, gzipped',
      `<= ${budget.firstVisitJsKB} KB`,
      `${kb(weight.js)} KB`,
      met(weight.js <= budget.firstVisitJsKB * KB),
    ],
    [
      'Later navigation (/w/acme HTML), gzipped',
      `<= ${budget.laterNavigationKB} KB`,
      `${kb(weight.laterHtml.bytes)} KB`,
      met(weight.laterHtml.bytes <= budget.laterNavigationKB * KB),
    ],
  );
  const inline = [...weight.inline.login, ...weight.inline.later];
  budgetRows.push([
    'Inline `<script>`, `<style>` or `style=` in /login and /w/acme',
    'none',
    inline.length
      ? `/login: ${weight.inline.login.join(', ') || 'none'}; /w/acme: ${weight.inline.later.join(', ') || 'none'}`
      : 'none',
    met(inline.length === 0),
  ]);
  const budgetTable = markdownTable(['Budget', 'Limit', 'Measured', 'Met'], budgetRows);

  // Non-2xx answers, errors or timeouts under load: the run measured something else too.
  const failures = pages.flatMap(({ page, alone, loaded, bare }) =>
    Object.entries({ alone, [`${CONNECTIONS} conns`]: loaded, bare })
      .filter(([, run]) => run.failures > 0)
      .map(([label, run]) => `${page.name} (${label}): ${run.failures} failed`),
  );

  const machine =
    `${facts.cpu}, ${facts.cores} cores, ${facts.ramGiB} GiB RAM, ${facts.os}, Node ${facts.node}; ` +
    `1-minute load average ${facts.loadAverage.toFixed(2)} at the start, ` +
    `${os.loadavg()[0]!.toFixed(2)} at the end.`;
  // Anything else running on the machine competes with the server and the load generator.
  const busy =
    facts.loadAverage > facts.cores / 2
      ? `The machine was already busy when the run started (load ${facts.loadAverage.toFixed(2)} on ${facts.cores} cores): expect lower numbers than on an idle one.`
      : '';
  const modeLine =
    mode === 'production'
      ? 'Server: `node scripts/workroom.js serve` with NODE_ENV=production, embedded Postgres, demo data (seeded first).'
      : 'Server: `node scripts/workroom.js serve` as in development (no NODE_ENV, so React runs its development build), embedded Postgres, demo data.';
  const method =
    `Latency "alone" is one connection for ${SECONDS} s; then ${CONNECTIONS} connections for ${SECONDS} s, ` +
    `each after a ${WARMUP_SECONDS} s warm-up (autocannon; percentiles exact over every response). ` +
    'The bare node:http server runs in its own process and sends the same bytes and headers ' +
    "(it shares the cores with autocannon, so its figure is partly autocannon's own limit); " +
    'load runs send no Accept-Encoding, so both send uncompressed HTML. ' +
    'Sizes are gzipped bodies as served (Accept-Encoding: gzip); 1 KB = 1024 bytes.';

  return [
    '## Pages (`npm run bench:pages`)',
    '',
    `Run ${facts.date} on ${machine}`,
    '',
    ...(busy ? [busy, ''] : []),
    modeLine,
    '',
    method,
    '',
    speed,
    '',
    weightTable,
    '',
    budgetTable,
    ...(failures.length ? ['', `Failed requests: ${failures.join('; ')}.`] : []),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

try {
  if (!flags['no-build']) await runToEnd('npm', ['run', 'build'], { echo: true });
  const facts = machineFacts();
  console.log(`Starting Workroom (${flags.development ? 'development' : 'production'})…`);
  const app = await startWorkroom({ production: !flags.development, profileDir });
  const cookie = await signIn(app.url);

  const weight = await measureWeight(app.url, cookie);
  const pages: PageResult[] = [];
  const pageList: Page[] = [
    { name: 'GET /login', path: '/login', headers: {} },
    { name: `GET /w/${demo.workspace}`, path: `/w/${demo.workspace}`, headers: { cookie } },
  ];
  for (const page of pageList) pages.push(await measurePage(app.url, page));

  const section = report(facts, app.mode, pages, weight);
  console.log(`\n${section}\n`);
  if (flags.write) {
    writeDocSection(path.join(root, 'docs', 'benchmarks.md'), 'pages', section);
    console.log('Wrote the bench:pages section of docs/benchmarks.md.');
  }
} finally {
  await cleanUp();
}
