import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
const axe = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
const base = 'http://localhost:3100';
await page.goto(base + '/login');
await page.getByLabel('Email').fill(process.argv[2] ?? 'manager@acme.test');
await page.getByLabel('Password').fill('workroom-demo');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((url) => !url.pathname.startsWith('/login'));
for (const path of process.argv.slice(3)) {
  const res = await page.goto(base + path);
  await page.evaluate(axe);
  const v = await page.evaluate(async () => (await window.axe.run(document)).violations.map(v => v.id + ' ' + v.nodes.slice(0,2).map(n=>n.target).join('|')));
  const name = path.replace(/[^a-z0-9]+/gi, '_');
  await page.screenshot({ path: `/tmp/shot${name}.png`, fullPage: true });
  console.log(res.status(), path, JSON.stringify(v));
}
await browser.close();
