/**
 * Who a sender message goes to: the user's own address or number from the
 * event, checked before anything is decrypted or rendered. A bad attribute
 * sends nothing; there is never a guess or another address.
 */
import { E164 } from '../delivery/delivery-formats.js';
import { InvalidRecipientError } from '../errors.js';
import { maskEmail, maskPhone } from '../log.js';

// Deliberately plain: one @, no spaces or angle brackets, a dot in the domain,
// printable ASCII only (SES v1 needs an ASCII/punycode address).
const EMAIL_ADDRESS =
  /^[!#-'*+\-/-9=?A-Z^-~]+(?:\.[!#-'*+\-/-9=?A-Z^-~]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The user's `email` attribute, or InvalidRecipientError: never a guess, never another address. */
export function emailRecipient(email: string | undefined): string {
  if (email === undefined) throw new InvalidRecipientError('the user has no email attribute; nothing was sent');
  if (email.length > 254 || !EMAIL_ADDRESS.test(email)) {
    throw new InvalidRecipientError(
      `the user's email attribute (${maskEmail(email)}) is not a valid address; nothing was sent`,
    );
  }
  return email;
}

/** The user's `phone_number` attribute in E.164, or InvalidRecipientError. */
export function smsRecipient(phone: string | undefined): string {
  if (phone === undefined) throw new InvalidRecipientError('the user has no phone_number attribute; nothing was sent');
  if (!E164.test(phone)) {
    throw new InvalidRecipientError(
      `the user's phone_number (${maskPhone(phone)}) is not E.164 (+ and 7–15 digits); nothing was sent`,
    );
  }
  return phone;
}
