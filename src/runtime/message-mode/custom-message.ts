/**
 * Message mode: the CustomMessage response. Cognito puts the code in and
 * delivers, so we return text with its placeholders, and every field we
 * return must pass Cognito's rules (cognito-rules.ts). A channel that cannot
 * be rendered valid is left null, so Cognito sends its default message and the
 * user still gets a code: a template problem never fails the user's API call.
 */

import type { RequiredToken } from '../check/cognito-rules.js';
import type { MessageConfig } from '../config.js';
import type { CustomMessageRequest } from '../event/cognito-event.js';
import { type Channel, kindOfTriggerSource, VERIFYING_KINDS } from '../event/message-kind.js';
import { describeError, type Logger } from '../log.js';
import { type ComposedEmail, type ComposedSms, composeEmail, composeSms, requiredTokens } from '../render/compose.js';
import type { MessageValues } from '../render/render.js';
import type { TemplatePack } from '../render/template-pack.js';
import { type ResolvedTarget, resolveTarget } from '../target/resolve-target.js';
import { invitationSignIn, type SignInAttribute } from '../target/sign-in-name.js';

export interface CustomMessageFields {
  emailSubject: string | null;
  emailMessage: string | null;
  smsMessage: string | null;
}

const DEFAULTS: CustomMessageFields = { emailSubject: null, emailMessage: null, smsMessage: null };

/**
 * What fills a CustomMessage: Cognito's placeholders exactly as the request
 * carries them. Its link placeholder only goes into a message that verifies
 * an address; on a password reset or an invitation it would read "verify my
 * email" (and the validator would then demand it).
 *
 * An invitation in a pool that signs in by address names the address from
 * the user's attributes: what Cognito writes for `{username}` there is not
 * documented. The message still carries `{username}` (Cognito delivers no
 * invitation without it), through `adminCreateUser.accountNote`.
 */
export function customMessageValues(
  request: CustomMessageRequest,
  { kind, brand, name }: ResolvedTarget,
  codeParameter: string,
  signInAttributes: readonly SignInAttribute[] = ['username'],
  channel: Channel = 'email',
): MessageValues {
  const usernameParameter = kind === 'adminCreateUser' ? request.usernameParameter : null;
  const signIn =
    usernameParameter === null
      ? null
      : invitationSignIn(signInAttributes, request.userAttributes, usernameParameter, channel);
  const signInWith = signIn === null || signIn.attribute === 'username' ? null : signIn.attribute;
  return {
    code: codeParameter,
    username: signIn?.value ?? null,
    signInWith,
    account: signInWith === null ? null : usernameParameter,
    cognitoLink: VERIFYING_KINDS.has(kind) ? request.linkParameter : null,
    verifyUrl: null,
    signInUrl: kind === 'adminCreateUser' ? (brand.links?.signInUrl ?? null) : null,
    name,
    accountTakeOver: null,
  };
}

/** One channel of a CustomMessage, composed once: the rendered message, its checks, and what the handler returns. */
export interface CustomMessageChannel<Composed, Fields> {
  composed: Composed;
  required: RequiredToken[];
  /** What the response carries for this channel: the message, or nulls when a rule fails. */
  fields: Fields;
}

/** The email of a CustomMessage; throws TemplateRenderError only when the templates cannot render. */
export function composeCustomMessageEmail(
  pack: TemplatePack,
  target: ResolvedTarget,
  values: MessageValues,
): CustomMessageChannel<ComposedEmail, Pick<CustomMessageFields, 'emailSubject' | 'emailMessage'>> {
  const required = customMessageTokens(values);
  const composed = composeEmail(pack, target, values, required);
  const valid = composed.violations.length === 0;
  return {
    composed,
    required,
    fields: { emailSubject: valid ? composed.subject : null, emailMessage: valid ? composed.html : null },
  };
}

/** The SMS of a CustomMessage; an over-budget SMS is still returned (the segment budget is a template check). */
export function composeCustomMessageSms(
  pack: TemplatePack,
  target: ResolvedTarget,
  values: MessageValues,
): CustomMessageChannel<ComposedSms, Pick<CustomMessageFields, 'smsMessage'>> {
  const required = customMessageTokens(values);
  const composed = composeSms(pack, target, values, required);
  return { composed, required, fields: { smsMessage: composed.violations.length === 0 ? composed.text : null } };
}

