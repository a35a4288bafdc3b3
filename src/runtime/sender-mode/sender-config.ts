/** Environment configuration of the two sender functions, read once per container. */
import { type Env, listEnv, type MessageConfig, optionalEnv, readMessageConfig, requiredEnv } from '../config.js';
import {
  E164,
  FROM_ADDRESS,
  HOST_NAME,
  KMS_KEY_ARN,
  SES_CONFIGURATION_SET,
  SES_IDENTITY_ARN,
  SMS_SENDER_ID,
} from '../delivery/delivery-formats.js';
import { ConfigurationError } from '../errors.js';
import type { Channel } from '../event/message-kind.js';
import type { TemplatePack } from '../render/template-pack.js';
import { type IdempotencySettings, readIdempotencySettings } from './idempotency.js';
import { readSendLimits, type SendLimits } from './send-limits.js';

export interface SenderConfig extends MessageConfig {
  /** Full key ARNs the keyring accepts (an alias never matches on decrypt). */
  kmsKeyArns: string[];
  /** Default From when the brand sets none (email sender only). */
  emailFrom: string | null;
  sesSourceArn: string | null;
  sesConfigurationSet: string | null;
  smsSenderId: string | null;
  smsOriginationNumber: string | null;
  /** Hosts an account take-over email's one-click links may point at; empty: Cognito's endpoint (sender.ts). */
  accountTakeOverLinkHosts: string[];
  /** The idempotency table (`IDEMPOTENCY_TABLE`); null: every invocation sends, as without the table. */
  idempotency: IdempotencySettings | null;
  /** The abuse limits; the counters need the table, the country allow-list does not. */
  sendLimits: SendLimits;
}

/** Reads and checks the sender configuration; `channel` decides which variables are required. */
export function readSenderConfig(env: Env, pack: TemplatePack, channel: Channel): SenderConfig {
  const base = readMessageConfig(env, pack);
  requiredEnv(env, 'KMS_KEY_ARN');
  const kmsKeyArns = listEnv(env, 'KMS_KEY_ARN');
  for (const arn of kmsKeyArns) {
    if (!KMS_KEY_ARN.test(arn)) {
      throw new ConfigurationError(
        `Environment variable KMS_KEY_ARN has "${arn}"; give full key ARNs (arn:aws:kms:region:account:key/id), not aliases`,
      );
    }
  }
  const emailFrom = channel === 'email' ? requiredEnv(env, 'EMAIL_FROM') : (optionalEnv(env, 'EMAIL_FROM') ?? null);
  return {
    ...base,
    kmsKeyArns,
    emailFrom:
      emailFrom === null ? null : checked(emailFrom, FROM_ADDRESS, 'EMAIL_FROM', 'an address or "Name <address>"'),
    sesSourceArn: optionalChecked(env, 'SES_SOURCE_ARN', SES_IDENTITY_ARN, 'an SES identity ARN'),
    sesConfigurationSet: optionalChecked(
      env,
      'SES_CONFIGURATION_SET',
      SES_CONFIGURATION_SET,
      'a configuration set name',
    ),
    smsSenderId: optionalChecked(env, 'SMS_SENDER_ID', SMS_SENDER_ID, '3–11 letters or digits with a letter'),
    smsOriginationNumber: optionalChecked(env, 'SMS_ORIGINATION_NUMBER', E164, 'an E.164 number'),
    accountTakeOverLinkHosts: listEnv(env, 'ACCOUNT_TAKEOVER_LINK_HOSTS').map((host) =>
      checked(host.toLowerCase(), HOST_NAME, 'ACCOUNT_TAKEOVER_LINK_HOSTS', 'a comma-separated list of host names'),
    ),
    idempotency: readIdempotencySettings(env),
    sendLimits: readSendLimits(env),
  };
}

function optionalChecked(env: Env, name: string, pattern: RegExp, what: string): string | null {
  const value = optionalEnv(env, name);
  return value === undefined ? null : checked(value, pattern, name, what);
}

function checked(value: string, pattern: RegExp, name: string, what: string): string {
  if (!pattern.test(value))
    throw new ConfigurationError(`Environment variable ${name} is "${value}"; it must be ${what}`);
  return value;
}
