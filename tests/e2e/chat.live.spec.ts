import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import { expect, linkIn, signUpAndVerify, test } from './fixtures';

/**
 * Chat between people each in a browser of their own, with JavaScript (live updates need it),
 * in a workspace each test makes for itself: who is online, who has read what and who is
 * mentioned must not depend on what other tests do at the same time in the demo workspace.
 */

/** What a page's live stream has done, recorded by an init script (see `liveProbe`). */
type Probe = { liveOpens: number; liveErrors: number; liveEvents: string[] };

/**
 * Counts the stream's openings and errors, keeps each event it swapped ("name data") and marks
 * the element whose stream is open: htmx's boosted navigations replace it, and the new one
 * connects anew.
 */
function liveProbe() {
  const probe = window as unknown as Probe;
  probe.liveOpens = 0;
  probe.liveErrors = 0;
  probe.liveEvents = [];
  document.addEventListener('htmx:sseOpen', (event) => {
    probe.liveOpens += 1;
    (event.target as HTMLElement).dataset.testLiveOpen = '';
  });
  document.addEventListener('htmx:sseError', () => (probe.liveErrors += 1));
  document.addEventListener('htmx:sseMessage', (event) => {
    const message = (event as CustomEvent<MessageEvent>).detail;
    probe.liveEvents.push(`${message.type} ${message.data}`);
  });
}

/** Waits until the page's live stream is open (a test acts only once the page is listening). */
const listening = (page: Page) =>
  expect(page.locator('[sse-connect]')).toHaveAttribute('data-test-live-open');

/** Waits until a live "message" event about this message has reached the page. */
const heardOf = (page: Page, messageId: string) =>
  page.waitForFunction(
    (id) =>
      (window as unknown as Probe).liveEvents.some(
        (event) => event.startsWith('message ') && event.includes(`message-${id}`),
      ),
    messageId,
  );

type Submit = (name: string | RegExp, page?: Page) => Promise<void>;
type Helpers = {
  submit: Submit;
  visit: (path: string, page?: Page) => Promise<void>;
  mailTo: (address: string, subject?: RegExp) => Promise<{ subject: string; text: string }>;
  extraHTTPHeaders?: Record<string, string>;
};
type Person = Awaited<ReturnType<typeof personIn>>;

const PASSWORD = 'plum tuesday orchard';

/** A browser of one's own, JavaScript on, its live stream observed; `absent`: it never opens one. */
async function personIn(
  browser: Browser,
  helpers: Helpers,
  name: string,
  email: string,
  { absent = false, ...options }: BrowserContextOptions & { absent?: boolean } = {},
) {
  const context = await browser.newContext({
    javaScriptEnabled: true,
    extraHTTPHeaders: helpers.extraHTTPHeaders,
    ...options,
  });
  await context.addInitScript(liveProbe);
  // Someone who never has a page open here: away for chat, so mentions are mailed at once.
  if (absent) await context.route(/\/live\?/, (route) => route.abort());
  return { name, email, context, page: await context.newPage() };
}

/**
 * A new workspace, its owner (the first name) signed up through the real form, everyone else
 * invited by mail and joined through the link, each in their own browser, left on the
 * workspace's home page. Names in `absent` never open a live page (see personIn).
 */
async function team(
  browser: Browser,
  helpers: Helpers,
  unique: string,
  names: string[],
  absent: string[] = [],
) {
  const slug = `chat-${unique}`;
  const workspace = `Studio ${unique}`;
  const emailOf = (name: string) => `${name.split(' ')[0]!.toLowerCase()}-${unique}@example.test`;
  const [ownerName, ...others] = names;
  const owner = await personIn(browser, helpers, ownerName!, emailOf(ownerName!));
  await signUpAndVerify(owner.page, helpers, {
    name: owner.name,
    email: owner.email,
    password: PASSWORD,
  });
  await owner.page.getByLabel('Name').fill(workspace);
  await owner.page.getByLabel('Web address').fill(slug);
  await helpers.submit('Create workspace', owner.page);
  const people = [owner];
  for (const name of others) {
    const email = emailOf(name);
    await helpers.visit(`/w/${slug}/admin/members`, owner.page);
    await owner.page.locator('form#invitation').getByLabel('Email address').fill(email);
    await helpers.submit('Send invitation', owner.page);
    const invitation = await helpers.mailTo(email, /invited you/);
    const person = await personIn(browser, helpers, name, email, { absent: absent.includes(name) });
    await helpers.visit(linkIn(invitation.text, '/invitations/'), person.page);
    await person.page.getByLabel('Full name').fill(name);
    await person.page.getByLabel('New password').fill(PASSWORD);
    await helpers.submit('Create account and join', person.page);
    await expect(person.page).toHaveURL(`/w/${slug}`);
    people.push(person);
  }
  return { slug, workspace, people };
}

