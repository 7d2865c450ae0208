import { randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import {
  test as base,
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from '@playwright/test';

export { expect };

export const DEMO_PASSWORD = 'workroom-demo';

/**
 * Each test comes from its own address (X-Forwarded-For, which the server trusts from
 * loopback), as real users behind a proxy would: rate limits count per person, not per run.
 */
const randomIp = () => `10.${[1, 2, 3].map(() => randomBytes(1)[0]! % 250).join('.')}`;

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

export const test = base.extend<Fixtures>({
  extraHTTPHeaders: async ({}, use) => use({ 'X-Forwarded-For': randomIp() }),
  javaScript: async ({}, use, testInfo) => use(testInfo.project.use.javaScriptEnabled !== false),
  unique: async ({}, use) => use(randomBytes(4).toString('hex')),

  expectAccessible: async ({ page, browser, javaScript }, use) => {
    let checker: AxeChecker | undefined;
    await use(async (target = page) => {
      checker ??= javaScript ? undefined : await AxeChecker.start(browser);
      const violations = checker
        ? await checker.check(target)
        : (await new AxeBuilder({ page: target }).analyze()).violations.map(summarise);
      expect(violations, `axe on ${target.url()}`).toEqual([]);
    });
    await checker?.stop();
  },

  visit: async ({ page, expectAccessible }, use) => {
    await use(async (path, target = page) => {
      await target.goto(path);
      await expectAccessible(target);
    });
  },

  submit: async ({ page, javaScript, expectAccessible }, use) => {
    await use(async (name, target = page) => {
      const button = target.getByRole('button', { name, exact: typeof name === 'string' });
      if (javaScript) {
        // A boosted form swaps the body: wait for htmx to finish settling the new content.
        const settled = target.evaluate(
          () =>
            new Promise<void>((resolve) =>
              document.addEventListener('htmx:afterSettle', () => resolve(), { once: true }),
            ),
        );
        await button.click();
        await settled;
      } else {
        await Promise.all([target.waitForEvent('load'), button.click()]);
      }
      await expectAccessible(target);
    });
  },

  mailTo: async ({ request }, use) => {
    await use((address, subject) => newestMail(request, address, subject));
  },
});

/**
 * With JavaScript off, axe cannot run in the page itself (its timers never fire): the same
 * HTML is served again at the same URL to a JavaScript-enabled page whose scripts are
 * blocked, so axe checks exactly what the visitor saw, with its stylesheet. One such page
 * per test, reused for every check.
 */
class AxeChecker {
  private current = { url: '', html: '' };
  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {}

  static async start(browser: Browser): Promise<AxeChecker> {
    const context = await browser.newContext({ javaScriptEnabled: true });
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
    return (await new AxeBuilder({ page: this.page }).analyze()).violations.map(summarise);
  }

  stop() {
    return this.context.close();
  }
}

const summarise = (violation: {
  id: string;
  impact?: string | null;
  nodes: Array<{ target: unknown }>;
}) => ({
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

/** Signs in through the form and lands on the page after it. */
export async function signIn(
  page: Page,
  submit: Fixtures['submit'],
  email: string,
  password = DEMO_PASSWORD,
) {
  await page.goto('/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await submit('Sign in', page);
}

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
