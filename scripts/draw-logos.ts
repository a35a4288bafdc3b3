/**
 * `npm run draw-logos`: renders the example brands' logos from their SVG
 * sources in scripts/logos/ to templates/brands/<id>/logo.png and
 * logo-dark.png, with Debian's Chromium (/usr/bin/chromium) and a transparent
 * background. Each SVG is drawn at twice the logo's display size.
 */
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { readShippedLogo } from '../src/authoring/brand-logo-file.js';

const LOGOS = [
  { svg: 'scripts/logos/acme.svg', png: 'templates/brands/default/logo.png' },
  { svg: 'scripts/logos/acme-dark.svg', png: 'templates/brands/default/logo-dark.png' },
  { svg: 'scripts/logos/northwind.svg', png: 'templates/brands/northwind/logo.png' },
  { svg: 'scripts/logos/northwind-dark.svg', png: 'templates/brands/northwind/logo-dark.png' },
];

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    for (const logo of LOGOS) {
      await page.setContent(
        `<!DOCTYPE html><html><body style="margin:0;background:transparent">${readFileSync(logo.svg, 'utf8')}</body></html>`,
      );
      await page.locator('svg').screenshot({ path: logo.png, omitBackground: true });
      console.log(`Wrote ${logo.png}`);
    }
  } finally {
    await browser.close();
  }
  // The same size check the templates folder gets when it is read.
  readShippedLogo('default', 'templates/brands/default');
  readShippedLogo('northwind', 'templates/brands/northwind');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