/** A group made through its form; its creator lands in it, listening. Returns its path. */
async function newGroup(
  creator: Person,
  { submit, visit }: Helpers,
  slug: string,
  name: string,
  members: Person[],
) {
  await visit(`/w/${slug}/chat/new`, creator.page);
  await creator.page.getByLabel('Name', { exact: true }).fill(name);
  for (const member of members) await creator.page.getByLabel(member.name, { exact: true }).check();
  await submit('Create group', creator.page);
  await expect(creator.page.getByRole('heading', { level: 1 })).toHaveText(name);
  await listening(creator.page);
  return new URL(creator.page.url()).pathname;
}

/** Opens a page, checks it with axe and waits until it listens. */
async function openLive(page: Page, path: string, expectAccessible: (page: Page) => Promise<void>) {
  await page.goto(path);
  await expectAccessible(page);
  await listening(page);
}

/** Sends a message with htmx (no axe in between: the clock runs for the others); returns its id. */
async function post(page: Page, text: string) {
  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill(text);
  // The post's own answer, which empties the composer: the live event may show the message
  // first, and what is typed next must not be wiped by the answer arriving after it.
  const answer = page.waitForResponse(
    (response) => response.request().method() === 'POST' && /\/messages(\?|$)/.test(response.url()),
  );
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  expect((await answer).status()).toBe(200);
  await expect(composer).toHaveValue('');
  const item = page.locator('#messages > li.message').filter({ hasText: text });
  await expect(item).toHaveCount(1);
  return (await item.getAttribute('id'))!.replace(/^message-/, '');
}

const message = (page: Page, id: string) => page.locator(`#message-${id}`);
/** A message's list items with this text (to count them: each must be there once). */
const messagesWith = (page: Page, text: string) =>
  page.locator('#messages > li.message').filter({ hasText: text });

/** The presence badge next to someone in the conversation's list of people. */
const presenceOf = (page: Page, name: string) =>
  page
    .getByRole('complementary', { name: 'People' })
    .getByRole('listitem')
    .filter({ hasText: name })
    .locator('.presence');

/** The count a header link says in words ("Chat 3 unread messages", "Notifications, 2 unread"). */
async function headerCount(page: Page, workspace: string, link: 'Chat' | 'Notifications') {
  const text = await page
    .getByRole('navigation', { name: workspace })
    .getByRole('link', { name: new RegExp(`^${link}`) })
    .textContent();
  return Number(text?.match(/(\d+) unread/)?.[1] ?? 0);
}

/** Live: within a second in practice; 3 s leaves room for a busy two-core test machine. */
const LIVE = { timeout: 3000 };

