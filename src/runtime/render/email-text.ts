/**
 * The plain-text body of a sender email, derived from its rendered HTML so
 * the text is never written twice. A purpose-built converter rather than
 * html-to-text: that library (with htmlparser2 and two copies of the
 * `entities` tables) would be about 170 KB of a sender bundle, a third of
 * its size budget, to convert HTML this pack's own templates produce.
 *
 * It handles what email templates use: block elements and `<br>` become
 * line breaks, links become `text [url]` (or just the url when they match),
 * hidden elements (the preheader), `<head>`, `<style>`, `<script>` and images
 * are dropped, and character references are decoded.
 */
import { type IsolatedValues, isolateForRtl } from './bidi-isolation.js';
import { BASIC_ENTITIES, decodeHtmlEntities } from './html-entities.js';

const DROPPED = /<(head|style|script|title)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;
// An element hidden with display:none (the preheader) and its content, when it has no nested element of the same name.
const HIDDEN = /<(span|div|p)\b[^>]*style\s*=\s*"[^"]*display\s*:\s*none[^"]*"[^>]*>[\s\S]*?<\/\1\s*>/gi;
const LINK = /<a\b[^>]*?href\s*=\s*"([^"]*)"[^>]*>([\s\S]*?)<\/a\s*>/gi;
const BREAK = /<br\s*\/?>/gi;
const BLOCK_EDGE = /<\/?(?:p|div|h[1-6]|table|tr|td|th|li|ul|ol|blockquote|section|header|footer|center|hr)\b[^>]*>/gi;
const TAG = /<[^>]+>/g;

const NAMED: Readonly<Record<string, string>> = {
  ...BASIC_ENTITIES,
  nbsp: ' ',
  copy: '©',
  reg: '®',
  trade: '™',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  middot: '·',
  bull: '•',
};

/** How the text part is written: for a right-to-left locale, with its URLs, addresses and `isolate` values isolated. */
export interface EmailTextOptions {
  dir?: 'ltr' | 'rtl';
  isolate?: IsolatedValues;
}

/** Converts rendered email HTML to readable text, wrapped at 78 columns. */
export function emailText(html: string, options: EmailTextOptions = {}): string {
  const rtl = options.dir === 'rtl';
  const body = html.replace(DROPPED, '').replace(HIDDEN, '');
  const linked = body.replace(LINK, (_, href: string, inner: string) => {
    const url = decodeEntities(href);
    const text = collapse(decodeEntities(inner.replace(TAG, '')));
    return text === '' || text === url ? ` ${url} ` : `${text} [${url}]`;
  });
  const marked = linked.replace(BREAK, '\u0000br\u0000').replace(BLOCK_EDGE, '\u0000p\u0000').replace(TAG, '');
  const paragraphs = marked
    .split('\u0000p\u0000')
    .map((block) =>
      block
        .split('\u0000br\u0000')
        .map((line) => collapse(decodeEntities(line)))
        .map((line) => (rtl ? isolateForRtl(line, options.isolate) : line))
        .filter((line, index, lines) => line !== '' || (index > 0 && index < lines.length - 1))
        .join('\n'),
    )
    .filter((block) => block.trim() !== '');
  return paragraphs
    .map((block) =>
      block
        .split('\n')
        .map((line) => wrap(line))
        .join('\n'),
    )
    .join('\n\n');
}

function collapse(text: string): string {
  return text.replace(/[ \t\r\n\f]+/g, ' ').trim();
}

function decodeEntities(text: string): string {
  return decodeHtmlEntities(text, NAMED);
}

/** Greedy word wrap; a word longer than the width (a URL) stays whole on its own line. */
function wrap(line: string, width = 78): string {
  if (line.length <= width) return line;
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current === '') current = word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      out.push(current);
      current = word;
    }
  }
  if (current !== '') out.push(current);
  return out.join('\n');
}
