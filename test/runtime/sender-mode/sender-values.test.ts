import { describe, expect, it } from 'vitest';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import { verificationUrl } from '../../../src/runtime/sender-mode/sender-values.js';

describe('verificationUrl', () => {
  const northwind = embeddedPack.brands.get('northwind');
  const acme = embeddedPack.brands.get('default');
  if (!northwind || !acme) throw new Error('brands missing');

  it('is null for a brand without a link base', () => {
    expect(verificationUrl(acme, undefined, '123456', 'alice')).toBeNull();
  });

  it('puts the allowed origin in front of the brand path', () => {
    expect(verificationUrl(northwind, 'https://pr-7.northwind.example', '1', 'u')).toBe(
      'https://pr-7.northwind.example/verify?code=1&username=u',
    );
  });
});
