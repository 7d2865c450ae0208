/**
 * Start-up benchmark: how long from starting the process to its first 200 on /healthz, with the
 * database already initialised (a second start). `npm run bench:start [-- --runs N --write]`.
 *
 * Measures `node scripts/workroom.js serve` (the budget: ≤ 1.5 s) and `npm start` (the README's
 * command: a second start under 2 s), each over several runs on one data folder: the first
 * start initialises the embedded database and seeds the demo, and is not counted.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exited, freePort, machineFacts, markdownTable, writeDocSection } from './lib';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    write: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});
const runs = Number(flags.runs);

async function timeToFirst200(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  port: number,
): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, {
    env: env as NodeJS.ProcessEnv,
    stdio: 'ignore',
    detached: true,
  });
  let elapsed = 0;
  while (true) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) {
        elapsed = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null)
      throw new Error(`${command} ${args.join(' ')} exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  // The whole process group: npm, then node under it.
  process.kill(-child.pid!, 'SIGINT');
  await exited(child);
  return elapsed;
}

const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
};

if (!flags['no-build'])
  await new Promise((resolve) =>
    spawn('npm', ['run', 'build'], { stdio: 'inherit' }).once('exit', resolve),
  );
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'workroom-bench-start-'));
chmodSync(dataDir, 0o755);
const facts = machineFacts();
try {
  const port = await freePort();
  // Development mode on the embedded database, whatever the caller's environment says.
  const { NODE_ENV: _mode, DATABASE_URL: _database, ...inherited } = process.env;
  const env = { ...inherited, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  console.log('First start (initialises the database and seeds the demo; not counted)…');
  const first = await timeToFirst200(process.execPath, ['scripts/workroom.js', 'serve'], env, port);
  const measured: Record<string, number[]> = {
    'node scripts/workroom.js serve': [],
    'npm start': [],
  };
  for (let run = 0; run < runs; run++) {
    measured['node scripts/workroom.js serve']!.push(
      await timeToFirst200(process.execPath, ['scripts/workroom.js', 'serve'], env, port),
    );
    measured['npm start']!.push(await timeToFirst200('npm', ['start', '--silent'], env, port));
  }
  const rows = Object.entries(measured).map(([command, times]) => {
    const { min, median, max } = summary(times);
    return [
      `\`${command}\``,
      (min / 1000).toFixed(2),
      (median / 1000).toFixed(2),
      (max / 1000).toFixed(2),
    ];
  });
  const serve = summary(measured['node scripts/workroom.js serve']!).median;
  const npmStart = summary(measured['npm start']!).median;
  const content = [
    '## Start-up (`npm run bench:start`)',
    '',
    `Run ${facts.date} on ${facts.cpu}, ${facts.cores} cores, ${facts.ramGiB} GiB RAM, ${facts.os}, Node ${facts.node}; load average ${facts.loadAverage.toFixed(2)} at the start.`,
    '',
    `Time from spawning the process to its first 200 on \`/healthz\`, database already initialised (embedded Postgres, development mode, demo data); ${runs} runs each, alternating. The first start, which also initialises the database and seeds the demo, took ${(first / 1000).toFixed(2)} s.`,
    '',
    markdownTable(['Command', 'Min s', 'Median s', 'Max s'], rows, ['l', 'r', 'r', 'r']),
    '',
    markdownTable(
      ['Budget', 'Limit', 'Median', 'Met'],
      [
        [
          'Start to first 200, database initialised',
          '<= 1.5 s',
          `${(serve / 1000).toFixed(2)} s`,
          serve <= 1500 ? 'yes' : 'NO',
        ],
        [
          'A second `npm start`',
          '< 2 s',
          `${(npmStart / 1000).toFixed(2)} s`,
          npmStart < 2000 ? 'yes' : 'NO',
        ],
      ],
    ),
  ].join('\n');
  console.log(`\n${content}\n`);
  if (flags.write) writeDocSection('docs/benchmarks.md', 'start', content);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
