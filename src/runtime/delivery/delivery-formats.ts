/**
 * The formats SES and SNS accept for the values a brand or the configuration
 * sets (docs/cognito.md, "Delivery"): one definition, read by the brand schema,
 * the sender configuration and the recipient checks.
 */

/** A phone number in E.164: `+`, a non-zero digit, then 6–14 more digits. */
export const E164 = /^\+[1-9]\d{6,14}$/;
/** An SNS sender id: 3–11 letters or digits, at least one a letter. */
export const SMS_SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$/;
/** An SES configuration set name. */
export const SES_CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;
