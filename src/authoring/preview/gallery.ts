/**
 * The gallery: every message the pack can send, rendered through the same
 * functions the handlers call, with its checks. Combinations are mode
 * (message: CustomMessage; sender: CustomEmailSender / CustomSMSSender) ×
 * trigger source × channel × locale × brand.
 */
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RequiredToken } from '../../runtime/check/cognito-rules.js';
import { LIMITS, SMS_LENGTH, type SmsDeliveredBy } from '../../runtime/check/cognito-rules.js';
import { measureSms, type SmsSize, usesLatinScript } from '../../runtime/check/sms-encoding.js';
import { type MessageConfig, readMessageConfig } from '../../runtime/config.js';
import { parseCustomMessageEvent, parseSenderEvent, type SenderRequest } from '../../runtime/event/cognito-event.js';
import {
  type Channel,
  kindOfTriggerSource,
  type MessageKind,
  SENDER_FAMILIES,
  sourceOf,
  type TriggerFamily,
  triggerSourcesOf,
} from '../../runtime/event/message-kind.js';
import {
  composeCustomMessageEmail,
  composeCustomMessageSms,
  customMessageValues,
} from '../../runtime/message-mode/custom-message.js';
import type { ComposedSms } from '../../runtime/render/compose.js';
import { emailText } from '../../runtime/render/email-text.js';
import { findTemplate, type TemplatePack } from '../../runtime/render/template-pack.js';
import {
  composeSenderEmail,
  composeSenderSms,
  ONE_TIME_CODE_KINDS,
} from '../../runtime/sender-mode/compose-message.js';
import { readSenderConfig, type SenderConfig } from '../../runtime/sender-mode/sender-config.js';
import { type ResolvedTarget, resolveTarget } from '../../runtime/target/resolve-target.js';
import { readShippedLogo } from '../brand-logo-file.js';
import {
  type CheckResult,
  type CheckStatus,
  catalogCheck,
  cognitoRulesCheck,
  directionCheck,
  linkOriginWarnings,
  placeholderCheck,
  renderCheck,
  rtlCheck,
  smsSizeCheck,
  splitViolations,
  webOtpCheck,
  withOrigins,
  worstStatus,
} from '../checks.js';
import { darkModeCheck, logoCheck } from '../email-look-checks.js';
import { type PackSource, packSourceOf } from '../pack-source.js';
import { placeAt, placeText, shownPath } from '../source-position.js';
import { problemText } from '../template-errors.js';
import { partTemplates, type StringUse, scanTemplates, type TemplateScan } from '../template-scan.js';
import { translationWarnings } from '../untranslated.js';
import {
  COGNITO_PLACEHOLDERS,
  SAMPLE_CODES,
  SAMPLE_USER,
  sampleCustomMessageEvent,
  sampleEnv,
  sampleSenderEvent,
} from './samples.js';

export type PreviewMode = 'message' | 'sender';
export const PREVIEW_MODES: readonly PreviewMode[] = ['message', 'sender'];
export const CHANNELS: readonly Channel[] = ['email', 'sms'];

/** What one picker choice shows: a mode, a source (`SignUp`, …), a locale and a brand. */
export interface PreviewView {
  mode: PreviewMode;
  source: string;
  locale: string;
  brand: string;
}

export interface Combination extends PreviewView {
  /** `<mode>.<channel>.<source>.<locale>.<brand>`: none of these can contain a dot. */
  id: string;
  channel: Channel;
  triggerSource: string;
  kind: MessageKind;
}

export interface EmailPreview {
  from: string;
  to: string;
  subject: string;
  html: string;
  /** The text part: what the senders send beside the HTML (Cognito itself sends HTML only). */
  text: string;
}

export interface SmsPreview {
  from: string;
  to: string;
  text: string;
  size: SmsSize;
  maxSegments: number;
}

export interface PreviewEntry extends Combination {
  /** What the handler does with this message. */
  outcome: string;
  email: EmailPreview | null;
  sms: SmsPreview | null;
  checks: CheckResult[];
  status: CheckStatus;
}

