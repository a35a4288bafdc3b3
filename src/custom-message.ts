/**
 * Message mode: the CustomMessage response. Cognito puts the code in and
 * delivers, so we return text with its placeholders, and every field we
 * return must pass Cognito's rules (cognito-rules.ts). A channel that cannot
 * be rendered valid is left null, so Cognito sends its default message and the
 * user still gets a code: a template problem never fails the user's API call.
 */
import type { CustomMessageRequest } from './cognito-event.js';
import { checkEmail, checkSms, type RequiredToken } from './cognito-rules.js';
import type { MessageConfig } from './config.js';
import { describeError, type Logger } from './log.js';
import { kindOfTriggerSource } from './message-kind.js';
import { type MessageValues, renderEmail, renderSms } from './render.js';
import { resolveTarget } from './resolve-target.js';
import type { TemplatePack } from './template-pack.js';
import { cleanDisplayText } from './untrusted-text.js';

export interface CustomMessageFields {
  emailSubject: string | null;
  emailMessage: string | null;
  smsMessage: string | null;
}

const DEFAULTS: CustomMessageFields = { emailSubject: null, emailMessage: null, smsMessage: null };

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
  const values: MessageValues = {
    code: request.codeParameter,
    username: kind === 'adminCreateUser' ? request.usernameParameter : null,
    cognitoLink: request.linkParameter,
    verifyUrl: null,
    signInUrl: kind === 'adminCreateUser' ? (target.brand.links?.signInUrl ?? null) : null,
    name: cleanDisplayText(request.userAttributes.given_name ?? request.userAttributes.name, 60),
    accountTakeOver: null,
  };
  const required: RequiredToken[] = [{ label: 'code placeholder', value: request.codeParameter }];
  if (values.username) required.push({ label: 'username placeholder', value: values.username });

  const channelLog = log.child({ locale: target.locale, brand: target.brand.id });
  const fields: CustomMessageFields = { ...DEFAULTS };
  attempt(channelLog, 'email', () => {
    const email = renderEmail(pack, target, values);
    noteFallbacks(channelLog, 'email', email.fallbackKeys);
    const violations = checkEmail(email.subject, email.html, required, { cognitoLink: values.cognitoLink !== null });
    if (violations.length === 0) {
      fields.emailSubject = email.subject;
      fields.emailMessage = email.html;
    }
    return violations;
  });
  attempt(channelLog, 'sms', () => {
    const sms = renderSms(pack, target, values);
    noteFallbacks(channelLog, 'sms', sms.fallbackKeys);
    const violations = checkSms(sms.text, required);
    if (violations.length === 0) fields.smsMessage = sms.text;
    return violations;
  });
  channelLog.info('custom message composed', {
    outcome: 'rendered',
    email: fields.emailMessage !== null,
    sms: fields.smsMessage !== null,
  });
  return fields;
}

/** Runs one channel; any violation or render error leaves it null and is logged, never thrown. */
function attempt(log: Logger, channel: 'email' | 'sms', render: () => string[]): void {
  try {
    const violations = render();
    if (violations.length > 0) {
      log.error('rendered message breaks Cognito rules; falling back to the pool default', { channel, violations });
    }
  } catch (error) {
    log.error('template failed; falling back to the pool default', { channel, ...describeError(error) });
  }
}

function noteFallbacks(log: Logger, channel: string, keys: readonly string[]): void {
  if (keys.length > 0) log.warn('catalog keys missing from locale; used the source locale', { channel, keys });
}
