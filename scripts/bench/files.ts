/**
 * File benchmark: how fast Workroom takes and gives back a large file on the local store, and
 * whether it streams (the server's memory does not grow with the file), against the design's
 * budget. `npm run bench:files [-- flags]` (or `npx tsx scripts/bench/files.ts`).
 *
 *   --no-build      skip `npm run build` (use the build/ already there)
 *   --write         replace the bench:files section of docs/benchmarks.md with this run's numbers
 *                   (without it the numbers are only printed)
 *   --seconds N     length of the 50-connection download run (default 10; its warm-up is 2 s)
 *   --size-mb N     size of the large file (default 20); FILE_MAX_BYTES is raised to fit it
 *   --runs N        uploads and downloads of the large file (default 5)
 *   --profile DIR   run the server under `node --cpu-prof`, writing its profile into DIR
 *
 * It builds, writes a random file of --size-mb and one of 1 MB into a temporary folder, starts
 * the server (NODE_ENV=production, local file store, embedded Postgres, demo data, a throwaway
 * DATA_DIR; see scripts/bench/workroom.ts), signs in once as owner@acme.test, warms up (pages,
 * and the 1 MB file uploaded and downloaded), then measures:
 *   - uploads of the large file as a multipart POST to /w/acme/files, the body streamed from
 *     disk by node:http (this process never holds the file), until the 303;
 *   - downloads of each uploaded copy (GET /w/acme/files/:id/download), hashed as they arrive
 *     and checked against the SHA-256 of what was sent;
 *   - all copies downloaded at once by clients that read nothing for the first 2 s, as slow
 *     clients would: a download that waits for its client holds a few chunks meanwhile, one
 *     that does not holds the file;
 *   - the server process's resident memory (VmRSS in /proc/PID/status, sampled every 20 ms,
 *     and the kernel's own high-water mark VmHWM, reset through /proc/PID/clear_refs at the start
 *     of each phase, so no short peak between samples is missed) above its idle RSS — the
 *     "under 30 MB above idle" budget;
 *   - 50 connections downloading the 1 MB file for --seconds (autocannon, signed in), and the
 *     same against a bare node:http server sending the very same bytes and headers (in its own
 *     process; see lib.ts): with bodies this large, autocannon itself is soon the limit.
 *
 * The server's process is `node scripts/workroom.js serve` itself (Postgres runs in processes
 * of its own and is not counted). autocannon and the upload/download client run in this
 * process; with 2 cores, client and server get about one each.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  cleanUp,
  cleanUpOnSignals,
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
import { demo, signIn, startWorkroom } from './workroom';

const { values: flags } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    'size-mb': { type: 'string', default: '20' },
    runs: { type: 'string', default: '5' },
    profile: { type: 'string' },
  },
});

// Given relative to where the command was run, before the chdir below.
const profileDir = flags.profile ? path.resolve(flags.profile) : undefined;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);

const MB = 1024 * 1024;
const SECONDS = Number(flags.seconds);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 50;
const SIZE_MB = Number(flags['size-mb']);
const RUNS = Number(flags.runs);
const SMALL_BYTES = 1 * MB;
const SAMPLE_EVERY_MS = 20;
/** How long the "slow clients" leave their downloads unread before reading them all. */
const STALL_MS = 2000;

/** The design's budget: uploads and downloads stream, so memory does not follow the file. */
const budget = { rssAboveIdleMB: 30 };

if (!(SECONDS > 0)) throw new Error('--seconds must be a positive number');
if (!(SIZE_MB > 0)) throw new Error('--size-mb must be a positive number');
if (!(Number.isInteger(RUNS) && RUNS > 0)) throw new Error('--runs must be a positive integer');
cleanUpOnSignals();

const filesPath = `/w/${demo.workspace}/files`;

// ---------------------------------------------------------------------------------------------
// Test files

type TestFile = { path: string; bytes: number; sha256: string };