export interface Gallery {
  entries: PreviewEntry[];
  /** The locale every catalog is compared with; the page opens on it. */
  sourceLocale: string;
  locales: Array<{ tag: string; name: string; dir: 'ltr' | 'rtl' }>;
  brands: Array<{ id: string; productName: string }>;
  /** Trigger source suffixes in Cognito's order (`SignUp`, …, `AccountTakeOverNotification`). */
  sources: string[];
  /** Wall time of rendering and checking every combination. */
  renderMs: number;
  /** Warnings about the brand files themselves, not about one message. */
  brandWarnings: string[];
  /**
   * Catalog strings that read the same as the source locale's, and words of
   * brand-level templates served to every locale: warnings, failures under
   * `--strict`. Empty for a pack not read from disk in this process.
   */
  translationWarnings: string[];
  /** The brands' logo files by the name the emails load them under (PREVIEW_LOGO_BASE), and the file on disk. */
  assets: ReadonlyMap<string, string>;
}

/**
 * Where the preview's emails load shipped logos from: beside the page, which
 * the server answers from the brand folders and the export copies next to
 * its pages (a srcdoc frame resolves it against the page's address).
 */
export const PREVIEW_LOGO_BASE = './';

/** The trigger family that sends `channel` in `mode`. */
export function familyOf(mode: PreviewMode, channel: Channel): TriggerFamily {
  return mode === 'message' ? 'CustomMessage' : SENDER_FAMILIES[channel];
}

export function viewId(view: PreviewView): string {
  return [view.mode, view.source, view.locale, view.brand].join('.');
}

/** Every combination the pack can send, in a stable order. */
export function listCombinations(pack: TemplatePack): Combination[] {
  const combinations: Combination[] = [];
  for (const mode of PREVIEW_MODES) {
    for (const channel of CHANNELS) {
      const family = familyOf(mode, channel);
      for (const triggerSource of triggerSourcesOf(family)) {
        const kind = kindOfTriggerSource(family, triggerSource);
        if (!kind) continue;
        const source = sourceOf(triggerSource);
        for (const locale of pack.locales.keys()) {
          for (const brand of pack.brands.keys()) {
            const id = [mode, channel, source, locale, brand].join('.');
            combinations.push({ id, mode, channel, source, locale, brand, triggerSource, kind });
          }
        }
      }
    }
  }
  return combinations;
}

interface GalleryContext {
  pack: TemplatePack;
  messageConfig: MessageConfig;
  emailConfig: SenderConfig;
  smsConfig: SenderConfig;
  /** The files the pack was read from, when it was read in this process: checks then name files and lines. */
  source: PackSource | undefined;
  scan: TemplateScan | undefined;
}

/**
 * Renders and checks every combination. Throws only when the pack itself is
 * unusable (no brand, say). A pack from loadPack is also scanned before it
 * renders, so each failure names its file, line and column.
 */
export function buildGallery(pack: TemplatePack): Gallery {
  const started = performance.now();
  const env = sampleEnv(pack);
  const source = packSourceOf(pack);
  const context: GalleryContext = {
    pack,
    // Deployed functions read LOGO_BASE_URL (https only); the preview serves the files itself.
    messageConfig: { ...readMessageConfig(env, pack), logoBaseUrl: PREVIEW_LOGO_BASE },
    emailConfig: { ...readSenderConfig(env, pack, 'email'), logoBaseUrl: PREVIEW_LOGO_BASE },
    smsConfig: { ...readSenderConfig(env, pack, 'sms'), logoBaseUrl: PREVIEW_LOGO_BASE },
    source,
    scan: source ? scanTemplates(source, pack) : undefined,
  };
  const entries = listCombinations(pack).map((combination) => renderCombination(context, combination));
  const sources = triggerSourcesOf('CustomEmailSender').map(sourceOf);
  return {
    entries,
    sourceLocale: pack.sourceLocale,
    locales: [...pack.locales.values()].map(({ tag, name, dir }) => ({ tag, name, dir })),
    brands: [...pack.brands.values()].map(({ id, productName }) => ({ id, productName })),
    sources,
    renderMs: performance.now() - started,
    brandWarnings: linkOriginWarnings(pack.brands, source?.brandFiles),
    translationWarnings: source && context.scan ? translationWarnings(source, context.scan) : [],
    assets: logoAssets(source),
  };
}

/** Each shipped logo's name and file, read from the brand folders the pack was loaded from. */
function logoAssets(source: PackSource | undefined): Map<string, string> {
  const assets = new Map<string, string>();
  for (const [id, file] of source?.brandFiles ?? []) {
    const logo = readShippedLogo(id, dirname(file.file));
    for (const [key, path] of logo?.paths ?? []) assets.set(key, path);
  }
  return assets;
}

