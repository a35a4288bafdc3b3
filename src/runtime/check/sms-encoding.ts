/**
 * SMS segment arithmetic. One segment carries 160 GSM-7 septets or 70 UCS-2
 * units; a split message carries 153 / 67 per part, and one character outside
 * GSM-7 turns the whole message UCS-2 (docs/cognito.md, "Delivery").
 */

// GSM 03.38 basic character set (one septet each).
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// Extension table: each costs an escape septet plus itself.
const GSM7_EXTENSION = new Set('^{}\\[~]|€\f');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSize {
  encoding: SmsEncoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
  /** Characters that forced UCS-2, deduplicated, in order of appearance. */
  nonGsmCharacters: string[];
}

/** Counts how many SMS segments `text` is billed and delivered as. */
export function measureSms(text: string): SmsSize {
  const nonGsm: string[] = [];
  let septets = 0;
  for (const char of text) {
    if (GSM7_BASIC.has(char)) septets += 1;
    else if (GSM7_EXTENSION.has(char)) septets += 2;
    else if (!nonGsm.includes(char)) nonGsm.push(char);
  }
  if (nonGsm.length === 0) {
    return { encoding: 'GSM-7', units: septets, segments: segmentCount(septets, 160, 153), nonGsmCharacters: [] };
  }
  return {
    encoding: 'UCS-2',
    units: text.length,
    segments: segmentCount(text.length, 70, 67),
    nonGsmCharacters: nonGsm,
  };
}

function segmentCount(units: number, single: number, perPart: number): number {
  if (units === 0) return 0;
  return units <= single ? 1 : Math.ceil(units / perPart);
}

/**
 * The GSM-7 transliteration a brand may opt in to (`sms.gsm7Transliteration`)
 * for its SMS in Latin-script locales: one accent outside GSM-7 (Spanish á,
 * Portuguese ã, French ê) makes the whole SMS UCS-2, 70 characters a segment
 * instead of 160. Letters GSM-7 has (é, ñ, ü, à…) stay; the others lose their
 * accent; typographic quotes, dashes and the ellipsis become their ASCII
 * forms. docs/templates.md lists the mapping. Hand-written rather than a
 * transliteration package: those write plain ASCII, so they would take the é,
 * ñ and ü off that GSM-7 carries, and ship tables for every script to Lambda.
 */
export const GSM7_TRANSLITERATION: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2032': "'",
  '\u2039': "'",
  '\u203a': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2033': '"',
  '«': '"',
  '»': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\u202f': ' ',
  '·': '.',
  '•': '*',
  ç: 'c',
  œ: 'oe',
  Œ: 'OE',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  ª: 'a',
  º: 'o',
};

function isGsm7(char: string): boolean {
  return GSM7_BASIC.has(char) || GSM7_EXTENSION.has(char);
}

/** One character in GSM-7: itself, the table's form, or the letter without its accent; else itself (still UCS-2). */
function gsm7Form(char: string): string {
  if (isGsm7(char)) return char;
  const mapped = GSM7_TRANSLITERATION[char];
  if (mapped !== undefined) return mapped;
  const bare = char.normalize('NFD').replace(/\p{M}/gu, '');
  return bare !== '' && [...bare].every(isGsm7) ? bare : char;
}

/**
 * `text` written in GSM-7 where it can be. The `kept` values (the code or
 * temporary password, the username, Cognito's placeholders) are never
 * changed: the user types them as they are.
 */
export function transliterateToGsm7(text: string, kept: readonly (string | null | undefined)[] = []): string {
  const values = [...new Set(kept.filter((value): value is string => Boolean(value)))].sort(
    (a, b) => b.length - a.length,
  );
  const write = (part: string) => [...part].map(gsm7Form).join('');
  if (values.length === 0) return write(text);
  const escaped = values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return text
    .split(new RegExp(`(${escaped.join('|')})`, 'u'))
    .map((part, index) => (index % 2 === 1 ? part : write(part)))
    .join('');
}

/** Whether a locale is written in Latin script (`pt-BR`, `de`), where the transliteration applies. */
export function usesLatinScript(tag: string): boolean {
  try {
    return new Intl.Locale(tag).maximize().script === 'Latn';
  } catch {
    return false;
  }
}
