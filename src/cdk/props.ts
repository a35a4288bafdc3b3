/**
 * The construct's props: the stage parameters of serverless.yml under the
 * same names, checked at construct time by the same rules (the deployment's
 * parameter checks, then the runtime's own against the built templates), so
 * a mistake fails `cdk synth` naming the prop instead of a cold start.
 */
import { Stack } from 'aws-cdk-lib';
import { type CfnUserPool, type IUserPool, UserPool } from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { SenderOptions } from '../library/index.js';
import { paramProblem } from '../operations/deploy-params.js';
import { readMessageConfig } from '../runtime/config.js';
import { KMS_KEY_ARN } from '../runtime/delivery/delivery-formats.js';
import { ConfigurationError } from '../runtime/errors.js';
import type { TemplatePack } from '../runtime/render/template-pack.js';
import { readSignInAttributes, type SignInAttribute } from '../runtime/target/sign-in-name.js';

export type PackMode = 'message' | 'sender';

/** The library's options the construct sets itself, or that replace parts of the functions. */
type NotProps =
  | 'pack'
  | 'writeLog'
  | 'metrics'
  | 'decrypter'
  | 'kmsKeyArns'
  | 'idempotencyTable'
  | 'functionTimeoutSeconds'
  | 'store';

export interface CognitoTriggerPackProps extends Omit<SenderOptions, NotProps> {
  /** `message`: CustomMessage, Cognito delivers. `sender`: CustomEmailSender and CustomSMSSender deliver through SES and SNS. */
  readonly mode: PackMode;
  /** The templates folder, read over the package's base as the command line reads it (default: `templates`, from the working folder). */
  readonly templates?: string;
  /** The verified SES identity (a domain or an address) of `emailFrom` in the stack's account and region (default: the domain of `emailFrom`). */
  readonly sesIdentity?: string;
  /** Sender mode: full ARNs of further identities that brands' own `email.from` addresses use. */
  readonly sesExtraIdentityArns?: readonly string[];
  /** Retention of every log group the construct makes (default 30). */
  readonly logRetentionInDays?: number;
  /** Sender mode: the symmetric key Cognito encrypts codes with, by its full ARN (`Key.fromKeyArn`); default: a new key. */
  readonly kmsKey?: IKey;
  /** Sender mode: the SNS topic the alarms notify when they go off and when they clear (default: alarms without actions). */
  readonly alarmTopicArn?: string;
  /** What the pool's users type to sign in (SIGN_IN_ATTRIBUTES); default: read from the pool at `attachTo` (AttachOptions). */
  readonly signInAttributes?: readonly SignInAttribute[];
  /**
   * The team's own https address holding the build's `dist/logos/*.png` (LOGO_BASE_URL); default: the construct
   * publishes the brands' logo files from a bucket behind CloudFront.
   */
  readonly logoBaseUrl?: string;
}

/** The prop each variable the functions read comes from. */
const PROP_OF_VARIABLE: Record<string, string> = {
  DEFAULT_LOCALE: 'defaultLocale',
  DEFAULT_BRAND: 'defaultBrand',
  BRAND_BY_CLIENT_ID: 'brandByClientId',
  UNMAPPED_CLIENT_BRAND_CHOICE: 'unmappedClientBrandChoice',
  EXTRA_LINK_ORIGINS: 'extraLinkOrigins',
  GREET_BY_NAME: 'greetByName',
  LOGO_BASE_URL: 'logoBaseUrl',
  LOG_LEVEL: 'logLevel',
};

/** `key<separator>value,…`, a key once per value. */
function pairs(map: Readonly<Record<string, string | readonly string[]>> | undefined, separator: string): string {
  return Object.entries(map ?? {})
    .flatMap(([key, values]) => [values].flat().map((value) => `${key}${separator}${value}`))
    .join(',');
}

