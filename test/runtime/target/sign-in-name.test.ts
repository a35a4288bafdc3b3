import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/runtime/errors.js';
import { invitationSignIn, readSignInAttributes } from '../../../src/runtime/target/sign-in-name.js';

const ATTRIBUTES = {
  sub: '7d3e5b1a-0000-4000-8000-000000000001',
  email: 'alice@example.com',
  phone_number: '+14155550123',
};

describe('readSignInAttributes', () => {
  it('is username when SIGN_IN_ATTRIBUTES is unset or blank', () => {
    expect(readSignInAttributes({})).toEqual(['username']);
    expect(readSignInAttributes({ SIGN_IN_ATTRIBUTES: '  ' })).toEqual(['username']);
  });

  it('reads the UsernameAttributes of a pool, or username with its aliases', () => {
    expect(readSignInAttributes({ SIGN_IN_ATTRIBUTES: 'email, phone_number' })).toEqual(['email', 'phone_number']);
    expect(readSignInAttributes({ SIGN_IN_ATTRIBUTES: 'username,email,preferred_username' })).toEqual([
      'username',
      'email',
      'preferred_username',
    ]);
  });

  it('refuses a typo, naming the variable, the value and the choices', () => {
    expect(() => readSignInAttributes({ SIGN_IN_ATTRIBUTES: 'email,phone' })).toThrow(
      new ConfigurationError(
        `Environment variable SIGN_IN_ATTRIBUTES has "phone"; use the pool's UsernameAttributes (email, phone_number) or username with its AliasAttributes (email, phone_number, preferred_username), comma-separated`,
      ),
    );
    expect(() => readSignInAttributes({ SIGN_IN_ATTRIBUTES: 'Email' })).toThrow(ConfigurationError);
    expect(() => readSignInAttributes({ SIGN_IN_ATTRIBUTES: 'email,,phone_number' })).toThrow(/an empty item/);
    expect(() => readSignInAttributes({ SIGN_IN_ATTRIBUTES: 'email,email' })).toThrow(/"email" twice/);
  });

  it('refuses preferred_username without username: it is only ever an alias', () => {
    expect(() => readSignInAttributes({ SIGN_IN_ATTRIBUTES: 'email,preferred_username' })).toThrow(
      /preferred_username without username/,
    );
  });
});

describe('invitationSignIn', () => {
  it('names the username in a pool with usernames, aliases or not', () => {
    for (const attributes of [['username'], ['username', 'email', 'phone_number']] as const) {
      for (const channel of ['email', 'sms'] as const) {
        expect(invitationSignIn(attributes, ATTRIBUTES, 'alice', channel)).toEqual({
          attribute: 'username',
          value: 'alice',
        });
      }
    }
  });

  it("names the address of the invitation's own channel in a pool that signs in by both", () => {
    const both = ['email', 'phone_number'] as const;
    expect(invitationSignIn(both, ATTRIBUTES, ATTRIBUTES.sub, 'email')).toEqual({
      attribute: 'email',
      value: 'alice@example.com',
    });
    expect(invitationSignIn(both, ATTRIBUTES, ATTRIBUTES.sub, 'sms')).toEqual({
      attribute: 'phone_number',
      value: '+14155550123',
    });
  });

  it('names the email in an SMS invitation when the pool signs in by email only', () => {
    expect(invitationSignIn(['email'], ATTRIBUTES, ATTRIBUTES.sub, 'sms')).toEqual({
      attribute: 'email',
      value: 'alice@example.com',
    });
  });

  it('falls back to the username when the address is missing or could read as a placeholder', () => {
    expect(invitationSignIn(['email'], { sub: 'x' }, 'x', 'email')).toEqual({ attribute: 'username', value: 'x' });
    expect(invitationSignIn(['email'], { email: '{####}@example.com' }, 'x', 'email').attribute).toBe('username');
    expect(invitationSignIn(['phone_number'], { phone_number: '0415 555' }, 'x', 'sms').attribute).toBe('username');
  });
});
