import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../tests/support/database-per-file';
import {
  createTestWorkspace,
  signedInCookie,
  type TestWorkspace,
} from '../../../tests/support/factories';
import { notificationsTopic } from '~/modules/notifications/notify.server';
import { openStreamCount } from '../live/hub.server';
import { liveEndpoint } from './live-endpoint.server';

/** The endpoint over real HTTP, mounted as the server mounts it, ahead of Remix. */
let server: Server;
let base: string;
let workspace: TestWorkspace;
let other: TestWorkspace;
let cookie: string;

beforeAll(async () => {
  const app = express();
  app.get(
    '/w/:slug/live',
    liveEndpoint(() => ({ requestId: 'test', locale: 'en', timeZone: 'UTC', memo: new Map() })),
  );
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  workspace = await createTestWorkspace();
  other = await createTestWorkspace();
  cookie = await signedInCookie(workspace.owner);
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const live = (slug: string, query: string, headers: Record<string, string> = { cookie }) =>
  fetch(`${base}/w/${slug}/live?${query}`, { headers, redirect: 'manual' });

async function waitFor(check: () => boolean) {
  const started = Date.now();
  while (!check() && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 20));
  return check();
}

describe('GET /w/:slug/live', () => {
  it('streams to a member, and lets the stream go when the browser leaves', async () => {
    const before = openStreamCount();
    const abort = new AbortController();
    const response = await fetch(
      `${base}/w/${workspace.slug}/live?topic=${encodeURIComponent(notificationsTopic(workspace.owner.id))}`,
      { headers: { cookie }, signal: abort.signal },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('retry: 3000\n\n');
    expect(openStreamCount()).toBe(before + 1);
    abort.abort();
    expect(await waitFor(() => openStreamCount() === before)).toBe(true);
  });

  it('refuses the signed-out, outsiders, and topics that are not theirs or do not exist', async () => {
    const mine = `topic=${encodeURIComponent(notificationsTopic(workspace.owner.id))}`;
    const signedOut = await live(workspace.slug, mine, {});
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toMatch(/^\/login/);
    expect((await live(other.slug, mine)).status).toBe(404);
    const someoneElses = `topic=${encodeURIComponent(notificationsTopic(other.owner.id))}`;
    expect((await live(workspace.slug, someoneElses)).status).toBe(404);
    expect((await live(workspace.slug, 'topic=nothing%3A1')).status).toBe(404);
    expect((await live(workspace.slug, '')).status).toBe(400);
  });
});
