import { describe, expect, it } from 'vitest';
import { emailText } from '../../../src/runtime/render/email-text.js';

describe('emailText', () => {
  it('turns blocks into paragraphs and <br> into line breaks', () => {
    expect(emailText('<h1>Title</h1><p>One<br>two</p><table><tr><td>Cell</td></tr></table>')).toBe(
      'Title\n\nOne\ntwo\n\nCell',
    );
  });

  it('writes links as text [url], or the url alone when they match', () => {
    expect(emailText('<p><a href="https://x.example/a?b=1&amp;c=2">Open</a></p>')).toBe(
      'Open [https://x.example/a?b=1&c=2]',
    );
    expect(emailText('<p><a href="https://x.example">https://x.example</a></p>')).toBe('https://x.example');
  });

  it('drops the head, styles, comments, images and hidden preheaders', () => {
    const html =
      '<html><head><title>T</title><style>p{color:red}</style></head><body><!-- c --><span style="display:none;opacity:0">preview</span><img src="x.png" alt="Logo"><p>Body</p></body></html>';
    expect(emailText(html)).toBe('Body');
  });

  it('decodes character references after removing tags, so escaped markup stays text', () => {
    expect(emailText('<p>&lt;b&gt;Zoë&lt;/b&gt; &#x27;q&#39; &#x3D; &amp;amp; &copy; &unknown; &#0;</p>')).toBe(
      "<b>Zoë</b> 'q' = &amp; © &unknown; &#0;",
    );
  });

  it('wraps long lines at 78 columns without breaking words or URLs', () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const url = `https://x.example/${'a'.repeat(100)}`;
    const text = emailText(`<p>${words} ${url}</p>`);
    for (const line of text.split('\n')) expect(line.length <= 78 || line === url).toBe(true);
    expect(text.replace(/\n/g, ' ')).toBe(`${words} ${url}`);
  });

  it('keeps right-to-left text intact', () => {
    expect(emailText('<p dir="rtl">مرحبًا Alice،</p>')).toBe('مرحبًا Alice،');
  });
});

describe('emailText in a right-to-left locale', () => {
  const LRI = '\u2066';
  const FSI = '\u2068';
  const PDI = '\u2069';
  const html =
    '<p>تحقق <a href="https://app.example/verify?code=123456">الآن</a></p><p>راسلنا عبر help@example.com.</p><p>الرمز 123456</p>';

  it('isolates each URL, address and code, so brackets and the full stop keep their place', () => {
    expect(emailText(html, { dir: 'rtl', isolate: { ltr: ['123456'], either: [] } })).toBe(
      `تحقق الآن [${LRI}https://app.example/verify?code=123456${PDI}]\n\nراسلنا عبر ${LRI}help@example.com${PDI}.\n\nالرمز ${LRI}123456${PDI}`,
    );
  });

  it('isolates a username with FSI, whose direction is unknown', () => {
    expect(emailText('<p>المستخدم سارة_1</p>', { dir: 'rtl', isolate: { ltr: [], either: ['سارة_1'] } })).toBe(
      `المستخدم ${FSI}سارة_1${PDI}`,
    );
  });

  it('adds nothing in a left-to-right locale', () => {
    expect(emailText(html, { dir: 'ltr', isolate: { ltr: ['123456'], either: [] } })).not.toMatch(/[\u2066-\u2069]/);
  });
});
