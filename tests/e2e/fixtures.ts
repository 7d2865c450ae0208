import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  test as base,
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Cookie,
  type Page,
} from '@playwright/test';

export { expect };

export const DEMO_PASSWORD = 'workroom-demo';

/**
 * Each test comes from its own address (X-Forwarded-For, which the server trusts from
 * loopback), as real users behind a proxy would: rate limits count per person, not per run.
 */
const randomIp = () => `10.${[1, 2, 3].map(() => randomBytes(1)[0]! % 250).join('.')}`;

/**
 * axe-core as @axe-core/playwright would inject it (the copy it depends on, so the same version and
 * rules), in its minified build: the same code, half the bytes to send and parse per injection.
 */
const axeSource = readFileSync(
  createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright')).resolve(
    'axe-core/axe.min.js',
  ),
  'utf8',
);

type AxeViolation = { id: string; impact?: string | null; nodes: Array<{ target: unknown }> };

/**
 * Runs axe-core with its default rules on what the page shows now and returns the violations.
 *
 * Why not AxeBuilder().analyze(): it sends axe's source into the page again on every call and then,
 * to merge per-frame results, opens a new blank page, injects axe there too and closes it again —
 * about 2–3.5 s per check on the 2-core test machine, most of the browser tests' time. These pages
 * have no frames, so that merge step does nothing for us. Here axe goes into a document only if it is
 * not there yet (an htmx swap keeps the document, so checks after boosted submits reuse it) and one
 * axe.run() checks the page, as AxeBuilder's legacy mode does (axe.run reaches same-origin frames
 * that have axe, so every frame gets it): about 0.5 s, with the same rules and the same violations.
 */
async function axeViolations(page: Page) {
  for (const frame of page.frames()) {
    const hasAxe = () => typeof (window as { axe?: unknown }).axe === 'object';
    try {
      if (!(await frame.evaluate(hasAxe))) await frame.evaluate(axeSource);
    } catch (error) {
      // As AxeBuilder does: a child frame that cannot take axe is skipped, the page itself may not be.
      if (frame === page.mainFrame()) throw error;
    }
  }
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run: (context: Document) => Promise<{ violations: AxeViolation[] }> };
    };
    return (await axe.run(document)).violations;
  });
  return violations.map(summarise);
}

type Fixtures = {
  /** Runs axe on what the page shows now; fails on any violation. */
  expectAccessible: (page?: Page) => Promise<void>;
  /** Goes to a path and checks the page with axe. */
  visit: (path: string, page?: Page) => Promise<void>;
  /** Clicks a submit button and waits for the next page (full load, or htmx's swap), then checks it. */
  submit: (name: string | RegExp, page?: Page) => Promise<void>;
  /** The newest mail sent to an address, as received by the development SMTP server. */
  mailTo: (address: string, subject?: RegExp) => Promise<{ subject: string; text: string }>;
  javaScript: boolean;
  unique: string;
};

type WorkerFixtures = {
  /** The JS-off projects' axe page (see AxeChecker), started on first use, one per worker. */
  axeChecker: { get: () => Promise<AxeChecker> };
};

export const test = base.extend<Fixtures, WorkerFixtures>({
  // One per worker rather than per test: a new context and its first page cost about a second,
  // and the checker keeps nothing between checks but the URL and HTML it is serving.
  axeChecker: [
    async ({ browser }, use) => {
      let started: Promise<AxeChecker> | undefined;
      await use({ get: () => (started ??= AxeChecker.start(browser)) });
      if (started) await (await started).stop();
    },
    { scope: 'worker' },
  ],

  extraHTTPHeaders: async ({}, use) => use({ 'X-Forwarded-For': randomIp() }),
  javaScript: async ({}, use, testInfo) => use(testInfo.project.use.javaScriptEnabled !== false),
  unique: async ({}, use) => use(randomBytes(4).toString('hex')),

  expectAccessible: async ({ page, axeChecker, javaScript }, use) => {
    await use(async (target = page) => {
      const violations = javaScript
        ? await axeViolations(target)
        : await (await axeChecker.get()).check(target);
      expect(violations, `axe on ${target.url()}`).toEqual([]);
    });
  },

  visit: async ({ page, expectAccessible }, use) => {
    await use(async (path, target = page) => {
      await target.goto(path);
      await expectAccessible(target);
    });
  },

  submit: async ({ page, javaScript, expectAccessible }, use) => {
    const submit: Fixtures['submit'] = async (name, target = page) => {
      const button = target.getByRole('button', { name, exact: typeof name === 'string' });
      if (javaScript) {
        // A boosted form swaps the body: wait for htmx to finish settling the new content. Only
        // a swap that answered a request counts: a live (SSE) swap elsewhere on the page, such
        // as the header's unread count, settles too but says nothing about the form.
        const settled = target.evaluate(
          () =>
            new Promise<void>((resolve) => {
              const onSettle = (event: Event) => {
                if (!(event as CustomEvent<{ xhr?: XMLHttpRequest }>).detail?.xhr) return;
                document.removeEventListener('htmx:afterSettle', onSettle);
                resolve();
              };
              document.addEventListener('htmx:afterSettle', onSettle);
            }),
        );
        await button.click();
        await settled;
      } else {
        await Promise.all([target.waitForEvent('load'), button.click()]);
      }
      await expectAccessible(target);
    };
    // signIn() gets `submit` from its callers; through it, it checks a page it opens itself.
    accessibilityCheckOf.set(submit, expectAccessible);
    await use(submit);
  },

  mailTo: async ({ request }, use) => {
    await use((address, subject) => newestMail(request, address, subject));
  },
});

