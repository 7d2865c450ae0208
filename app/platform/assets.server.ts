import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { getEnv } from './env.server';
import { singleton } from './singleton.server';

/**
 * The only files a browser downloads besides HTML: our stylesheet and app.js from public/, and
 * htmx with its SSE extension, self-hosted from the pinned npm packages. Each is served under a
 * name carrying its content hash, so it can be cached for a year and still change on deploy.
 */
export type AssetName = 'app.css' | 'app.js' | 'htmx.js' | 'htmx-sse.js';

type Asset = {
  url: string;
  body: Buffer;
  gzip: Buffer;
  etag: string;
  contentType: string;
  mtimeMs: number;
  source: string;
};

const require = createRequire(import.meta.url);

function sources(): Record<AssetName, string> {
  const publicDir = path.resolve('public');
  return {
    'app.css': path.join(publicDir, 'app.css'),
    'app.js': path.join(publicDir, 'app.js'),
    'htmx.js': require.resolve('htmx.org/dist/htmx.min.js'),
    // htmx's own dist/ext/sse.js is the htmx 1 extension; htmx 2 needs this package.
    'htmx-sse.js': require.resolve('htmx-ext-sse/dist/sse.min.js'),
  };
}

function load(name: AssetName, source: string): Asset {
  const body = readFileSync(source);
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 10);
  const [base, ext] = [name.slice(0, name.lastIndexOf('.')), name.slice(name.lastIndexOf('.'))];
  return {
    url: `/assets/${base}.${hash}${ext}`,
    body,
    gzip: gzipSync(body, { level: 9 }),
    etag: `"${hash}"`,
    contentType: ext === '.css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
    mtimeMs: statSync(source).mtimeMs,
    source,
  };
}

const state = singleton('assets', () => ({
  byName: new Map<AssetName, Asset>(),
  byUrl: new Map<string, Asset>(),
}));

function refresh(name: AssetName, source: string): Asset {
  const current = state.byName.get(name);
  // In production files never change under a running process; in development, pick up edits.
  if (current && (getEnv().isProduction || statSync(source).mtimeMs === current.mtimeMs))
    return current;
  const asset = load(name, source);
  if (current) state.byUrl.delete(current.url);
  state.byName.set(name, asset);
  state.byUrl.set(asset.url, asset);
  return asset;
}

const paths = singleton('asset-sources', sources);

/** The current URL of every asset, for the document's <head>. */
export function assetUrls(): Record<AssetName, string> {
  const entries = Object.entries(paths) as Array<[AssetName, string]>;
  return Object.fromEntries(
    entries.map(([name, source]) => [name, refresh(name, source).url]),
  ) as Record<AssetName, string>;
}

export function findAsset(url: string): Asset | undefined {
  if (state.byUrl.size === 0) assetUrls();
  return state.byUrl.get(url);
}
