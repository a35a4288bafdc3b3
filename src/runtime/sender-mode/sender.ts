/**
 * Sender mode: Cognito hands us the code encrypted; we decrypt it, render the
 * same templates as message mode, check the result and deliver it through
 * SES or SNS. Order matters: everything that can be checked is checked
 * before anything is sent, so a bad event sends nothing, and a failed send
 * throws so that Lambda retries it and the on-failure destination keeps it.
 */

import { checkText } from '../check/cognito-rules.js';
import { E164 } from '../delivery/delivery-formats.js';
import type { EmailDelivery, OutgoingEmail } from '../delivery/ses-delivery.js';
import type { OutgoingSms, SmsDelivery } from '../delivery/sns-delivery.js';
import { InvalidEventError, InvalidRecipientError, MessageValidationError } from '../errors.js';
import type { SenderRequest } from '../event/cognito-event.js';
import { kindOfTriggerSource, type MessageKind, VERIFYING_KINDS } from '../event/message-kind.js';
import { describeError, type Logger, maskEmail, maskPhone } from '../log.js';
import { composeEmail, composeSms, requiredTokens } from '../render/compose.js';
import { emailText } from '../render/email-text.js';
import { decodeHtmlEntities } from '../render/html-entities.js';
import type { AccountTakeOverDetails, MessageValues } from '../render/render.js';
import type { TemplatePack } from '../render/template-pack.js';
import { cleanDisplayText } from '../render/untrusted-text.js';
import type { Brand } from '../target/brand.js';
import { type ResolvedTarget, resolveTarget } from '../target/resolve-target.js';
import type { CodeDecrypter } from './decrypt-code.js';
import type { SenderConfig } from './sender-config.js';

export interface SenderContext {
  pack: TemplatePack;
  config: SenderConfig;
  decrypter: CodeDecrypter;
  log: Logger;
}

/** Handles one CustomEmailSender event end to end; resolves once SES accepted the message. */
export async function handleEmailSenderEvent(
  request: SenderRequest,
  ctx: SenderContext,
  delivery: EmailDelivery,
): Promise<void> {
  const kind = senderKind('CustomEmailSender', request.triggerSource);
  const to = emailRecipient(request.userAttributes.email);
  const target = resolveTarget(ctx.pack, ctx.config, request, kind);
  const log = ctx.log.child({ locale: target.locale, brand: target.brand.id, to: maskEmail(to) });
  const code = kind === 'accountTakeOver' ? '' : await decryptCode(request, kind, ctx);
  const email = prepareEmail(ctx, request, target, code, to);
  if (kind === 'accountTakeOver') noteForeignOneClickLinks(log, request, ctx.config);
  await deliverOnce(log, () => delivery.send(email));
}

/** Handles one CustomSMSSender event end to end; resolves once SNS accepted the message. */
export async function handleSmsSenderEvent(
  request: SenderRequest,
  ctx: SenderContext,
  delivery: SmsDelivery,
): Promise<void> {
  const kind = senderKind('CustomSMSSender', request.triggerSource);
  const phoneNumber = smsRecipient(request.userAttributes.phone_number);
  const target = resolveTarget(ctx.pack, ctx.config, request, kind);
  const log = ctx.log.child({ locale: target.locale, brand: target.brand.id, to: maskPhone(phoneNumber) });
  const code = await decryptCode(request, kind, ctx);
  const sms = prepareSms(ctx, request, target, code, phoneNumber, log);
  await deliverOnce(log, () => delivery.send(sms));
}

/** Renders and checks the email; throws MessageValidationError rather than send a broken one. */
export function prepareEmail(
  { pack, config }: Pick<SenderContext, 'pack' | 'config'>,
  request: SenderRequest,
  target: ResolvedTarget,
  code: string,
  to: string,
): OutgoingEmail {
  const values = senderValues(config, request, target, code, to);
  const required = requiredTokens(values, 'code');
  const composed = composeEmail(pack, target, values, required);
  const text = emailText(composed.html);
  const violations = [...composed.violations, ...checkText('text body', text, required)];
  if (violations.length > 0)
    throw new MessageValidationError(
      `${target.kind} email for ${target.locale}/${target.brand.id} is invalid`,
      violations,
    );
  return {
    from: target.brand.email.from ?? config.emailFrom ?? '',
    to,
    replyTo: target.brand.email.replyTo,
    subject: composed.subject,
    html: composed.html,
    text,
    configurationSet: target.brand.email.configurationSet ?? config.sesConfigurationSet,
    sourceArn: config.sesSourceArn,
    tags: [
      { name: 'triggerSource', value: request.triggerSource },
      { name: 'brand', value: target.brand.id },
      { name: 'locale', value: target.locale },
    ],
  };
}

