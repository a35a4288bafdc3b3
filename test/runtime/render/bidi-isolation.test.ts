import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FSI, isolateForRtl, LRI, PDI } from '../../../src/runtime/render/bidi-isolation.js';

const strip = (text: string) => text.replace(/[\u2066-\u2069]/g, '');

describe('isolateForRtl', () => {
  it('isolates a username that begins like an address whole, not where the address pattern ends', () => {
    const username = 'a@example]rest';
    expect(isolateForRtl(`اسم المستخدم ${username}.`, { ltr: [], either: [username] })).toBe(
      `اسم المستخدم ${FSI}${username}${PDI}.`,
    );
  });

  it('keeps an address whole when a shorter username is part of it', () => {
    expect(isolateForRtl('راسل sara@example.com', { ltr: [], either: ['sara'] })).toBe(
      `راسل ${LRI}sara@example.com${PDI}`,
    );
  });

  it('keeps a code inside a URL inside the URL’s isolate', () => {
    expect(isolateForRtl('افتح https://app.example/v?c=123456 الآن', { ltr: ['123456'], either: [] })).toBe(
      `افتح ${LRI}https://app.example/v?c=123456${PDI} الآن`,
    );
  });

  it('leaves Arabic punctuation after an address or a URL outside the isolate', () => {
    expect(isolateForRtl('راسل help@example.com، أو افتح https://app.example/v؟')).toBe(
      `راسل ${LRI}help@example.com${PDI}، أو افتح ${LRI}https://app.example/v${PDI}؟`,
    );
  });

  it('isolates a username that ends in punctuation before an Arabic comma whole', () => {
    const username = 'a@example!';
    expect(isolateForRtl(`دخول: ${username}، كلمة`, { ltr: [], either: [username] })).toBe(
      `دخول: ${FSI}${username}${PDI}، كلمة`,
    );
  });

  it('keeps a username glued to the word before it whole, in one isolate with the address run it overlaps', () => {
    const username = 'a@example]z';
    expect(isolateForRtl(`دخول:${username}، كلمة`, { ltr: [], either: [username] })).toBe(
      `${FSI}دخول:${username}${PDI}، كلمة`,
    );
  });

  it('leaves text without URLs, addresses or values as it is', () => {
    expect(isolateForRtl('مرحبا بك')).toBe('مرحبا بك');
  });

  it('keeps a value contiguous wherever it stands, and the text unchanged but for isolates', () => {
    const value = fc.string({ minLength: 1, maxLength: 12 }).filter((v) => !/[\u2066-\u2069]/.test(v));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(value, fc.constantFrom(' ', '.', '@', ']', 'https://x.example/')), { maxLength: 8 }),
        value,
        (parts, username) => {
          const text = [...parts, username, ...parts].join('');
          const shaped = isolateForRtl(text, { ltr: [], either: [username] });
          expect(strip(shaped)).toBe(text);
          expect(shaped).toContain(username);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
