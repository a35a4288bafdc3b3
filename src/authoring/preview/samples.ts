/**
 * The sample user, codes and events the preview renders with. Events are
 * shaped like Cognito's own (docs/cognito.md) and go through the same
 * parsers and target resolution as a real invocation.
 */

import type { Env } from '../../runtime/config.js';
import { sourceOf } from '../../runtime/event/message-kind.js';
import type { TemplatePack } from '../../runtime/render/template-pack.js';

export const SAMPLE_USER = {
  userPoolId: 'us-east-1_Preview01',
  /** Pools that sign in by email use the `sub` as userName, so invitations show the address. */
  sub: '7d3e5b1a-0000-4000-8000-0000000000aa',
  email: 'alice@example.com',
  phoneNumber: '+14155550123',
  givenName: 'Alice',
} as const;

/** What the sender triggers would decrypt: a code, or a 12-character temporary password for invitations. */
export const SAMPLE_CODES = {
  code: '123456',
  // `&` and `<` show that HTML escaping keeps the password intact in the body and the text part.
  temporaryPassword: 'Xk7&pQ2<mN9!',
} as const;

/** The placeholders Cognito puts in a CustomMessage event (docs/cognito.md, "CustomMessage"). */
export const COGNITO_PLACEHOLDERS = {
  code: '{####}',
  username: '{username}',
  link: '{##Click Here##}',
} as const;

/** Sources whose CustomMessage event carries the link placeholder, as when a pool confirms sign-up by link. */
const LINK_SUFFIXES: ReadonlySet<string> = new Set(['SignUp', 'ResendCode']);

/** Sign-in details Cognito sends with an AccountTakeOverNotification. */
export const SAMPLE_ACCOUNT_TAKE_OVER = {
  EVENT_ID: 'a6b4c8d2-0000-4000-8000-00000000abcd',
  USER_NAME: SAMPLE_USER.sub,
  IP_ADDRESS: '203.0.113.7',
  ACCOUNT_TAKE_OVER_ACTION: 'BLOCK',
  ONE_CLICK_LINK_VALID: 'https://cognito-idp.us-east-1.amazonaws.com/feedback?token=valid-sample',
  ONE_CLICK_LINK_INVALID: 'https://cognito-idp.us-east-1.amazonaws.com/feedback?token=invalid-sample',
  LOGIN_TIME: '2026-11-20T08:15:00Z',
  FEEDBACK_TOKEN: 'feedback-sample',
  CITY: 'Lisbon',
  COUNTRY: 'Portugal',
  DEVICE_NAME: 'Chrome 130, Windows 11',
} as const;

/** The app client the preview's events come from; BRAND_BY_CLIENT_ID maps it to `brand`. */
export function sampleClientId(brand: string): string {
  return `preview-client-${brand}`;
}

/**
 * Environment for the message and sender configuration. The key ARN and From
 * address are samples (nothing is decrypted or sent); the brand mapping lets
 * events that carry no clientMetadata (account take-over) reach every brand.
 */
export function sampleEnv(pack: TemplatePack): Env {
  const brands = [...pack.brands.keys()];
  return {
    KMS_KEY_ARN: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000',
    EMAIL_FROM: 'Preview <no-reply@example.com>',
    DEFAULT_LOCALE: pack.sourceLocale,
    DEFAULT_BRAND: brands.includes('default') ? 'default' : brands[0],
    BRAND_BY_CLIENT_ID: brands.map((brand) => `${sampleClientId(brand)}:${brand}`).join(','),
    // The sample pool signs in by address (userName is the sub), so invitations name the address.
    SIGN_IN_ATTRIBUTES: 'email,phone_number',
    LOG_LEVEL: 'error',
  };
}

function envelope(triggerSource: string, brand: string) {
  return {
    version: '1',
    triggerSource,
    region: 'us-east-1',
    userPoolId: SAMPLE_USER.userPoolId,
    userName: SAMPLE_USER.sub,
    callerContext: { awsSdkVersion: 'aws-sdk-js-3.600.0', clientId: sampleClientId(brand) },
  };
}

function userAttributes(locale: string) {
  return {
    sub: SAMPLE_USER.sub,
    email: SAMPLE_USER.email,
    email_verified: 'true',
    phone_number: SAMPLE_USER.phoneNumber,
    phone_number_verified: 'true',
    given_name: SAMPLE_USER.givenName,
    locale,
  };
}

/** A CustomMessage event asking for `locale` and `brand` through clientMetadata. */
export function sampleCustomMessageEvent(triggerSource: string, locale: string, brand: string): unknown {
  const suffix = sourceOf(triggerSource);
  return {
    ...envelope(triggerSource, brand),
    request: {
      userAttributes: userAttributes(locale),
      codeParameter: COGNITO_PLACEHOLDERS.code,
      usernameParameter: suffix === 'AdminCreateUser' ? COGNITO_PLACEHOLDERS.username : null,
      linkParameter: LINK_SUFFIXES.has(suffix) ? COGNITO_PLACEHOLDERS.link : null,
      clientMetadata: { locale, brand },
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
}

/**
 * A CustomEmailSender / CustomSMSSender event. Account take-over notices
 * carry no clientMetadata, so they reach the locale through the user's
 * `locale` attribute and the brand through the app client.
 */
export function sampleSenderEvent(triggerSource: string, locale: string, brand: string): unknown {
  const sms = triggerSource.startsWith('CustomSMSSender_');
  const takeOver = sourceOf(triggerSource) === 'AccountTakeOverNotification';
  return {
    ...envelope(triggerSource, brand),
    request: {
      type: sms ? 'customSMSSenderRequestV1' : 'customEmailSenderRequestV1',
      // Never decrypted: the preview passes the sample code to the pipeline directly.
      code: takeOver ? null : 'AYADeNotDecryptedInThePreview',
      clientMetadata: takeOver ? null : { locale, brand },
      userAttributes: takeOver
        ? { ...SAMPLE_ACCOUNT_TAKE_OVER, email: SAMPLE_USER.email, locale }
        : userAttributes(locale),
    },
    response: {},
  };
}
