/**
 * A sender's message, composed once: rendered, checked (the text part too)
 * and shaped for SES or SNS. The handlers send it only when it has no
 * violation; the preview and `npm run check` show the same result, reasons
 * and all.
 */
import { checkText, type RequiredToken } from '../check/cognito-rules.js';
import type { OutgoingEmail } from '../delivery/ses-delivery.js';
import type { OutgoingSms } from '../delivery/sns-delivery.js';
import { MessageValidationError } from '../errors.js';
import type { SenderRequest } from '../event/cognito-event.js';
import type { MessageKind } from '../event/message-kind.js';
import type { Logger } from '../log.js';
import { type IsolatedValues, isolateForRtl } from '../render/bidi-isolation.js';
import { type ComposedEmail, type ComposedSms, composeEmail, composeSms, requiredTokens } from '../render/compose.js';
import { emailText } from '../render/email-text.js';
import type { MessageValues } from '../render/render.js';
import type { TemplatePack } from '../render/template-pack.js';
import type { ResolvedTarget } from '../target/resolve-target.js';
import type { SenderConfig } from './sender-config.js';
import { senderValues } from './sender-values.js';

export interface SenderComposition<Outgoing> {
  values: MessageValues;
  required: RequiredToken[];
  /** What SES or SNS would be given. */
  outgoing: Outgoing;
  /** Every rule the message breaks; it is sent only when there is none. */
  violations: string[];
  fallbackKeys: string[];
  /** The pack path of each template that served a part. */
  templateFiles: string[];
}

export interface SenderEmail extends SenderComposition<OutgoingEmail> {
  composed: ComposedEmail;
}

export interface SenderSms extends SenderComposition<OutgoingSms> {
  composed: ComposedSms;
}

/** Renders and checks the email and its text part, and builds the SES message. */
export function composeSenderEmail(
  pack: TemplatePack,
  config: SenderConfig,
  request: SenderRequest,
  target: ResolvedTarget,
  code: string,
  to: string,
): SenderEmail {
  const values = senderValues(config, request, target, code, 'email');
  const required = requiredTokens(values, 'code');
  const composed = composeEmail(pack, target, values, required);
  const rtl = pack.locales.get(target.locale)?.dir === 'rtl';
  const text = emailText(composed.html, { dir: rtl ? 'rtl' : 'ltr', isolate: isolatedValues(values) });
  const outgoing: OutgoingEmail = {
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
  return {
    values,
    required,
    composed,
    outgoing,
    violations: [...composed.violations, ...checkText('text body', text, required), ...valueIsolates(values)],
    fallbackKeys: composed.fallbackKeys,
    templateFiles: composed.templateFiles,
  };
}

/** Renders and checks the SMS against SNS's limits, and builds the SNS message. */
export function composeSenderSms(
  pack: TemplatePack,
  config: SenderConfig,
  request: SenderRequest,
  target: ResolvedTarget,
  code: string,
  phoneNumber: string,
): SenderSms {
  const values = senderValues(config, request, target, code, 'sms');
  const required = requiredTokens(values, 'code');
  const rtl = pack.locales.get(target.locale)?.dir === 'rtl';
  const isolate = isolatedValues(values);
  const oneTap = webOtpLine(target, code);
  const composed = composeSms(pack, target, values, required, 'sns', (text) => {
    const shaped = rtl ? isolateForRtl(text, isolate) : text;
    return oneTap === null ? shaped : `${shaped}\n${oneTap}`;
  });
  return {
    values,
    required,
    composed,
    outgoing: {
      phoneNumber,
      text: composed.text,
      senderId: target.brand.sms.senderId ?? config.smsSenderId,
      originationNumber: target.brand.sms.originationNumber ?? config.smsOriginationNumber,
    },
    violations: [...composed.violations, ...valueIsolates(values)],
    fallbackKeys: composed.fallbackKeys,
    templateFiles: composed.templateFiles,
  };
}

// Kinds whose code a page types in; an invitation's temporary password is not one (WebOTP is for one-time codes).
export const ONE_TIME_CODE_KINDS: ReadonlySet<MessageKind> = new Set([
  'signUp',
  'resendCode',
  'forgotPassword',
  'updateUserAttribute',
  'verifyUserAttribute',
  'authentication',
]);

/**
 * WebOTP's last line, `@<domain> #<code>`, when the brand sets
 * `sms.webOtpDomain` (https://wicg.github.io/sms-one-time-codes/): browsers
 * and Android offer to fill the code in on that domain's pages. iOS reads the
 * code from the text as it is. Only the sender can add it: a CustomMessage
 * SMS is one line.
 */
export function webOtpLine(target: ResolvedTarget, code: string): string | null {
  const domain = target.brand.sms.webOtpDomain;
  if (!domain || !ONE_TIME_CODE_KINDS.has(target.kind) || !/^[^\s#@]+$/.test(code)) return null;
  return `@${domain} #${code}`;
}

const ISOLATE = /[\u2066-\u2069]/;

/**
 * The senders' rules let bidi isolates through because the pack writes them;
 * one inside a value (a username, a temporary password, a name) would come
 * from outside and could reorder the text around it, so it is refused, by
 * label only.
 */
function valueIsolates(values: MessageValues): string[] {
  const labelled: Array<[string, string | null]> = [
    ['code', values.code],
    ['username', values.username],
    ['name', values.name],
  ];
  return labelled
    .filter(([, value]) => value !== null && ISOLATE.test(value))
    .map(([label]) => `the ${label} has a bidi isolate (U+2066–U+2069), which only the pack writes`);
}

/** The values a right-to-left text isolates besides URLs and addresses: the code and the username. */
function isolatedValues(values: MessageValues): IsolatedValues {
  return {
    ltr: values.accountTakeOver === null ? [values.code] : [],
    either: values.username ? [values.username] : [],
  };
}

/** The email to send; throws MessageValidationError rather than send a broken one. */
export function prepareEmail(
  { pack, config }: { pack: TemplatePack; config: SenderConfig },
  request: SenderRequest,
  target: ResolvedTarget,
  code: string,
  to: string,
): OutgoingEmail {
  const email = composeSenderEmail(pack, config, request, target, code, to);
  if (email.violations.length > 0) {
    throw new MessageValidationError(
      `${target.kind} email for ${target.locale}/${target.brand.id} is invalid`,
      email.violations,
    );
  }
  return email.outgoing;
}

/** The SMS to send; a segment overrun is logged (the code still goes out), a rule violation throws. */
export function prepareSms(
  { pack, config }: { pack: TemplatePack; config: SenderConfig },
  request: SenderRequest,
  target: ResolvedTarget,
  code: string,
  phoneNumber: string,
  log: Logger,
): OutgoingSms {
  const sms = composeSenderSms(pack, config, request, target, code, phoneNumber);
  if (sms.violations.length > 0) {
    throw new MessageValidationError(
      `${target.kind} SMS for ${target.locale}/${target.brand.id} is invalid`,
      sms.violations,
    );
  }
  if (sms.composed.segmentViolation)
    log.warn('SMS exceeds the segment budget', { reason: sms.composed.segmentViolation });
  return sms.outgoing;
}
