// Experiment stand-in (not shipped): src/runtime/render/email-text.ts as it was before the
// pack wrote its own converter (commit 1e21ed7), built on html-to-text, so the
// benchmark can rebuild a sender with that step switched off.
import { compile } from 'html-to-text';

const convert = compile({
  wordwrap: 78,
  baseElements: { selectors: ['body'] },
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'span[style*="display:none"]', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
  ],
});

export function emailText(html) {
  return convert(html)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
