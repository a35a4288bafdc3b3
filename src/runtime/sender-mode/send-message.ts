/**
 * Sender mode: Cognito hands us the code encrypted; we decrypt it, render the
 * same templates as message mode, check the result and deliver it through
 * SES or SNS. Order matters: everything that can be checked is checked
 * before anything is sent, so a bad event sends nothing, and a failed send
 * throws so that Lambda retries it and the on-failure destination keeps it.
 */
import type { EmailDelivery } from '../delivery/ses-delivery.js';
import type { SmsDelivery } from '../delivery/sns-delivery.js';
import { InvalidEventError } from '../errors.js';
import type { SenderRequest } from '../event/cognito-event.js';
import { kindOfTriggerSource, type MessageKind, type SenderFamily } from '../event/message-kind.js';
import { type Logger, maskEmail, maskPhone } from '../log.js';
import type { TemplatePack } from '../render/template-pack.js';
import { resolveTarget } from '../target/resolve-target.js';
import { noteForeignOneClickLinks } from './account-take-over.js';
import { decryptCode } from './code.js';
import { prepareEmail, prepareSms } from './compose-message.js';
import type { CodeDecrypter } from './decrypt-code.js';
import { deliverOnce } from './delivery-log.js';
import { deliverIdempotently, type Idempotency } from './idempotency.js';
import { emailRecipient, smsRecipient } from './recipients.js';
import { checkSmsCountry, type Recipient } from './send-limits.js';
import type { SenderConfig } from './sender-config.js';

/** How an invocation that did not throw ended: sent now, or sent before (a repeat of a done record). */
export type SendOutcome = 'sent' | 'duplicate';

export interface SenderContext {
  pack: TemplatePack;
  config: SenderConfig;
  decrypter: CodeDecrypter;
  log: Logger;
  /** The idempotency table and its limits; null without `IDEMPOTENCY_TABLE`. */
  idempotency: Idempotency | null;
  /** Milliseconds the invocation has left, when Lambda says. */
  remainingMs: number | undefined;
}

/** Handles one CustomEmailSender event end to end; resolves once SES accepted the message. */
export async function handleEmailSenderEvent(
  request: SenderRequest,
  ctx: SenderContext,
  delivery: EmailDelivery,
): Promise<SendOutcome> {
  const kind = senderKind('CustomEmailSender', request.triggerSource);
  const to = emailRecipient(request.userAttributes.email);
  const target = resolveTarget(ctx.pack, ctx.config, request, kind);
  const log = ctx.log.child({ locale: target.locale, brand: target.brand.id, to: maskEmail(to) });
  const code = kind === 'accountTakeOver' ? '' : await decryptCode(request, kind, ctx.decrypter);
  const email = prepareEmail(ctx, request, target, code, to);
  if (kind === 'accountTakeOver') noteForeignOneClickLinks(log, request, ctx.config);
  // The take-over notice is never limited: an attacker's own sign-in attempts must not use up its quota.
  const recipient: Recipient | null = kind === 'accountTakeOver' ? null : { channel: 'email', address: to };
  return deliver(ctx, request, log, recipient, () => delivery.send(email));
}

/** Handles one CustomSMSSender event end to end; resolves once SNS accepted the message. */
export async function handleSmsSenderEvent(
  request: SenderRequest,
  ctx: SenderContext,
  delivery: SmsDelivery,
): Promise<SendOutcome> {
  const kind = senderKind('CustomSMSSender', request.triggerSource);
  const phoneNumber = smsRecipient(request.userAttributes.phone_number);
  checkSmsCountry(ctx.config.sendLimits, phoneNumber);
  const target = resolveTarget(ctx.pack, ctx.config, request, kind);
  const log = ctx.log.child({ locale: target.locale, brand: target.brand.id, to: maskPhone(phoneNumber) });
  const code = await decryptCode(request, kind, ctx.decrypter);
  const sms = prepareSms(ctx, request, target, code, phoneNumber, log);
  return deliver(ctx, request, log, { channel: 'sms', phoneNumber }, () => delivery.send(sms));
}

/** The send, through the idempotency table when there is one. */
async function deliver(
  ctx: SenderContext,
  request: SenderRequest,
  log: Logger,
  recipient: Recipient | null,
  send: () => Promise<{ messageId: string }>,
): Promise<SendOutcome> {
  if (!ctx.idempotency) {
    await deliverOnce(log, send);
    return 'sent';
  }
  return deliverIdempotently(ctx.idempotency, { request, recipient, log, remainingMs: ctx.remainingMs, send });
}

function senderKind(family: SenderFamily, triggerSource: string): MessageKind {
  const kind = kindOfTriggerSource(family, triggerSource);
  if (!kind) throw new InvalidEventError(`triggerSource ${JSON.stringify(triggerSource)} is not a ${family} source`);
  return kind;
}
