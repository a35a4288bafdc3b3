import { describe, expect, it } from 'vitest';
import { measureSms, transliterateToGsm7, usesLatinScript } from '../../../src/runtime/check/sms-encoding.js';

describe('measureSms', () => {
  it('counts plain GSM-7 text as one septet a character', () => {
    expect(measureSms('Acme: 123456 is your code.')).toEqual({
      encoding: 'GSM-7',
      units: 26,
      segments: 1,
      nonGsmCharacters: [],
    });
  });

  it('counts GSM-7 extension characters as two septets', () => {
    expect(measureSms('{}[]~^|\\€').units).toBe(18);
  });

  it('keeps accented letters of the GSM-7 table in GSM-7', () => {
    expect(measureSms('é è ù ì ò Ä Ö Ñ Ü ß').encoding).toBe('GSM-7');
  });

  it('turns the whole message UCS-2 for one character outside GSM-7', () => {
    const size = measureSms(`${'a'.repeat(100)}ó`);
    expect(size).toMatchObject({ encoding: 'UCS-2', units: 101, segments: 2, nonGsmCharacters: ['ó'] });
  });

  it('splits at 160 / 153 septets and 70 / 67 units', () => {
    expect(measureSms('a'.repeat(160)).segments).toBe(1);
    expect(measureSms('a'.repeat(161)).segments).toBe(2);
    expect(measureSms('a'.repeat(306)).segments).toBe(2);
    expect(measureSms('a'.repeat(307)).segments).toBe(3);
    expect(measureSms('日'.repeat(70)).segments).toBe(1);
    expect(measureSms('日'.repeat(71)).segments).toBe(2);
    expect(measureSms('日'.repeat(134)).segments).toBe(2);
    expect(measureSms('日'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UCS-2 units', () => {
    expect(measureSms('🔐 123456')).toMatchObject({ encoding: 'UCS-2', units: 9 });
  });

  it('counts nothing for an empty message', () => {
    expect(measureSms('').segments).toBe(0);
  });
});

describe('transliterateToGsm7', () => {
  it('keeps the letters GSM-7 has and takes the accent off the others', () => {
    expect(transliterateToGsm7('código, confirmação, à bientôt, Straße, niño, Ärger')).toBe(
      'codigo, confirmacao, à bientot, Straße, niño, Ärger',
    );
    expect(measureSms(transliterateToGsm7('Não compartilhe o código com ninguém')).encoding).toBe('GSM-7');
  });

  it('writes typographic punctuation in its ASCII form', () => {
    expect(transliterateToGsm7('“Hola” – l’été… «oui»')).toBe('"Hola" - l\'été... "oui"');
  });

  it('never changes a kept value (the code, the username, a placeholder)', () => {
    expect(transliterateToGsm7('código Xá9ü ó', ['Xá9ü'])).toBe('codigo Xá9ü o');
  });

  it('leaves what has no GSM-7 form, so the message stays UCS-2 and the check says so', () => {
    expect(transliterateToGsm7('código 確認')).toBe('codigo 確認');
  });
});

describe('usesLatinScript', () => {
  it('tells Latin-script locales from the others', () => {
    expect(['en', 'es', 'fr', 'de', 'pt-BR'].map(usesLatinScript)).toEqual([true, true, true, true, true]);
    expect(['ar', 'ja', 'not a tag'].map(usesLatinScript)).toEqual([false, false, false]);
  });
});
