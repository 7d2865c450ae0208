/**
 * Helpers shared by the benchmark scripts (scripts/bench/*.ts): child processes, raw HTTP,
 * load runs, a bare node:http baseline, machine facts and docs/benchmarks.md sections.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';

// ---------------------------------------------------------------------------------------------
// Cleanup: every process or folder a benchmark makes registers how to undo it here, so that
// both the normal `finally` and a Ctrl-C undo everything, once, newest first.

const cleanups: Array<{ label: string; run: () => Promise<void> | void }> = [];

export function onCleanup(label: string, run: () => Promise<void> | void): void {
  cleanups.push({ label, run });
}

export async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const { label, run } = cleanups.pop()!;
    try {
      await run();
    } catch (error) {
      console.error(`cleanup (${label}) failed:`, error);
    }
  }
}

/** On Ctrl-C (or SIGTERM), undo everything registered, then exit. */
export function cleanUpOnSignals(): void {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return; // a second Ctrl-C while cleaning up: keep cleaning up
      interrupted = true;
      console.error(`\n${signal}: stopping the server and cleaning up…`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The last few KB a child printed, for an error message when it fails. */
export function captureOutput(child: ChildProcess, echo = false): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8000);
    if (echo) process.stderr.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail;
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Sends `signal` and waits up to `timeoutMs` for the exit; then SIGKILL. Returns false when the
 * process had to be killed (it may have left its own children, e.g. Postgres, running).
 */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGINT',
  timeoutMs = 15_000,
): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  const exit = exited(child);
  child.kill(signal);
  const timedOut = await Promise.race([
    exit.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), timeoutMs).unref()),
  ]);
  if (!timedOut) return true;
  child.kill('SIGKILL');
  await exit;
  return false;
}

/** Runs a command to completion, failing with its output if it exits non-zero. */
export async function runToEnd(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; echo?: boolean } = {},
): Promise<void> {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    stdio: ['ignore', options.echo ? 'inherit' : 'pipe', options.echo ? 'inherit' : 'pipe'],
  });
  const output = captureOutput(child);
  const code = await exited(child);
  if (code !== 0)
    throw new Error(`\`${command} ${args.join(' ')}\` exited with ${code}:\n${output()}`);
}

/** Polls `url` until it answers 200, failing early if `child` exits first. */
export async function waitForOk(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`The server exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    const status = await rawGet(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s:\n${output()}`);
}

// ---------------------------------------------------------------------------------------------
// HTTP

export type RawResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body exactly as sent: still gzipped when Content-Encoding says so. */
  body: Buffer;
};

/**
 * A request with node:http, which (unlike fetch) neither decodes the body nor adds an
 * Accept-Encoding of its own: what is measured is what the server put on the wire.
 */
export function rawGet(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
      response.on('error', reject);
    });
    request.setTimeout(30_000, () => request.destroy(new Error(`${url}: timed out`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** Gzipped body size on the wire; gzipped here (zlib's default level) if the server did not. */
export function gzippedSize(response: RawResponse): { bytes: number; serverGzipped: boolean } {
  const serverGzipped = response.headers['content-encoding'] === 'gzip';
  return {
    bytes: serverGzipped ? response.body.length : gzipSync(response.body).length,
    serverGzipped,
  };
}

// ---------------------------------------------------------------------------------------------
// Load

export type LoadResult = {
  connections: number;
  seconds: number;
  requests: number;
  /** autocannon's average of its per-second request counts. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Non-2xx responses, errors and timeouts: any of these makes the run suspect. */
  failures: number;
};

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * One autocannon run after a warm-up. autocannon's own latency histogram has whole-millisecond
 * buckets and no p95, so the percentiles are computed exactly from every response's time,
 * which autocannon reports (in fractional ms) through its 'response' event.
 */
export async function load(options: {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}): Promise<LoadResult> {
  const samples: number[] = [];
  const instance = autocannon({
    url: options.url,
    headers: options.headers ?? {},
    connections: options.connections,
    duration: options.seconds,
    warmup: { connections: options.connections, duration: options.warmupSeconds },
    timeout: 10,
  });
  // With a warm-up, this instance only sees the measured run's responses.
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) samples.push(ms);
  });
  const result = await instance;
  samples.sort((a, b) => a - b);
  return {
    connections: options.connections,
    seconds: result.duration,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

// ---------------------------------------------------------------------------------------------
// The baseline: node:http doing nothing but send a fixed response.

// Runs in its own process (not sharing this one's event loop with autocannon). It gets the
// response over IPC, answers with its port, and exits when this process goes away.
const bareServerSource = `
const http = require('node:http');
process.once('message', ({ body, headers }) => {
  const payload = Buffer.from(body, 'base64');
  const server = http.createServer((request, response) => {
    request.resume();
    response.writeHead(200, headers);
    response.end(payload);
  });
  server.keepAliveTimeout = 65000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
});
process.once('disconnect', () => process.exit(0));
`;

// Headers node:http writes itself (or that describe the connection, not the response).
const connectionHeaders = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
]);

/**
 * Starts a bare node:http server that answers every request with `body` and the same headers
 * as `like` (so the bytes on the wire match the app's), and returns its URL.
 */
export async function startBareServer(body: Buffer, like: http.IncomingHttpHeaders) {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(like))
    if (value !== undefined && !connectionHeaders.has(name)) headers[name] = value;
  headers['content-length'] = String(body.length);

  const child = spawn(process.execPath, ['-e', bareServerSource], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true, // a Ctrl-C in the terminal reaches this script only; it stops the child
  });
  onCleanup('bare server', async () => void (await stopChild(child, 'SIGTERM', 5000)));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`The bare server exited (${code})`)));
    child.send({ body: body.toString('base64'), headers });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => stopChild(child, 'SIGTERM', 5000),
  };
}

// ---------------------------------------------------------------------------------------------
// Reporting

export type MachineFacts = {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  date: string;
  /** 1-minute load average when the run started: other work on the machine skews the numbers. */
  loadAverage: number;
};

export function machineFacts(): MachineFacts {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    ramGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadAverage: os.loadavg()[0]!,
  };
}

/**
 * A Markdown table padded the way Prettier pads one, so it reads well in a terminal and
 * `npm run format` leaves docs/benchmarks.md as written. Cells must be plain ASCII-width text.
 */
export function markdownTable(header: string[], rows: string[][], align: Array<'l' | 'r'> = []) {
  const widths = header.map((cell, column) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const pad = (cell: string, column: number) =>
    align[column] === 'r' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!);
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = widths.map((width, column) =>
    align[column] === 'r' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
  );
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}

const docIntro = `# Benchmarks

Measured by \`npm run bench:*\`; never asserted in tests; numbers from one run on the machine
named. Each section below belongs to one script, which rewrites only that section.
`;

/**
 * Replaces what lies between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` in the
 * benchmarks document (creating the document, or appending the section, when missing), and
 * leaves every other section alone.
 */
export function writeDocSection(file: string, name: string, content: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const section = `${start}\n\n${content.trim()}\n\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : docIntro;
  const from = current.indexOf(start);
  const to = current.indexOf(end, from);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + section + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