/** Renders and checks the SMS; a segment overrun is logged (the code still goes out), a rule violation throws. */
export function prepareSms(
  { pack, config }: Pick<SenderContext, 'pack' | 'config'>,
  request: SenderRequest,
  target: ResolvedTarget,
  code: string,
  phoneNumber: string,
  log: Logger,
): OutgoingSms {
  const values = senderValues(config, request, target, code, phoneNumber);
  const composed = composeSms(pack, target, values, requiredTokens(values, 'code'), 'sns');
  if (composed.violations.length > 0) {
    throw new MessageValidationError(
      `${target.kind} SMS for ${target.locale}/${target.brand.id} is invalid`,
      composed.violations,
    );
  }
  if (composed.segmentViolation) log.warn('SMS exceeds the segment budget', { reason: composed.segmentViolation });
  return {
    phoneNumber,
    text: composed.text,
    senderId: target.brand.sms.senderId ?? config.smsSenderId,
    originationNumber: target.brand.sms.originationNumber ?? config.smsOriginationNumber,
  };
}

function senderKind(family: 'CustomEmailSender' | 'CustomSMSSender', triggerSource: string): MessageKind {
  const kind = kindOfTriggerSource(family, triggerSource);
  if (!kind) throw new InvalidEventError(`triggerSource ${JSON.stringify(triggerSource)} is not a ${family} source`);
  return kind;
}

