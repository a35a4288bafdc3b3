/**
 * `npm run screenshots [-- <set> [templates dir]]`: starts the preview on a free loopback port,
 * opens it in Debian's Chromium (/usr/bin/chromium) and saves what a reader sees to
 * docs/screenshots/<set>-*.png: the English sign-up email in light mode, the Arabic one in dark
 * mode (the client prefers dark), the English one as a client that darkens every email by force
 * shows it (Chromium's own forced dark mode, as Android's web views apply it), and the whole page
 * at desktop and phone width. With the set `docs` it writes docs/preview.png and
 * docs/preview-dark-ar.png, the README's pictures. Nothing leaves the machine: requests to
 * anything but the preview are refused, so a logo that is only a remote URL shows as missing.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startPreviewServer } from '../src/authoring/preview/server.js';

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
  '--hide-scrollbars',
];

interface Shot {
  file: string;
  query: Record<string, string>;
  dark: boolean;
  width: number;
  /** The email as the page's mail client shows it, or the whole page. */
  part: 'email' | 'page';
  /** Render in a browser that darkens every page by force, whatever the page declares. */
  forcedDark?: boolean;
}

const LIGHT_EN = { mode: 'sender', source: 'SignUp', locale: 'en', brand: 'default' };
const DARK_AR = { mode: 'sender', source: 'SignUp', locale: 'ar', brand: 'northwind', theme: 'dark' };

function shotsOf(set: string): Shot[] {
  if (set === 'docs') {
    return [
      { file: 'docs/preview.png', query: LIGHT_EN, dark: false, width: 1280, part: 'email' },
      { file: 'docs/preview-dark-ar.png', query: DARK_AR, dark: true, width: 1280, part: 'email' },
    ];
  }
  const dir = 'docs/screenshots';
  return [
    { file: `${dir}/${set}-light-en.png`, query: LIGHT_EN, dark: false, width: 1280, part: 'email' },
    { file: `${dir}/${set}-dark-ar.png`, query: DARK_AR, dark: true, width: 1280, part: 'email' },
    {
      file: `${dir}/${set}-forced-dark-en.png`,
      query: { ...LIGHT_EN, source: 'AdminCreateUser', brand: 'northwind' },
      dark: false,
      width: 1280,
      part: 'email',
      forcedDark: true,
    },
    { file: `${dir}/${set}-page.png`, query: {}, dark: false, width: 1280, part: 'page' },
    { file: `${dir}/${set}-phone.png`, query: {}, dark: false, width: 420, part: 'page' },
  ];
}

async function capture(page: Page, url: string, shot: Shot): Promise<void> {
  await page.emulateMedia({ colorScheme: shot.dark ? 'dark' : 'light' });
  // Tall enough that the whole message sits below the sticky picker.
  await page.setViewportSize({ width: shot.width, height: shot.part === 'email' ? 1400 : 900 });
  await page.goto(`${url}?${new URLSearchParams(shot.query).toString()}`);
  await page.waitForLoadState('networkidle');
  if (shot.part === 'email') {
    await page.locator('section.message.email .client').first().screenshot({ path: shot.file });
  } else {
    await page.screenshot({ path: shot.file, fullPage: false });
  }
}

async function main(): Promise<void> {
  const set = process.argv[2] ?? 'after';
  if (!/^[a-z][a-z0-9-]*$/.test(set)) {
    console.error(`The set name "${set}" must be lower-case letters, digits and dashes, e.g. "after".`);
    process.exitCode = 1;
    return;
  }
  const templatesDir = resolve(process.argv[3] ?? 'templates');
  const preview = await startPreviewServer({ templatesDir, port: 0, watch: false });
  mkdirSync('docs/screenshots', { recursive: true });
  try {
    const shots = shotsOf(set);
    await inBrowser(
      FLAGS,
      preview.url,
      shots.filter((shot) => !shot.forcedDark),
    );
    await inBrowser(
      [...FLAGS, '--blink-settings=forceDarkModeEnabled=true'],
      preview.url,
      shots.filter((shot) => shot.forcedDark),
    );
  } finally {
    await preview.close();
  }
}

async function inBrowser(args: string[], url: string, shots: Shot[]): Promise<void> {
  if (shots.length === 0) return;
  const profile = mkdtempSync(join(tmpdir(), 'ctp-screenshots-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    deviceScaleFactor: 1,
  });
  try {
    await context.route(
      (target) => target.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    const page = await context.newPage();
    for (const shot of shots) {
      await capture(page, url, shot);
      console.log(`Wrote ${shot.file}`);
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
