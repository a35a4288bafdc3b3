import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../../src/authoring/pack-source.js';
import { buildGallery, type Gallery } from '../../../src/authoring/preview/gallery.js';
import { escapeHtml } from '../../../src/authoring/preview/html.js';
import { defaultView, type PageOptions, parseView, renderPage } from '../../../src/authoring/preview/page.js';
import { copyTemplates } from '../../support/temp-templates.js';
import { BRANDS, LOCALES } from '../../support/template-set.js';

const OPTIONS: PageOptions = {
  href: (view) => `?${new URLSearchParams({ ...view })}`,
  pickerPattern: '?mode={mode}&source={source}&locale={locale}&brand={brand}',
  live: true,
  version: 3,
  error: null,
  stale: false,
};

let shipped: Gallery;
beforeAll(() => {
  shipped = buildGallery(loadPack('templates'));
});

describe('the preview page', () => {
  it('escapes text and attribute values', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('never lets template content out of its escaping, in the page or in the email iframe', () => {
    const dir = copyTemplates();
    const hostile = '<img src=x onerror=alert(1)>';
    const brand = join(dir, 'brands/northwind/brand.json');
    const json = JSON.parse(readFileSync(brand, 'utf8'));
    writeFileSync(brand, JSON.stringify({ ...json, productName: `N${hostile}`.slice(0, 40) }));
    writeFileSync(join(dir, 'brands/northwind/signUp.sms.hbs'), '{{code}} "quoted" \'single\' {{brand.productName}}');
    const gallery = buildGallery(loadPack(dir));
    const html = renderPage(gallery, { mode: 'message', source: 'SignUp', locale: 'en', brand: 'northwind' }, OPTIONS);
    expect(html).not.toContain('<img src=x');
    // In the srcdoc attribute the email's own escaping is escaped once more.
    expect(html).toContain('&amp;lt;img src&amp;#x3D;x onerror&amp;#x3D;alert(1)&amp;gt;');
    expect(html).toContain('&quot;quoted&quot; &#39;single&#39;');
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('shows where a failing check comes from, and the warnings about the folder', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, `brands/${BRANDS[0]}/signUp.sms.hbs`), 'code {{code}} {{code}}');
    const file = join(dir, `locales/${LOCALES[0]}/messages.json`);
    const catalog = JSON.parse(readFileSync(file, 'utf8'));
    catalog.resendCode.sms = '{product}: no code here';
    writeFileSync(file, JSON.stringify(catalog));
    const gallery = buildGallery(loadPack(dir));
    const view = { mode: 'message' as const, source: 'ResendCode', locale: LOCALES[0] ?? 'en', brand: BRANDS[0] ?? '' };
    const html = renderPage(gallery, view, OPTIONS);
    const at = JSON.stringify(catalog).indexOf('"{product}: no code') + 1;
    expect(html).toContain(
      `smsMessage lacks the code placeholder <span class="origin">(${escapeHtml(`${file}:1:${at} › resendCode.sms`)})</span>`,
    );
    expect(gallery.translationWarnings).toHaveLength(LOCALES.length > 1 ? 1 : 0);
    for (const warning of gallery.translationWarnings)
      expect(html).toContain(`<li dir="auto">${escapeHtml(warning)}</li>`);
  });

  it('shows pickers, the email in a sandboxed iframe, its text, the SMS, the checks and the overview', () => {
    const gallery = shipped;
    const html = renderPage(gallery, { mode: 'message', source: 'SignUp', locale: 'ar', brand: 'northwind' }, OPTIONS);
    expect(html).toContain('<option value="ar" selected>ar — العربية</option>');
    expect(html).toMatch(
      /<iframe class="email-frame" [^>]*sandbox="allow-same-origin" [^>]*srcdoc="&lt;!DOCTYPE html&gt;/,
    );
    // Same origin lets the page size the frame; scripts stay off, so nothing in an email runs.
    expect(html).not.toContain('allow-scripts');
    expect(html).toContain('<h3>Text version</h3>');
    // Message mode: the SMS as received, the sample marked, and Cognito's placeholder one switch away.
    expect(html).toMatch(
      /<div class="bubble" dir="auto"><span class="as-received">[^<]*<mark class="sample" title="Sample: Cognito puts the real value here"[^>]*>123456<\/mark>[^<]*<\/span><span class="as-written">[^<]*\{####\}[^<]*<\/span><\/div>/,
    );
    expect(html).toContain('<input type="checkbox" id="written-toggle">');
    expect(html).toContain('<input type="checkbox" id="dark-toggle">');
    expect(html).toContain('data-check="direction"');
    expect(html).toContain(
      '<td class="pass current"><a href="?mode=message&amp;source=SignUp&amp;locale=ar&amp;brand=northwind#message.email.SignUp.ar.northwind"',
    );
    expect(html).toContain('data-version="3" data-live="true"');
  });

  it('heads each message in words, with the trigger source second, and fills message mode with marked samples', () => {
    const html = renderPage(
      shipped,
      { mode: 'message', source: 'AdminCreateUser', locale: 'en', brand: 'default' },
      OPTIONS,
    );
    expect(html).toContain('<h2>Invitation email <span class="source">CustomMessage_AdminCreateUser</span>');
    expect(html).toContain('<h2>Invitation SMS <span class="source">CustomMessage_AdminCreateUser</span>');
    expect(html).toContain('<option value="ForgotPassword">Password reset code (ForgotPassword)</option>');
    const frame = /<iframe class="email-frame" [^>]*srcdoc="([^"]*)" data-written="([^"]*)"/.exec(html);
    // The invitation's {####} is a temporary password, escaped once in the email and once in the attribute.
    expect(frame?.[1]).toContain('&gt;Xk7&amp;amp;pQ2&amp;lt;mN9!&lt;/mark&gt;');
    expect(frame?.[1]).not.toContain('{####}');
    expect(frame?.[2]).toContain('{####}');
    expect(html).toContain('class="samples-note"');
    const sender = renderPage(shipped, { mode: 'sender', source: 'SignUp', locale: 'en', brand: 'default' }, OPTIONS);
    expect(sender).toContain('<h2>Sign-up code email <span class="source">CustomEmailSender_SignUp</span>');
    expect(sender).not.toContain('data-written=');
    expect(sender).not.toContain('id="written-toggle"');
  });

  it('says when a mode has no such source', () => {
    const gallery = shipped;
    const message = renderPage(
      gallery,
      { mode: 'message', source: 'AccountTakeOverNotification', locale: 'en', brand: 'default' },
      OPTIONS,
    );
    expect(message).toContain('CustomMessage has no AccountTakeOverNotification source, so there is no email to show.');
    const sender = renderPage(
      gallery,
      { mode: 'sender', source: 'AccountTakeOverNotification', locale: 'en', brand: 'default' },
      OPTIONS,
    );
    expect(sender).toContain('CustomSMSSender has no AccountTakeOverNotification source, so there is no SMS to show.');
    expect(sender).toContain('CustomEmailSender_AccountTakeOverNotification');
  });

  it('reads a view from the query, falling back field by field', () => {
    const gallery = shipped;
    // What the user receives first: sender mode, where the pack sends the message itself.
    expect(defaultView(gallery)).toEqual({ mode: 'sender', source: 'SignUp', locale: 'en', brand: 'default' });
    expect(parseView(gallery, new URLSearchParams('mode=message')).mode).toBe('message');
    expect(parseView(gallery, new URLSearchParams('mode=sender&source=Nope&locale=ar&brand=../x'))).toEqual({
      mode: 'sender',
      source: 'SignUp',
      locale: 'ar',
      brand: 'default',
    });
  });

  it('shows a load error alone, or above the last good render', () => {
    const alone = renderPage(null, null, { ...OPTIONS, error: 'templates/locales/de/messages.json: <bad> JSON' });
    expect(alone).toContain('<pre>templates/locales/de/messages.json: &lt;bad&gt; JSON</pre>');
    expect(alone).not.toContain('id="picker"');
    const gallery = shipped;
    const stale = renderPage(gallery, defaultView(gallery), { ...OPTIONS, error: 'broken', stale: true });
    expect(stale).toContain('Showing the last good render.');
    expect(stale).toContain('id="picker"');
  });
});