/** The tokens Cognito demands: the code, and for an invitation `{username}` even when it names an address. */
export function customMessageTokens(values: MessageValues): RequiredToken[] {
  const tokens = requiredTokens(values);
  if (values.account) tokens.push({ label: 'username placeholder', value: values.account });
  return tokens;
}

/** Renders and checks both channels; never throws for a template problem. */
export function composeCustomMessage(
  request: CustomMessageRequest,
  pack: TemplatePack,
  config: MessageConfig,
  log: Logger,
): CustomMessageFields {
  const kind = kindOfTriggerSource('CustomMessage', request.triggerSource);
  if (!kind) {
    log.warn('unknown trigger source; Cognito will send its default message', { outcome: 'default' });
    return DEFAULTS;
  }
  if (!request.codeParameter) {
    log.error('event has no codeParameter; Cognito will send its default message', { outcome: 'default' });
    return DEFAULTS;
  }
  const target = resolveTarget(pack, config, request, kind);
  const valuesFor = (channel: Channel) =>
    customMessageValues(request, target, request.codeParameter ?? '', config.signInAttributes, channel);
  const emailValues = valuesFor('email');
  const smsValues = valuesFor('sms');
  const channelLog = log.child({ locale: target.locale, brand: target.brand.id });
  const cacheKey = JSON.stringify([
    kind,
    target.locale,
    target.brand.id,
    emailValues.code,
    emailValues.username,
    smsValues.username,
    emailValues.account,
    emailValues.cognitoLink,
    emailValues.name,
  ]);
  const cached = renderedCache(pack).get(cacheKey);
  if (cached) {
    channelLog.info('custom message composed', { outcome: 'rendered', email: true, sms: true, cached: true });
    return { ...cached };
  }

  const fields: CustomMessageFields = { ...DEFAULTS };
  let clean = true;
  const warn: Logger['warn'] = (message, details) => {
    clean = false;
    channelLog.warn(message, details);
  };
  attempt(channelLog, 'email', () => {
    const email = composeCustomMessageEmail(pack, target, emailValues);
    noteFallbacks(warn, 'email', email.composed.fallbackKeys);
    Object.assign(fields, email.fields);
    return email.composed.violations;
  });
  attempt(channelLog, 'sms', () => {
    const sms = composeCustomMessageSms(pack, target, smsValues);
    const { segmentViolation } = sms.composed;
    noteFallbacks(warn, 'sms', sms.composed.fallbackKeys);
    // Over-budget segments are a template-check failure, not a reason to drop the user's code here.
    if (segmentViolation) warn('SMS exceeds the segment budget', { channel: 'sms', reason: segmentViolation });
    Object.assign(fields, sms.fields);
    return sms.composed.violations;
  });
  channelLog.info('custom message composed', {
    outcome: 'rendered',
    email: fields.emailMessage !== null,
    sms: fields.smsMessage !== null,
  });
  // Only a clean result is reused, so every warning or fallback is logged on every invocation.
  if (clean && fields.emailMessage !== null && fields.smsMessage !== null) remember(pack, cacheKey, fields);
  return fields;
}

/**
 * Rendered responses by everything that shapes them (kind, locale, brand,
 * Cognito's placeholders, the display name): rendering is deterministic, so a
 * warm container answers repeat shapes from memory. Bounded, oldest out.
 */
const RENDERED_CACHE_SIZE = 500;
const renderedByPack = new WeakMap<TemplatePack, Map<string, CustomMessageFields>>();

function renderedCache(pack: TemplatePack): Map<string, CustomMessageFields> {
  let cache = renderedByPack.get(pack);
  if (!cache) {
    cache = new Map();
    renderedByPack.set(pack, cache);
  }
  return cache;
}

function remember(pack: TemplatePack, key: string, fields: CustomMessageFields): void {
  const cache = renderedCache(pack);
  if (cache.size >= RENDERED_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, { ...fields });
}

/** Runs one channel; any violation or render error leaves it null and is logged, never thrown. */
function attempt(log: Logger, channel: Channel, render: () => string[]): void {
  try {
    const violations = render();
    if (violations.length > 0) {
      log.error('rendered message breaks Cognito rules; falling back to the pool default', { channel, violations });
    }
  } catch (error) {
    log.error('template failed; falling back to the pool default', { channel, ...describeError(error) });
  }
}

function noteFallbacks(warn: Logger['warn'], channel: string, keys: readonly string[]): void {
  if (keys.length > 0) warn('catalog keys missing from locale; used the source locale', { channel, keys });
}