// Deliberately plain: one @, no spaces or angle brackets, a dot in the domain,
// printable ASCII only (SES v1 needs an ASCII/punycode address).
const EMAIL_ADDRESS =
  /^[!#-'*+\-/-9=?A-Z^-~]+(?:\.[!#-'*+\-/-9=?A-Z^-~]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The user's `email` attribute, or InvalidRecipientError: never a guess, never another address. */
export function emailRecipient(email: string | undefined): string {
  if (email === undefined) throw new InvalidRecipientError('the user has no email attribute; nothing was sent');
  if (email.length > 254 || !EMAIL_ADDRESS.test(email)) {
    throw new InvalidRecipientError(
      `the user's email attribute (${maskEmail(email)}) is not a valid address; nothing was sent`,
    );
  }
  return email;
}

/** The user's `phone_number` attribute in E.164, or InvalidRecipientError. */
export function smsRecipient(phone: string | undefined): string {
  if (phone === undefined) throw new InvalidRecipientError('the user has no phone_number attribute; nothing was sent');
  if (!E164.test(phone)) {
    throw new InvalidRecipientError(
      `the user's phone_number (${maskPhone(phone)}) is not E.164 (+ and 7–15 digits); nothing was sent`,
    );
  }
  return phone;
}

async function decryptCode(request: SenderRequest, kind: MessageKind, ctx: SenderContext): Promise<string> {
  if (!request.code) throw new InvalidEventError('request.code is empty; there is no code to send');
  const plaintext = await ctx.decrypter.decrypt(request.code, request.userPoolId);
  // Cognito HTML-escapes the AdminCreateUser temporary password (docs/cognito.md).
  const code = kind === 'adminCreateUser' ? unescapeHtml(plaintext) : plaintext;
  if (code.length === 0 || code.length > 256) throw new InvalidEventError('the decrypted code is empty or too long');
  return code;
}

/** Reverses Cognito's HTML escaping of a temporary password: the basic names and numeric references. */
export function unescapeHtml(value: string): string {
  return decodeHtmlEntities(value);
}

/** What fills a sender's message: the decrypted code, the brand's links, the cleaned display name. */
export function senderValues(
  config: Pick<SenderConfig, 'accountTakeOverLinkHosts'>,
  request: SenderRequest,
  target: ResolvedTarget,
  code: string,
  recipient: string,
): MessageValues {
  const { kind, brand } = target;
  const username = kind === 'adminCreateUser' ? signInName(request, recipient) : null;
  return {
    code,
    username,
    cognitoLink: null,
    verifyUrl: VERIFYING_KINDS.has(kind) ? verificationUrl(brand, target.linkOrigin, code, request.userName) : null,
    signInUrl: kind === 'adminCreateUser' ? (brand.links?.signInUrl ?? null) : null,
    name: target.name,
    accountTakeOver:
      kind === 'accountTakeOver'
        ? accountTakeOverDetails(request.userAttributes, target.locale, oneClickLinkHosts(config, request.userPoolId))
        : null,
  };
}

/**
 * What an invited user types to sign in. In pools that sign in by email or
 * phone, Cognito's userName is the generated `sub`, so show the address.
 */
function signInName(request: SenderRequest, recipient: string): string {
  return request.userName === request.userAttributes.sub ? recipient : request.userName;
}

/**
 * The brand's verification link with code and username in the query. The
 * base always comes from the brand; `allowedOrigin` is clientMetadata.linkOrigin
 * once resolveTarget found it allow-listed (by the brand or the stage).
 */
export function verificationUrl(
  brand: Brand,
  allowedOrigin: string | undefined,
  code: string,
  username: string,
): string | null {
  const base = brand.links?.verifyUrl;
  if (!base) return null;
  const url = new URL(base);
  if (allowedOrigin !== undefined) {
    const origin = new URL(allowedOrigin);
    url.protocol = origin.protocol;
    url.host = origin.host;
  }
  url.searchParams.set('code', code);
  url.searchParams.set('username', username);
  return url.toString();
}

const ACTION_KEYS: Readonly<Record<string, AccountTakeOverDetails['actionKey']>> = {
  BLOCK: 'actionBlock',
  MFA_IF_CONFIGURED: 'actionMfaIfConfigured',
  MFA_REQUIRED: 'actionMfaRequired',
  NO_ACTION: 'actionNoAction',
};

/**
 * The hosts a one-click link of an AccountTakeOverNotification may point at:
 * ACCOUNT_TAKEOVER_LINK_HOSTS when set, else Cognito's own endpoint in the
 * pool's region. AWS does not document the links' host (docs/security.md), so
 * a link elsewhere is left out and logged rather than trusted: a forged event
 * must not put a button to any host into a branded email.
 */
export function oneClickLinkHosts(
  config: Pick<SenderConfig, 'accountTakeOverLinkHosts'>,
  userPoolId: string,
): readonly string[] {
  if (config.accountTakeOverLinkHosts.length > 0) return config.accountTakeOverLinkHosts;
  const region = userPoolId.slice(0, Math.max(userPoolId.indexOf('_'), 0));
  return region ? [`cognito-idp.${region}.amazonaws.com`, `cognito-idp.${region}.amazonaws.com.cn`] : [];
}

/** The sign-in details of an AccountTakeOverNotification, cleaned for display; links only to `linkHosts` over https. */
export function accountTakeOverDetails(
  attributes: Readonly<Record<string, string>>,
  locale: string,
  linkHosts: readonly string[],
): AccountTakeOverDetails {
  const action = attributes.ACCOUNT_TAKE_OVER_ACTION?.toUpperCase() ?? '';
  const location = [attributes.CITY, attributes.COUNTRY].map((part) => cleanDisplayText(part, 60)).filter(Boolean);
  return {
    actionKey: Object.hasOwn(ACTION_KEYS, action) ? (ACTION_KEYS[action] ?? null) : null,
    time: formatLoginTime(attributes.LOGIN_TIME, locale),
    ip: cleanDisplayText(attributes.IP_ADDRESS, 45),
    location: location.length > 0 ? location.join(', ') : null,
    device: cleanDisplayText(attributes.DEVICE_NAME, 80),
    confirmUrl: oneClickLink(attributes.ONE_CLICK_LINK_VALID, linkHosts),
    denyUrl: oneClickLink(attributes.ONE_CLICK_LINK_INVALID, linkHosts),
  };
}

function formatLoginTime(value: string | undefined, locale: string): string | null {
  if (!value) return null;
  const millis = /^\d{10,13}$/.test(value) ? Number(value) * (value.length === 10 ? 1000 : 1) : Date.parse(value);
  if (Number.isNaN(millis)) return cleanDisplayText(value, 60);
  const formatted = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(
    millis,
  );
  return cleanDisplayText(`${formatted} UTC`, 80);
}

/** `value` when it is an https URL on one of `hosts` (no credentials, default port), else null. */
export function oneClickLink(value: string | undefined, hosts: readonly string[]): string | null {
  if (!value || value.length > 2048) return null;
  try {
    const url = new URL(value);
    const plain = url.protocol === 'https:' && url.port === '' && url.username === '' && url.password === '';
    return plain && hosts.includes(url.hostname) ? value : null;
  } catch {
    return null;
  }
}

function noteForeignOneClickLinks(log: Logger, request: SenderRequest, config: SenderConfig): void {
  const hosts = oneClickLinkHosts(config, request.userPoolId);
  const left = ['ONE_CLICK_LINK_VALID', 'ONE_CLICK_LINK_INVALID'].filter(
    (key) => request.userAttributes[key] !== undefined && oneClickLink(request.userAttributes[key], hosts) === null,
  );
  if (left.length > 0) {
    log.warn('one-click links outside the allowed hosts were left out of the email', {
      attributes: left,
      allowedHosts: hosts,
    });
  }
}

/** One send per invocation; the outcome is logged either way and a failure is rethrown for Lambda to retry. */
async function deliverOnce(log: Logger, send: () => Promise<{ messageId: string }>): Promise<void> {
  try {
    const { messageId } = await send();
    log.info('message sent', { outcome: 'sent', messageId });
  } catch (error) {
    log.error('delivery failed; the invocation fails so Lambda retries it', {
      outcome: 'failed',
      ...describeError(error),
    });
    throw error;
  }
}