/** The variables every function gets, with serverless.yml's defaults. */
export function messageEnv(props: CognitoTriggerPackProps): Record<string, string> {
  return {
    DEFAULT_LOCALE: props.defaultLocale ?? 'en',
    DEFAULT_BRAND: props.defaultBrand ?? 'default',
    BRAND_BY_CLIENT_ID: pairs(props.brandByClientId, ':'),
    UNMAPPED_CLIENT_BRAND_CHOICE: props.unmappedClientBrandChoice ?? 'any',
    EXTRA_LINK_ORIGINS: pairs(props.extraLinkOrigins, '='),
    GREET_BY_NAME: props.greetByName ?? 'verified',
    LOG_LEVEL: props.logLevel ?? 'info',
  };
}

/** What the deployment gives the senders: the key's ARN and the idempotency table's name. */
export interface SenderResources {
  keyArn: string;
  tableName: string;
}

/** The email sender's own variables. */
export function emailSenderEnv(props: CognitoTriggerPackProps, made: SenderResources): Record<string, string> {
  return {
    KMS_KEY_ARN: made.keyArn,
    EMAIL_FROM: props.emailFrom ?? '',
    SES_SOURCE_ARN: props.sesSourceArn ?? '',
    SES_CONFIGURATION_SET: props.sesConfigurationSet ?? '',
    ACCOUNT_TAKEOVER_LINK_HOSTS: (props.accountTakeOverLinkHosts ?? []).join(','),
    IDEMPOTENCY_TABLE: made.tableName,
    IDEMPOTENCY_STORE_FAILURE: props.idempotencyStoreFailure ?? 'send',
    EMAIL_LIMIT_PER_ADDRESS_PER_HOUR: String(props.emailLimitPerAddressPerHour ?? 5),
  };
}

/** The SMS sender's own variables. */
export function smsSenderEnv(props: CognitoTriggerPackProps, made: SenderResources): Record<string, string> {
  return {
    KMS_KEY_ARN: made.keyArn,
    SMS_SENDER_ID: props.smsSenderId ?? '',
    SMS_ORIGINATION_NUMBER: props.smsOriginationNumber ?? '',
    IDEMPOTENCY_TABLE: made.tableName,
    IDEMPOTENCY_STORE_FAILURE: props.idempotencyStoreFailure ?? 'send',
    SMS_ALLOWED_COUNTRIES: (props.smsAllowedCountries ?? []).join(','),
    SMS_LIMIT_PER_NUMBER_PER_HOUR: String(props.smsLimitPerNumberPerHour ?? 5),
    SMS_LIMIT_PER_COUNTRY_PER_HOUR: String(props.smsLimitPerCountryPerHour ?? 'off'),
  };
}

/** The address of a From (`Name <address>` or an address). */
export function fromAddress(from: string): string {
  return /<([^<>]+)>$/.exec(from)?.[1] ?? from;
}

/** The SES identity of the From: `sesIdentity`, else the domain of `emailFrom`. */
export function sesIdentityOf(props: CognitoTriggerPackProps): string | undefined {
  return props.sesIdentity ?? (props.emailFrom === undefined ? undefined : fromAddress(props.emailFrom).split('@')[1]);
}

