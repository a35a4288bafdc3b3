/**
 * Unicode bidirectional isolation for the sender's plain text (the email's
 * text part and the SMS). In a right-to-left paragraph a URL, an address or a
 * code is a left-to-right run, and without isolation the brackets and the
 * full stop around it join that run: `[https://…]` shows as `]https://…[`.
 * LRI … PDI (U+2066, U+2069) makes each one a single neutral unit, so the
 * text around it keeps the paragraph's direction (Unicode Standard Annex #9,
 * "Explicit Directional Isolates"). FSI (U+2068) wraps a value that may be in
 * either direction (a username). CustomMessage responses cannot carry these
 * characters (Cognito refuses Cf): there the wording does the work.
 */

export const LRI = '\u2066';
export const FSI = '\u2068';
export const PDI = '\u2069';

// A URL up to the next space or bracket, without the sentence's closing punctuation.
const URL_SOURCE = String.raw`https?:\/\/[^\s<>\[\]()\u2066-\u2069]*[^\s<>\[\]().,;:!?'"\u2066-\u2069]`;
const ADDRESS_SOURCE = String.raw`[^\s<>\[\]()@\u2066-\u2069]+@[^\s<>\[\]()@\u2066-\u2069]*[^\s<>\[\]()@.,;:!?'"\u2066-\u2069]`;

/** What to isolate besides URLs and addresses: the code, and a username whose direction is unknown. */
export interface IsolatedValues {
  /** Left-to-right values: a code or temporary password. */
  ltr: readonly string[];
  /** Values of either direction: a username. */
  either: readonly string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Wraps every URL, address and given value in `text` in an isolate. One
 * pass, leftmost and longest first, so a code inside a URL's query stays
 * inside the URL's isolate.
 */
export function isolateForRtl(text: string, values: IsolatedValues = { ltr: [], either: [] }): string {
  const literal = (list: readonly string[]) =>
    [...new Set(list.filter((value) => value !== ''))].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const ltr = literal(values.ltr);
  const either = literal(values.either);
  const parts = [
    `(?<url>${URL_SOURCE})`,
    `(?<address>${ADDRESS_SOURCE})`,
    ...(either.length > 0 ? [`(?<either>${either.join('|')})`] : []),
    ...(ltr.length > 0 ? [`(?<ltr>${ltr.join('|')})`] : []),
  ];
  const pattern = new RegExp(parts.join('|'), 'gu');
  return text.replace(pattern, (match: string, ...rest: unknown[]) => {
    const groups = rest.at(-1) as Record<string, string | undefined>;
    const opener = groups.either !== undefined ? FSI : LRI;
    return `${opener}${match}${PDI}`;
  });
}
