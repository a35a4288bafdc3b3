/**
 * The checks the preview shows beside each message and `npm run check` runs
 * over every combination. Cognito's rules come from the one validator
 * (cognito-rules.ts); these functions sort its verdict into what a template
 * author acts on and add what the validator does not know: SMS segments
 * against the brand's budget, catalog completeness, and `lang`/`dir`.
 */

import type { SmsSize } from '../runtime/check/sms-encoding.js';
import type { Channel, MessageKind } from '../runtime/event/message-kind.js';
import type { LocaleInfo, TemplatePack } from '../runtime/render/template-pack.js';
import type { Brand } from '../runtime/target/brand.js';
import { type JsonFile, jsonPlace } from './json-source.js';
import { placeText } from './source-position.js';

export type CheckStatus = 'pass' | 'warn' | 'fail';
export type CheckName =
  | 'render'
  | 'cognito'
  | 'placeholders'
  | 'smsSize'
  | 'catalog'
  | 'direction'
  | 'rtl'
  | 'webOtp'
  // email-look-checks.ts
  | 'darkMode'
  | 'logo';

export interface CheckResult {
  name: CheckName;
  title: string;
  status: CheckStatus;
  /** For a failure, the exact reasons; for a pass, what was measured. */
  details: string[];
  /**
   * Where each failing detail comes from, when the detail does not say it
   * (`templates/locales/it/messages.json:30:12 › signUp.sms`): `npm run
   * check` prints one block per origin. Same length as `details`.
   */
  origins?: string[];
}

export const CHECK_TITLES: Readonly<Record<CheckName, string>> = {
  render: 'Templates render',
  cognito: 'Cognito length and character rules',
  placeholders: 'Placeholders present',
  smsSize: 'SMS encoding and segments',
  catalog: 'Translations complete',
  direction: 'lang and dir',
  rtl: 'Right-to-left text',
  webOtp: 'One-tap code line (WebOTP)',
  darkMode: 'Dark mode declared',
  logo: 'Images sized, with alt text',
};

const STATUS_ORDER: Readonly<Record<CheckStatus, number>> = { pass: 0, warn: 1, fail: 2 };

/** The worst status among `checks` (a warning never fails `npm run check`). */
export function worstStatus(checks: readonly CheckResult[]): CheckStatus {
  let worst: CheckStatus = 'pass';
  for (const check of checks) if (STATUS_ORDER[check.status] > STATUS_ORDER[worst]) worst = check.status;
  return worst;
}

function result(name: CheckName, status: CheckStatus, details: string[]): CheckResult {
  return { name, title: CHECK_TITLES[name], status, details };
}

// The validator reports a missing token as "<field> lacks the <label>" and a
// stray one as "unrendered placeholder"; those belong to the placeholder check.
const PLACEHOLDER_VIOLATION = /\blacks the\b|\bunrendered placeholder\b/;

/** Splits the validator's violations into placeholder problems and length/character problems. */
export function splitViolations(violations: readonly string[]): { rules: string[]; placeholders: string[] } {
  return {
    rules: violations.filter((violation) => !PLACEHOLDER_VIOLATION.test(violation)),
    placeholders: violations.filter((violation) => PLACEHOLDER_VIOLATION.test(violation)),
  };
}

/**
 * Whether the templates rendered, and which file served each part through
 * the override chain. `problems` are the reasons they cannot, each naming
 * its file, line and column.
 */
export function renderCheck(
  templatesUsed: readonly string[],
  problems: string | readonly string[] | null,
): CheckResult {
  const failures = problems === null ? [] : typeof problems === 'string' ? [problems] : [...problems];
  return failures.length === 0 ? result('render', 'pass', [...templatesUsed]) : result('render', 'fail', failures);
}

/** `check` with an origin for each failing detail (see CheckResult.origins); a passing check keeps none. */
export function withOrigins(check: CheckResult, originOf: (detail: string) => string | null): CheckResult {
  if (check.status === 'pass') return check;
  const origins = check.details.map((detail) => originOf(detail));
  if (origins.every((origin) => origin === null)) return check;
  return { ...check, origins: origins.map((origin, index) => origin ?? check.details[index] ?? '') };
}

/**
 * Length and character rules; `measured` says what passed (lengths against
 * the accepter's bounds). `accepter` is who takes the message: Cognito (a
 * CustomMessage response, an email) or SNS (the SMS sender's SMS).
 */
export function cognitoRulesCheck(
  ruleViolations: readonly string[],
  measured: readonly string[],
  accepter: 'Cognito' | 'SNS' = 'Cognito',
): CheckResult {
  const checked =
    ruleViolations.length > 0
      ? result('cognito', 'fail', [...ruleViolations])
      : result('cognito', 'pass', [...measured]);
  return accepter === 'SNS' ? { ...checked, title: 'SNS length and character rules' } : checked;
}

