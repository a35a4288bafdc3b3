/**
 * The stage parameters of the pack's serverless.yml (`params.default`), as a
 * deployer sets them: which values each accepts, checked before osls runs, so
 * that `mode=sendr` is named with the modes that exist instead of failing
 * deep inside the framework's variable resolution. The formats are those the
 * functions check at cold start (src/runtime/config.ts, sender-config.ts,
 * idempotency.ts, send-limits.ts).
 */
import { BRAND_ID } from '../authoring/brand-schema.js';
import { type Env, isHttpsOrigin, readLogoBaseUrl } from '../runtime/config.js';
import {
  APP_CLIENT_ID,
  E164,
  FROM_ADDRESS,
  HOST_NAME,
  KMS_KEY_ARN,
  SES_CONFIGURATION_SET,
  SES_IDENTITY_ARN,
  SMS_SENDER_ID,
} from '../runtime/delivery/delivery-formats.js';
import { ConfigurationError } from '../runtime/errors.js';
import { readIdempotencySettings } from '../runtime/sender-mode/idempotency.js';
import { readSendLimits } from '../runtime/sender-mode/send-limits.js';
import { UNMAPPED_CLIENT_BRAND_CHOICES } from '../runtime/target/brand.js';
import { GREET_BY_NAME_POLICIES } from '../runtime/target/display-name.js';
import { readSignInAttributes, SIGN_IN_ATTRIBUTES_USE } from '../runtime/target/sign-in-name.js';

/** What one parameter accepts: `use` completes "…; use <use>" in the error. */
interface ParamRule {
  valid: (value: string) => boolean;
  use: string;
  /** Empty is allowed (the functions then use their default, or the feature is off). */
  optional?: boolean;
}

