/**
 * The formats AWS accepts for the values a brand, the configuration or a
 * deployment file sets (docs/cognito.md, "Delivery"): one definition, read by
 * the brand schema, the sender configuration, the recipient checks and the
 * deployment's parameter checks.
 */

/** A phone number in E.164: `+`, a non-zero digit, then 6–14 more digits. */
export const E164 = /^\+[1-9]\d{6,14}$/;
/** An SNS sender id: 3–11 letters or digits, at least one a letter. */
export const SMS_SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$/;
/** An SES configuration set name. */
export const SES_CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;
/** A full KMS key ARN (an alias never matches on decrypt). */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/;
/** An SES identity ARN (sending authorization). */
export const SES_IDENTITY_ARN = /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/\S+$/;
/** A From: an address, or `Name <address>`. */
export const FROM_ADDRESS = /^(?:[^<>\r\n]{1,100} <[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/;
/** A lower-case DNS host name. */
export const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
/** A Cognito app client id. */
export const APP_CLIENT_ID = /^[\w+]{1,128}$/;
