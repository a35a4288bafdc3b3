/**
 * The preview in real Chromium: `npm start` as a user runs it, on a free
 * loopback port, with a throw-away copy of the templates so the test can
 * edit one and watch the page reload. Run with `npm run test:browser`;
 * the README's pictures come from `npm run screenshots -- docs`.
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

/** The browser's getComputedStyle, for functions that run in the page (the test's types have no DOM). */
type InPage = { getComputedStyle(target: unknown): { backgroundColor: string; color: string } };

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
    // Nothing leaves the machine: loopback is served (the logos come from the brand folders), the rest is refused.
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort(),
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
    // It opens on what the user receives: the pack's own sender email, with its code.
    expect(await page.locator('select[name=mode]').inputValue()).toBe('sender');
    expect(await page.locator('section.message.email h2').first().textContent()).toMatch(
      /^Sign-up code email CustomEmailSender_SignUp/,
    );
    await Promise.all([page.waitForURL(/mode=message/), page.selectOption('select[name=mode]', 'message')]);
    await Promise.all([page.waitForURL(/locale=ar/), page.selectOption('select[name=locale]', 'ar')]);
    await Promise.all([page.waitForURL(/brand=northwind/), page.selectOption('select[name=brand]', 'northwind')]);
    expect(new URL(page.url()).searchParams.get('locale')).toBe('ar');

    const email = page.frameLocator('iframe.email-frame').first();
    expect(await email.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await email.locator('html').getAttribute('lang')).toBe('ar');
    // The brand's logo.png loaded from the folder, at half its pixel size.
    const logo = email.locator('img.ctp-logo-light');
    expect(await logo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(340);
    expect(await logo.evaluate((img) => img.getBoundingClientRect().width)).toBe(170);
    expect(await logo.getAttribute('alt')).toBe('Northwind');
    // Message mode shows Cognito's placeholders filled with marked samples.
    expect(await email.locator('mark.sample').first().textContent()).toBe('123456');
    expect(await page.locator('section.message.sms .bubble .as-received').isVisible()).toBe(true);
    await page.locator('#written-toggle').check();
    expect(await page.locator('section.message.sms .bubble .as-written').textContent()).toContain('{####}');
    await expect.poll(() => email.locator('body').textContent()).toContain('{####}');
    await page.locator('#written-toggle').uncheck();

    for (const name of ['direction', 'darkMode', 'logo']) {
      expect(await page.locator(`section.message.email [data-check="${name}"]`).getAttribute('class')).toBe(
        'check pass',
      );
    }
    expect(await page.locator('section.message.email [data-check="direction"]').getAttribute('class')).toBe(
      'check pass',
    );
    expect(await page.locator('section.message.email [data-check="direction"]').textContent()).toContain(
      '<html lang="ar" dir="rtl">',
    );
    expect(await page.locator('section.message.sms [data-check="smsSize"]').count()).toBe(1);
    expect(await page.locator('section.message.sms .bubble').textContent()).toContain('Northwind');
    expect(await page.locator('.overview td.current').count()).toBe(2);

    // Sender mode: the same message with a sample code, as the README shows it.
    await Promise.all([page.waitForURL(/mode=sender/), page.selectOption('select[name=mode]', 'sender')]);
    expect(await email.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await email.locator('body').textContent()).toContain('123456');
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(problems).toEqual([]);
  });

  it('shows the email as a dark client does, and keeps the switch across pickers', async () => {
    if (!context || !preview) throw new Error('not started');
    const page = await context.newPage();
    await page.goto(`${preview.url}?mode=sender&source=SignUp&locale=en&brand=default`);
    const email = page.frameLocator('iframe.email-frame').first();
    const background = () =>
      email
        .locator('body')
        .evaluate((body) => (globalThis as unknown as InPage).getComputedStyle(body).backgroundColor);
    const light = await background();
    await page.locator('#dark-toggle').check();
    expect(new URL(page.url()).searchParams.get('theme')).toBe('dark');
    await expect.poll(background).toBe('rgb(13, 17, 23)');
    expect(light).not.toBe('rgb(13, 17, 23)');
    // The dark logo replaces the light one; the code stays light on dark.
    expect(await email.locator('img.ctp-logo-light').isVisible()).toBe(false);
    expect(await email.locator('.ctp-logo-dark img').isVisible()).toBe(true);
    expect(
      await email
        .locator('.ctp-code')
        .evaluate((code) => (globalThis as unknown as InPage).getComputedStyle(code).color),
    ).toBe('rgb(240, 246, 252)');
    await Promise.all([page.waitForURL(/locale=ar/), page.selectOption('select[name=locale]', 'ar')]);
    expect(new URL(page.url()).searchParams.get('theme')).toBe('dark');
    expect(await page.locator('#dark-toggle').isChecked()).toBe(true);
  });

  it('fits a 420-pixel phone: nothing is wider than the screen', async () => {
    if (!context || !preview) throw new Error('not started');
    const page = await context.newPage();
    await page.setViewportSize({ width: 420, height: 860 });
    for (const query of ['', '?mode=message&source=AdminCreateUser&locale=ar&brand=northwind']) {
      await page.goto(`${preview.url}${query}`);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(420);
      for (const select of await page.locator('#picker select').all()) {
        const box = await select.boundingBox();
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(420);
      }
    }
  });

  it('reloads the open page when a template is saved', async () => {
    if (!context || !preview) throw new Error('not started');
    const page = await context.newPage();
    await page.goto(`${preview.url}?mode=message&source=Authentication&locale=en&brand=default`);
    const bubble = page.locator('section.message.sms .bubble .as-written');
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