/** The retention periods osls accepts for `logRetentionInDays` (CloudWatch Logs' PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** A user pool id: its region, `_`, then letters and digits (eu-west-1_AbCdEf123). */
export const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const ADDRESS = /^[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+$/;
const POOL_NAME = /^[\w\s+=,.@-]{1,128}$/;
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
/** A standard SNS topic's ARN, the alarms' action (a FIFO topic's name ends in .fifo: CloudWatch cannot publish there). */
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:[\w-]{1,256}$/;

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const each = (check: (item: string) => boolean) => (value: string) => list(value).every(check);
const oneOf = (choices: readonly string[], caseless = false) => ({
  valid: (value: string) => choices.includes(caseless ? value.toLowerCase() : value),
  use: joinWords(choices, 'or'),
});
const matches = (pattern: RegExp, use: string): ParamRule => ({ valid: (value) => pattern.test(value), use });
/** A value the functions' own reading of `variable` accepts: the runtime keeps the only definition of its format. */
const readBy =
  (read: (env: Env) => unknown, variable: string) =>
  (value: string): boolean => {
    try {
      read({ [variable]: value });
      return true;
    } catch (error) {
      if (error instanceof ConfigurationError) return false;
      throw error;
    }
  };
/** An hourly abuse limit: empty leaves the functions' default. */
const hourlyLimit = (variable: string): ParamRule => ({
  valid: readBy(readSendLimits, variable),
  use: 'a whole number of at least 1, or off',
  optional: true,
});

/** Every parameter the pack's serverless.yml defines a rule for; a parameter without one takes any value. */
const RULES: Record<string, ParamRule> = {
  mode: oneOf(['message', 'sender']),
  existingPool: oneOf(['true', 'false']),
  poolName: matches(POOL_NAME, 'a user pool name (1–128 letters, digits, spaces and +=,.@-_)'),
  existingPoolId: { ...matches(POOL_ID, 'a user pool id such as eu-west-1_AbCdEf123'), optional: true },
  poolSmsRoleArn: {
    ...matches(ROLE_ARN, "the pool's SMS role ARN (arn:aws:iam::<account>:role/<name>), or leave it empty"),
    optional: true,
  },
  kmsKeyArn: {
    ...matches(
      KMS_KEY_ARN,
      "a key's full ARN (arn:aws:kms:<region>:<account>:key/<id>, not an alias), or leave it empty",
    ),
    optional: true,
  },
  emailFrom: matches(FROM_ADDRESS, 'an address or "Name <address>"'),
  sesIdentity: {
    valid: (value) => ADDRESS.test(value) || HOST_NAME.test(value.toLowerCase()),
    use: 'a domain or an address',
  },
  sesSourceArn: {
    ...matches(
      SES_IDENTITY_ARN,
      'an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<identity>), or leave it empty',
    ),
    optional: true,
  },
  sesExtraIdentityArns: {
    valid: each((item) => SES_IDENTITY_ARN.test(item)),
    use: 'comma-separated SES identity ARNs (arn:aws:ses:<region>:<account>:identity/<identity>)',
    optional: true,
  },
  sesConfigurationSet: { ...matches(SES_CONFIGURATION_SET, 'a configuration set name'), optional: true },
  smsSenderId: { ...matches(SMS_SENDER_ID, '3–11 letters or digits with a letter'), optional: true },
  smsOriginationNumber: { ...matches(E164, 'an E.164 number such as +15555550100'), optional: true },
  defaultLocale: matches(LOCALE, 'a BCP 47 language tag such as en or pt-BR'),
  defaultBrand: matches(BRAND_ID, 'a brand id (lower-case letters, digits and dashes)'),
  brandByClientId: {
    valid: each((pair) => {
      const [clientId = '', brand = '', ...rest] = pair.split(':').map((part) => part.trim());
      return APP_CLIENT_ID.test(clientId) && BRAND_ID.test(brand) && rest.length === 0;
    }),
    use: 'clientId:brand,clientId:brand',
    optional: true,
  },
  unmappedClientBrandChoice: { ...oneOf(UNMAPPED_CLIENT_BRAND_CHOICES, true), optional: true },
  extraLinkOrigins: {
    valid: each((pair) => {
      const at = pair.indexOf('=');
      return at > 0 && BRAND_ID.test(pair.slice(0, at).trim()) && isHttpsOrigin(pair.slice(at + 1).trim());
    }),
    use: 'brand=https://host,brand=https://host',
    optional: true,
  },
  signInAttributes: {
    valid: readBy(readSignInAttributes, 'SIGN_IN_ATTRIBUTES'),
    use: `${SIGN_IN_ATTRIBUTES_USE}, or leave it empty for the pool's own`,
    optional: true,
  },
  logoBaseUrl: {
    valid: readBy(readLogoBaseUrl, 'LOGO_BASE_URL'),
    use: 'the https address that holds dist/logos/*.png, without query or fragment (https://logos.example.com), or leave it empty for a bucket of this stack',
    optional: true,
  },
  greetByName: { ...oneOf(GREET_BY_NAME_POLICIES, true), optional: true },
  accountTakeOverLinkHosts: {
    valid: each((host) => HOST_NAME.test(host.toLowerCase())),
    use: 'comma-separated host names',
    optional: true,
  },
  idempotencyStoreFailure: {
    valid: readBy(readIdempotencySettings, 'IDEMPOTENCY_STORE_FAILURE'),
    use: 'send or fail',
    optional: true,
  },
  smsAllowedCountries: {
    valid: readBy(readSendLimits, 'SMS_ALLOWED_COUNTRIES'),
    use: 'comma-separated ISO 3166-1 alpha-2 country codes such as US,CA,FR, or leave it empty for any country',
    optional: true,
  },
  smsLimitPerNumberPerHour: hourlyLimit('SMS_LIMIT_PER_NUMBER_PER_HOUR'),
  smsLimitPerCountryPerHour: hourlyLimit('SMS_LIMIT_PER_COUNTRY_PER_HOUR'),
  emailLimitPerAddressPerHour: hourlyLimit('EMAIL_LIMIT_PER_ADDRESS_PER_HOUR'),
  alarmTopicArn: {
    ...matches(SNS_TOPIC_ARN, "a standard SNS topic's ARN (arn:aws:sns:<region>:<account>:<name>), or leave it empty"),
    optional: true,
  },
  logLevel: { ...oneOf(['debug', 'info', 'warn', 'error'], true), optional: true },
  logRetentionInDays: {
    valid: (value) => (LOG_RETENTION_DAYS as readonly number[]).includes(Number(value)) && /^\d+$/.test(value),
    use: `one of CloudWatch's retention periods in days (${LOG_RETENTION_DAYS.join(', ')})`,
  },
};

/** `a, b or c`. */
export function joinWords(items: readonly string[], last: 'and' | 'or'): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}

/** True when osls resolves the value at deploy time (`${ssm:…}`, `${env:…}`): it cannot be checked here. */
export function isVariable(value: string): boolean {
  return value.includes('${');
}

/** What is wrong with a parameter's value, as "use …"; undefined when it is fine or cannot be checked yet. */
export function paramProblem(name: string, value: string): string | undefined {
  const rule = RULES[name];
  if (rule === undefined || isVariable(value)) return undefined;
  if (value.trim() === '') return rule.optional ? undefined : rule.use;
  return rule.valid(value.trim()) ? undefined : rule.use;
}

/** The known name closest to `name` in spelling, when it is close enough to be the one meant. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name: candidate, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
