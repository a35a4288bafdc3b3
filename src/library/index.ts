/**
 * The pack as a library, for teams that wrap the handlers in a Lambda of
 * their own (with Powertools or Middy, say): typed factories for the three
 * handlers. Each takes the built template pack (`npx cognito-trigger-pack
 * build` writes it to `dist/pack.js`) and typed options, and fails at cold
 * start with ConfigurationError naming the option, exactly as the deployed
 * functions do with their environment variables (the same checks run).
 */
import type { Env } from '../runtime/config.js';
import type { DeliveryStore } from '../runtime/delivery/dynamodb-store.js';
import type { EmailDelivery } from '../runtime/delivery/ses-delivery.js';
import type { SmsDelivery } from '../runtime/delivery/sns-delivery.js';
import { ConfigurationError } from '../runtime/errors.js';
import type { LogLevel, LogWriter } from '../runtime/log.js';
import {
  type CustomMessageHandler,
  createCustomMessageHandler as messageHandler,
} from '../runtime/message-mode/handler.js';
import type { TemplatePack } from '../runtime/render/template-pack.js';
import type { CodeDecrypter } from '../runtime/sender-mode/decrypt-code.js';
import {
  createEmailSenderHandler as emailHandler,
  type SenderHandler,
  createSmsSenderHandler as smsHandler,
} from '../runtime/sender-mode/handler.js';
import type { UnmappedClientBrandChoice } from '../runtime/target/brand.js';
import type { GreetByName } from '../runtime/target/display-name.js';

export {
  CodeDecryptionError,
  ConfigurationError,
  DeliveryError,
  DeliveryInProgressError,
  IdempotencyStoreError,
  InvalidEventError,
  InvalidRecipientError,
  MessageValidationError,
  SendLimitError,
  TemplateRenderError,
  TriggerPackError,
} from '../runtime/errors.js';
export type {
  CodeDecrypter,
  CustomMessageHandler,
  DeliveryStore,
  EmailDelivery,
  LogWriter,
  SenderHandler,
  SmsDelivery,
  TemplatePack,
};

/** What both modes read; every option has the default its environment variable has. */
export interface MessageOptions {
  /** The built templates: `import { pack } from './dist/pack.js'`. */
  pack: TemplatePack;
  /** The locale when neither clientMetadata nor the user's `locale` attribute names one a pack serves (`en`). */
  defaultLocale?: string;
  /** The brand when nothing else picks one (`default`). */
  defaultBrand?: string;
  /** App client id → the brands it may use; replaces the brand files' `clientIds` for that client. */
  brandByClientId?: Readonly<Record<string, string | readonly string[]>>;
  /** What clientMetadata.brand may pick for an app client with no mapping (`any`). */
  unmappedClientBrandChoice?: UnmappedClientBrandChoice;
  /** Brand id → link origins this stage adds (staging and preview hosts). */
  extraLinkOrigins?: Readonly<Record<string, readonly string[]>>;
  /** Which messages greet the user by name (`verified`). */
  greetByName?: GreetByName;
  logLevel?: LogLevel;
  /** Where log lines go (stdout). */
  writeLog?: LogWriter;
  /** One CloudWatch embedded-metric line per invocation on the log writer (`on`); `off` writes none. */
  metrics?: 'on' | 'off';
}

/** What the senders read besides. */
export interface SenderOptions extends MessageOptions {
  /** Full ARNs of the KMS keys Cognito encrypts codes with. */
  kmsKeyArns: readonly string[];
  /** The From when the brand sets none; required for the email sender. */
  emailFrom?: string;
  sesSourceArn?: string;
  sesConfigurationSet?: string;
  smsSenderId?: string;
  smsOriginationNumber?: string;
  /** Hosts an account take-over email's one-click links may point at (Cognito's endpoint). */
  accountTakeOverLinkHosts?: readonly string[];
  /** Replaces KMS decryption (tests, or a decrypter of your own). */
  decrypter?: CodeDecrypter;
  /** The DynamoDB idempotency table (docs/idempotency.md); without it every repeat of an event sends again. */
  idempotencyTable?: string;
  /** What a DynamoDB failure does: `send` without the table (default) or `fail` the invocation. */
  idempotencyStoreFailure?: 'send' | 'fail';
  /** How long a claim holds when the handler is not given Lambda's context (10). */
  functionTimeoutSeconds?: number;
  /** ISO 3166-1 codes an SMS may go to (any). */
  smsAllowedCountries?: readonly string[];
  /** SMS to one number an hour (5); needs the table. */
  smsLimitPerNumberPerHour?: number | 'off';
  /** SMS to one country an hour (off); needs the table. */
  smsLimitPerCountryPerHour?: number | 'off';
  /** Emails to one address an hour (5); needs the table. */
  emailLimitPerAddressPerHour?: number | 'off';
  /** Replaces the DynamoDB table (tests, or a store of your own); used only with idempotencyTable. */
  store?: DeliveryStore;
}