/** The entries one picker choice shows: message mode has email and SMS, sender mode one family each. */
export function entriesOf(gallery: Gallery, view: PreviewView): PreviewEntry[] {
  return gallery.entries.filter(
    (entry) =>
      entry.mode === view.mode &&
      entry.source === view.source &&
      entry.locale === view.locale &&
      entry.brand === view.brand,
  );
}

/**
 * One combination, rendered and checked. What the scan finds in its
 * templates fails the render check even when this render got through (the
 * mistake sits in a branch this sample did not take).
 */
function renderCombination(context: GalleryContext, combination: Combination): PreviewEntry {
  const problems = context.scan?.problemsFor(combination).map(problemText) ?? [];
  let rendered: PreviewEntry;
  try {
    rendered =
      combination.mode === 'message'
        ? renderMessageMode(context, combination)
        : combination.channel === 'email'
          ? renderSenderEmail(context, combination)
          : renderSenderSms(context, combination);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const checks = [
      renderCheck([], problems.length > 0 ? problems : explainRenderError(context, combination, message)),
    ];
    return { ...combination, outcome: 'not rendered', email: null, sms: null, checks, status: worstStatus(checks) };
  }
  if (problems.length === 0) return rendered;
  const checks = rendered.checks.map((check) => (check.name === 'render' ? renderCheck([], problems) : check));
  return { ...rendered, checks, status: worstStatus(checks) };
}

const CATALOG_PARAMETER = /^catalog string "([^"]+)" uses \{(\w+)\}, which this message does not provide$/;
const STRICT_FIELD = /^template "([^"]+)" failed: "([^"]+)" not defined in .*$/;

/** A render error the scan did not foresee, said with the file it comes from. */
function explainRenderError(context: GalleryContext, combination: Combination, message: string): string {
  const parameter = CATALOG_PARAMETER.exec(message);
  if (parameter) {
    const [, key = '', name = ''] = parameter;
    const use = servedStrings(context, combination).find((candidate) => candidate.key === key);
    const where = use ? stringOrigin(use) : `catalog string "${key}"`;
    return `${where}: uses {${name}}, which this message does not provide`;
  }
  const field = STRICT_FIELD.exec(message);
  if (field) {
    const [, name = '', path = ''] = field;
    const found = findTemplate(context.pack, name, combination.brand, combination.locale);
    const file = found ? templateFile(context, found.path) : `template "${name}"`;
    return `${file}: {{${path}}} is not a field of this message`;
  }
  return message;
}

function servedStrings(context: GalleryContext, combination: Combination): StringUse[] {
  const names = partTemplates(combination.kind, combination.channel);
  return names.flatMap((name) => context.scan?.served(combination, name).strings ?? []);
}

/** `templates/locales/it/messages.json:30:12 › signUp.sms`. */
function stringOrigin(use: StringUse): string {
  return use.place ? `${placeText(use.place)} › ${use.key}` : use.key;
}

/** The file that served a pack path, as the person running the command names it. */
function templateFile(context: GalleryContext, path: string): string {
  const file = context.source?.templates.find((template) => template.path === path)?.file;
  return file ? shownPath(file) : `templates/${path}.hbs`;
}

/**
 * Where the reasons of a failing check come from. A text (an SMS, a subject)
 * comes from the template and the catalog strings it uses; a disallowed
 * character or a stray placeholder from the string or file that holds it;
 * anything else about the email body from the body template.
 */
function detailOrigin(context: GalleryContext, combination: Combination): (detail: string) => string | null {
  const { scan } = context;
  if (!scan) return () => null;
  const served = (name: string) => scan.served(combination, name);
  const textOf = (name: string): string => {
    const part = served(name);
    const own = part.templates[0];
    const parts = own && (part.words.length > 0 || part.strings.length === 0) ? [shownPath(own.file)] : [];
    return [...parts, ...part.strings.map(stringOrigin)].join(' + ');
  };
  const holding = (needle: string): string | null => {
    for (const name of partTemplates(combination.kind, combination.channel)) {
      const part = served(name);
      const use = part.strings.find((candidate) => candidate.text.includes(needle));
      if (use) return stringOrigin(use);
      const template = part.templates.find((candidate) => candidate.source.includes(needle));
      if (template) return shownPath(template.file);
    }
    return null;
  };
  const { kind } = combination;
  return (detail) => {
    const needle = culprit(detail);
    const held = needle === null ? null : holding(needle);
    if (held) return held;
    if (combination.channel === 'sms') return textOf(`${kind}.sms`);
    if (detail.startsWith('emailSubject')) return textOf(`${kind}.subject`);
    const body = served(`${kind}.html`).templates[0];
    return body ? shownPath(body.file) : null;
  };
}

/** The character or placeholder a violation names: `U+200B`, `unrendered placeholder "{name}"`. */
function culprit(detail: string): string | null {
  const char = /\bU\+([0-9A-F]{4,6})\b/.exec(detail)?.[1];
  if (char) return String.fromCodePoint(Number.parseInt(char, 16));
  return /unrendered placeholder "([^"]+)"/.exec(detail)?.[1] ?? null;
}