/** The code, username and link placeholders (or sample values) the message must carry. */
export function placeholderCheck(placeholderViolations: readonly string[], expected: readonly string[]): CheckResult {
  if (placeholderViolations.length > 0) return result('placeholders', 'fail', [...placeholderViolations]);
  return result(
    'placeholders',
    'pass',
    expected.length > 0 ? expected.map((token) => `has the ${token}`) : ['this message needs no placeholder'],
  );
}

/**
 * Encoding and segment count against the brand's `sms.maxSegments`, measured
 * on the text as the phone receives it (`measuredAs` says with which values).
 */
export function smsSizeCheck(
  size: SmsSize,
  maxSegments: number,
  measuredAs: string | null = null,
  transliterated = false,
): CheckResult {
  const single = size.encoding === 'GSM-7' ? 160 : 70;
  const unit = size.encoding === 'GSM-7' ? 'septets' : 'UTF-16 units';
  const segments = `${size.segments} segment${size.segments === 1 ? '' : 's'}`;
  const details: string[] = [];
  if (size.segments > maxSegments) {
    details.push(`needs ${segments} of ${size.encoding} (${size.units} ${unit}); the brand allows ${maxSegments}`);
  } else {
    details.push(
      `${size.encoding}, ${size.units} ${unit} (one segment holds ${single}): ${segments}; the brand allows ${maxSegments}`,
    );
  }
  if (size.nonGsmCharacters.some((char) => OTHER_SCRIPT_LETTER.test(char))) {
    // Arabic, Japanese…: every letter is UCS-2, so a list of them says nothing.
    details.push('UCS-2: the text is in a script GSM-7 has no letters for');
  } else if (size.nonGsmCharacters.length > 0) {
    const shown = size.nonGsmCharacters.slice(0, 8).map(describeCharacter).join(' ');
    const more = size.nonGsmCharacters.length > 8 ? ` and ${size.nonGsmCharacters.length - 8} more` : '';
    details.push(`UCS-2 because of ${shown}${more}`);
  }
  if (measuredAs !== null) details.push(measuredAs);
  if (transliterated) {
    // The brand asked for GSM-7: what is left outside it is a failure of that promise, not a cost to note.
    if (size.encoding === 'UCS-2') {
      const left = size.nonGsmCharacters.map(describeCharacter).join(' ');
      return result('smsSize', 'fail', [
        `sms.gsm7Transliteration is on, but ${left} have no GSM-7 form, so the SMS is still UCS-2; reword them`,
        ...details,
      ]);
    }
    details.push("written in GSM-7 by the brand's sms.gsm7Transliteration");
  }
  return result('smsSize', size.segments > maxSegments ? 'fail' : 'pass', details);
}

// A letter of a script GSM-7 has none of (GSM-7 covers Latin and a few Greek capitals).
const OTHER_SCRIPT_LETTER = /(?![\p{Script=Latin}\p{Script=Greek}])\p{L}/u;

function describeCharacter(char: string): string {
  const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(char) ? `"${char}" (U+${hex})` : `U+${hex}`;
}

export interface CatalogTarget {
  kind: MessageKind;
  channel: Channel;
  locale: string;
  brand: string;
}

/**
 * Strings a locale lacks. `fallbackKeys` are the ones this message used from
 * the source locale; the catalogs are also compared key by key (for this
 * kind and channel), so a string only another variant uses (a named
 * greeting, an account take-over action) is caught too.
 */
