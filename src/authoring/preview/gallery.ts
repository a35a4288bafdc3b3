/**
 * The gallery: every message the pack can send, rendered through the same
 * functions the handlers call, with its checks. Combinations are mode
 * (message: CustomMessage; sender: CustomEmailSender / CustomSMSSender) ×
 * trigger source × channel × locale × brand.
 */
import { performance } from 'node:perf_hooks';
import type { RequiredToken } from '../../runtime/check/cognito-rules.js';
import { LIMITS, SMS_LENGTH, type SmsDelivery } from '../../runtime/check/cognito-rules.js';
import { measureSms, type SmsSize } from '../../runtime/check/sms-encoding.js';
import { type MessageConfig, readMessageConfig } from '../../runtime/config.js';
import { MessageValidationError } from '../../runtime/errors.js';
import { parseCustomMessageEvent, parseSenderEvent } from '../../runtime/event/cognito-event.js';
import {
  kindOfTriggerSource,
  type MessageKind,
  type TriggerFamily,
  triggerSourcesOf,
} from '../../runtime/event/message-kind.js';
import { createLogger } from '../../runtime/log.js';
import { composeCustomMessage, customMessageValues } from '../../runtime/message-mode/custom-message.js';
import { type ComposedSms, composeEmail, composeSms, requiredTokens } from '../../runtime/render/compose.js';
import { emailText } from '../../runtime/render/email-text.js';
import { type TemplatePack, templateCandidates } from '../../runtime/render/template-pack.js';
import { prepareEmail, prepareSms, senderValues } from '../../runtime/sender-mode/sender.js';
import { readSenderConfig, type SenderConfig } from '../../runtime/sender-mode/sender-config.js';
import { type ResolvedTarget, resolveTarget } from '../../runtime/target/resolve-target.js';
import {
  type Channel,
  type CheckResult,
  type CheckStatus,
  catalogCheck,
  cognitoRulesCheck,
  directionCheck,
  linkOriginWarnings,
  placeholderCheck,
  renderCheck,
  smsSizeCheck,
  splitViolations,
  worstStatus,
} from '../checks.js';
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
}

const FAMILIES: Readonly<Record<PreviewMode, Readonly<Record<Channel, TriggerFamily>>>> = {
  message: { email: 'CustomMessage', sms: 'CustomMessage' },
  sender: { email: 'CustomEmailSender', sms: 'CustomSMSSender' },
};

/** The trigger family that sends `channel` in `mode`. */
export function familyOf(mode: PreviewMode, channel: Channel): TriggerFamily {
  return FAMILIES[mode][channel];
}

export function viewId(view: PreviewView): string {
  return [view.mode, view.source, view.locale, view.brand].join('.');
}

function suffixOf(triggerSource: string): string {
  return triggerSource.slice(triggerSource.indexOf('_') + 1);
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
        const source = suffixOf(triggerSource);
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
}

const silentLog = createLogger({ minLevel: 'error', write: () => {} });

