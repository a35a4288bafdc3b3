/**
 * Every error this pack throws on purpose. A caller can tell them apart by
 * class (or by `name`, which survives serialisation into Lambda's error
 * payload). Messages say what was wrong and never carry a code or password.
 */
export class TriggerPackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Required environment configuration is missing or malformed (thrown at cold start). */
export class ConfigurationError extends TriggerPackError {}

/** The Lambda event does not have the shape Cognito sends. */
export class InvalidEventError extends TriggerPackError {}

/** A template, catalog or brand could not produce a message. */
export class TemplateRenderError extends TriggerPackError {}

/** The rendered message would be rejected by Cognito, SES or SNS. */
export class MessageValidationError extends TriggerPackError {
  constructor(
    message: string,
    readonly violations: readonly string[],
  ) {
    super(`${message}: ${violations.join('; ')}`);
  }
}

/** The encrypted code in a sender event could not be decrypted or failed a check. */
export class DecryptionError extends TriggerPackError {}

/** The user's email address or phone number cannot receive the message. */
export class InvalidRecipientError extends TriggerPackError {}

/** SES or SNS did not accept the message after the SDK's bounded retries. */
export class DeliveryError extends TriggerPackError {}
