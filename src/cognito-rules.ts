/**
 * The one validator for everything the pack renders. CustomMessage responses
 * must match the Cognito API model's shapes (cognito-facts.md, "Response
 * rules"); the senders hold themselves to the same rules so a template that
 * passes here is safe in either mode.
 */

// Character classes of the model's patterns. Java's `\s` (no UNICODE flag) is
// only [ \t\n\x0B\f\r]: a literal no-break space or any Cf/Cc character fails.
// biome-ignore lint/suspicious/noControlCharactersInRegex: \x0B is part of Java's \s, which Cognito's pattern allows
const NOT_EMAIL_BODY_CHAR = /[^\p{L}\p{M}\p{S}\p{N}\p{P} \t\n\x0B\f\r]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: \x0B is part of Java's \s, which Cognito's pattern allows
const NOT_SUBJECT_CHAR = /[^\p{L}\p{M}\p{S}\p{N}\p{P} \t\x0B\f]/u;
// Java's `.` stops at line terminators, so an SMS must avoid them; invisible
// characters are refused too, because SMS handsets show them as boxes.
const NOT_SMS_CHAR = /[\n\r\u0085\u2028\u2029\p{Cc}\p{Cf}]/u;
const NOT_TEXT_CHAR = /[\u0085\u2028\u2029\p{Cf}]|(?![\n])\p{Cc}/u;
// Cognito's link placeholder, whose text between the markers may be localized.
const COGNITO_LINK = /\{##[^{}#][^{}]*?##\}/g;

export const LIMITS = {
  emailMessage: { min: 6, max: 20_000 },
  emailSubject: { min: 1, max: 140 },
  smsMessage: { min: 6, max: 140 },
} as const;

/** A string that must appear verbatim in a message (code, username or link placeholder, or their values). */
export interface RequiredToken {
  label: string;
  value: string;
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
  checkCharacters('emailSubject', subject, NOT_SUBJECT_CHAR, violations);
  checkCharacters('emailMessage', html, NOT_EMAIL_BODY_CHAR, violations);
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
export function checkSms(sms: string, required: readonly RequiredToken[]): string[] {
  const violations: string[] = [];
  checkLength('smsMessage', sms, violations);
  checkCharacters('smsMessage', sms, NOT_SMS_CHAR, violations);
  checkRequired('smsMessage', sms, required, violations);
  checkLeftovers('smsMessage', sms, required, violations);
  return violations;
}

/** Checks a plain-text email body (sender mode): no invisible characters, tokens present, nothing unrendered. */
export function checkText(field: string, text: string, required: readonly RequiredToken[]): string[] {
  const violations: string[] = [];
  checkCharacters(field, text, NOT_TEXT_CHAR, violations);
  checkRequired(field, text, required, violations);
  checkLeftovers(field, text, required, violations);
  return violations;
}

function checkLength(field: keyof typeof LIMITS, value: string, violations: string[]): void {
  const { min, max } = LIMITS[field];
  if (value.length < min || value.length > max) {
    violations.push(`${field} is ${value.length} characters; Cognito accepts ${min}–${max}`);
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

function checkCharacters(field: string, value: string, disallowed: RegExp, violations: string[]): void {
  const match = disallowed.exec(value);
  if (match) violations.push(`${field} has a disallowed character ${describe(match[0])} at ${match.index}`);
}

function describe(c: string): string {
  const hex = (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex}`;
}