/** Throws, naming the prop, on the first prop its parameter rule or the runtime refuses. */
export function checkProps(props: CognitoTriggerPackProps, pack: TemplatePack): void {
  const values: Record<string, string | undefined> = {
    mode: props.mode,
    emailFrom: props.emailFrom,
    sesIdentity: props.sesIdentity,
    sesSourceArn: props.sesSourceArn,
    sesExtraIdentityArns: props.sesExtraIdentityArns?.join(','),
    sesConfigurationSet: props.sesConfigurationSet,
    smsSenderId: props.smsSenderId,
    smsOriginationNumber: props.smsOriginationNumber,
    defaultLocale: props.defaultLocale,
    defaultBrand: props.defaultBrand,
    brandByClientId: props.brandByClientId && pairs(props.brandByClientId, ':'),
    unmappedClientBrandChoice: props.unmappedClientBrandChoice,
    extraLinkOrigins: props.extraLinkOrigins && pairs(props.extraLinkOrigins, '='),
    greetByName: props.greetByName,
    accountTakeOverLinkHosts: props.accountTakeOverLinkHosts?.join(','),
    idempotencyStoreFailure: props.idempotencyStoreFailure,
    smsAllowedCountries: props.smsAllowedCountries?.join(','),
    smsLimitPerNumberPerHour: props.smsLimitPerNumberPerHour?.toString(),
    smsLimitPerCountryPerHour: props.smsLimitPerCountryPerHour?.toString(),
    emailLimitPerAddressPerHour: props.emailLimitPerAddressPerHour?.toString(),
    alarmTopicArn: props.alarmTopicArn,
    logLevel: props.logLevel,
    logRetentionInDays: props.logRetentionInDays?.toString(),
  };
  for (const [name, value] of Object.entries(values)) {
    const use = value === undefined ? undefined : paramProblem(name, value);
    if (use !== undefined)
      throw new Error(`cognito-trigger-pack: prop ${name} is ${JSON.stringify(value)}; use ${use}`);
  }
  if (props.mode === 'sender' && props.emailFrom === undefined) {
    throw new Error('cognito-trigger-pack: prop emailFrom is required in sender mode (the default From)');
  }
  if (props.mode === 'message' && props.kmsKey !== undefined) {
    throw new Error('cognito-trigger-pack: prop kmsKey is for sender mode; message mode decrypts nothing');
  }
  const keyArn = props.kmsKey?.keyArn;
  if (keyArn !== undefined && (keyArn.includes(':alias/') || (!keyArn.includes('${') && !KMS_KEY_ARN.test(keyArn)))) {
    throw new Error(
      `cognito-trigger-pack: prop kmsKey is ${JSON.stringify(keyArn)}; give a key by its full ARN (Key.fromKeyArn), not an alias`,
    );
  }
  const logoBaseUrl: Record<string, string> =
    props.logoBaseUrl === undefined ? {} : { LOGO_BASE_URL: props.logoBaseUrl };
  checkAgainstPack({ ...messageEnv(props), ...logoBaseUrl }, pack);
}

/** The runtime's own reading of the variables against the templates (locales and brands that exist). */
function checkAgainstPack(env: Record<string, string>, pack: TemplatePack): void {
  // A value resolved only at deploy (a token) is left to the function's own check at cold start.
  const known = Object.fromEntries(Object.entries(env).filter(([, value]) => !value.includes('${')));
  try {
    readMessageConfig(known, pack);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const named = Object.entries(PROP_OF_VARIABLE).reduce(
      (message, [variable, prop]) => message.replace(`Environment variable ${variable}`, `prop ${prop}`),
      error.message,
    );
    throw new Error(`cognito-trigger-pack: ${named}`, { cause: error });
  }
}

/**
 * SIGN_IN_ATTRIBUTES for a pool: the given attributes, else a pool of the
 * app's own `usernameAttributes`, or `username` and its `aliasAttributes`;
 * an imported pool's settings cannot be read at synth, so it is `username`
 * unless given. Checked by the runtime's rule, naming the prop.
 */
export function signInAttributesOf(pool: IUserPool, given: readonly SignInAttribute[] | undefined): string {
  let attributes: readonly string[] = given ?? ['username'];
  if (given === undefined && pool instanceof UserPool) {
    const cfnPool = pool.node.defaultChild as CfnUserPool;
    const stack = Stack.of(pool);
    const usernameAttributes = stack.resolve(cfnPool.usernameAttributes) as string[] | undefined;
    const aliasAttributes = stack.resolve(cfnPool.aliasAttributes) as string[] | undefined;
    attributes = usernameAttributes?.length ? usernameAttributes : ['username', ...(aliasAttributes ?? [])];
  }
  const value = attributes.join(',');
  try {
    readSignInAttributes({ SIGN_IN_ATTRIBUTES: value });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new Error(
      `cognito-trigger-pack: ${error.message.replace('Environment variable SIGN_IN_ATTRIBUTES', 'signInAttributes')}`,
      { cause: error },
    );
  }
  return value;
}
