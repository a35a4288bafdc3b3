/**
 * `send-test --to ADDRESS|PHONE`: one sender-mode message, rendered with the
 * preview's samples (a clearly fake code, never a real one) through the
 * senders' own composition, checked, and sent through SES SendEmail or SNS
 * Publish with the caller's credentials and region (or `AWS_ENDPOINT_URL`),
 * exactly as CustomEmailSender or CustomSMSSender would send it. It never
 * picks a recipient, and never sends a message that fails its checks.
 */
import { SESClient } from '@aws-sdk/client-ses';
import { SNSClient } from '@aws-sdk/client-sns';
import { buildGallery } from '../authoring/preview/gallery.js';
import { SAMPLE_CODES, sampleEnv, sampleSenderEvent } from '../authoring/preview/samples.js';
import { UsageError } from '../cli/usage-error.js';
import type { Env } from '../runtime/config.js';
import { sendClientConfig } from '../runtime/delivery/aws-clients.js';
import { sesDelivery } from '../runtime/delivery/ses-delivery.js';
import { snsDelivery } from '../runtime/delivery/sns-delivery.js';
import { ConfigurationError, DeliveryError, InvalidRecipientError } from '../runtime/errors.js';
import { parseSenderEvent } from '../runtime/event/cognito-event.js';
import {
  type Channel,
  kindOfTriggerSource,
  type MessageKind,
  SENDER_FAMILIES,
  sourceOf,
  triggerSourcesOf,
} from '../runtime/event/message-kind.js';
import { maskEmail, maskPhone } from '../runtime/log.js';
import type { TemplatePack } from '../runtime/render/template-pack.js';
import { composeSenderEmail, composeSenderSms } from '../runtime/sender-mode/compose-message.js';
import { emailRecipient, smsRecipient } from '../runtime/sender-mode/recipients.js';
import { readSenderConfig, type SenderConfig } from '../runtime/sender-mode/sender-config.js';
import { resolveTarget } from '../runtime/target/resolve-target.js';

export interface SendTestOptions {
  pack: TemplatePack;
  /** An email address (sent through SES) or an E.164 number (sent through SNS); there is no default. */
  to: string | undefined;
  /** The trigger source without its family (`SignUp`, `ForgotPassword`, …); default `SignUp`. */
  source?: string;
  /** Default: the pack's source locale. */
  locale?: string;
  /** Default: the `default` brand, else the first. */
  brand?: string;
  /** Only sender mode sends: in message mode Cognito delivers. */
  mode?: 'sender';
  /** Default: `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
  region?: string;
  /** Default: the SDK's own (`AWS_ENDPOINT_URL` when set). */
  endpoint?: string;
  ses?: SESClient;
  sns?: SNSClient;
  /** Where `EMAIL_FROM`, `AWS_REGION` and `AWS_DEFAULT_REGION` are read; default `process.env`. */
  env?: Env;
}

export interface SendTestResult {
  channel: Channel;
  messageId: string;
  triggerSource: string;
  locale: string;
  brand: string;
  /** The recipient, masked (`a***@e***.com`, `+*******0123`). */
  to: string;
}

export const NO_RECIPIENT_MESSAGE =
  'send-test needs --to with an email address or an E.164 phone number; it never picks a recipient';

/** The channel a recipient asks for, checked as the senders check the user's attribute. */
function recipientChannel(to: string): Channel {
  for (const [channel, check] of [
    ['email', emailRecipient],
    ['sms', smsRecipient],
  ] as const) {
    try {
      check(to);
      return channel;
    } catch (error) {
      if (!(error instanceof InvalidRecipientError)) throw error;
    }
  }
  throw new UsageError(
    `--to ${JSON.stringify(to.slice(0, 100))} is neither an email address nor an E.164 phone number (+ and 7–15 digits, as +14155550123)`,
  );
}

/** `wanted` among `known`, matched case-insensitively; UsageError listing `known` otherwise. */
function choose(option: string, wanted: string, known: readonly string[], what: string): string {
  const found = known.find((value) => value.toLowerCase() === wanted.toLowerCase());
  if (found === undefined) {
    throw new UsageError(`--${option} ${JSON.stringify(wanted)} is not ${what}; choose one of ${known.join(', ')}`);
  }
  return found;
}

/** The sample a sender would have decrypted: the preview's fake code, or its fake temporary password. */
function sampleCode(kind: MessageKind): string {
  if (kind === 'accountTakeOver') return '';
  return kind === 'adminCreateUser' ? SAMPLE_CODES.temporaryPassword : SAMPLE_CODES.code;
}

/** The sender configuration of the test: the preview's sample environment with the real From. */
function senderConfig(pack: TemplatePack, channel: Channel, from: string | null): SenderConfig {
  const env = { ...sampleEnv(pack), ...(from === null ? {} : { EMAIL_FROM: from }) };
  try {
    return readSenderConfig(env, pack, channel);
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message);
    throw error;
  }
}

/** The From of the test email: the brand's, else `EMAIL_FROM`. */
function emailFrom(pack: TemplatePack, brand: string, env: Env): string {
  const from = pack.brands.get(brand)?.email.from ?? env.EMAIL_FROM;
  if (!from) {
    throw new UsageError(
      `brand ${brand} sets no email.from; set EMAIL_FROM to an address SES may send from, as "Acme <no-reply@example.com>"`,
    );
  }
  return from;
}

