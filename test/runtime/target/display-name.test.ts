import { describe, expect, it } from 'vitest';
import { MESSAGE_KINDS } from '../../../src/runtime/event/message-kind.js';
import { displayName, nameIfPlausible } from '../../../src/runtime/target/display-name.js';

describe('nameIfPlausible', () => {
  it('keeps names in any script, with initials, hyphens, apostrophes and the Catalan l·l', () => {
    for (const name of [
      'Alice',
      'Zoë',
      'María de los Ángeles',
      'J.R. Smith',
      "O'Brien",
      'Jean-Luc',
      'Gal·la',
      '李小龍',
      'محمد',
    ]) {
      expect(nameIfPlausible(name)).toBe(name);
    }
  });

  it('refuses URLs, hosts, look-alike hosts, addresses, numbers and sentences', () => {
    for (const bait of [
      'ACCOUNT LOCKED! Restore now: https://evil.example/r',
      'evil.example',
      'evil . example',
      'evil\u2024example',
      'ｅｖｉｌ．ｃｏｍ',
      'evil\u3002com',
      'bob@evil.example',
      'Call 4155550123',
      'Bob 1',
      '<b>Zoë</b>',
      'Zoë {####}',
      'x'.repeat(41),
      'a b c d e f',
    ]) {
      expect(nameIfPlausible(bait), bait).toBeNull();
    }
  });

  it('cleans invisible characters first', () => {
    expect(nameIfPlausible('Ann\u200d')).toBe('Ann');
    expect(nameIfPlausible(42)).toBeNull();
  });
});

describe('displayName', () => {
  const attributes = { given_name: 'Zoë', name: 'Zoë Martin' };

  it('by default greets by name only where the destination is proven or set by an admin', () => {
    const named = MESSAGE_KINDS.filter((kind) => displayName(attributes, kind, 'verified') !== null);
    expect(named).toEqual(['forgotPassword', 'adminCreateUser', 'authentication']);
  });

  it('greets every kind but the take-over notice under always, and none under never', () => {
    expect(MESSAGE_KINDS.filter((kind) => displayName(attributes, kind, 'always') !== null)).toHaveLength(
      MESSAGE_KINDS.length - 1,
    );
    expect(MESSAGE_KINDS.filter((kind) => displayName(attributes, kind, 'never') !== null)).toEqual([]);
  });

  it('falls back from given_name to name', () => {
    expect(displayName({ name: 'Zoë Martin' }, 'forgotPassword', 'verified')).toBe('Zoë Martin');
  });
});