export function catalogCheck(pack: TemplatePack, target: CatalogTarget, fallbackKeys: readonly string[]): CheckResult {
  const { sourceLocale } = pack;
  const { kind, channel, locale, brand } = target;
  if (locale === sourceLocale && fallbackKeys.length === 0) {
    return result('catalog', 'pass', [`${locale} is the source locale: every other catalog is compared with it`]);
  }
  // `<kind>.sms` and its sign-in variants (`adminCreateUser.byEmail.sms`) are the SMS's; the rest the email's.
  const isSms = (key: string): boolean => key.startsWith(`${kind}.`) && key.endsWith('.sms');
  const relevant = (key: string): boolean =>
    channel === 'sms' ? isSms(key) : key.startsWith('common.') || (key.startsWith(`${kind}.`) && !isSms(key));
  const own = pack.locales.get(locale)?.messages ?? {};
  const brandOwn = pack.brandMessages.get(`${brand}/${locale}`) ?? {};
  const has = (key: string) => Object.hasOwn(own, key) || Object.hasOwn(brandOwn, key);

  const failures: string[] = [];
  if (fallbackKeys.length > 0) {
    failures.push(`${locale} lacks ${quoteKeys(fallbackKeys)}; this message shows the ${sourceLocale} text instead`);
  }
  const sourceKeys = Object.keys(pack.locales.get(sourceLocale)?.messages ?? {}).filter(relevant);
  const unused = sourceKeys.filter((key) => !has(key) && !fallbackKeys.includes(key));
  if (unused.length > 0) {
    failures.push(`${locale} also lacks ${quoteKeys(unused)}, which other ${kind} messages use`);
  }
  if (failures.length > 0) return result('catalog', 'fail', failures);

  const brandSource = pack.brandMessages.get(`${brand}/${sourceLocale}`) ?? {};
  const notLocalized = Object.keys(brandSource)
    .filter(relevant)
    .filter((key) => !Object.hasOwn(brandOwn, key));
  if (notLocalized.length > 0) {
    return result('catalog', 'warn', [
      `brand ${brand} rewords ${quoteKeys(notLocalized)} in ${sourceLocale} only; ${locale} shows its generic text (add templates/brands/${brand}/${locale}/messages.json)`,
    ]);
  }
  return result('catalog', 'pass', [`${locale} has every ${kind} ${channel} string`]);
}

function quoteKeys(keys: readonly string[]): string {
  return keys.map((key) => `"${key}"`).join(', ');
}

const HTML_START_TAG = /<html\b([^>]*)>/i;

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>"']+))`, 'i').exec(attributes);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** The rendered `<html>` must name the locale (`lang`) and its direction (`dir`, from the catalog's `meta.dir`). */
export function directionCheck(html: string, locale: LocaleInfo): CheckResult {
  const tag = HTML_START_TAG.exec(html);
  if (!tag) return result('direction', 'fail', [`the email has no <html> element to carry lang="${locale.tag}"`]);
  const attributes = tag[1] ?? '';
  const lang = attribute(attributes, 'lang');
  const dir = attribute(attributes, 'dir');
  const failures: string[] = [];
  if (lang === undefined) failures.push(`<html> has no lang attribute; expected lang="${locale.tag}"`);
  else if (lang.toLowerCase() !== locale.tag.toLowerCase())
    failures.push(`<html lang="${lang}"> but the locale is "${locale.tag}"`);
  if (dir === undefined && locale.dir === 'rtl')
    failures.push(`<html> has no dir attribute; ${locale.tag} is written right to left (dir="rtl")`);
  else if (dir !== undefined && dir.toLowerCase() !== locale.dir)
    failures.push(`<html dir="${dir}"> but ${locale.tag} is "${locale.dir}" (meta.dir in its messages.json)`);
  if (failures.length > 0) return result('direction', 'fail', failures);
  return result('direction', 'pass', [`<html lang="${lang}" dir="${dir ?? 'ltr (default)'}">`]);
}

// Host labels that name a stage other than production ("staging.app.example",
// "app-dev.example", "qa.example").
const NON_PRODUCTION_LABEL =
  /^(?:staging|stage|stg|dev|develop|development|test|testing|qa|uat|preview|sandbox|demo|local|localhost|preprod|int|integration)(?:\d+)?$|-(?:staging|stage|stg|dev|test|qa|uat|preview|sandbox|preprod)$/;

/**
 * A brand file ships to production, and every origin in its
 * `links.allowedOrigins` can be picked by any caller through
 * clientMetadata.linkOrigin. A staging origin there lets a production code
 * travel in a link to a staging host; it belongs in that stage's
 * EXTRA_LINK_ORIGINS instead. Given the brand files as read, each warning
 * names the file, line and column of the origin.
 */
export function linkOriginWarnings(
  brands: ReadonlyMap<string, Brand>,
  files: ReadonlyMap<string, JsonFile> = new Map(),
): string[] {
  const warnings: string[] = [];
  for (const brand of brands.values()) {
    for (const [index, origin] of (brand.links?.allowedOrigins ?? []).entries()) {
      const labels = new URL(origin).hostname.split('.').slice(0, -1);
      if (labels.some((label) => NON_PRODUCTION_LABEL.test(label))) {
        const file = files.get(brand.id);
        const where = file
          ? placeText(jsonPlace(file, `links.allowedOrigins.${index}`))
          : `templates/brands/${brand.id}/brand.json`;
        warnings.push(
          `${where}: links.allowedOrigins has ${origin}, which looks like a non-production host; any caller of production could send codes in links to it. Move it to that stage's EXTRA_LINK_ORIGINS (${brand.id}=${origin}).`,
        );
      }
    }
  }
  return warnings;
}

// Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms), and strong left-to-right ones.
const STRONG_RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/u;
const STRONG_LTR = /[\p{L}\p{Mc}]/u;
const ISOLATE_OPEN = /[\u2066-\u2068]/;
const WEB_OTP_LAST_LINE = /\n@[^\s#@]+ #[^\s#@]+$/;
const TOKEN = /https?:\/\/[^\s\u2066-\u2069]+|[^\s@\u2066-\u2069]+@[^\s@\u2066-\u2069]+/g;

/** The text with every isolate's content taken out (UAX #9, rule P2 skips it when finding the first strong character). */
function outsideIsolates(text: string): string {
  let depth = 0;
  let out = '';
  for (const char of text) {
    if (ISOLATE_OPEN.test(char)) depth++;
    else if (char === '\u2069') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += char;
  }
  return out;
}

/**
 * An RTL message must lay out right to left on a phone or in a mail client
 * that reads its direction from the text: its first strong character must be
 * right-to-left, and every URL, address and code (`codes`) must sit in an
 * isolate or start its own line, so brackets and full stops stay where they
 * were written. Where isolates are not allowed (a CustomMessage response,
 * which Cognito refuses format characters in) only the first rule applies.
 */
export function rtlCheck(
  message: string,
  dir: 'ltr' | 'rtl',
  codes: readonly string[],
  isolatesAllowed: boolean,
): CheckResult {
  if (dir !== 'rtl') return result('rtl', 'pass', ['a left-to-right locale: nothing to isolate']);
  // WebOTP's line is left to right by design, on its own line (webOtpCheck checks it).
  const text = message.replace(WEB_OTP_LAST_LINE, '');
  const failures: string[] = [];
  const first = [...outsideIsolates(text)].find((char) => STRONG_RTL.test(char) || STRONG_LTR.test(char));
  if (first !== undefined && !STRONG_RTL.test(first)) {
    failures.push(
      'starts with left-to-right text, so phones lay it out left to right; start it with right-to-left words',
    );
  }
  if (isolatesAllowed) {
    const found = [...text.matchAll(TOKEN)].map((match) => ({ value: match[0], index: match.index }));
    for (const code of codes.filter(Boolean)) {
      for (let at = text.indexOf(code); at !== -1; at = text.indexOf(code, at + code.length))
        found.push({ value: code, index: at });
    }
    for (const { value, index } of found) {
      const before = text[index - 1];
      const isolated = before !== undefined && (ISOLATE_OPEN.test(before) || inIsolate(text, index));
      const ownLine = index === 0 || before === '\n';
      if (!isolated && !ownLine) {
        const shown = codes.includes(value) ? 'the code' : `"${value}"`;
        failures.push(`${shown} is neither isolated (LRI or FSI … PDI) nor on its own line`);
      }
    }
  }
  if (failures.length > 0) return result('rtl', 'fail', [...new Set(failures)]);
  return result('rtl', 'pass', [
    isolatesAllowed
      ? 'starts with right-to-left text; every URL, address and code is isolated or on its own line'
      : 'starts with right-to-left text (Cognito refuses isolates in a CustomMessage response, so the wording keeps the order)',
  ]);
}

function inIsolate(text: string, index: number): boolean {
  let depth = 0;
  for (const char of text.slice(0, index)) {
    if (ISOLATE_OPEN.test(char)) depth++;
    else if (char === '\u2069') depth = Math.max(0, depth - 1);
  }
  return depth > 0;
}

/**
 * A brand that sets `sms.webOtpDomain`: the sender's SMS of a one-time code
 * ends with exactly `@<domain> #<code>` (`code` null: an invitation, whose
 * temporary password gets no such line). A CustomMessage SMS cannot: Cognito
 * takes one line, so message mode warns that the setting does nothing there.
 */
export function webOtpCheck(
  text: string,
  domain: string,
  mode: 'message' | 'sender',
  code: string | null,
): CheckResult {
  if (mode === 'message') {
    return result('webOtp', 'warn', [
      `sms.webOtpDomain is ${domain}, but Cognito sends a CustomMessage SMS as one line, so it cannot end with "@${domain} #code"; only the senders add it (iOS still reads the code from the text)`,
    ]);
  }
  const lines = text.split('\n');
  const last = lines.length > 1 ? (lines.at(-1) ?? '') : null;
  if (code === null) {
    return last?.startsWith('@')
      ? result('webOtp', 'fail', ['an SMS without a one-time code ends with a WebOTP line'])
      : result('webOtp', 'pass', ['no one-time code, so no WebOTP line']);
  }
  const expected = `@${domain} #${code}`;
  if (last !== expected) {
    return result('webOtp', 'fail', [`the last line must be exactly "@${domain} #" and the code, on its own line`]);
  }
  return result('webOtp', 'pass', [`ends with "@${domain} #" and the code: browsers and Android offer to fill it in`]);
}
