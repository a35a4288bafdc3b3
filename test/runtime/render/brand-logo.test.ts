import { describe, expect, it } from 'vitest';
import { readMessageConfig } from '../../../src/runtime/config.js';
import { logoInEmail } from '../../../src/runtime/render/brand-logo.js';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import { type MessageValues, renderEmail } from '../../../src/runtime/render/render.js';
import type { Brand } from '../../../src/runtime/target/brand.js';

const VALUES: MessageValues = {
  code: '123456',
  username: null,
  cognitoLink: null,
  verifyUrl: null,
  signInUrl: null,
  name: null,
  accountTakeOver: null,
};

function brand(id: string): Brand {
  const found = embeddedPack.brands.get(id);
  if (!found) throw new Error(`no brand ${id}`);
  return found;
}

const CDN = 'https://d111111abcdef8.cloudfront.net';

describe('the logo in a rendered email', () => {
  it('loads a shipped logo from LOGO_BASE_URL, with width, height and alt', () => {
    const northwind = brand('northwind');
    const { html } = renderEmail(
      embeddedPack,
      { kind: 'signUp', locale: 'en', brand: northwind, logoBaseUrl: CDN },
      VALUES,
    );
    const light = northwind.logoFiles?.light ?? '';
    expect(html).toContain(
      `<img class="ctp-logo-light" src="${CDN}/${light}" alt="Northwind" width="170" height="40" style="display:block;`,
    );
    // The dark logo waits hidden for clients that prefer dark; Outlook's Word engine never shows it.
    expect(html).toMatch(
      new RegExp(
        `<div class="ctp-logo-dark" style="display:none;max-height:0;overflow:hidden;mso-hide:all;"><img src="${CDN}/northwind-logo-dark-[0-9a-f]{10}\\.png" alt="Northwind" width="170" height="40"`,
      ),
    );
  });

  it('shows the product name where no address for the logo is known', () => {
    const { html } = renderEmail(embeddedPack, { kind: 'signUp', locale: 'en', brand: brand('default') }, VALUES);
    expect(html).not.toContain('<img');
    expect(html).toContain('font-weight:bold;color:#2563eb;">Acme</span>');
  });

  it('prefers the published file to the brand’s own URL, and takes the URL without a file', () => {
    const own: Brand = {
      ...brand('default'),
      logoUrl: 'https://cdn.example.com/acme.png',
      logoDarkUrl: null,
      logoSize: { width: 120, height: 32 },
    };
    expect(logoInEmail(own, `${CDN}/logos/`)?.src).toMatch(
      /^https:\/\/d111111abcdef8\.cloudfront\.net\/logos\/default-logo-/,
    );
    expect(logoInEmail({ ...own, logoFiles: null }, CDN)).toEqual({
      src: 'https://cdn.example.com/acme.png',
      darkSrc: null,
      size: { width: 120, height: 32 },
    });
    expect(logoInEmail(own, null)?.src).toBe('https://cdn.example.com/acme.png');
    expect(logoInEmail({ ...own, logoUrl: null }, null)).toBeNull();
  });

  it('reads LOGO_BASE_URL as an https address, and names the variable otherwise', () => {
    expect(readMessageConfig({ LOGO_BASE_URL: ` ${CDN} ` }, embeddedPack).logoBaseUrl).toBe(CDN);
    expect(readMessageConfig({}, embeddedPack).logoBaseUrl).toBeNull();
    for (const bad of ['http://assets.example.com', 'https://assets.example.com/?v=1', 'assets.example.com']) {
      expect(() => readMessageConfig({ LOGO_BASE_URL: bad }, embeddedPack)).toThrow(
        `Environment variable LOGO_BASE_URL is "${bad}"; give the https address the logos are published at`,
      );
    }
  });
});

describe('right-to-left isolation in the HTML', () => {
  it('wraps the names, addresses and codes filled into RTL strings in <bdi>, and leaves LTR HTML and every subject alone', () => {
    const ar = renderEmail(embeddedPack, { kind: 'signUp', locale: 'ar', brand: brand('northwind') }, VALUES);
    expect(ar.html).toContain('<html lang="ar" dir="rtl">');
    expect(ar.html).toContain('<bdi>help@northwind.example</bdi>');
    expect(ar.html).toContain('<bdi>Northwind</bdi>');
    expect(ar.html).toContain('<span class="ctp-code" dir="ltr"');
    expect(ar.subject).not.toContain('<bdi>');
    const en = renderEmail(embeddedPack, { kind: 'signUp', locale: 'en', brand: brand('northwind') }, VALUES);
    expect(en.html).not.toContain('<bdi>');
  });
});
