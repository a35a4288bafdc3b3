/**
 * The one decoder of HTML character references: the email's text part
 * (email-text.ts) and the AdminCreateUser temporary password, which Cognito
 * HTML-escapes (docs/cognito.md), both use it. A numeric reference to a
 * surrogate, zero or beyond U+10FFFF stays as written: decoding it would
 * produce a lone surrogate that no mail client or phone can show.
 */

/** The references Cognito writes when it escapes a temporary password. */
export const BASIC_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** `text` with numeric references and the names in `named` decoded; anything else stays as written. */
export function decodeHtmlEntities(text: string, named: Readonly<Record<string, string>> = BASIC_ENTITIES): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z]{2,8});/g, (entity, body: string) => {
    if (body[0] === '#') {
      const hex = body[1] === 'x' || body[1] === 'X';
      const point = hex ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return point > 0 && point <= 0x10ffff && !(point >= 0xd800 && point <= 0xdfff)
        ? String.fromCodePoint(point)
        : entity;
    }
    return Object.hasOwn(named, body) ? (named[body] as string) : entity;
  });
}
