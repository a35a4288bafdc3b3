import { describe, expect, it } from 'vitest';
import { printable } from '../../src/operations/printable.js';

describe('printable', () => {
  it('shows escape sequences and carriage returns instead of letting them rewrite the line', () => {
    expect(printable('CustomEmailSender_SignUp\u001b[2K\rok 1 sent')).toBe(
      'CustomEmailSender_SignUp\\u{1b}[2K\\u{d}ok 1 sent',
    );
  });

  it('shows C1 controls and bidi overrides', () => {
    expect(printable('a\u009bb\u202ec\u2066d')).toBe('a\\u{9b}b\\u{202e}c\\u{2066}d');
  });

  it('keeps line feeds and tabs only for multi-line text', () => {
    expect(printable('a\nb\tc')).toBe('a\\nb\\tc');
    expect(printable('a\nb\tc', { multiline: true })).toBe('a\nb\tc');
  });

  it('leaves ordinary text, accents and other scripts alone', () => {
    expect(printable('Écoute — رمز 確認')).toBe('Écoute — رمز 確認');
  });
});
