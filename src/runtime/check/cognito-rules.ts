/**
 * The one validator for everything the pack renders. CustomMessage responses
 * must match the Cognito API model's shapes (docs/cognito.md, "CustomMessage",
 * response rules); the senders hold themselves to the same rules so a template that
 * passes here is safe in either mode.
 */

// Character classes of the model's patterns. Java's `\s` (no UNICODE flag) is
// only [ \t\n\x0B\f\r]: a literal no-break space or any Cf/Cc character fails.
// Each rule is split in two: an ASCII class, cheap for V8 to scan over a
// whole email, and a Unicode-property class run only over the non-ASCII
// stretches (scanning 4 KB of HTML with the property class alone costs tens
// of microseconds per message).
interface CharacterRule {
  ascii: RegExp;
  unicode: RegExp;
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is about control characters
const CONTROL_EXCEPT_JAVA_SPACE = /[\x00-\x08\x0e-\x1f\x7f]/;
// One object per property class: V8 builds each Unicode-property regex's tables
// on its first use, about a millisecond apiece, and that lands on a cold start.
const NOT_MODEL_CLASS = /[^\p{L}\p{M}\p{S}\p{N}\p{P}]/u;
const INVISIBLE_OR_LINE_BREAK = /[\u0085\u2028\u2029\p{Cc}\p{Cf}]/u;
const EMAIL_BODY: CharacterRule = {
  ascii: CONTROL_EXCEPT_JAVA_SPACE,
  unicode: NOT_MODEL_CLASS,
};
const SUBJECT: CharacterRule = {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is about control characters
  ascii: /[\x00-\x08\x0a\x0d-\x1f\x7f]/,
  unicode: NOT_MODEL_CLASS,
};
// Java's `.` stops at line terminators, so an SMS must avoid them; invisible
// characters are refused too, because handsets show them as boxes.
const SMS: CharacterRule = {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is about control characters
  ascii: /[\x00-\x1f\x7f]/,
  unicode: INVISIBLE_OR_LINE_BREAK,
};
// What the senders deliver themselves (the text part, the SMS through SNS) may
// carry the bidi isolates LRI, RLI, FSI and PDI (U+2066–U+2069), which keep a
// URL, address or code in place in right-to-left text (render/bidi-isolation.ts);
// every other invisible character is still refused.
const INVISIBLE_EXCEPT_ISOLATES = /(?![\u2066-\u2069])[\u0085\u2028\u2029\p{Cc}\p{Cf}]/u;
const TEXT: CharacterRule = {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is about control characters
  ascii: /[\x00-\x09\x0b-\x1f\x7f]/,
  unicode: INVISIBLE_EXCEPT_ISOLATES,
};
const SNS_SMS: CharacterRule = { ascii: SMS.ascii, unicode: INVISIBLE_EXCEPT_ISOLATES };
/**
 * The one line an SNS SMS may add below its text: WebOTP's `@<domain> #<code>`
 * (https://wicg.github.io/sms-one-time-codes/), which browsers and Android
 * read to fill the code in. A CustomMessage SMS is one line, so never there.
 */
const HOST_LABELS = String.raw`[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+`;
export const WEB_OTP_LINE = new RegExp(String.raw`\n@(${HOST_LABELS}) #([^\s#@]+)$`);
/**
 * A brand's `sms.webOtpDomain`: the origin's host, lower case, at least two
 * labels, at most 253 characters; no scheme, port, path or wildcard (the
 * standard matches it against the page's origin exactly).
 */
export const WEB_OTP_DOMAIN = new RegExp(`^(?=.{1,253}$)${HOST_LABELS}$`);
// biome-ignore lint/suspicious/noControlCharactersInRegex: a range over all of ASCII, not a search for control characters
const NON_ASCII = /[^\x00-\x7f]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const HAS_NON_ASCII = /[^\x00-\x7f]/;
// Cognito's link placeholder, whose text between the markers may be localized.
const COGNITO_LINK = /\{##[^{}#][^{}]*?##\}/g;

export const LIMITS = {
  emailMessage: { min: 6, max: 20_000 },
  emailSubject: { min: 1, max: 140 },
  smsMessage: { min: 6, max: 140 },
} as const;

/** Who delivers an SMS: Cognito (a CustomMessage response) or SNS (the SMS sender). */
export type SmsDeliveredBy = 'cognito' | 'sns';

interface LengthRule {
  min: number;
  max: number;
  accepter: string;
}

/**
 * The SMS length each deliverer accepts. The senders publish through SNS, not
 * through a CustomMessage response, so Cognito's 140 does not bind them: SNS
 * takes up to 1,600 characters (split into segments, which the brand's segment
 * budget watches). An invitation with a long username would otherwise never
 * reach the invited user.
 */
export const SMS_LENGTH: Readonly<Record<SmsDeliveredBy, LengthRule>> = {
  cognito: { ...LIMITS.smsMessage, accepter: 'Cognito' },
  sns: { min: LIMITS.smsMessage.min, max: 1_600, accepter: 'SNS' },
};

/** A string that must appear verbatim in a message (code, username or link placeholder, or their values). */
export interface RequiredToken {
  label: string;
  value: string;
  /** A code or temporary password: a violation inside it names the token, never its characters or offset. */
  secret?: boolean;
}

/** Checks an email subject and body against Cognito's rules; returns every violation found. */
export function checkEmail(
  subject: string,
  html: string,
  required: readonly RequiredToken[],
  options: { cognitoLink?: boolean } = {},
): string[] {
  const violations: string[] = [];
  checkLength('emailSubject', subject, violations);
  checkLength('emailMessage', html, violations);
  checkCharacters('emailSubject', subject, SUBJECT, violations, required);
  checkCharacters('emailMessage', html, EMAIL_BODY, violations, required);
  checkRequired('emailMessage', html, required, violations);
  let body = html;
  if (options.cognitoLink) {
    if (!/\{##[^{}#][^{}]*?##\}/.test(html)) violations.push('emailMessage lacks the link placeholder {##…##}');
    body = html.replace(COGNITO_LINK, '');
  }
  checkLeftovers('emailSubject', subject, required, violations);
  checkLeftovers('emailMessage', body, required, violations);
  return violations;
}

/** Checks an SMS text against Cognito's rules; returns every violation found. */
export function checkSms(
  sms: string,
  required: readonly RequiredToken[],
  deliveredBy: SmsDeliveredBy = 'cognito',
): string[] {
  const violations: string[] = [];
  checkLength('smsMessage', sms, violations, SMS_LENGTH[deliveredBy]);
  // SNS: the WebOTP line is checked whole (its code is the code), the text above it as any SMS.
  const webOtp = deliveredBy === 'sns' ? WEB_OTP_LINE.exec(sms) : null;
  const text = webOtp ? sms.slice(0, webOtp.index) : sms;
  if (webOtp && !required.some((token) => token.secret && token.value === webOtp[2])) {
    violations.push('smsMessage ends with a WebOTP line whose code is not the code');
  }
  checkCharacters('smsMessage', text, deliveredBy === 'sns' ? SNS_SMS : SMS, violations, required);
  checkRequired('smsMessage', text, required, violations);
  checkLeftovers('smsMessage', text, required, violations);
  return violations;
}

/** Checks a plain-text email body (sender mode): no invisible characters, tokens present, nothing unrendered. */
export function checkText(field: string, text: string, required: readonly RequiredToken[]): string[] {
  const violations: string[] = [];
  checkCharacters(field, text, TEXT, violations, required);
  checkRequired(field, text, required, violations);
  checkLeftovers(field, text, required, violations);
  return violations;
}

function checkLength(
  field: keyof typeof LIMITS,
  value: string,
  violations: string[],
  { min, max, accepter }: LengthRule = { ...LIMITS[field], accepter: 'Cognito' },
): void {
  if (value.length < min || value.length > max) {
    violations.push(`${field} is ${value.length} characters; ${accepter} accepts ${min}–${max}`);
  }
}

function checkRequired(field: string, value: string, required: readonly RequiredToken[], violations: string[]): void {
  for (const token of required) {
    if (token.value === '' || !value.includes(token.value)) violations.push(`${field} lacks the ${token.label}`);
  }
}

// What an unrendered Handlebars expression, catalog parameter or Cognito
// placeholder looks like once the expected tokens are taken out.
const LEFTOVER = /\{\{|\}\}|\{##|##\}|\{####\}|\{[A-Za-z_][\w.]*\}/;

function checkLeftovers(field: string, value: string, required: readonly RequiredToken[], violations: string[]): void {
  let rest = value;
  for (const token of required) if (token.value) rest = rest.split(token.value).join('');
  const match = LEFTOVER.exec(rest);
  if (match) violations.push(`${field} contains an unrendered placeholder "${match[0]}"`);
}

function checkCharacters(
  field: string,
  value: string,
  rule: CharacterRule,
  violations: string[],
  required: readonly RequiredToken[],
): void {
  const secrets = required.filter((token) => token.secret && token.value && value.includes(token.value));
  if (secrets.length === 0) {
    const first = firstDisallowed(value, rule);
    if (first !== -1) violations.push(disallowedAt(field, value, first));
    return;
  }
  // The same scan with each secret blanked out at its place, so offsets hold:
  // a bad character of the template is named; one of the code only by label.
  let masked = value;
  for (const token of secrets) masked = masked.split(token.value).join('x'.repeat(token.value.length));
  const first = firstDisallowed(masked, rule);
  if (first !== -1) violations.push(disallowedAt(field, masked, first));
  else if (firstDisallowed(value, rule) !== -1) {
    const labels = secrets.map((token) => token.label).join(' or ');
    violations.push(`${field} has a disallowed character in the ${labels}`);
  }
}

function disallowedAt(field: string, value: string, offset: number): string {
  const char = String.fromCodePoint(value.codePointAt(offset) ?? 0);
  return `${field} has a disallowed character ${describe(char)} at ${offset}`;
}

/** Offset of the first character `rule` refuses, or -1. */
function firstDisallowed(value: string, rule: CharacterRule): number {
  let first = rule.ascii.exec(value)?.index ?? -1;
  if (!HAS_NON_ASCII.test(value)) return first;
  for (const run of value.matchAll(NON_ASCII)) {
    if (first !== -1 && run.index > first) break;
    const bad = rule.unicode.exec(run[0]);
    if (bad) {
      first = run.index + bad.index;
      break;
    }
  }
  return first;
}

function describe(c: string): string {
  const hex = (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex}`;
}
