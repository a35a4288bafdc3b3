import { describe, expect, it } from 'vitest';
import { normaliseTag, resolveLocale } from '../../../src/runtime/target/locale.js';

const SHIPPED = ['en', 'es', 'fr', 'de', 'pt-BR', 'ja', 'ar'];
const resolve = (...candidates: Array<string | null | undefined>) => resolveLocale(candidates, SHIPPED, 'en');

describe('resolveLocale', () => {
  it('matches case-insensitively', () => {
    expect(resolve('pt-br')).toBe('pt-BR');
    expect(resolve('FR')).toBe('fr');
  });

  it('falls back from a regional tag to its parent', () => {
    expect(resolve('fr-CA')).toBe('fr');
    expect(resolve('de-AT-1996')).toBe('de');
    expect(resolve('ar-EG')).toBe('ar');
  });

  it('matches a language-only tag to the one regional variant shipped', () => {
    expect(resolve('pt')).toBe('pt-BR');
    expect(resolve('pt-PT')).toBe('pt-BR');
  });

  it('accepts an underscore separator', () => {
    expect(resolve('pt_BR')).toBe('pt-BR');
  });

  it('takes the first candidate that matches', () => {
    expect(resolve(undefined, 'ja', 'es')).toBe('ja');
    expect(resolve('xx', 'es')).toBe('es');
  });

  it('falls to the default for unknown, malformed or hostile tags', () => {
    for (const tag of ['zz', '../en', 'en/../../x', '__proto__', '<script>', '', ' ', 'e', 'x'.repeat(200), null]) {
      expect(resolve(tag), String(tag)).toBe('en');
    }
  });
});

describe('normaliseTag', () => {
  it('canonicalises well-formed tags and rejects the rest', () => {
    expect(normaliseTag(' PT_br ')).toBe('pt-br');
    expect(normaliseTag('en-')).toBeUndefined();
    expect(normaliseTag('en--US')).toBeUndefined();
    expect(normaliseTag(42 as unknown as string)).toBeUndefined();
  });
});
