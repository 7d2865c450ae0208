import { randomBytes } from 'node:crypto';
import type { Browser, Locator, Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, signIn, test } from './fixtures';

/**
 * Chat as its people use it, with JavaScript (htmx) and without: the demo workspace's manager
 * (Maya Müller) talks with a member (Marco Rossi) in a direct conversation and in groups of each
 * test's own, so that what one test posts never shows in another's conversation.
 */
const chat = '/w/acme/chat';

type Submit = (name: string | RegExp, page?: Page) => Promise<void>;
type Visit = (path: string, page?: Page) => Promise<void>;
type Upload = { name: string; mimeType: string; buffer: Buffer };

/** Someone else in a browser of their own, with JavaScript as the project has it. */
async function otherBrowser(browser: Browser, javaScript: boolean) {
  const context = await browser.newContext({
    javaScriptEnabled: javaScript,
    extraHTTPHeaders: {
      'X-Forwarded-For': `10.8.${randomBytes(1)[0]! % 250}.${randomBytes(1)[0]! % 250}`,
    },
  });
  return { context, page: await context.newPage() };
}

/** A conversation's address: /w/acme/chat/<uuid>. */
const conversationUrl = /\/w\/acme\/chat\/[0-9a-f-]{36}$/;
const pathOf = (page: Page) => new URL(page.url()).pathname;

/** The composer's text box on a conversation's page ("Reply" on a thread's). */
const composer = (page: Page, label = 'Message') => page.getByLabel(label, { exact: true });

/** The message in a log whose text includes `text`. */
const messageWith = (page: Page, text: string) =>
  page.locator('li.message').filter({ hasText: text });

/** Creates a group through its form and lands in it; returns its path. */
async function newGroup(
  page: Page,
  { submit, visit }: { submit: Submit; visit: Visit },
  name: string,
  people: string[],
) {
  await visit(`${chat}/new`, page);
  await page.getByLabel('Name', { exact: true }).fill(name);
  for (const person of people) await page.getByLabel(person, { exact: true }).check();
  await submit('Create group', page);
  await expect(page).toHaveURL(conversationUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  return pathOf(page);
}

/**
 * Sends a message with the composer on the page (a conversation's or a thread's) and returns its
 * list item and id. Without JavaScript the page comes back at the new message's anchor; with
 * htmx the composer comes back empty and the message is in the log, once.
 */
async function send(
  page: Page,
  submit: Submit,
  javaScript: boolean,
  body: string,
  { marker = body, label = 'Message', files = [] as Upload[] } = {},
) {
  await composer(page, label).fill(body);
  if (files.length) await page.getByLabel('Attach files (optional)').setInputFiles(files);
  await submit('Send', page);
  const posted = messageWith(page, marker);
  await expect(posted).toHaveCount(1);
  const id = (await posted.getAttribute('id'))!.replace(/^message-/, '');
  const item = page.locator(`#message-${id}`);
  if (javaScript) await expect(composer(page, label)).toHaveValue('');
  else {
    expect(new URL(page.url()).hash).toBe(`#message-${id}`);
    await expect(item).toBeInViewport();
  }
  return { item, id };
}

/** Sends what the server must refuse: 422, the error summary says why, and nothing is posted. */
async function sendRefused(page: Page, submit: Submit, body: string, why: string) {
  const before = await page.locator('#messages > li.message').count();
  await composer(page).fill(body);
  // The composer's own post, not the typing notice's (JavaScript) on the way.
  const answer = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' && !/\/(typing|read)$/.test(response.url()),
  );
  await submit('Send', page);
  expect((await answer).status()).toBe(422);
  await expect(page.getByRole('alert')).toContainText(why);
  await expect(page.locator('#messages > li.message')).toHaveCount(before);
}

/**
 * Clicks a button that is one of many of its name on the page (a message's reaction): without
 * JavaScript the page comes back, with htmx only the message does.
 */
async function press(page: Page, button: Locator, javaScript: boolean) {
  if (javaScript) await button.click();
  else await Promise.all([page.waitForEvent('load'), button.click()]);
}

