/**
 * What an invited user types to sign in. The event cannot tell: in a pool
 * whose users sign in with an email address or a phone number (Cognito's
 * UsernameAttributes), userName is a generated id, and nothing in the event
 * says which kind of pool sent it. So the deployment names the pool's
 * sign-in attributes in SIGN_IN_ATTRIBUTES (docs/configuration.md).
 */
import type { Env } from '../config.js';
import { E164 } from '../delivery/delivery-formats.js';
import { ConfigurationError } from '../errors.js';
import type { Channel } from '../event/message-kind.js';

/** Cognito's names for what a user may type to sign in. */
export type SignInAttribute = 'username' | 'email' | 'phone_number' | 'preferred_username';
export const SIGN_IN_ATTRIBUTES: readonly SignInAttribute[] = [
  'username',
  'email',
  'phone_number',
  'preferred_username',
];

/** The attribute an invitation names, and its value. */
export interface SignInName {
  attribute: 'username' | 'email' | 'phone_number';
  value: string;
}

/** What SIGN_IN_ATTRIBUTES takes, as "use …" in an error (the deployment's parameter check says the same). */
export const SIGN_IN_ATTRIBUTES_USE =
  "the pool's UsernameAttributes (email, phone_number) or username with its AliasAttributes (email, phone_number, preferred_username), comma-separated";

/**
 * `SIGN_IN_ATTRIBUTES`: the pool's UsernameAttributes (`email`,
 * `phone_number`), or `username` followed by its AliasAttributes. Unset:
 * `username`. Anything else is refused, so a typo cannot make every
 * invitation name the wrong thing.
 */
export function readSignInAttributes(env: Env): SignInAttribute[] {
  const raw = env.SIGN_IN_ATTRIBUTES?.trim() ?? '';
  if (raw === '') return ['username'];
  const attributes: SignInAttribute[] = [];
  for (const item of raw.split(',').map((part) => part.trim())) {
    const attribute = SIGN_IN_ATTRIBUTES.find((candidate) => candidate === item);
    if (attribute === undefined || attributes.includes(attribute)) {
      throw new ConfigurationError(
        `Environment variable SIGN_IN_ATTRIBUTES has ${item === '' ? 'an empty item' : `"${item}"`}${attribute ? ' twice' : ''}; use ${SIGN_IN_ATTRIBUTES_USE}`,
      );
    }
    attributes.push(attribute);
  }
  if (attributes.includes('preferred_username') && !attributes.includes('username')) {
    throw new ConfigurationError(
      'Environment variable SIGN_IN_ATTRIBUTES has preferred_username without username; preferred_username is only ever an alias of a username, so list username first',
    );
  }
  return attributes;
}

// An address Cognito stored, as it may appear in a message: no braces (they would read as a placeholder), no space.
const EMAIL_SHAPE = /^[^\s{}<>@]+@[^\s{}<>@]+$/;

/**
 * What the invitation names. A pool with a username: the username, since an
 * alias signs in only once verified and an invited user has not signed in
 * yet. A pool that signs in by address: the address of the channel the
 * invitation travels on when it is a sign-in attribute, else the other one.
 * An address that is missing or malformed falls back to the username.
 */
export function invitationSignIn(
  attributes: readonly SignInAttribute[],
  userAttributes: Readonly<Record<string, string | undefined>>,
  userName: string,
  channel: Channel,
): SignInName {
  if (!attributes.includes('username')) {
    const order = channel === 'email' ? (['email', 'phone_number'] as const) : (['phone_number', 'email'] as const);
    for (const attribute of order) {
      const value = userAttributes[attribute]?.trim();
      if (!attributes.includes(attribute) || !value) continue;
      if (attribute === 'email' ? EMAIL_SHAPE.test(value) : E164.test(value)) return { attribute, value };
    }
  }
  return { attribute: 'username', value: userName };
}
