#!/usr/bin/env node
// The server the browser tests drive: the real build on a fresh embedded database (wiped on
// every run, then migrated and seeded with the demo), with the development mail inbox.
import { rmSync } from 'node:fs';
import path from 'node:path';

const dataDir = path.resolve(process.env.DATA_DIR ?? '.data/e2e');
rmSync(dataDir, { recursive: true, force: true });
process.env.DATA_DIR = dataDir;
await import('./workroom.js');
