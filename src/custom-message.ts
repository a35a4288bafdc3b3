/**
 * Message mode: the CustomMessage response. Cognito puts the code in and
 * delivers, so we return text with its placeholders, and every field we
 * return must pass Cognito's rules (cognito-rules.ts). A channel that cannot
 * be rendered valid is left null, so Cognito sends its default message and the
 * user still gets a code: a template problem never fails the user's API call.
 */
import type { CustomMessageRequest } from './cognito-event.js';
import { composeEmail, composeSms, requiredTokens } from './compose.js';
import type { MessageConfig } from './config.js';
import { describeError, type Logger } from './log.js';
import { kindOfTriggerSource } from './message-kind.js';
import type { MessageValues } from './render.js';
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
  const required = requiredTokens(values);

  const channelLog = log.child({ locale: target.locale, brand: target.brand.id });
  const fields: CustomMessageFields = { ...DEFAULTS };
  attempt(channelLog, 'email', () => {
    const email = composeEmail(pack, target, values, required);
    noteFallbacks(channelLog, 'email', email.fallbackKeys);
    if (email.violations.length === 0) {
      fields.emailSubject = email.subject;
      fields.emailMessage = email.html;
    }
    return email.violations;
  });
  attempt(channelLog, 'sms', () => {
    const sms = composeSms(pack, target, values, required);
    noteFallbacks(channelLog, 'sms', sms.fallbackKeys);
    // Over-budget segments are a template-check failure, not a reason to drop the user's code here.
    if (sms.segmentViolation)
      channelLog.warn('SMS exceeds the segment budget', { channel: 'sms', reason: sms.segmentViolation });
    if (sms.violations.length === 0) fields.smsMessage = sms.text;
    return sms.violations;
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
