/**
 * Every error this pack throws on purpose. A caller can tell them apart by
 * class, or by `name`, which survives serialisation into Lambda's error
 * payload (each class spells its name out, so minified bundles keep it).
 * Messages say what was wrong and never carry a code or password.
 */
export class TriggerPackError extends Error {
  override name = 'TriggerPackError';
}

/** Required environment configuration is missing or malformed (thrown at cold start). */
export class ConfigurationError extends TriggerPackError {
  override name = 'ConfigurationError';
}

/** The Lambda event does not have the shape Cognito sends. */
export class InvalidEventError extends TriggerPackError {
  override name = 'InvalidEventError';
}

/** A template, catalog or brand could not produce a message. */
export class TemplateRenderError extends TriggerPackError {
  override name = 'TemplateRenderError';
}

/** The rendered message would be rejected by Cognito, SES or SNS. */
export class MessageValidationError extends TriggerPackError {
  override name = 'MessageValidationError';

  constructor(
    message: string,
    readonly violations: readonly string[],
  ) {
    super(`${message}: ${violations.join('; ')}`);
  }
}

/** The encrypted code in a sender event could not be decrypted or failed a check. */
export class DecryptionError extends TriggerPackError {
  override name = 'DecryptionError';
}

/** The reasons a sender's encrypted code is refused (sender-mode/decrypt-code.ts). */
export type DecryptionFailure =
  | 'not-base64'
  | 'not-encryption-sdk-message'
  | 'unsupported-algorithm'
  | 'key-not-allowed'
  | 'integrity'
  | 'wrong-pool';

/** A sender's encrypted code was refused; `reason` names the check it failed. */
export class CodeDecryptionError extends DecryptionError {
  override name = 'CodeDecryptionError';

  constructor(
    readonly reason: DecryptionFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The user's email address or phone number cannot receive the message. */
export class InvalidRecipientError extends TriggerPackError {
  override name = 'InvalidRecipientError';
}

/**
 * SES or SNS did not accept the message after the SDK's bounded retries.
 * `nothingSent` is true only when the service certainly sent nothing (it
 * refused the request, or no connection was made); false means the outcome
 * is unknown.
 */
export class DeliveryError extends TriggerPackError {
  override name = 'DeliveryError';
  readonly nothingSent: boolean;

  constructor(message?: string, options?: { cause?: unknown; nothingSent?: boolean }) {
    super(message, options);
    this.nothingSent = options?.nothingSent ?? false;
  }
}

/**
 * Another invocation holds the claim on this message and has not finished
 * (docs/idempotency.md). Retryable: Lambda's retry finds it done (and sends
 * nothing) or expired (and sends).
 */
export class DeliveryInProgressError extends TriggerPackError {
  override name = 'DeliveryInProgressError';
}

/** The idempotency table could not be read or written (thrown only under `IDEMPOTENCY_STORE_FAILURE=fail`). */
export class IdempotencyStoreError extends TriggerPackError {
  override name = 'IdempotencyStoreError';
}

/** The abuse limits a message can break (sender-mode/send-limits.ts). */
export type SendLimitRule = 'sms-country-not-allowed' | 'sms-per-number' | 'sms-per-country' | 'email-per-address';

/**
 * A sending limit refused the message; nothing was sent. A retry within the
 * same hour is refused again, so by design it ends in the failure queue.
 */
export class SendLimitError extends TriggerPackError {
  override name = 'SendLimitError';

  constructor(
    readonly rule: SendLimitRule,
    message: string,
  ) {
    super(message);
  }
}
