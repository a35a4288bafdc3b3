/**
 * The preview in real Chromium: `npm start` as a user runs it, on a free
 * loopback port, with a throw-away copy of the templates so the test can
 * edit one and watch the page reload. Run with `npm run test:browser`;
 * UPDATE_DOCS_SCREENSHOT=1 also writes docs/preview.png (writeDocsPicture).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/local-stack/processes.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = 'test-output/preview-ar-northwind.png';

// The northwind brand's logo lives on a domain that does not exist; the test serves this instead.
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="172" height="40"><rect width="40" height="40" rx="9" fill="#0f766e"/><path d="M11 29V11l18 18V11" stroke="#fff" stroke-width="4" fill="none"/><text x="50" y="28" font-family="Arial,sans-serif" font-size="21" font-weight="bold" fill="#0f766e">Northwind</text></svg>`;

/** Starts `npm start -- --templates <dir>` in its own process group and resolves with the URL it prints. */
function startPreview(templatesDir: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('npm', ['start', '--', '--templates', templatesDir], {
    env: { ...process.env, PORT: String(port) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL in 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^Preview of .+: (http:\/\/127\.0\.0\.1:(\d+)\/)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        expect(match[2]).toBe(String(port));
        resolve({ child, url: match[1] as string });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
}

/**
 * docs/preview.png: one combination's email as the preview's mail client shows it (sender mode, English
 * sign-up, northwind), without the page's picker, badges or checks. The brand's logo address is an example
 * domain, so this page leaves it unloaded and its alt text shows, as a reader's mail client would show it.
 */
async function writeDocsPicture(context: BrowserContext, url: string): Promise<void> {
  const page = await context.newPage();
  // A page's route comes before the context's, which stubs the logo for the tests.
  await page.route('https://assets.northwind.example/**', (route) => route.abort());
  // Tall enough that the whole message is below the sticky picker.
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.goto(`${url}?mode=sender&source=SignUp&locale=en&brand=northwind`);
  await page.locator('section.message.email .client').screenshot({ path: 'docs/preview.png' });
  await page.close();
}

async function stopPreview(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // The whole group: npm, the shell it starts, tsx and the server.
  process.kill(-child.pid, 'SIGTERM');
  await exited;
}

describe('npm start in Chromium', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ctp-browser-'));
  const templatesDir = join(scratch, 'templates');
  let preview: { child: ChildProcess; url: string } | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    cpSync('templates', templatesDir, { recursive: true });
    preview = await startPreview(templatesDir, await freePort());
    context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 860 },
    });
    // Nothing leaves the machine: loopback is served, the sample logo is stubbed, the rest is refused.
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) =>
        route.request().url().startsWith('https://assets.northwind.example/')
          ? route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO })
          : route.abort(),
    );
  });

  afterAll(async () => {
    await context?.close();
    if (preview) await stopPreview(preview.child);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('shows the ar email right to left with its checks, for the northwind brand', async () => {
    if (!context || !preview) throw new Error('not started');
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(preview.url);
    await expect(page.locator('select[name=locale]')).toBeDefined();
    await Promise.all([page.waitForURL(/locale=ar/), page.selectOption('select[name=locale]', 'ar')]);
    await Promise.all([page.waitForURL(/brand=northwind/), page.selectOption('select[name=brand]', 'northwind')]);
    expect(new URL(page.url()).searchParams.get('locale')).toBe('ar');

    const email = page.frameLocator('iframe.email-frame').first();
    expect(await email.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await email.locator('html').getAttribute('lang')).toBe('ar');
    // The stubbed logo loaded: the frame's requests go through the context's routes.
    const logoWidth = await email
      .locator('img')
      .first()
      .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
    expect(logoWidth).toBeGreaterThan(0);

    const emailChecks = page.locator('section.message.email .checks .check');
    expect(await emailChecks.count()).toBe(5);
    expect(await page.locator('section.message.email [data-check="direction"]').getAttribute('class')).toBe(
      'check pass',
    );
    expect(await page.locator('section.message.email [data-check="direction"]').textContent()).toContain(
      '<html lang="ar" dir="rtl">',
    );
    expect(await page.locator('section.message.sms .checks .check').count()).toBe(5);
    expect(await page.locator('section.message.sms .bubble').textContent()).toContain('Northwind');
    expect(await page.locator('.overview td.current').count()).toBe(2);

    // Sender mode: the same message with a sample code, as the README shows it.
    await Promise.all([page.waitForURL(/mode=sender/), page.selectOption('select[name=mode]', 'sender')]);
    expect(await email.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await email.locator('body').textContent()).toContain('123456');
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') await writeDocsPicture(context, preview.url);
    expect(problems).toEqual([]);
  });

  it('reloads the open page when a template is saved', async () => {
    if (!context || !preview) throw new Error('not started');
    const page = await context.newPage();
    await page.goto(`${preview.url}?mode=message&source=Authentication&locale=en&brand=default`);
    const bubble = page.locator('section.message.sms .bubble');
    expect(await bubble.textContent()).toBe("Acme: {####} is your sign-in code. Don't share it with anyone.");

    const catalog = join(templatesDir, 'locales/en/messages.json');
    const messages = JSON.parse(readFileSync(catalog, 'utf8')) as { authentication: { sms: string } };
    messages.authentication.sms = '{product}: sign in with {code}. Edited live.';
    writeFileSync(catalog, JSON.stringify(messages, null, 2));

    // No reload by the test: the page hears of the new render over Server-Sent Events and reloads itself.
    await expect.poll(() => bubble.textContent(), { timeout: 10_000 }).toContain('Edited live.');
    expect(await bubble.textContent()).toBe('Acme: sign in with {####}. Edited live.');
  });
});
