/**
 * Whether a message greets the user by name, and with which name.
 *
 * SignUp is a public API: anyone can register a victim's address with
 * `given_name` = "ACCOUNT LOCKED! Restore now: https://evil.example/r", and the
 * confirmation then goes out from the brand's verified identity, SPF and DKIM
 * passing. HTML escaping does not help: the text itself is the attack. So a
 * name is shown only when it looks like a name (docs/security.md), and by
 * default only on messages whose destination the user has already proven.
 */
import { type MessageKind, VERIFYING_KINDS } from '../event/message-kind.js';
import { cleanDisplayText } from '../render/untrusted-text.js';

/**
 * `verified`: greet by name only where the address or number has been proven
 * (password reset, sign-in code) or was set by an administrator (invitation).
 * `always`: on every message. `never`: the neutral greeting everywhere.
 */
export type GreetByName = 'verified' | 'always' | 'never';
export const GREET_BY_NAME_POLICIES: readonly GreetByName[] = ['verified', 'always', 'never'];

/** Longest name shown, in characters; longer ones get the neutral greeting rather than a cut. */
const DISPLAY_NAME_MAX = 40;
const MAX_WORDS = 5;

// Letters and combining marks, with the few joiners names use: spaces,
// hyphens, apostrophes, the period of an initial or abbreviation ("J.R.",
// "St. John") and the Catalan middle dot of "l·l". Everything else (digits,
// symbols, ':', '/', '@', '!', quotes, brackets) is what a URL, an address, a
// phone number or a sentence needs, not a name. A period must follow a letter
// and be followed by the end, a space, a hyphen or one more initial, so
// "evil.example" and "evil . example" are hosts, not names.
const NAME =
  /^[\p{L}\p{M}](?:[\p{L}\p{M} '’‐-]|(?<=[\p{L}\p{M}])\.(?=$|[ -]|[\p{L}\p{M}](?:\.|$| ))|(?<=[lL])·(?=[lL]))*$/u;
/**
 * The user's given name (or `name`) when it is shown at all: cleaned for
 * display, at most DISPLAY_NAME_MAX characters and MAX_WORDS words, no
 * digits, no URL, host, address or `@`. Otherwise null (the neutral greeting).
 */
export function displayName(
  attributes: Readonly<Record<string, string>>,
  kind: MessageKind,
  policy: GreetByName,
): string | null {
  if (policy === 'never' || kind === 'accountTakeOver') return null;
  // The kinds that verify an address go to one nobody has proven yet, and a
  // stranger can cause them: sign-up and its resend (a public API), an
  // attribute change or verification (any user can set someone else's email).
  if (policy === 'verified' && VERIFYING_KINDS.has(kind)) return null;
  return nameIfPlausible(attributes.given_name ?? attributes.name);
}

/** `value` cleaned, or null when it does not look like a person's name. */
export function nameIfPlausible(value: unknown): string | null {
  const cleaned = cleanDisplayText(value, DISPLAY_NAME_MAX + 1);
  if (cleaned === null || [...cleaned].length > DISPLAY_NAME_MAX) return null;
  // NFKC first: full-width letters and look-alike dots ("evil․example") fold
  // to ASCII, so the host inside them is seen.
  const folded = cleaned.normalize('NFKC');
  return NAME.test(folded) && folded.split(' ').length <= MAX_WORDS ? cleaned : null;
}