test('two people: messages, reactions, edits and deletions reach the other page live, and one’s own post shows once', async ({
  browser,
  submit,
  visit,
  mailTo,
  extraHTTPHeaders,
  expectAccessible,
  unique,
}) => {
  const helpers = { submit, visit, mailTo, extraHTTPHeaders };
  const { slug, people } = await team(browser, helpers, unique, ['Olga Owner', 'Bruno Baker']);
  const [olga, bruno] = people as [Person, Person];
  const path = await newGroup(olga, helpers, slug, `Proofs ${unique}`, [bruno]);
  await expectAccessible(olga.page);
  await openLive(bruno.page, path, expectAccessible);

  // Olga's message reaches Bruno; on her own page it is there once, also after her page got
  // the same message from the stream.
  const first = `The first proofs are in ${unique}`;
  const id = await post(olga.page, first);
  await expect(message(bruno.page, id)).toContainText(first, LIVE);
  await expect(message(bruno.page, id)).toContainText('Olga Owner');
  await heardOf(olga.page, id);
  await expect(messagesWith(olga.page, first)).toHaveCount(1);
  // Bruno may not edit or delete Olga's message: his copy has no such links.
  await expect(message(bruno.page, id).getByRole('link', { name: /^(Edit|Delete)$/ })).toHaveCount(
    0,
  );

  const answer = `Looks good to me ${unique}`;
  const answerId = await post(bruno.page, answer);
  await expect(message(olga.page, answerId)).toContainText(answer, LIVE);
  await heardOf(bruno.page, answerId);
  await expect(messagesWith(bruno.page, answer)).toHaveCount(1);
  await expectAccessible(bruno.page);

  // Bruno's reaction: pressed on his page, shown (not pressed) on Olga's.
  await message(bruno.page, id).getByText('Add reaction').click();
  await message(bruno.page, id).getByRole('button', { name: 'Heart', exact: true }).click();
  const heart = (page: Page) =>
    message(page, id).getByRole('button', { name: /Heart by Bruno Baker/ });
  await expect(heart(bruno.page)).toHaveAttribute('aria-pressed', 'true');
  await expect(heart(olga.page)).toHaveAttribute('aria-pressed', 'false', LIVE);
  await expectAccessible(olga.page);

  // Olga corrects her message, then deletes it: Bruno's page follows.
  await message(olga.page, id).getByRole('link', { name: 'Edit' }).click();
  await expect(olga.page).toHaveURL(`${path}/messages/${id}/edit`);
  await expectAccessible(olga.page);
  await olga.page.getByLabel('Message', { exact: true }).fill(`The second proofs are in ${unique}`);
  await submit('Save message', olga.page);
  await expect(message(bruno.page, id)).toContainText(`The second proofs are in ${unique}`, LIVE);
  await expect(message(bruno.page, id)).toContainText('edited');
  await message(olga.page, id).getByRole('link', { name: 'Delete' }).click();
  await expect(olga.page).toHaveURL(`${path}/messages/${id}/delete`);
  await expectAccessible(olga.page);
  await submit('Delete message', olga.page);
  await expect(message(bruno.page, id)).toContainText('This message was deleted.', LIVE);
  await expect(message(bruno.page, id)).not.toContainText('proofs are in');
  await expect(messagesWith(bruno.page, answer)).toHaveCount(1);
  await expectAccessible(bruno.page);
  for (const person of people) await person.context.close();
});

