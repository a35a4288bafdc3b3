/**
 * What a message is about, independent of the trigger family that asked for
 * it: the CustomMessage and sender triggers share one set of templates.
 */
export const MESSAGE_KINDS = [
  'signUp',
  'resendCode',
  'forgotPassword',
  'updateUserAttribute',
  'verifyUserAttribute',
  'adminCreateUser',
  'authentication',
  'accountTakeOver',
] as const;

export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * Kinds that verify an address: the only ones that carry a verification link,
 * Cognito's `{##…##}` in message mode or the brand's link in sender mode. A
 * password reset, an invitation or a sign-in code never asks to verify an email.
 */
export const VERIFYING_KINDS: ReadonlySet<MessageKind> = new Set([
  'signUp',
  'resendCode',
  'updateUserAttribute',
  'verifyUserAttribute',
]);

const KIND_BY_SUFFIX: Readonly<Record<string, MessageKind>> = {
  SignUp: 'signUp',
  ResendCode: 'resendCode',
  ForgotPassword: 'forgotPassword',
  UpdateUserAttribute: 'updateUserAttribute',
  VerifyUserAttribute: 'verifyUserAttribute',
  AdminCreateUser: 'adminCreateUser',
  Authentication: 'authentication',
  AccountTakeOverNotification: 'accountTakeOver',
};

/** How a message reaches the user. */
export type Channel = 'email' | 'sms';

/** The trigger that asks for a message: the part of a triggerSource before `_`. */
export type TriggerFamily = 'CustomMessage' | 'CustomEmailSender' | 'CustomSMSSender';
export type SenderFamily = Exclude<TriggerFamily, 'CustomMessage'>;

/** The sender trigger that delivers each channel; message mode's CustomMessage answers for both. */
export const SENDER_FAMILIES: Readonly<Record<Channel, SenderFamily>> = {
  email: 'CustomEmailSender',
  sms: 'CustomSMSSender',
};

/** The source of a triggerSource, the part after the family: `SignUp` of `CustomMessage_SignUp`. */
export function sourceOf(triggerSource: string): string {
  return triggerSource.slice(triggerSource.indexOf('_') + 1);
}

/**
 * Maps a triggerSource such as `CustomMessage_SignUp` to its kind, or
 * undefined when the family does not send that source (docs/cognito.md).
 */
export function kindOfTriggerSource(family: TriggerFamily, triggerSource: string): MessageKind | undefined {
  if (!triggerSource.startsWith(`${family}_`)) return undefined;
  const suffix = sourceOf(triggerSource);
  if (!Object.hasOwn(KIND_BY_SUFFIX, suffix)) return undefined;
  const kind = KIND_BY_SUFFIX[suffix];
  if (kind === 'accountTakeOver' && family !== 'CustomEmailSender') return undefined;
  return kind;
}

/** Every triggerSource a family handles, for tests, previews and docs. */
export function triggerSourcesOf(family: TriggerFamily): string[] {
  return Object.entries(KIND_BY_SUFFIX)
    .filter(([, kind]) => kind !== 'accountTakeOver' || family === 'CustomEmailSender')
    .map(([suffix]) => `${family}_${suffix}`);
}