export interface EmailSenderOptions extends SenderOptions {
  /** Replaces SES (a test double, or a delivery of your own). */
  delivery?: EmailDelivery;
}

export interface SmsSenderOptions extends SenderOptions {
  /** Replaces SNS. */
  delivery?: SmsDelivery;
}

/** Each option and the environment variable the deployed functions read it from. */
const OPTION_VARIABLES = {
  defaultLocale: 'DEFAULT_LOCALE',
  defaultBrand: 'DEFAULT_BRAND',
  brandByClientId: 'BRAND_BY_CLIENT_ID',
  unmappedClientBrandChoice: 'UNMAPPED_CLIENT_BRAND_CHOICE',
  extraLinkOrigins: 'EXTRA_LINK_ORIGINS',
  greetByName: 'GREET_BY_NAME',
  logLevel: 'LOG_LEVEL',
  metrics: 'METRICS',
  kmsKeyArns: 'KMS_KEY_ARN',
  emailFrom: 'EMAIL_FROM',
  sesSourceArn: 'SES_SOURCE_ARN',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  smsSenderId: 'SMS_SENDER_ID',
  smsOriginationNumber: 'SMS_ORIGINATION_NUMBER',
  accountTakeOverLinkHosts: 'ACCOUNT_TAKEOVER_LINK_HOSTS',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  idempotencyStoreFailure: 'IDEMPOTENCY_STORE_FAILURE',
  functionTimeoutSeconds: 'AWS_LAMBDA_FUNCTION_TIMEOUT',
  smsAllowedCountries: 'SMS_ALLOWED_COUNTRIES',
  smsLimitPerNumberPerHour: 'SMS_LIMIT_PER_NUMBER_PER_HOUR',
  smsLimitPerCountryPerHour: 'SMS_LIMIT_PER_COUNTRY_PER_HOUR',
  emailLimitPerAddressPerHour: 'EMAIL_LIMIT_PER_ADDRESS_PER_HOUR',
} as const satisfies Partial<Record<keyof EmailSenderOptions, string>>;

type OptionName = keyof typeof OPTION_VARIABLES;

/** The CustomMessage handler (message mode). */
export function createCustomMessageHandler(options: MessageOptions): CustomMessageHandler {
  return withOptionNames(() => messageHandler(toEnv(options), { pack: options.pack, writeLog: options.writeLog }));
}

/** The CustomEmailSender handler (sender mode, SES). */
export function createEmailSenderHandler(options: EmailSenderOptions): SenderHandler {
  const { pack, writeLog, decrypter, delivery, store } = options;
  return withOptionNames(() => emailHandler(toEnv(options), { pack, writeLog, decrypter, delivery, store }));
}

/** The CustomSMSSender handler (sender mode, SNS). */
export function createSmsSenderHandler(options: SmsSenderOptions): SenderHandler {
  const { pack, writeLog, decrypter, delivery, store } = options;
  return withOptionNames(() => smsHandler(toEnv(options), { pack, writeLog, decrypter, delivery, store }));
}

/** The options as the environment the runtime reads, so both ways in share one set of checks. */
function toEnv(options: Partial<Record<OptionName, unknown>> & { pack: TemplatePack }): Env {
  if (!isPack(options.pack)) {
    throw new ConfigurationError(
      'Option pack is required: the built templates (import { pack } from "./dist/pack.js")',
    );
  }
  const env: Record<string, string> = {};
  for (const [option, variable] of Object.entries(OPTION_VARIABLES) as Array<[OptionName, string]>) {
    const value = options[option];
    if (value !== undefined) env[variable] = envValue(option, value);
  }
  return env;
}

function envValue(option: OptionName, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(',');
  if ((option === 'brandByClientId' || option === 'extraLinkOrigins') && isStringMap(value)) {
    const separator = option === 'brandByClientId' ? ':' : '=';
    return Object.entries(value)
      .flatMap(([key, items]) => (Array.isArray(items) ? items : [items]).map((item) => `${key}${separator}${item}`))
      .join(',');
  }
  throw new ConfigurationError(`Option ${option} is ${describe(value)}; see its type for what it takes`);
}

/** Runs a factory; a configuration error names the option instead of the environment variable. */
function withOptionNames<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const named = Object.entries(OPTION_VARIABLES).reduce(
      (message, [option, variable]) => message.replace(`Environment variable ${variable}`, `Option ${option}`),
      error.message,
    );
    throw new ConfigurationError(named, { cause: error });
  }
}

function isPack(value: unknown): value is TemplatePack {
  return typeof value === 'object' && value !== null && (value as TemplatePack).templates instanceof Map;
}

function isStringMap(value: unknown): value is Record<string, string | string[]> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every(
      (item) => typeof item === 'string' || (Array.isArray(item) && item.every((x) => typeof x === 'string')),
    )
  );
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array of non-strings' : `a ${typeof value}`;
}