/** Renders and checks every combination. Throws only when the pack itself is unusable (no brand, say). */
export function buildGallery(pack: TemplatePack): Gallery {
  const started = performance.now();
  const env = sampleEnv(pack);
  const context: GalleryContext = {
    pack,
    messageConfig: readMessageConfig(env, pack),
    emailConfig: readSenderConfig(env, pack, 'email'),
    smsConfig: readSenderConfig(env, pack, 'sms'),
  };
  const entries = listCombinations(pack).map((combination) => renderCombination(context, combination));
  const sources = triggerSourcesOf('CustomEmailSender').map(suffixOf);
  return {
    entries,
    sourceLocale: pack.sourceLocale,
    locales: [...pack.locales.values()].map(({ tag, name, dir }) => ({ tag, name, dir })),
    brands: [...pack.brands.values()].map(({ id, productName }) => ({ id, productName })),
    sources,
    renderMs: performance.now() - started,
    brandWarnings: linkOriginWarnings(pack.brands),
  };
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

function renderCombination(context: GalleryContext, combination: Combination): PreviewEntry {
  try {
    return combination.mode === 'message'
      ? renderMessageMode(context, combination)
      : combination.channel === 'email'
        ? renderSenderEmail(context, combination)
        : renderSenderSms(context, combination);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const checks = [renderCheck([], message)];
    return { ...combination, outcome: 'not rendered', email: null, sms: null, checks, status: worstStatus(checks) };
  }
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

function templatesUsed(pack: TemplatePack, combination: Combination): string[] {
  const names =
    combination.channel === 'email'
      ? [`${combination.kind}.subject`, `${combination.kind}.html`, 'layout.html']
      : [`${combination.kind}.sms`];
  return names.map((name) => {
    const path = templateCandidates(name, combination.brand, combination.locale).find((candidate) =>
      pack.templates.has(candidate),
    );
    return path === undefined ? `${name}: no template at any level` : `templates/${path}.hbs`;
  });
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

function smsMeasures(text: string, delivery: SmsDelivery): string[] {
  const { min, max, accepter } = SMS_LENGTH[delivery];
  return [
    `smsMessage: ${text.length} characters on one line (${accepter} accepts ${min}–${max.toLocaleString('en')})`,
    'only characters Cognito accepts',
  ];
}

function emailChecks(
  context: GalleryContext,
  combination: Combination,
  email: { subject: string; html: string; text: string | null },
  violations: readonly string[],
  tokens: string[],
  fallbackKeys: readonly string[],
): CheckResult[] {
  const { rules, placeholders } = splitViolations(violations);
  const locale = context.pack.locales.get(combination.locale);
  return [
    renderCheck(templatesUsed(context.pack, combination), null),
    cognitoRulesCheck(rules, emailMeasures(email.subject, email.html, email.text)),
    placeholderCheck(placeholders, tokens),
    catalogCheck(context.pack, combination, fallbackKeys),
    ...(locale ? [directionCheck(email.html, locale)] : []),
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
  return [
    renderCheck(templatesUsed(context.pack, combination), null),
    cognitoRulesCheck(rules, smsMeasures(composed.text, combination.mode === 'sender' ? 'sns' : 'cognito')),
    placeholderCheck(placeholders, tokens),
    smsSizeCheck(size, maxSegments, measuredAs),
    catalogCheck(context.pack, combination, composed.fallbackKeys),
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
 * Message mode: composeCustomMessage decides what the CustomMessage handler
 * returns; composeEmail / composeSms with the same values give the reasons.
 */
function renderMessageMode(context: GalleryContext, combination: Combination): PreviewEntry {
  const { pack, messageConfig } = context;
  const request = parseCustomMessageEvent(
    sampleCustomMessageEvent(combination.triggerSource, combination.locale, combination.brand),
  );
  const target = sampleTarget(context, messageConfig, request, combination);
  const fields = composeCustomMessage(request, pack, messageConfig, silentLog);
  // The values composeCustomMessage builds from the same request.
  const values = customMessageValues(request, target, request.codeParameter ?? COGNITO_PLACEHOLDERS.code);
  const required = requiredTokens(values);
  const tokens = tokenNames(required, combination.channel === 'email' ? values.cognitoLink : null);

  if (combination.channel === 'email') {
    const composed = composeEmail(pack, target, values, required);
    const returned = fields.emailMessage !== null && fields.emailSubject !== null;
    if (returned)
      assertSameRender(`${fields.emailSubject}\n${fields.emailMessage}`, `${composed.subject}\n${composed.html}`);
    const { subject, html } = composed;
    const violations =
      returned || composed.violations.length > 0
        ? composed.violations
        : ['the CustomMessage handler returned null for the email although no rule failed'];
    return entry(
      combination,
      returned
        ? 'CustomMessage returns this subject and body; Cognito puts the code in and sends it'
        : "CustomMessage returns null: Cognito sends the pool's default email instead",
      {
        email: { from: "the pool's FROM address", to: SAMPLE_USER.email, subject, html, text: emailText(html) },
        sms: null,
        checks: emailChecks(
          context,
          combination,
          { subject, html, text: null },
          violations,
          tokens,
          composed.fallbackKeys,
        ),
      },
    );
  }
  const composed = composeSms(pack, target, values, required);
  const returned = fields.smsMessage !== null;
  if (fields.smsMessage !== null) assertSameRender(fields.smsMessage, composed.text);
  const violations =
    returned || composed.violations.length > 0
      ? composed.violations
      : ['the CustomMessage handler returned null for the SMS although no rule failed'];
  return entry(
    combination,
    returned
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
      checks: smsChecks(context, combination, composed, violations, tokens, target.brand.sms.maxSegments),
    },
  );
}

function sampleCode(kind: MessageKind): string {
  if (kind === 'accountTakeOver') return '';
  return kind === 'adminCreateUser' ? SAMPLE_CODES.temporaryPassword : SAMPLE_CODES.code;
}

/**
 * The preview builds the handlers' values itself, to show and explain a
 * message they refuse. Should those values drift from what the handler
 * renders, the checks would describe another message: fail loudly instead.
 */
function assertSameRender(sent: string, previewed: string): void {
  if (sent !== previewed) {
    throw new Error(
      "the preview's sample values no longer match what the handler renders; update the values in src/authoring/preview/gallery.ts",
    );
  }
}

function renderSenderEmail(context: GalleryContext, combination: Combination): PreviewEntry {
  const { pack, emailConfig: config } = context;
  const request = parseSenderEvent(
    sampleSenderEvent(combination.triggerSource, combination.locale, combination.brand),
    'customEmailSenderRequestV1',
  );
  const target = sampleTarget(context, config, request, combination);
  const code = sampleCode(combination.kind);
  const to = SAMPLE_USER.email;
  const values = senderValues(config, request, target, code, to);
  const required = requiredTokens(values, 'code');
  const composed = composeEmail(pack, target, values, required);
  let violations: readonly string[] = [];
  let email: EmailPreview;
  let outcome: string;
  try {
    const outgoing = prepareEmail({ pack, config }, request, target, code, to);
    assertSameRender(outgoing.html, composed.html);
    email = { from: outgoing.from, to, subject: outgoing.subject, html: outgoing.html, text: outgoing.text };
    outcome = 'CustomEmailSender sends this through SES (HTML and text parts)';
  } catch (error) {
    if (!(error instanceof MessageValidationError)) throw error;
    violations = error.violations;
    const from = target.brand.email.from ?? config.emailFrom ?? '';
    email = { from, to, subject: composed.subject, html: composed.html, text: emailText(composed.html) };
    outcome = 'CustomEmailSender refuses to send this (MessageValidationError): the invocation fails';
  }
  return entry(combination, outcome, {
    email,
    sms: null,
    checks: emailChecks(context, combination, email, violations, tokenNames(required, null), composed.fallbackKeys),
  });
}

function renderSenderSms(context: GalleryContext, combination: Combination): PreviewEntry {
  const { pack, smsConfig: config } = context;
  const request = parseSenderEvent(
    sampleSenderEvent(combination.triggerSource, combination.locale, combination.brand),
    'customSMSSenderRequestV1',
  );
  const target = sampleTarget(context, config, request, combination);
  const code = sampleCode(combination.kind);
  const to = SAMPLE_USER.phoneNumber;
  const values = senderValues(config, request, target, code, to);
  const required = requiredTokens(values, 'code');
  const composed = composeSms(pack, target, values, required, 'sns');
  const maxSegments = target.brand.sms.maxSegments;
  let violations: readonly string[] = [];
  let text = composed.text;
  let from = target.brand.sms.senderId ?? config.smsSenderId ?? 'the account default sender';
  let outcome: string;
  try {
    const outgoing = prepareSms({ pack, config }, request, target, code, to, silentLog);
    assertSameRender(outgoing.text, composed.text);
    text = outgoing.text;
    from = outgoing.senderId ?? outgoing.originationNumber ?? from;
    outcome = composed.segmentViolation
      ? 'CustomSMSSender sends this through SNS and logs a segment-budget warning'
      : 'CustomSMSSender sends this through SNS';
  } catch (error) {
    if (!(error instanceof MessageValidationError)) throw error;
    violations = error.violations;
    outcome = 'CustomSMSSender refuses to send this (MessageValidationError): the invocation fails';
  }
  return entry(combination, outcome, {
    email: null,
    sms: { from, to, text, size: composed.size, maxSegments },
    checks: smsChecks(context, combination, composed, violations, tokenNames(required, null), maxSegments),
  });
}
