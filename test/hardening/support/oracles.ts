/**
 * The checks the hardening tests hold every output to, written
 * independently of src/ where they can be: Cognito's API-model patterns
 * (docs/cognito.md, "CustomMessage", response rules), HTML escaping, leftovers of
 * unrendered templates, secrets in logs, prototype pollution.
 */

// The model's character classes, and Java's `\s` (no UNICODE flag): [ \t\n\x0B\f\r].
const CLASSES = String.raw`\p{L}\p{M}\p{S}\p{N}\p{P}`;
const JAVA_SPACE = String.raw` \t\n\x0B\f\r`;
const BODY = `[${CLASSES}${JAVA_SPACE}*]*`;
// Java's `.` stops at line terminators: \n, \r, U+0085, U+2028, U+2029.
const JAVA_DOT = String.raw`[^\n\r\u0085\u2028\u2029]`;

const EMAIL_MODEL = new RegExp(`^${BODY}\\{####\\}${BODY}$`, 'u');
const EMAIL_LINK_MODEL = new RegExp(`^${BODY}\\{##${BODY}##\\}${BODY}$`, 'u');
const SUBJECT_MODEL = new RegExp(`^[${CLASSES}${JAVA_SPACE}]+$`, 'u');
const SMS_MODEL = new RegExp(`^${JAVA_DOT}*\\{####\\}${JAVA_DOT}*$`, 'u');

/** Violations of the Cognito API model for a CustomMessage email (Cognito's own `{####}` placeholder). */
export function cognitoModelEmailViolations(subject: string, message: string, withLink: boolean): string[] {
  const problems: string[] = [];
  if (subject.length < 1 || subject.length > 140) problems.push(`emailSubject is ${subject.length} long (1–140)`);
  if (!SUBJECT_MODEL.test(subject)) problems.push('emailSubject fails the model pattern');
  if (message.length < 6 || message.length > 20_000) problems.push(`emailMessage is ${message.length} long (6–20,000)`);
  if (!EMAIL_MODEL.test(message) && !(withLink && EMAIL_LINK_MODEL.test(message))) {
    problems.push(`emailMessage fails the model pattern${firstOutsideClasses(message)}`);
  }
  return problems;
}

/** Violations of the Cognito API model for a CustomMessage SMS. */
export function cognitoModelSmsViolations(sms: string): string[] {
  const problems: string[] = [];
  if (sms.length < 6 || sms.length > 140) problems.push(`smsMessage is ${sms.length} long (6–140)`);
  if (!SMS_MODEL.test(sms)) problems.push('smsMessage fails the model pattern');
  return problems;
}

const OUTSIDE = new RegExp(`[^${CLASSES}${JAVA_SPACE}]`, 'u');

function firstOutsideClasses(text: string): string {
  const match = OUTSIDE.exec(text);
  if (!match) return '';
  return ` (U+${(match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} at ${match.index})`;
}

/** HTML escaping as Handlebars does it for `{{value}}`: & < > " ' ` =. */
export function escapeHtml(value: string): string {
  const map: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#x27;',
    '`': '&#x60;',
    '=': '&#x3D;',
  };
  return value.replace(/[&<>"'`=]/g, (c) => map[c] ?? c);
}

const LEFTOVER = /\{\{|\}\}|\{####\}|\{##|##\}/;

/**
 * An unrendered Handlebars expression or Cognito placeholder left in `text`
 * once the values that may legitimately hold braces (the code, the username,
 * as given and as escaped) are taken out; null when there is none.
 */
export function leftoverPlaceholder(text: string, legitimate: readonly string[]): string | null {
  let rest = text;
  for (const value of legitimate) {
    if (value.length === 0) continue;
    rest = rest.split(value).join(' ');
    rest = rest.split(escapeHtml(value)).join(' ');
  }
  return LEFTOVER.exec(rest)?.[0] ?? null;
}

/** The raw substrings of `markers` found in `html`. */
export function rawMarkers(html: string, markers: readonly string[]): string[] {
  return markers.filter((marker) => html.includes(marker));
}

/** Keys someone added to Object.prototype (prototype pollution), if any. */
export function prototypePollution(): string[] {
  const found = Object.getOwnPropertyNames(Object.prototype).filter((name) => !PRISTINE.has(name));
  const probe: Record<string, unknown> = {};
  for (const name of ['polluted', 'locale', 'brand', 'linkOrigin']) if (probe[name] !== undefined) found.push(name);
  return found;
}

const PRISTINE = new Set(Object.getOwnPropertyNames(Object.prototype));

// A log line's clock: the logger's ISO `time` and the embedded-metric `Timestamp` (epoch ms). Its 13 digits
// hold any 6-digit code for a moment now and then (1796285546370–379 holds 554637), which is no leak.
const CLOCK_FIELDS = /"time":"[0-9T:.Z-]+"|"Timestamp":\d+/g;

/** The first secret found in any of `texts` (a log line's clock aside), for a message that names the text, not the secret. */
export function leakedSecret(texts: readonly string[], secrets: readonly string[]): string | null {
  for (const [index, text] of texts.entries()) {
    const checked = text.replace(CLOCK_FIELDS, '');
    for (const secret of secrets) {
      if (checked.includes(secret)) return `text #${index} contains a ${secret.length}-character secret`;
    }
  }
  return null;
}

/** A value's own property, read without trusting its type. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
