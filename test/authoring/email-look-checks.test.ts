import { describe, expect, it } from 'vitest';
import { darkModeCheck, logoCheck } from '../../src/authoring/email-look-checks.js';
import { loadPack } from '../../src/authoring/pack-source.js';
import { buildGallery } from '../../src/authoring/preview/gallery.js';

const DECLARED = `<html><head><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"><style>:root{color-scheme:light dark;}@media (prefers-color-scheme: dark){.x{color:#fff !important}}</style></head><body></body></html>`;

describe('the dark-mode check', () => {
  it('passes every shipped email, and the gallery runs it on each', () => {
    const gallery = buildGallery(loadPack('templates'));
    const emails = gallery.entries.filter((entry) => entry.channel === 'email' && entry.email !== null);
    expect(emails.length).toBeGreaterThan(0);
    for (const entry of emails) {
      expect(entry.checks.find((check) => check.name === 'darkMode')?.status).toBe('pass');
      expect(entry.checks.find((check) => check.name === 'logo')?.status).toBe('pass');
    }
  });

  it('passes a layout that declares light dark in both metas and its CSS, with dark styles', () => {
    expect(darkModeCheck(DECLARED).status).toBe('pass');
  });

  it('fails a layout that declares dark without dark styles, or declares it in some places only', () => {
    const noStyles = darkModeCheck(DECLARED.replace(/@media[^}]*}}/, ''));
    expect(noStyles.status).toBe('fail');
    expect(noStyles.details).toEqual([
      'the email declares dark but has no @media (prefers-color-scheme: dark) styles, so its light boxes stay light on a dark page',
    ]);
    const partly = darkModeCheck(
      DECLARED.replace('<meta name="supported-color-schemes" content="light dark">', '').replace(
        'color-scheme:light dark',
        'color-scheme:light',
      ),
    );
    expect(partly.status).toBe('fail');
    expect(partly.details).toEqual([
      '<meta name="supported-color-schemes"> is missing; declare "light dark" there too',
      'color-scheme in <style> is "light"; declare "light dark"',
    ]);
  });

  it('warns about a layout that declares no dark scheme, saying what to add', () => {
    const light = darkModeCheck('<html><head><meta name="color-scheme" content="light"></head></html>');
    expect(light.status).toBe('warn');
    expect(light.details[0]).toContain('add <meta name="color-scheme" content="light dark">');
    const undeclared = darkModeCheck(
      '<html><head><style>@media (prefers-color-scheme: dark){a{color:red}}</style></head></html>',
    );
    expect(undeclared.details[0]).toContain('has prefers-color-scheme: dark styles but does not declare');
  });
});

describe('the image check', () => {
  it('passes sized images with alt text, and an email without images', () => {
    expect(logoCheck('<img src="https://cdn.example/acme-logo.png" alt="Acme" width="116" height="40">')).toMatchObject(
      {
        status: 'pass',
        details: ['<img src="acme-logo.png"> 116×40, alt "Acme"'],
      },
    );
    expect(logoCheck('<p>Acme</p>').status).toBe('pass');
  });

  it('fails an image without alt text, loaded over http, or wider than the layout', () => {
    const result = logoCheck(
      '<img src="http://cdn.example/a.png" width="10" height="10"><img src="https://cdn.example/b.png" alt="B" width="900" height="40">',
    );
    expect(result.status).toBe('fail');
    expect(result.details).toEqual([
      '<img src="a.png"> has no alt text; give the product name',
      '<img src="http://cdn.example/a.png"> loads over http; mail clients block it, use https',
      '<img src="b.png"> is 900 pixels wide, wider than the 600-pixel layout',
    ]);
  });

  it('warns about an image without width and height', () => {
    expect(logoCheck('<img src="https://cdn.example/logo.png" alt="Acme" height="40">')).toMatchObject({
      status: 'warn',
      details: [
        '<img src="logo.png"> has no numeric width and height; ship the logo as logo.png or give logoSize in brand.json',
      ],
    });
  });
});
