/**
 * The plain-text body of a sender email, derived from its HTML so the text
 * is never written twice. html-to-text is compiled once per container.
 */
import { compile } from 'html-to-text';

const convert = compile({
  wordwrap: 78,
  baseElements: { selectors: ['body'] },
  selectors: [
    { selector: 'img', format: 'skip' },
    // The preheader is for inbox previews, not for the message itself.
    { selector: 'span[style*="display:none"]', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
  ],
});

/** Converts rendered email HTML to readable text: headings, paragraphs, links as `text [url]`. */
export function emailText(html: string): string {
  return convert(html)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
