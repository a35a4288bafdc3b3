/**
 * Text that reaches a terminal from outside (a triggerSource, a queued record,
 * a function's output) may carry escape sequences that move the cursor,
 * recolour or rewrite earlier lines: a forged "ok" line or summary. Every such
 * string goes through `printable` before it is printed.
 */

// C0 and C1 controls (ESC, CSI, BEL, CR, backspace …) and the bidi overrides
// and isolates that can make a line read in another order than it is stored.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character shown as `\u{…}`; tabs and line feeds kept only when `multiline`. */
export function printable(text: string, options: { multiline?: boolean } = {}): string {
  const cleaned = text.replace(UNPRINTABLE, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
  return options.multiline ? cleaned : cleaned.replace(/[\t\n]/g, (char) => (char === '\t' ? '\\t' : '\\n'));
}
