/**
 * Event factories, one per trigger family, shaped like Cognito's own events
 * (docs/cognito.md). A test clones one and changes only what it is about.
 */
import type { CustomMessageTriggerEvent } from 'aws-lambda';

export const POOL_ID = 'us-east-1_Example1';
export const CLIENT_ID = '4example0client0id0abcdefg';

export type CustomMessageSource = CustomMessageTriggerEvent['triggerSource'];

export const CUSTOM_MESSAGE_SOURCES: CustomMessageSource[] = [
  'CustomMessage_SignUp',
  'CustomMessage_AdminCreateUser',
  'CustomMessage_ResendCode',
  'CustomMessage_ForgotPassword',
  'CustomMessage_UpdateUserAttribute',
  'CustomMessage_VerifyUserAttribute',
  'CustomMessage_Authentication',
];

/** A CustomMessage event for `triggerSource`, as Cognito sends it. */
export function customMessageEvent(
  triggerSource: CustomMessageSource,
  overrides: {
    userAttributes?: Record<string, string>;
    clientMetadata?: Record<string, string> | null;
    linkParameter?: string | null;
    clientId?: string;
  } = {},
): CustomMessageTriggerEvent {
  const adminCreateUser = triggerSource === 'CustomMessage_AdminCreateUser';
  const withLink = triggerSource === 'CustomMessage_SignUp' || triggerSource === 'CustomMessage_ResendCode';
  return structuredClone({
    version: '1',
    triggerSource,
    region: 'us-east-1',
    userPoolId: POOL_ID,
    userName: 'alice',
    callerContext: { awsSdkVersion: 'aws-sdk-js-3.600.0', clientId: overrides.clientId ?? CLIENT_ID },
    request: {
      userAttributes: overrides.userAttributes ?? {
        sub: '7d3e5b1a-0000-4000-8000-000000000001',
        email: 'alice@example.com',
        email_verified: 'false',
        'cognito:user_status': 'CONFIRMED',
      },
      codeParameter: '{####}',
      usernameParameter: adminCreateUser ? '{username}' : null,
      linkParameter:
        overrides.linkParameter !== undefined ? overrides.linkParameter : withLink ? '{##Click Here##}' : null,
      ...(overrides.clientMetadata === undefined ? {} : { clientMetadata: overrides.clientMetadata }),
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  } as unknown as CustomMessageTriggerEvent);
}

export type SenderFamily = 'CustomEmailSender' | 'CustomSMSSender';

export const EMAIL_SENDER_SOURCES = [
  'CustomEmailSender_SignUp',
  'CustomEmailSender_ResendCode',
  'CustomEmailSender_ForgotPassword',
  'CustomEmailSender_UpdateUserAttribute',
  'CustomEmailSender_VerifyUserAttribute',
  'CustomEmailSender_AdminCreateUser',
  'CustomEmailSender_Authentication',
  'CustomEmailSender_AccountTakeOverNotification',
] as const;

export const SMS_SENDER_SOURCES = [
  'CustomSMSSender_SignUp',
  'CustomSMSSender_ResendCode',
  'CustomSMSSender_ForgotPassword',
  'CustomSMSSender_UpdateUserAttribute',
  'CustomSMSSender_VerifyUserAttribute',
  'CustomSMSSender_AdminCreateUser',
  'CustomSMSSender_Authentication',
] as const;

export const ACCOUNT_TAKE_OVER_ATTRIBUTES = {
  EVENT_ID: 'a6b4c8d2-0000-4000-8000-00000000abcd',
  USER_NAME: 'alice',
  IP_ADDRESS: '203.0.113.7',
  ACCOUNT_TAKE_OVER_ACTION: 'BLOCK',
  ONE_CLICK_LINK_VALID: 'https://cognito-idp.us-east-1.amazonaws.com/feedback?token=valid123',
  ONE_CLICK_LINK_INVALID: 'https://cognito-idp.us-east-1.amazonaws.com/feedback?token=invalid456',
  LOGIN_TIME: '2026-11-20T08:15:00Z',
  FEEDBACK_TOKEN: 'token-abc',
  CITY: 'Lisbon',
  COUNTRY: 'Portugal',
  DEVICE_NAME: 'Chrome 130, Windows 11',
  email: 'alice@example.com',
} as const;

/** A CustomEmailSender / CustomSMSSender event, as Cognito sends it. */
export function senderEvent(
  triggerSource: string,
  code: string | null,
  overrides: {
    userAttributes?: Record<string, string>;
    clientMetadata?: Record<string, string> | null;
    userName?: string;
    userPoolId?: string;
  } = {},
) {
  const sms = triggerSource.startsWith('CustomSMSSender_');
  const takeOver = triggerSource.endsWith('_AccountTakeOverNotification');
  return structuredClone({
    version: '1',
    triggerSource,
    region: 'us-east-1',
    userPoolId: overrides.userPoolId ?? POOL_ID,
    userName: overrides.userName ?? 'alice',
    callerContext: { awsSdkVersion: 'aws-sdk-js-3.600.0', clientId: CLIENT_ID },
    request: {
      type: sms ? 'customSMSSenderRequestV1' : 'customEmailSenderRequestV1',
      code: takeOver ? null : code,
      clientMetadata: takeOver ? null : overrides.clientMetadata === undefined ? null : overrides.clientMetadata,
      userAttributes:
        overrides.userAttributes ??
        (takeOver
          ? { ...ACCOUNT_TAKE_OVER_ATTRIBUTES }
          : {
              sub: '7d3e5b1a-0000-4000-8000-000000000001',
              email: 'alice@example.com',
              email_verified: 'true',
              phone_number: '+14155550123',
              phone_number_verified: 'true',
            }),
    },
    response: {},
  });
}