/** Where a locale's missing strings go, and where the layout's `<html>` is. */
function fileOrigins(context: GalleryContext, combination: Combination) {
  const catalog = context.source?.catalogFiles.get(combination.locale);
  const layout = context.scan?.served(combination, 'layout.html').templates[0];
  const html = layout ? /<html\b/i.exec(layout.source) : null;
  return {
    catalog: () => (catalog ? shownPath(catalog) : null),
    layout: () => (layout ? placeText(placeAt(layout.file, layout.source, html?.index ?? 0)) : null),
  };
}

/** Resolves the sample event's target through the handlers' resolution and insists it is the one asked for. */
function sampleTarget(
  context: GalleryContext,
  config: MessageConfig,
  request: Parameters<typeof resolveTarget>[2],
  combination: Combination,
): ResolvedTarget {
  const target = resolveTarget(context.pack, config, request, combination.kind);
  if (target.locale !== combination.locale || target.brand.id !== combination.brand) {
    throw new Error(
      `the sample event resolved to ${target.locale}/${target.brand.id} instead of ${combination.locale}/${combination.brand}`,
    );
  }
  return target;
}

/** The files that served each part, as the render recorded them. */
function templatesUsed(context: GalleryContext, templateFiles: readonly string[]): string[] {
  return templateFiles.map((path) => templateFile(context, path));
}

function tokenNames(required: readonly RequiredToken[], cognitoLink: string | null): string[] {
  const names = required.map((token) => `${token.label} "${token.value}"`);
  if (cognitoLink !== null) names.push('link placeholder "{##…##}"');
  return names;
}

function emailMeasures(subject: string, html: string, text: string | null): string[] {
  const measures = [
    `emailSubject: ${subject.length} characters (Cognito accepts ${LIMITS.emailSubject.min}–${LIMITS.emailSubject.max})`,
    `emailMessage: ${html.length.toLocaleString('en')} characters (Cognito accepts ${LIMITS.emailMessage.min}–${LIMITS.emailMessage.max.toLocaleString('en')})`,
    'only characters Cognito accepts (no zero-width, soft hyphen, no-break space or control characters)',
  ];
  if (text !== null) measures.push('text body: no invisible or control characters');
  return measures;
}

function smsMeasures(text: string, deliveredBy: SmsDeliveredBy): string[] {
  const { min, max, accepter } = SMS_LENGTH[deliveredBy];
  return [
    `smsMessage: ${text.length} characters on one line (${accepter} accepts ${min}–${max.toLocaleString('en')})`,
    'only characters Cognito accepts',
  ];
}

function emailChecks(
  context: GalleryContext,
  combination: Combination,
  email: { subject: string; html: string; text: string | null },
  result: { violations: readonly string[]; fallbackKeys: readonly string[]; templateFiles: readonly string[] },
  tokens: string[],
): CheckResult[] {
  const { rules, placeholders } = splitViolations(result.violations);
  const locale = context.pack.locales.get(combination.locale);
  const origin = detailOrigin(context, combination);
  const files = fileOrigins(context, combination);
  return [
    renderCheck(templatesUsed(context, result.templateFiles), null),
    withOrigins(cognitoRulesCheck(rules, emailMeasures(email.subject, email.html, email.text)), origin),
    withOrigins(placeholderCheck(placeholders, tokens), origin),
    withOrigins(catalogCheck(context.pack, combination, result.fallbackKeys), files.catalog),
    ...(locale ? [withOrigins(directionCheck(email.html, locale), files.layout)] : []),
    // The text part is the senders' (Cognito sends HTML only), so isolates are allowed in it.
    ...(locale && email.text !== null
      ? [withOrigins(rtlCheck(email.text, locale.dir, [sampleCode(combination.kind)], true), origin)]
      : []),
    withOrigins(darkModeCheck(email.html), files.layout),
    withOrigins(logoCheck(email.html), files.layout),
  ];
}

