#!/usr/bin/env node
// The server the browser tests drive: the real build on a fresh embedded database (wiped on
// every run, then migrated and seeded with the demo), with the development mail inbox.
import { rmSync } from 'node:fs';
import path from 'node:path';

const dataDir = path.resolve(process.env.DATA_DIR ?? '.data/e2e');
rmSync(dataDir, { recursive: true, force: true });
process.env.DATA_DIR = dataDir;
// A small upload limit (1 MB) so the browser tests can send a file over it (the 413 page)
// without pushing the default 25 MB through the browser and the server on every run.
// Set, not defaulted: files.browser.spec.ts relies on this exact limit.
process.env.FILE_MAX_BYTES = String(1024 * 1024);
await import('./workroom.js');