/** Refuses a message the checks fail (what `check` would report), naming each failure. */
function refuseFailing(pack: TemplatePack, id: string, label: string): void {
  const entry = buildGallery(pack).entries.find((candidate) => candidate.id === id);
  const failures = (entry?.checks ?? []).filter((check) => check.status === 'fail');
  if (failures.length > 0) {
    const reasons = failures.map((check) => `${check.title}: ${check.details.join('; ')}`).join('; ');
    throw new UsageError(`the ${label} fails its checks, so send-test did not send it: ${reasons}`);
  }
}

/** The one message a send-test sends: its channel, source, locale and brand, with the defaults filled in. */
interface TestMessage {
  channel: Channel;
  source: string;
  locale: string;
  brand: string;
  triggerSource: string;
  kind: MessageKind;
  /** `email SignUp for fr/northwind`, for the refusals. */
  label: string;
}

/** Checks `--to`, `--source`, `--locale` and `--brand`, and fills in the defaults. */
function chooseMessage(pack: TemplatePack, to: string, options: SendTestOptions): TestMessage {
  const channel = recipientChannel(to);
  const family = SENDER_FAMILIES[channel];
  const sources = triggerSourcesOf(family).map(sourceOf);
  const source = choose('source', options.source ?? 'SignUp', sources, `a source ${family} sends`);
  const locales = [...pack.locales.keys()];
  const locale = choose('locale', options.locale ?? pack.sourceLocale, locales, 'a locale of the pack');
  const defaultBrand = sampleEnv(pack).DEFAULT_BRAND ?? '';
  const brand = choose('brand', options.brand ?? defaultBrand, [...pack.brands.keys()], 'a brand of the pack');
  const triggerSource = `${family}_${source}`;
  const kind = kindOfTriggerSource(family, triggerSource);
  if (!kind) throw new Error(`${triggerSource} has no message kind`);
  const label = `${channel === 'email' ? 'email' : 'SMS'} ${source} for ${locale}/${brand}`;
  return { channel, source, locale, brand, triggerSource, kind, label };
}

/** The sample event of `message`, and its target through the handlers' resolution (which must agree). */
function sampleRequest(pack: TemplatePack, config: SenderConfig, message: TestMessage) {
  const { channel, triggerSource, locale, brand, kind } = message;
  const type = channel === 'email' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1';
  const request = parseSenderEvent(sampleSenderEvent(triggerSource, locale, brand), type);
  const target = resolveTarget(pack, config, request, kind);
  if (target.locale !== locale || target.brand.id !== brand) {
    throw new Error(`the sample event resolved to ${target.locale}/${target.brand.id} instead of ${locale}/${brand}`);
  }
  return { request, target };
}

/** The senders' own verdict for this recipient: a message they would refuse is not sent either. */
function refuseViolations(label: string, violations: readonly string[]): void {
  if (violations.length > 0) {
    throw new UsageError(`the ${label} breaks Cognito's rules, so send-test did not send it: ${violations.join('; ')}`);
  }
}

/**
 * Renders one sender-mode message with sample values and sends it to `to`.
 * Every refusal is a UsageError thrown before anything is sent; so is a
 * delivery that SES or SNS refuses.
 */
export async function sendTest(options: SendTestOptions): Promise<SendTestResult> {
  const { pack } = options;
  const env = options.env ?? process.env;
  const to = options.to?.trim();
  if (!to) throw new UsageError(NO_RECIPIENT_MESSAGE);
  if (options.mode !== undefined && options.mode !== 'sender') {
    throw new UsageError('send-test sends what the senders send (--mode sender); in message mode Cognito delivers');
  }
  const message = chooseMessage(pack, to, options);
  const { channel, source, locale, brand, label } = message;
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!(channel === 'email' ? options.ses : options.sns) && !region) {
    throw new UsageError('send-test needs a region: give --region or set AWS_REGION');
  }
  const config = senderConfig(pack, channel, channel === 'email' ? emailFrom(pack, brand, env) : null);
  refuseFailing(pack, ['sender', channel, source, locale, brand].join('.'), label);

  const { request, target } = sampleRequest(pack, config, message);
  const code = sampleCode(message.kind);
  const clientConfig = { region, ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...sendClientConfig() };
  const send = async (): Promise<{ messageId: string }> => {
    if (channel === 'email') {
      const email = composeSenderEmail(pack, config, request, target, code, to);
      refuseViolations(label, email.violations);
      return sesDelivery(options.ses ?? new SESClient(clientConfig)).send(email.outgoing);
    }
    const sms = composeSenderSms(pack, config, request, target, code, to);
    refuseViolations(label, sms.violations);
    return snsDelivery(options.sns ?? new SNSClient(clientConfig)).send(sms.outgoing);
  };
  try {
    const { messageId } = await send();
    const masked = (channel === 'email' ? maskEmail(to) : maskPhone(to)) ?? '***';
    return { channel, messageId, triggerSource: message.triggerSource, locale, brand, to: masked };
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    const hint =
      channel === 'email' ? `that SES in ${region ?? 'this region'} has verified the From` : 'that SNS may send SMS';
    throw new UsageError(`send-test could not send: ${error.message}; check the credentials and ${hint}`, {
      cause: error,
    });
  }
}
