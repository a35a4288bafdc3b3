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