/** Follows a link and waits for the page it leads to. */
async function follow(page: Page, link: Locator, url: RegExp | string) {
  await link.click();
  await expect(page).toHaveURL(url);
}

test('a member opens a direct conversation and a group, writes in Markdown and is told what is wrong', async ({
  page,
  javaScript,
  submit,
  visit,
  expectAccessible,
  unique,
}) => {
  await signIn(page, submit, 'manager@acme.test');
  await visit(chat);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chat');
  await expect(
    page.getByRole('navigation', { name: 'Acme' }).getByRole('link', { name: /^Chat/ }),
  ).toHaveAttribute('aria-current', 'page');

  // A direct conversation: opening it twice lands in the same one.
  const direct = page.getByLabel('Message', { exact: true });
  await direct.selectOption({ label: 'Marco Rossi' });
  await submit('Open conversation');
  await expect(page).toHaveURL(conversationUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Marco Rossi');
  const directPath = pathOf(page);
  await visit(chat);
  await direct.selectOption({ label: 'Marco Rossi' });
  await submit('Open conversation');
  expect(pathOf(page)).toBe(directPath);

  const hello = `Hello Marco, the proofs are **ready** ${unique}`;
  const { item } = await send(page, submit, javaScript, hello, {
    marker: `the proofs are ready ${unique}`,
  });
  await expect(item.locator('.prose strong')).toHaveText('ready');
  await expect(item).toContainText('Maya Müller');
  await expectAccessible();

  // A group of this test's own, found in the list with its last message.
  const name = `Catalogue crew ${unique}`;
  const groupPath = await newGroup(page, { submit, visit }, name, ['Marco Rossi']);
  await expect(page.getByRole('complementary', { name: 'People' })).toContainText('Marco Rossi');
  await expectAccessible();
  await sendRefused(page, submit, '', 'Write a message');
  await sendRefused(page, submit, '   \n  ', 'Write a message');
  await sendRefused(
    page,
    submit,
    `@nobody look at this ${unique}`,
    'Nobody in this conversation is called @nobody. Check the name, or leave out the @.',
  );
  // What was typed is still there to correct.
  await expect(composer(page)).toHaveValue(`@nobody look at this ${unique}`);
  const mention = await send(page, submit, javaScript, `@Marco _italic_ and \`code\` ${unique}`, {
    marker: `italic and code ${unique}`,
  });
  await expect(mention.item.locator('.mention')).toHaveText('@Marco');
  await expect(mention.item.locator('.prose em')).toHaveText('italic');
  await expect(mention.item.locator('.prose code')).toHaveText('code');
  await expectAccessible();

  await visit(chat);
  const row = page.getByRole('listitem').filter({
    has: page.getByRole('link', { name: new RegExp(`^${name}`) }),
  });
  await expect(row).toContainText(`Maya Müller: @Marco _italic_ and \`code\` ${unique}`);
  await follow(page, row.getByRole('link'), groupPath);
  await expectAccessible();
});

test('a thread, a reaction, a quote, an edit and a deletion', async ({
  page,
  javaScript,
  submit,
  visit,
  expectAccessible,
  unique,
}) => {
  await signIn(page, submit, 'manager@acme.test');
  const groupPath = await newGroup(page, { submit, visit }, `Print run ${unique}`, ['Marco Rossi']);
  const first = await send(page, submit, javaScript, `Which paper for the cover? ${unique}`);
  const second = await send(page, submit, javaScript, `Second thoughts ${unique}`);
  await expectAccessible();

  // A reply in the thread: the message's own page, with its replies.
  await follow(
    page,
    first.item.getByRole('link', { name: 'Reply in thread' }),
    `${groupPath}/messages/${first.id}`,
  );
  await expectAccessible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Thread in Print run ${unique}`);
  const reply = await send(page, submit, javaScript, `The matte one ${unique}`, {
    label: 'Reply',
  });
  await expect(page.locator(`#replies-${first.id}`)).toContainText(`The matte one ${unique}`);
  await expect(reply.item.getByRole('link', { name: 'Reply in thread' })).toHaveCount(0);
  await follow(page, page.getByRole('link', { name: 'Back to the conversation' }), groupPath);
  await expectAccessible();
  await expect(first.item.getByRole('link', { name: '1 reply' })).toBeVisible();
  // The reply stays in its thread.
  await expect(messageWith(page, `The matte one ${unique}`)).toHaveCount(0);

  // A reaction: pressed for me, with my name; pressed again, gone.
  await first.item.getByText('Add reaction').click();
  await press(page, first.item.getByRole('button', { name: 'Thumbs up', exact: true }), javaScript);
  const thumbs = first.item.getByRole('button', { name: /Thumbs up by Maya Müller/ });
  await expect(thumbs).toHaveAttribute('aria-pressed', 'true');
  await expect(thumbs).toContainText('1');
  await expectAccessible();
  await press(page, thumbs, javaScript);
  await expect(first.item.getByRole('button', { name: /Thumbs up by/ })).toHaveCount(0);

  // A quote-reply starts the composer with the quoted message.
  await follow(
    page,
    second.item.getByRole('link', { name: 'Quote' }),
    `${groupPath}?quote=${second.id}#composer`,
  );
  await expectAccessible();
  await expect(composer(page)).toHaveValue(`> **Maya Müller:** Second thoughts ${unique}\n\n`);
  await composer(page).press('Control+End');
  await composer(page).pressSequentially(`Agreed ${unique}`);
  await submit('Send');
  const quoting = messageWith(page, `Agreed ${unique}`);
  await expect(quoting.locator('blockquote')).toContainText(
    `Maya Müller: Second thoughts ${unique}`,
  );

  // An edit: the message says it was edited.
  await follow(
    page,
    second.item.getByRole('link', { name: 'Edit' }),
    `${groupPath}/messages/${second.id}/edit`,
  );
  await expectAccessible();
  await page.getByLabel('Message', { exact: true }).fill(`Second thoughts, corrected ${unique}`);
  await submit('Save message');
  await expect(page.getByRole('status')).toContainText('Message updated.');
  await expect(second.item).toContainText(`Second thoughts, corrected ${unique}`);
  await expect(second.item).toContainText('edited');

  // A deletion, confirmed on its own page, leaves a tombstone.
  await follow(
    page,
    second.item.getByRole('link', { name: 'Delete' }),
    `${groupPath}/messages/${second.id}/delete`,
  );
  await expectAccessible();
  await expect(page.getByRole('blockquote')).toHaveText(`Second thoughts, corrected ${unique}`);
  await submit('Delete message');
  await expect(page.getByRole('status')).toContainText('Message deleted.');
  await expect(second.item).toContainText('This message was deleted.');
  await expect(second.item).not.toContainText('corrected');
  await expect(second.item.getByRole('link', { name: /^(Edit|Delete|Quote)$/ })).toHaveCount(0);
});

test('search finds messages with the words marked, and attachments show as links and thumbnails', async ({
  page,
  javaScript,
  submit,
  visit,
  expectAccessible,
  unique,
}) => {
  await signIn(page, submit, 'manager@acme.test');
  const groupPath = await newGroup(page, { submit, visit }, `Archive ${unique}`, ['Marco Rossi']);
  const word = `pinecone${unique}`;
  const found = await send(page, submit, javaScript, `The ${word} print is approved`);

  const notes = {
    name: `sizes-${unique}.txt`,
    mimeType: 'text/plain',
    buffer: Buffer.from('A5\n'),
  };
  const image = {
    name: `cover-${unique}.png`,
    mimeType: 'image/png',
    buffer: await sharp({
      create: { width: 320, height: 200, channels: 3, background: '#c43347' },
    })
      .png()
      .toBuffer(),
  };
  const withFiles = await send(page, submit, javaScript, `Files for ${unique}`, {
    files: [notes, image],
  });
  const notesLink = withFiles.item.getByRole('link', { name: notes.name });
  await expect(notesLink).toBeVisible();
  await expect(withFiles.item).toContainText('text/plain');
  const download = await page.request.get((await notesLink.getAttribute('href'))!);
  expect(download.status()).toBe(200);
  expect(await download.text()).toBe('A5\n');
  await expectAccessible();
  // The image's thumbnail comes from a background job: reload until the message shows it.
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByRole('img', { name: image.name }).count();
      },
      { timeout: 30_000 },
    )
    .toBe(1);
  await expectAccessible();

  // Search from the list of conversations.
  await visit(chat);
  await page.getByRole('searchbox', { name: 'Search messages' }).fill(word);
  await submit('Search');
  await expect(page).toHaveURL(`${chat}/search?q=${word}`);
  await expect(page.getByRole('status')).toHaveText('1 message found');
  await expect(page.locator('.search-results mark')).toHaveText(word);
  await follow(
    page,
    page.getByRole('link', { name: `Archive ${unique} · Maya Müller` }),
    new RegExp(`${groupPath}\\?at=\\d+#message-${found.id}$`),
  );
  await expectAccessible();
  await expect(page.locator(`#message-${found.id}`)).toBeInViewport();

  // Search in one conversation; a word from nowhere finds nothing.
  await follow(
    page,
    page.getByRole('link', { name: 'Search this conversation' }),
    `${chat}/search?in=${groupPath.split('/').at(-1)}`,
  );
  await expectAccessible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Search in Archive ${unique}`);
  await page.getByRole('searchbox', { name: 'Search messages' }).fill(`nothing${unique}`);
  await submit('Search');
  await expect(page.getByRole('status')).toHaveText('0 messages found');
});

test('a guest sees only the conversations they are in; others in or out of the workspace get nothing', async ({
  page,
  browser,
  javaScript,
  submit,
  visit,
  expectAccessible,
  unique,
}) => {
  await signIn(page, submit, 'manager@acme.test');
  const privatePath = await newGroup(page, { submit, visit }, `Private ${unique}`, ['Marco Rossi']);
  const { id } = await send(page, submit, javaScript, `Not for everyone ${unique}`);
  const withGuestPath = await newGroup(page, { submit, visit }, `With Grace ${unique}`, [
    'Grace Guo',
  ]);

  const expectRefused = async (target: Page, path: string, status: number) => {
    expect((await target.goto(path))?.status(), path).toBe(status);
    await expectAccessible(target);
  };

  const guest = await otherBrowser(browser, javaScript);
  await signIn(guest.page, submit, 'guest@acme.test');
  await visit(chat, guest.page);
  await expect(guest.page.getByRole('link', { name: 'New group' })).toHaveCount(0);
  await expect(guest.page.getByRole('button', { name: 'Open conversation' })).toHaveCount(0);
  await expect(
    guest.page.getByRole('link', { name: new RegExp(`^With Grace ${unique}`) }),
  ).toBeVisible();
  await expect(
    guest.page.getByRole('link', { name: new RegExp(`^Private ${unique}`) }),
  ).toHaveCount(0);
  await expectRefused(guest.page, `${chat}/new`, 403);
  await expectRefused(guest.page, privatePath, 404);
  // The guest takes part where they were added.
  await visit(withGuestPath, guest.page);
  await send(guest.page, submit, javaScript, `Thanks for adding me ${unique}`);
  await guest.context.close();

  // A member of the workspace, even an admin, who is not in the group; and an outsider.
  for (const email of ['admin@acme.test', 'owner@globex.test']) {
    const other = await otherBrowser(browser, javaScript);
    await signIn(other.page, submit, email);
    await expectRefused(other.page, privatePath, 404);
    await expectRefused(other.page, `${privatePath}/messages/${id}`, 404);
    await expectRefused(other.page, `${chat}/search?in=${privatePath.split('/').at(-1)}`, 404);
    await other.context.close();
  }
});