/**
 * Cognito checks the CustomMessage text with its placeholders, but bills and
 * splits the text it delivers: measure that one, with the sample values in
 * place of the placeholders.
 */
function deliveredSize(combination: Combination, text: string): { size: SmsSize; measuredAs: string | null } {
  if (combination.mode === 'sender') return { size: measureSms(text), measuredAs: null };
  const code = sampleCode(combination.kind);
  const delivered = text
    .split(COGNITO_PLACEHOLDERS.code)
    .join(code)
    .split(COGNITO_PLACEHOLDERS.username)
    .join(SAMPLE_USER.email);
  const values =
    combination.kind === 'adminCreateUser'
      ? `a ${code.length}-character temporary password and the username ${SAMPLE_USER.email}`
      : `the code ${code}`;
  return {
    size: measureSms(delivered),
    measuredAs: `measured as delivered, with ${values} in place of the placeholders`,
  };
}

function smsChecks(
  context: GalleryContext,
  combination: Combination,
  composed: ComposedSms,
  violations: readonly string[],
  tokens: string[],
  maxSegments: number,
): CheckResult[] {
  const { rules, placeholders } = splitViolations(violations);
  const { size, measuredAs } = deliveredSize(combination, composed.text);
  const origin = detailOrigin(context, combination);
  const deliveredBy = combination.mode === 'sender' ? 'sns' : 'cognito';
  const brand = context.pack.brands.get(combination.brand);
  const transliterated = Boolean(brand?.sms.gsm7Transliteration) && usesLatinScript(combination.locale);
  const webOtpDomain = brand?.sms.webOtpDomain;
  const oneTimeCode = ONE_TIME_CODE_KINDS.has(combination.kind) ? sampleCode(combination.kind) : null;
  return [
    renderCheck(templatesUsed(context, composed.templateFiles), null),
    withOrigins(
      cognitoRulesCheck(rules, smsMeasures(composed.text, deliveredBy), deliveredBy === 'sns' ? 'SNS' : 'Cognito'),
      origin,
    ),
    withOrigins(placeholderCheck(placeholders, tokens), origin),
    withOrigins(smsSizeCheck(size, maxSegments, measuredAs, transliterated), origin),
    ...(webOtpDomain ? [webOtpCheck(composed.text, webOtpDomain, combination.mode, oneTimeCode)] : []),
    withOrigins(
      rtlCheck(
        composed.text,
        context.pack.locales.get(combination.locale)?.dir ?? 'ltr',
        [combination.mode === 'sender' ? sampleCode(combination.kind) : COGNITO_PLACEHOLDERS.code],
        combination.mode === 'sender',
      ),
      origin,
    ),
    withOrigins(
      catalogCheck(context.pack, combination, composed.fallbackKeys),
      fileOrigins(context, combination).catalog,
    ),
  ];
}

function entry(
  combination: Combination,
  outcome: string,
  parts: Pick<PreviewEntry, 'email' | 'sms' | 'checks'>,
): PreviewEntry {
  return { ...combination, outcome, ...parts, status: worstStatus(parts.checks) };
}

/**
 * Message mode: the email or SMS exactly as the CustomMessage handler
 * composes it (composeCustomMessageEmail / composeCustomMessageSms), with the
 * checks that decided whether it is returned.
 */