test('two people: presence, typing and unread counts follow the other person live', async ({
  browser,
  submit,
  visit,
  mailTo,
  extraHTTPHeaders,
  expectAccessible,
  unique,
}) => {
  const helpers = { submit, visit, mailTo, extraHTTPHeaders };
  const { slug, workspace, people } = await team(browser, helpers, unique, [
    'Olga Owner',
    'Bruno Baker',
  ]);
  const [olga, bruno] = people as [Person, Person];
  const budget = await newGroup(olga, helpers, slug, `Budget ${unique}`, [bruno]);
  await post(olga.page, `Budget numbers follow ${unique}`);
  const layout = await newGroup(olga, helpers, slug, `Layout ${unique}`, [bruno]);
  await expectAccessible(olga.page);

  // Bruno is on the workspace's home page: online. He leaves: away. He comes back: online.
  await expect(presenceOf(olga.page, 'Bruno Baker')).toHaveText('online');
  await bruno.page.goto('about:blank');
  await expect(presenceOf(olga.page, 'Bruno Baker')).toHaveText('away', { timeout: 10_000 });
  await openLive(bruno.page, layout, expectAccessible);
  await expect(presenceOf(olga.page, 'Bruno Baker')).toHaveText('online', LIVE);
  await expect(presenceOf(bruno.page, 'Olga Owner')).toHaveText('online');

  // Bruno types: Olga is told, politely, and the notice goes once he stops (5 s).
  const typing = olga.page.locator('#typing');
  await expect(typing).toHaveAttribute('aria-live', 'polite');
  await bruno.page.getByLabel('Message', { exact: true }).fill('Maybe the');
  await expect(typing).toHaveText('Bruno Baker is typing…', LIVE);
  await expect(bruno.page.locator('#typing')).toHaveText('');
  await expect(typing).toHaveText('', { timeout: 10_000 });
  // Typing again, then sending: the notice goes with the message.
  await bruno.page.getByLabel('Message', { exact: true }).fill('Maybe the grid');
  await expect(typing).toHaveText('Bruno Baker is typing…', LIVE);
  const gridId = await post(bruno.page, `Maybe the grid should be wider ${unique}`);
  await expect(message(olga.page, gridId)).toBeVisible(LIVE);
  await expect(typing).toHaveText('', LIVE);

  // Do not disturb, from the list of conversations, shows on Olga's page; and off again.
  await visit(`/w/${slug}/chat`, bruno.page);
  await listening(bruno.page);
  await submit('Do not disturb', bruno.page);
  await expect(bruno.page.getByRole('button', { name: 'Do not disturb' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(presenceOf(olga.page, 'Bruno Baker')).toHaveText('do not disturb', LIVE);
  await submit('Do not disturb', bruno.page);
  await expect(presenceOf(olga.page, 'Bruno Baker')).toHaveText('online', LIVE);

  // Bruno stays on the list: Olga's new messages count in his header and move their
  // conversation to the top of his list, with the count and the last message.
  await listening(bruno.page);
  const list = bruno.page.locator('#conversation-list > li');
  await expect(list.first()).toContainText(`Layout ${unique}`);
  expect(await headerCount(bruno.page, workspace, 'Chat')).toBe(1);
  await openLive(olga.page, budget, expectAccessible);
  await post(olga.page, `Budget approved ${unique}`);
  const unreadId = await post(olga.page, `Invoices next week ${unique}`);
  await expect.poll(() => headerCount(bruno.page, workspace, 'Chat'), LIVE).toBe(3);
  await expect(list.first()).toContainText(`Budget ${unique}`);
  await expect(list.first()).toContainText(`Olga Owner: Invoices next week ${unique}`);
  await expect(list.first()).toContainText('3 unread messages');
  await expectAccessible(bruno.page);

  // Opening it: the first unread message is marked, and the header's count goes back.
  await list.first().getByRole('link').click();
  await expect(bruno.page).toHaveURL(budget);
  await expectAccessible(bruno.page);
  await expect(
    bruno.page.getByRole('link', { name: 'Jump to the first unread message' }),
  ).toBeVisible();
  await expect(bruno.page.locator('#first-unread')).toHaveText('New messages');
  await expect(message(bruno.page, unreadId)).toBeVisible();
  await expect.poll(() => headerCount(bruno.page, workspace, 'Chat')).toBe(0);
  for (const person of people) await person.context.close();
});

test('three people: a message reaches both others, and a mention notifies in the app and, for someone away, by mail', async ({
  browser,
  request,
  submit,
  visit,
  mailTo,
  extraHTTPHeaders,
  expectAccessible,
  unique,
}) => {
  const helpers = { submit, visit, mailTo, extraHTTPHeaders };
  const { slug, workspace, people } = await team(
    browser,
    helpers,
    unique,
    ['Olga Owner', 'Bruno Baker', 'Cleo Carter', 'Dora Dalton'],
    ['Dora Dalton'],
  );
  const [olga, bruno, cleo, dora] = people as [Person, Person, Person, Person];
  const title = `Launch ${unique}`;
  const path = await newGroup(olga, helpers, slug, title, [bruno, cleo, dora]);
  await openLive(bruno.page, path, expectAccessible);
  await openLive(cleo.page, path, expectAccessible);
  await expect(presenceOf(olga.page, 'Dora Dalton')).toHaveText('offline');

  const hello = `Hello both, the launch is on ${unique}`;
  const helloId = await post(olga.page, hello);
  for (const other of [bruno, cleo]) {
    await expect(message(other.page, helloId)).toContainText(hello, LIVE);
    await expect(messagesWith(other.page, hello)).toHaveCount(1);
  }

  // Bruno (here) and Dora (never here) are mentioned; Cleo is not.
  const notificationsBefore = await headerCount(bruno.page, workspace, 'Notifications');
  const mentionId = await post(olga.page, `@Bruno and @Dora please check the prices ${unique}`);
  await expect(message(cleo.page, mentionId).locator('.mention')).toHaveText(
    ['@Bruno', '@Dora'],
    LIVE,
  );
  await expect
    .poll(() => headerCount(bruno.page, workspace, 'Notifications'), LIVE)
    .toBe(notificationsBefore + 1);
  expect(await headerCount(cleo.page, workspace, 'Notifications')).toBe(0);
  await expectAccessible(cleo.page);

  // Dora has been away all along: the mail comes at once, and leads to the message.
  const mail = await mailTo(dora.email, new RegExp(`Olga Owner mentioned you in ${title}`));
  expect(mail.text).toContain(`please check the prices ${unique}`);
  const link = linkIn(mail.text, `${path}/messages/`);
  await visit(`/w/${slug}/notifications`, dora.page);
  await expect(
    dora.page.getByRole('link', { name: new RegExp(`Olga Owner mentioned you in ${title}`) }),
  ).toBeVisible();
  await visit(link, dora.page);
  await expect(message(dora.page, mentionId)).toContainText(`please check the prices ${unique}`);
  // Bruno was here: no mail for him (it waits until he has been away for ten minutes).
  const inbox = await (await request.get('/dev/mail')).text();
  expect(
    inbox
      .split('<article')
      .filter((article) => article.includes(bruno.email) && article.includes('mentioned you')),
  ).toEqual([]);
  for (const person of people) await person.context.close();
});

/**
 * An HTTP proxy between one browser and the server that can cut that browser's live stream
 * the way a network would, and refuse its reconnection attempts until told to let them through.
 * It notes the Last-Event-ID of every live request.
 */
async function cuttableProxy(target: string) {
  let cut = false;
  /** The open live streams: the browser's side and the server's. */
  const streams = new Set<{ response: http.ServerResponse; upstream: http.ClientRequest }>();
  const lastEventIds: Array<string | undefined> = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url!, target);
    const live = /\/live$/.test(url.pathname);
    if (live) {
      lastEventIds.push(request.headers['last-event-id'] as string | undefined);
      if (cut) return request.socket.destroy();
    }
    const upstream = http.request(
      new URL(`${url.pathname}${url.search}`, target),
      // A connection of its own, closed with the stream: the server sees the drop at once.
      { method: request.method, headers: request.headers, agent: false },
      (answer) => {
        response.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
    if (!live) return;
    const stream = { response, upstream };
    streams.add(stream);
    response.on('close', () => {
      streams.delete(stream);
      upstream.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lastEventIds,
    /** Drops the open streams on both sides and refuses new ones. */
    cut() {
      cut = true;
      for (const { response, upstream } of streams) {
        upstream.destroy();
        response.socket?.destroy();
      }
    },
    restore() {
      cut = false;
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

test('a page whose connection dropped gets what it missed when it reconnects, each message once', async ({
  browser,
  baseURL,
  submit,
  visit,
  mailTo,
  extraHTTPHeaders,
  expectAccessible,
  unique,
}) => {
  const helpers = { submit, visit, mailTo, extraHTTPHeaders };
  const { slug, people } = await team(browser, helpers, unique, ['Olga Owner', 'Bruno Baker']);
  const [olga, joined] = people as [Person, Person];
  const path = await newGroup(olga, helpers, slug, `Night shift ${unique}`, [joined]);

  // Bruno's browser, signed in as he is, goes through a proxy that can drop its connection.
  const proxy = await cuttableProxy(baseURL!);
  const bruno = await personIn(browser, helpers, joined.name, joined.email, {
    storageState: await joined.context.storageState(),
    proxy: { server: proxy.url },
  });
  await joined.context.close();
  await openLive(bruno.page, path, expectAccessible);
  const before = `Before the outage ${unique}`;
  const beforeId = await post(olga.page, before);
  await expect(message(bruno.page, beforeId)).toBeVisible(LIVE);

  // The connection drops: Bruno's page hears nothing until it is let through again.
  proxy.cut();
  await bruno.page.waitForFunction(() => (window as unknown as Probe).liveErrors > 0);
  const missed = [`Missed one ${unique}`, `Missed two ${unique}`];
  const missedIds = [await post(olga.page, missed[0]!), await post(olga.page, missed[1]!)];
  await message(olga.page, beforeId).getByText('Add reaction').click();
  await message(olga.page, beforeId).getByRole('button', { name: 'Party', exact: true }).click();
  await expect(
    message(olga.page, beforeId).getByRole('button', { name: /Party by Olga Owner/ }),
  ).toBeVisible();
  for (const text of missed) await expect(messagesWith(bruno.page, text)).toHaveCount(0);
  const requestsBefore = proxy.lastEventIds.length;

  // Let it reconnect: it says what it saw last, and gets the rest, once, in order.
  proxy.restore();
  for (const id of missedIds)
    await expect(message(bruno.page, id)).toBeVisible({ timeout: 15_000 });
  expect(proxy.lastEventIds.slice(requestsBefore).at(-1)).toMatch(/^\d+$/);
  await expect(
    message(bruno.page, beforeId).getByRole('button', { name: /Party by Olga Owner/ }),
  ).toBeVisible(LIVE);
  const after = `After the outage ${unique}`;
  const afterId = await post(olga.page, after);
  await expect(message(bruno.page, afterId)).toBeVisible(LIVE);
  const order = await bruno.page
    .locator('#messages > li.message')
    .evaluateAll((items) => items.map((item) => item.id.replace(/^message-/, '')));
  expect(order).toEqual([beforeId, ...missedIds, afterId]);
  await expect(presenceOf(olga.page, 'Bruno Baker')).toHaveText('online', LIVE);
  await expectAccessible(bruno.page);
  await olga.context.close();
  await bruno.context.close();
  proxy.close();
});