/**
 * With JavaScript off, axe cannot run in the page itself (its timers never fire): the same
 * HTML is served again at the same URL to a JavaScript-enabled page whose scripts are
 * blocked, so axe checks exactly what the visitor saw, with its stylesheet. One such page
 * per worker, reused for every check; axe comes in with each document as an init script
 * (registered once, not sent again per check).
 */
class AxeChecker {
  private current = { url: '', html: '' };
  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {}

  static async start(browser: Browser): Promise<AxeChecker> {
    const context = await browser.newContext({ javaScriptEnabled: true });
    await context.addInitScript({ content: axeSource });
    const page = await context.newPage();
    const checker = new AxeChecker(context, page);
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === checker.current.url)
        return route.fulfill({
          body: checker.current.html,
          contentType: 'text/html; charset=utf-8',
        });
      return url.endsWith('.js') ? route.abort() : route.continue();
    });
    return checker;
  }

  async check(target: Page) {
    this.current = { url: target.url(), html: await target.content() };
    await this.page.goto(this.current.url);
    return axeViolations(this.page);
  }

  stop() {
    return this.context.close();
  }
}

const summarise = (violation: AxeViolation) => ({
  id: violation.id,
  impact: violation.impact,
  targets: violation.nodes.map((node) => JSON.stringify(node.target)).slice(0, 5),
});

async function newestMail(request: APIRequestContext, address: string, subject?: RegExp) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const html = await (await request.get('/dev/mail')).text();
    for (const article of html.split('<article').slice(1)) {
      const to = article.match(/To (?:<!-- -->)?([^<·]+)/)?.[1]?.trim() ?? '';
      const title = decode(article.match(/<h2[^>]*>([^<]*)<\/h2>/)?.[1] ?? '');
      if (to.includes(address) && (!subject || subject.test(title))) {
        return { subject: title, text: decode(article.match(/<pre>([\s\S]*?)<\/pre>/)?.[1] ?? '') };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no mail to ${address}${subject ? ` matching ${subject}` : ''} within 15 s`);
}

const decode = (text: string) =>
  text
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'");

/** The path of the first link in a mail's text that starts with this path. */
export function linkIn(text: string, pathPrefix: string): string {
  const match = text.match(
    new RegExp(`https?://[^\\s/]+(${pathPrefix.replaceAll('/', '\\/')}[^\\s]*)`),
  );
  if (!match) throw new Error(`no ${pathPrefix} link in:\n${text}`);
  return match[1]!;
}

const accessibilityCheckOf = new WeakMap<Fixtures['submit'], Fixtures['expectAccessible']>();

/**
 * The session cookies of each demo person this worker has signed in through the form (see signIn).
 * Per worker process, so each project (JavaScript on, off) still signs each person in through the
 * form at least once per worker.
 */
const demoSessions = new Map<string, Cookie[]>();

/**
 * Signs in and lands on the page after it (checked with axe, as after any submit).
 *
 * The first time a worker signs a demo person in (the demo password), it goes through the form and
 * keeps the session cookie it got; later sign-ins of that person in the same worker reuse that
 * session and open `/`, where the form's redirect leads, instead of typing into the form again.
 * That saves a page, a form post and the password hash each time, a few seconds on the test machine;
 * the form itself is still exercised by those first sign-ins, by every other account (any other
 * password) and by the sign-in specs (access, forms). A session that was ended meanwhile (`/` sends
 * to /login) is replaced through the form.
 */
export async function signIn(
  page: Page,
  submit: Fixtures['submit'],
  email: string,
  password = DEMO_PASSWORD,
) {
  const context = page.context();
  const saved = password === DEMO_PASSWORD ? demoSessions.get(email) : undefined;
  if (saved) {
    await context.addCookies(saved);
    await page.goto('/');
    if (new URL(page.url()).pathname !== '/login') {
      await accessibilityCheckOf.get(submit)!(page);
      return;
    }
    demoSessions.delete(email);
  }
  const cookiesBefore = new Set((await context.cookies()).map(cookieKey));
  await page.goto('/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await submit('Sign in', page);
  if (password === DEMO_PASSWORD && new URL(page.url()).pathname !== '/login') {
    // What the sign-in set (the session cookie), not whatever else the context held before.
    const cookies = (await context.cookies()).filter(
      (cookie) => !cookiesBefore.has(cookieKey(cookie)),
    );
    if (cookies.length) demoSessions.set(email, cookies);
  }
}

const cookieKey = (cookie: Cookie) =>
  `${cookie.domain} ${cookie.path} ${cookie.name}=${cookie.value}`;

/** A new account made through the real sign-up and the link in its mail; leaves the page signed in. */
export async function signUpAndVerify(
  page: Page,
  helpers: Pick<Fixtures, 'submit' | 'mailTo'>,
  account: { name: string; email: string; password: string },
) {
  await page.goto('/signup');
  await page.getByLabel('Full name').fill(account.name);
  await page.getByLabel('Email address').fill(account.email);
  await page.getByLabel('New password', { exact: true }).fill(account.password);
  await helpers.submit('Create account', page);
  const mail = await helpers.mailTo(account.email, /Confirm your email address/);
  await page.goto(linkIn(mail.text, '/verify-email/'));
  await helpers.submit('Confirm my address', page);
}