function renderMessageMode(context: GalleryContext, combination: Combination): PreviewEntry {
  const { pack, messageConfig } = context;
  const request = parseCustomMessageEvent(
    sampleCustomMessageEvent(combination.triggerSource, combination.locale, combination.brand),
  );
  const target = sampleTarget(context, messageConfig, request, combination);
  const values = customMessageValues(
    request,
    target,
    request.codeParameter ?? COGNITO_PLACEHOLDERS.code,
    messageConfig.signInAttributes,
    combination.channel,
  );

  if (combination.channel === 'email') {
    const { composed, required, fields } = composeCustomMessageEmail(pack, target, values);
    const { subject, html } = composed;
    return entry(
      combination,
      fields.emailMessage !== null
        ? 'CustomMessage returns this subject and body; Cognito puts the code in and sends it'
        : "CustomMessage returns null: Cognito sends the pool's default email instead",
      {
        email: { from: "the pool's FROM address", to: SAMPLE_USER.email, subject, html, text: emailText(html) },
        sms: null,
        checks: emailChecks(
          context,
          combination,
          { subject, html, text: null },
          composed,
          tokenNames(required, values.cognitoLink),
        ),
      },
    );
  }
  const { composed, required, fields } = composeCustomMessageSms(pack, target, values);
  return entry(
    combination,
    fields.smsMessage !== null
      ? 'CustomMessage returns this text; Cognito puts the code in and sends it'
      : "CustomMessage returns null: Cognito sends the pool's default SMS instead",
    {
      email: null,
      sms: {
        from: "the pool's SMS settings",
        to: SAMPLE_USER.phoneNumber,
        text: composed.text,
        size: deliveredSize(combination, composed.text).size,
        maxSegments: target.brand.sms.maxSegments,
      },
      checks: smsChecks(
        context,
        combination,
        composed,
        composed.violations,
        tokenNames(required, null),
        target.brand.sms.maxSegments,
      ),
    },
  );
}

function sampleCode(kind: MessageKind): string {
  if (kind === 'accountTakeOver') return '';
  return kind === 'adminCreateUser' ? SAMPLE_CODES.temporaryPassword : SAMPLE_CODES.code;
}

/** The sample sender event of a combination, parsed as the handler parses it, and the target it resolves to. */
function senderSample(
  context: GalleryContext,
  config: SenderConfig,
  combination: Combination,
  type: Parameters<typeof parseSenderEvent>[1],
): { request: SenderRequest; target: ResolvedTarget } {
  const request = parseSenderEvent(
    sampleSenderEvent(combination.triggerSource, combination.locale, combination.brand),
    type,
  );
  return { request, target: sampleTarget(context, config, request, combination) };
}

/** Sender mode's email exactly as CustomEmailSender composes it (composeSenderEmail), sent only without violations. */
function renderSenderEmail(context: GalleryContext, combination: Combination): PreviewEntry {
  const { pack, emailConfig: config } = context;
  const { request, target } = senderSample(context, config, combination, 'customEmailSenderRequestV1');
  const to = SAMPLE_USER.email;
  const composition = composeSenderEmail(pack, config, request, target, sampleCode(combination.kind), to);
  const { from, subject, html, text } = composition.outgoing;
  const email: EmailPreview = { from, to, subject, html, text };
  return entry(
    combination,
    composition.violations.length === 0
      ? 'CustomEmailSender sends this through SES (HTML and text parts)'
      : 'CustomEmailSender refuses to send this (MessageValidationError): the invocation fails',
    {
      email,
      sms: null,
      checks: emailChecks(context, combination, email, composition, tokenNames(composition.required, null)),
    },
  );
}

/** Sender mode's SMS exactly as CustomSMSSender composes it (composeSenderSms), sent only without violations. */
function renderSenderSms(context: GalleryContext, combination: Combination): PreviewEntry {
  const { pack, smsConfig: config } = context;
  const { request, target } = senderSample(context, config, combination, 'customSMSSenderRequestV1');
  const to = SAMPLE_USER.phoneNumber;
  const composition = composeSenderSms(pack, config, request, target, sampleCode(combination.kind), to);
  const { composed, outgoing, violations } = composition;
  const outcome =
    violations.length > 0
      ? 'CustomSMSSender refuses to send this (MessageValidationError): the invocation fails'
      : composed.segmentViolation
        ? 'CustomSMSSender sends this through SNS and logs a segment-budget warning'
        : 'CustomSMSSender sends this through SNS';
  const from = outgoing.senderId ?? outgoing.originationNumber ?? 'the account default sender';
  const maxSegments = target.brand.sms.maxSegments;
  return entry(combination, outcome, {
    email: null,
    sms: { from, to, text: outgoing.text, size: composed.size, maxSegments },
    checks: smsChecks(context, combination, composed, violations, tokenNames(composition.required, null), maxSegments),
  });
}
