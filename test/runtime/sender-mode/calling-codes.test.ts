import { describe, expect, it } from 'vitest';
import {
  countryAllowed,
  countryOfNumber,
  KNOWN_COUNTRIES,
  US_OR_CANADA,
} from '../../../src/runtime/sender-mode/calling-codes.js';

describe('countryOfNumber', () => {
  it.each([
    ['+33612345678', 'FR'],
    ['+447700900123', 'GB'],
    ['+4915112345678', 'DE'],
    ['+5511912345678', 'BR'],
    ['+61412345678', 'AU'],
    ['+819012345678', 'JP'],
    ['+8613812345678', 'CN'],
    ['+886912345678', 'TW'],
    ['+97150123456', 'AE'],
    ['+211912345678', 'SS'],
    ['+27821234567', 'ZA'],
    ['+35312345678', 'IE'],
    ['+420601123456', 'CZ'],
    ['+5999123456', 'CW'],
    ['+9989012345', 'UZ'],
  ])('%s is %s', (number, country) => {
    expect(countryOfNumber(number)).toBe(country);
  });

  it('tells the other NANP countries apart by area code, and leaves the US and Canada together', () => {
    expect(countryOfNumber('+14155550123')).toBe(US_OR_CANADA);
    expect(countryOfNumber('+14165550123')).toBe(US_OR_CANADA);
    expect(countryOfNumber('+18765550123')).toBe('JM');
    expect(countryOfNumber('+18095550123')).toBe('DO');
    expect(countryOfNumber('+12845550123')).toBe('VG');
    expect(countryOfNumber('+17875550123')).toBe('PR');
  });

  it('splits +7 into Kazakhstan (+76, +77) and Russia', () => {
    expect(countryOfNumber('+77011234567')).toBe('KZ');
    expect(countryOfNumber('+79161234567')).toBe('RU');
  });

  it('finds no country for unassigned codes and international networks', () => {
    for (const number of ['+80012345678', '+8816123456', '+88212345678', '+87012345678', '+2812345678']) {
      expect(countryOfNumber(number), number).toBeNull();
    }
  });

  it('answers every entry with an ISO code the allow-list accepts', () => {
    for (const country of KNOWN_COUNTRIES) expect(country).toMatch(/^[A-Z]{2}$/);
    expect(KNOWN_COUNTRIES.size).toBeGreaterThan(200);
  });
});

describe('countryAllowed', () => {
  const allowed = new Set(['US', 'FR']);
  it('allows a listed country, and US/CA when either is listed', () => {
    expect(countryAllowed('FR', allowed)).toBe(true);
    expect(countryAllowed(US_OR_CANADA, allowed)).toBe(true);
    expect(countryAllowed(US_OR_CANADA, new Set(['CA']))).toBe(true);
  });

  it('refuses an unlisted country and no country', () => {
    expect(countryAllowed('JM', allowed)).toBe(false);
    expect(countryAllowed(null, allowed)).toBe(false);
  });
});
