/**
 * Event factories, one per trigger family, shaped like Cognito's own events
 * (cognito-facts.md). A test clones one and changes only what it is about.
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