/** Random bytes (nothing compresses or deduplicates them), written 1 MB at a time. */
function writeRandomFile(folder: string, name: string, bytes: number): TestFile {
  const file = path.join(folder, name);
  const hash = createHash('sha256');
  const fd = openSync(file, 'wx');
  try {
    for (let left = bytes; left > 0; left -= MB) {
      const chunk = randomBytes(Math.min(MB, left));
      hash.update(chunk);
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
  return { path: file, bytes, sha256: hash.digest('hex') };
}

// ---------------------------------------------------------------------------------------------
// Upload and download, with node:http: the body streams from disk, and a download is hashed
// chunk by chunk, so this process holds a few chunks at a time, never a file.

/** POSTs `file` as the form field `files` named `name`; resolves with the seconds to the 303. */
function upload(appUrl: string, cookie: string, file: TestFile, name: string): Promise<number> {
  const boundary = `workroom-bench-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="files"; filename="${name}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = `${appUrl}${filesPath}`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          origin: appUrl, // the same-origin check
          cookie,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + file.bytes + tail.length),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const seconds = (performance.now() - started) / 1000;
          if (response.statusCode === 303) return resolve(seconds);
          const body = Buffer.concat(chunks).toString('utf8').slice(0, 600);
          reject(new Error(`POST ${url} (${name}): ${response.statusCode}, expected 303\n${body}`));
        });
      },
    );
    request.setTimeout(120_000, () => request.destroy(new Error(`POST ${url}: timed out`)));
    request.on('error', reject);
    request.write(head);
    const source = createReadStream(file.path);
    source.on('error', (error) => request.destroy(error));
    source.on('end', () => request.end(tail));
    source.pipe(request, { end: false });
  });
}

/** The id of the file called `name`, from the Files page's link to it. */
async function fileIdOf(appUrl: string, cookie: string, name: string): Promise<string> {
  const url = `${appUrl}${filesPath}?q=${encodeURIComponent(name)}`;
  const response = await rawGet(url, { cookie });
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const link = new RegExp(`href="${filesPath}/([0-9a-f-]{36})"[^>]*>${escaped}<`);
  const id = response.body.toString('utf8').match(link)?.[1];
  if (!id) throw new Error(`No link to ${name} on ${url}`);
  return id;
}

type Download = { seconds: number; bytes: number; sha256: string };

/** A download, hashed as it arrives; `stallMs` leaves the body unread that long at first. */
function download(appUrl: string, cookie: string, id: string, stallMs = 0): Promise<Download> {
  const url = `${appUrl}${filesPath}/${id}/download`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(url, { agent: false, headers: { cookie } }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return reject(new Error(`GET ${url}: ${response.statusCode}, expected 200`));
      }
      if (stallMs > 0) {
        response.pause();
        setTimeout(() => response.resume(), stallMs);
      }
      const hash = createHash('sha256');
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
      });
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          seconds: (performance.now() - started) / 1000,
          bytes,
          sha256: hash.digest('hex'),
        }),
      );
    });
    request.setTimeout(120_000, () => request.destroy(new Error(`GET ${url}: timed out`)));
    request.on('error', reject);
  });
}

/** Downloads `id` and fails unless every byte of `file` came back. */
async function checkedDownload(
  appUrl: string,
  cookie: string,
  id: string,
  file: TestFile,
  stallMs = 0,
) {
  const result = await download(appUrl, cookie, id, stallMs);
  if (result.bytes !== file.bytes || result.sha256 !== file.sha256)
    throw new Error(
      `Download of ${id}: ${result.bytes} bytes, SHA-256 ${result.sha256}; ` +
        `sent ${file.bytes} bytes, SHA-256 ${file.sha256}`,
    );
  return result;
}

/**
 * The same kind of run as lib.ts's load(), with node:http's own client: `connections` keep-alive
 * sockets, each sending its next GET when the last body has been read (and thrown away). With
 * 1 MB bodies autocannon's parser, not the server, is soon the limit; node:http reads several
 * times faster, so this shows more of what the server can do.
 */
async function nodeHttpLoad(options: {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const get = () =>
    new Promise<number>((resolve) => {
      const started = performance.now();
      const request = http.get(options.url, { agent, headers: options.headers }, (response) => {
        response.on('data', () => {});
        response.on('error', () => resolve(0));
        response.on('end', () => {
          const ok = response.statusCode! >= 200 && response.statusCode! < 300;
          resolve(ok ? performance.now() - started : 0);
        });
      });
      request.setTimeout(10_000, () => request.destroy(new Error('timed out')));
      request.on('error', () => resolve(0));
    });
  const run = async (seconds: number) => {
    const samples: number[] = [];
    let failures = 0;
    const end = performance.now() + seconds * 1000;
    const worker = async () => {
      while (performance.now() < end) {
        const ms = await get();
        if (ms > 0) samples.push(ms);
        else failures += 1;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: options.connections }, worker));
    return { samples, failures, seconds: (performance.now() - started) / 1000 };
  };
  try {
    await run(options.warmupSeconds);
    const { samples, failures, seconds } = await run(options.seconds);
    samples.sort((a, b) => a - b);
    return {
      connections: options.connections,
      seconds,
      requests: samples.length + failures,
      rps: samples.length / seconds,
      p50: percentile(samples, 50),
      p95: percentile(samples, 95),
      p99: percentile(samples, 99),
      failures,
    };
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// The server's memory

/** VmRSS and VmHWM (the peak RSS since start or the last reset) of `pid`, in bytes. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => {
    const value = status.match(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm'))?.[1];
    if (!value) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(value) * 1024;
  };
  return { rss: kB('VmRSS'), hwm: kB('VmHWM') };
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0); false where that is not allowed. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** RSS when the watch began, the highest sample, and the kernel's high-water mark. */
type Peak = { start: number; sampled: number; kernel: number | null };

/**
 * Watches `pid`'s RSS while `act` runs: sampled every 20 ms, and (where clear_refs allows)
 * the kernel's high-water mark, reset when the watch starts, which also sees what happens
 * between two samples.
 */
async function watchMemory<T>(pid: number, act: () => Promise<T>): Promise<[T, Peak]> {
  const kernel = resetPeak(pid);
  const start = memoryOf(pid).rss;
  let sampled = start;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, memoryOf(pid).rss);
  }, SAMPLE_EVERY_MS);
  try {
    const result = await act();
    const last = memoryOf(pid);
    sampled = Math.max(sampled, last.rss);
    return [result, { start, sampled, kernel: kernel ? last.hwm : null }];
  } finally {
    clearInterval(timer);
  }
}

const peakOf = (peak: Peak) => Math.max(peak.sampled, peak.kernel ?? 0);

/** RSS at rest: the median of samples over `ms`, with nothing asked of the server. */
async function idleRss(pid: number, ms = 1000): Promise<number> {
  const samples: number[] = [];
  for (const end = Date.now() + ms; Date.now() < end;) {
    samples.push(memoryOf(pid).rss);
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

// ---------------------------------------------------------------------------------------------
// Report

type Results = {
  facts: MachineFacts;
  large: TestFile;
  uploads: number[];
  downloads: Download[];
  idle: number;
  uploadPeak: Peak;
  downloadPeak: Peak;
  stalledPeak: Peak;
  concurrent: LoadResult;
  concurrentPeak: Peak;
  bare: LoadResult;
  nodeClient: LoadResult;
  nodeClientBare: LoadResult;
};

const mb = (bytes: number) => (bytes / MB).toFixed(1);
const mbSigned = (bytes: number) => `${bytes < 0 ? '-' : '+'}${mb(Math.abs(bytes))}`;
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const met = (ok: boolean) => (ok ? 'yes' : 'NO');

/** The command that made these numbers, with the flags that change them. */
function commandLine(): string {
  const given = [
    flags['size-mb'] !== '20' ? `--size-mb ${flags['size-mb']}` : '',
    flags.runs !== '5' ? `--runs ${flags.runs}` : '',
    flags.seconds !== '10' ? `--seconds ${flags.seconds}` : '',
  ].filter(Boolean);
  return `npm run bench:files${given.length ? ` -- ${given.join(' ')}` : ''}`;
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

function report(results: Results): string {
  const { facts, large, idle, uploadPeak, downloadPeak, stalledPeak, concurrent, concurrentPeak } =
    results;
  const size = `${mb(large.bytes)} MB`;
  const rate = (seconds: number) => large.bytes / MB / seconds;
  const up = stats(results.uploads.map(rate));
  const down = stats(results.downloads.map((run) => rate(run.seconds)));

  const speedRow = (label: string, rates: ReturnType<typeof stats>) => [
    label,
    String(RUNS),
    rates.median.toFixed(0),
    rates.min.toFixed(0),
    rates.max.toFixed(0),
  ];
  const speed = markdownTable(
    ['Transfer', 'Runs', 'Median MB/s', 'Min MB/s', 'Max MB/s'],
    [
      speedRow(`Upload ${size}, multipart POST ${filesPath}`, up),
      speedRow(`Download ${size}, GET ${filesPath}/:id/download`, down),
    ],
    ['l', 'r', 'r', 'r', 'r'],
  );

  const memoryRow = (label: string, peak: Peak) => [
    label,
    mbSigned(peak.start - idle),
    mbSigned(peakOf(peak) - idle),
    mbSigned(peak.sampled - idle),
  ];
  const memory = markdownTable(
    ['Server RSS above idle, MB', 'At the start', 'Peak', 'Peak of 20 ms samples'],
    [
      memoryRow(`${RUNS} uploads of ${size}`, uploadPeak),
      memoryRow(`${RUNS} downloads of ${size}`, downloadPeak),
      memoryRow(
        `${RUNS} downloads of ${size} at once, clients reading nothing for ${STALL_MS / 1000} s`,
        stalledPeak,
      ),
      memoryRow(`${CONNECTIONS} connections downloading 1 MB`, concurrentPeak),
    ],
    ['l', 'r', 'r', 'r'],
  );

  const loadRow = (label: string, run: LoadResult) => [
    label,
    String(run.requests),
    run.rps.toFixed(0),
    ((run.rps * SMALL_BYTES) / MB).toFixed(0),
    `${ms(run.p50)} / ${ms(run.p95)} / ${ms(run.p99)}`,
    String(run.failures),
  ];
  const concurrency = markdownTable(
    [
      `${CONNECTIONS} conns, GET of 1 MB`,
      'Requests',
      'req/s',
      'MB/s',
      'p50 / p95 / p99 ms',
      'Non-2xx, errors, timeouts',
    ],
    [
      loadRow(`autocannon: ${filesPath}/:id/download, signed in`, concurrent),
      loadRow('autocannon: bare node:http, the same bytes and headers', results.bare),
      loadRow(`node:http client: ${filesPath}/:id/download, signed in`, results.nodeClient),
      loadRow('node:http client: bare node:http, the same bytes', results.nodeClientBare),
    ],
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );

  const limit = budget.rssAboveIdleMB * MB;
  const uploadGrowth = peakOf(uploadPeak) - idle;
  const downloadGrowth = peakOf(downloadPeak) - idle;
  const budgets = markdownTable(
    ['Budget', 'Limit', 'Measured', 'Met'],
    [
      [
        `Server RSS peak above idle, ${RUNS} uploads of ${size}`,
        `< ${budget.rssAboveIdleMB} MB`,
        `${mbSigned(uploadGrowth)} MB`,
        met(uploadGrowth < limit),
      ],
      [
        `Server RSS peak above idle, ${RUNS} downloads of ${size}`,
        `< ${budget.rssAboveIdleMB} MB`,
        `${mbSigned(downloadGrowth)} MB`,
        met(downloadGrowth < limit),
      ],
      [
        'Downloads with the SHA-256 of the upload',
        'all',
        `${results.downloads.length} of ${RUNS}`,
        met(results.downloads.length === RUNS),
      ],
      [
        `${CONNECTIONS} concurrent downloads: non-2xx, errors, timeouts`,
        'none',
        String(concurrent.failures),
        met(concurrent.failures === 0),
      ],
    ],
  );

  const machine =
    `${facts.cpu}, ${facts.cores} cores, ${facts.ramGiB} GiB RAM, ${facts.os}, Node ${facts.node}; ` +
    `1-minute load average ${facts.loadAverage.toFixed(2)} at the start, ` +
    `${os.loadavg()[0]!.toFixed(2)} at the end.`;
  const busy =
    facts.loadAverage > facts.cores / 2
      ? `The machine was already busy when the run started (load ${facts.loadAverage.toFixed(2)} on ${facts.cores} cores): expect lower numbers than on an idle one.`
      : '';
  const kernelNote =
    uploadPeak.kernel === null
      ? ' (/proc/PID/clear_refs was not writable here, so peaks are the 20 ms samples only)'
      : '';
  const method =
    'Server: `node scripts/workroom.js serve` with NODE_ENV=production, the local file store, ' +
    `embedded Postgres, demo data (seeded first), FILE_MAX_BYTES ${mb(fileMaxBytes)} MB. ` +
    `A random file of ${size} is uploaded ${RUNS} times as a multipart form POST, streamed from ` +
    'disk by node:http and timed to the 303; each copy is then downloaded once, timed to the last ' +
    'byte, its SHA-256 compared with the upload. Then all copies are downloaded at once by ' +
    `clients that leave the body unread for ${STALL_MS / 1000} s, as slow clients would. ` +
    `Memory is the server process's RSS above idle (${mb(idle)} MB: the median over 1 s after ` +
    "a warm-up of pages and a 1 MB file uploaded and downloaded); a peak is the kernel's " +
    'high-water mark (VmHWM, reset at the start of each phase), with beside it the highest of ' +
    `samples every ${SAMPLE_EVERY_MS} ms` +
    `${kernelNote}. The ${CONNECTIONS}-connection run downloads a 1 MB file for ${SECONDS} s after ` +
    `a ${WARMUP_SECONDS} s warm-up (autocannon in this process, which has one of the cores; ` +
    'percentiles exact over every response), then the same against a bare node:http server in ' +
    'a process of its own sending the very bytes and headers the app sent: what the load ' +
    "generator itself can take in. Both runs are repeated with node:http's own client " +
    `(${CONNECTIONS} keep-alive sockets, each sending its next request when the last body is ` +
    'read), which reads large bodies several times faster than autocannon. 1 MB = 2^20 bytes.';

  // A download that waits for its client holds a few chunks; one that does not, the whole file
  // less what the sockets' buffers took. Memory the earlier phases freed (but the process kept)
  // is reused first, so the rise over the phase's start understates what was held.
  const sent = RUNS * large.bytes;
  const stalledRise = peakOf(stalledPeak) - stalledPeak.start;
  const heldByStalled = stalledRise >= sent * 0.25;
  const within = (growth: number) =>
    `${growth < limit ? 'within' : 'over'} the ${budget.rssAboveIdleMB} MB budget`;
  const meaning = [
    `What it means: the server took a ${size} upload at about ${up.median.toFixed(0)} MB/s and ` +
      `gave it back at about ${down.median.toFixed(0)} MB/s, byte for byte.`,
    `During the uploads its RSS rose at most ${mb(uploadGrowth)} MB above idle, ` +
      `${within(uploadGrowth)}; during the downloads it was at most ${mb(downloadGrowth)} MB ` +
      `above idle (${mb(downloadPeak.start - idle)} MB of it still there from the uploads), ` +
      `${within(downloadGrowth)}.` +
      (Math.abs(Math.max(uploadGrowth, downloadGrowth) - limit) < limit * 0.1
        ? ' That is within 10 % of the limit, where run-to-run noise (when the garbage collector ' +
          'runs) can move it to either side.'
        : ''),
    heldByStalled
      ? `But ${RUNS} downloads at once by clients that read nothing for ${STALL_MS / 1000} s ` +
        `raised it another ${mb(stalledRise)} MB (${mb(sent)} MB were being sent): a download ` +
        'reads the file from disk as fast as the disk allows and buffers whatever the client ' +
        "has not taken yet, so memory grows with file size and with slow clients. (Remix's " +
        'Node adapter writes a streamed body without waiting for the socket; a download must ' +
        "wait itself, through the load context's `clientReady()`.)"
      : `${RUNS} downloads at once by clients that read nothing for ${STALL_MS / 1000} s raised ` +
        `it ${mb(stalledRise)} MB, well under the ${mb(sent)} MB being sent: a download waits ` +
        'for its client.',
    `With ${CONNECTIONS} clients at once it served ${concurrent.rps.toFixed(0)} downloads of ` +
      `1 MB a second (p99 ${ms(concurrent.p99)} ms), ` +
      (concurrent.failures === 0
        ? 'none failing'
        : `${concurrent.failures} failing (non-2xx answers, errors, or no answer within 10 s)`) +
      (concurrent.rps >= results.bare.rps * 0.8
        ? `; bare node:http got ${results.bare.rps.toFixed(0)} through the same client, so that ` +
          "figure is mostly autocannon's own ceiling for 1 MB bodies, not the app's."
        : `, ${((concurrent.rps / results.bare.rps) * 100).toFixed(0)} % of what bare node:http ` +
          `got through the same client (${results.bare.rps.toFixed(0)}).`) +
      ` Read by node:http's client it served ${results.nodeClient.rps.toFixed(0)} a second ` +
      `(p99 ${ms(results.nodeClient.p99)} ms), ` +
      `${((results.nodeClient.rps / results.nodeClientBare.rps) * 100).toFixed(0)} % of bare ` +
      `node:http's ${results.nodeClientBare.rps.toFixed(0)}.`,
  ].join(' ');

  return [
    '## Files (`npm run bench:files`)',
    '',
    `Run ${facts.date} on ${machine}`,
    '',
    ...(busy ? [busy, ''] : []),
    `Command: \`${commandLine()}\``,
    '',
    method,
    '',
    speed,
    '',
    memory,
    '',
    concurrency,
    '',
    budgets,
    '',
    meaning,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

const largeBytes = Math.round(SIZE_MB * MB);
// The app's default (25 MB) unless the large file needs more.
const fileMaxBytes = Math.max(25 * MB, largeBytes + MB);

try {
  if (!flags['no-build']) await runToEnd('npm', ['run', 'build'], { echo: true });
  const facts = machineFacts();

  const folder = mkdtempSync(path.join(os.tmpdir(), 'workroom-bench-files-'));
  onCleanup('test files', () => rmSync(folder, { recursive: true, force: true }));
  const large = writeRandomFile(folder, 'large.bin', largeBytes);
  const small = writeRandomFile(folder, 'small.bin', SMALL_BYTES);

  console.log('Starting Workroom (production)…');
  const app = await startWorkroom({
    profileDir,
    env: {
      FILE_MAX_BYTES: String(fileMaxBytes),
      // Room for every upload whatever --size-mb and --runs say (the default is 1 GB).
      WORKSPACE_QUOTA_BYTES: String(Math.max(1024 * MB, (RUNS + 2) * largeBytes)),
    },
  });
  const cookie = await signIn(app.url);
  const tag = randomBytes(4).toString('hex');

  console.log('Warming up…');
  for (const page of [`/w/${demo.workspace}`, filesPath, filesPath])
    if ((await rawGet(`${app.url}${page}`, { cookie })).status !== 200)
      throw new Error(`GET ${page}: not 200`);
  const smallName = `bench-1mb-${tag}.bin`;
  await upload(app.url, cookie, small, smallName);
  const smallId = await fileIdOf(app.url, cookie, smallName);
  for (let i = 0; i < 3; i++) await checkedDownload(app.url, cookie, smallId, small);
  await rawGet(`${app.url}${filesPath}`, { cookie });

  const idle = await idleRss(app.pid);
  console.log(`Idle RSS ${mb(idle)} MB. ${RUNS} uploads of ${mb(large.bytes)} MB…`);
  const names = Array.from({ length: RUNS }, (_, i) => `bench-${SIZE_MB}mb-${tag}-${i + 1}.bin`);
  const [uploads, uploadPeak] = await watchMemory(app.pid, async () => {
    const seconds: number[] = [];
    for (const name of names) seconds.push(await upload(app.url, cookie, large, name));
    return seconds;
  });

  const ids: string[] = [];
  for (const name of names) ids.push(await fileIdOf(app.url, cookie, name));
  console.log(`${RUNS} downloads…`);
  const [downloads, downloadPeak] = await watchMemory(app.pid, async () => {
    const runs: Download[] = [];
    for (const id of ids) runs.push(await checkedDownload(app.url, cookie, id, large));
    return runs;
  });

  console.log(`${RUNS} downloads at once by clients that read nothing for ${STALL_MS / 1000} s…`);
  const [, stalledPeak] = await watchMemory(app.pid, () =>
    Promise.all(ids.map((id) => checkedDownload(app.url, cookie, id, large, STALL_MS))),
  );

  console.log(`${CONNECTIONS} connections downloading 1 MB for ${SECONDS} s…`);
  const smallUrl = `${app.url}${filesPath}/${smallId}/download`;
  const [concurrent, concurrentPeak] = await watchMemory(app.pid, () =>
    load({
      url: smallUrl,
      headers: { cookie },
      connections: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
    }),
  );

  console.log(`${CONNECTIONS} connections, bare node:http sending the same 1 MB…`);
  const sample = await rawGet(smallUrl, { cookie });
  if (sample.status !== 200 || !sample.body.equals(readFileSync(small.path)))
    throw new Error(`GET ${smallUrl}: ${sample.status}, or not the bytes uploaded`);
  const bareServer = await startBareServer(sample.body, sample.headers);
  let bare: LoadResult;
  let nodeClientBare: LoadResult;
  try {
    bare = await load({
      url: `${bareServer.url}${filesPath}/${smallId}/download`,
      connections: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
    });
    console.log(`${CONNECTIONS} node:http connections, bare node:http…`);
    nodeClientBare = await nodeHttpLoad({
      url: `${bareServer.url}${filesPath}/${smallId}/download`,
      connections: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
    });
  } finally {
    await bareServer.stop();
  }
  console.log(`${CONNECTIONS} node:http connections downloading 1 MB from the app…`);
  const nodeClient = await nodeHttpLoad({
    url: smallUrl,
    headers: { cookie },
    connections: CONNECTIONS,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
  });

  const section = report({
    facts,
    large,
    uploads,
    downloads,
    idle,
    uploadPeak,
    downloadPeak,
    stalledPeak,
    concurrent,
    concurrentPeak,
    bare,
    nodeClient,
    nodeClientBare,
  });
  console.log(`\n${section}\n`);
  if (flags.write) {
    writeDocSection(path.join(root, 'docs', 'benchmarks.md'), 'files', section);
    console.log('Wrote the bench:files section of docs/benchmarks.md.');
  }
} finally {
  await cleanUp();
}
