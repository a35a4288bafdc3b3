/**
 * Cleaning for untrusted strings that a template displays (user attributes,
 * sign-in details). Handlebars escapes HTML; this removes what escaping does
 * not: characters outside Cognito's allowed classes that make it reject the
 * whole message, line breaks that break an SMS, braces that Cognito could read as
 * its own `{####}` / `{username}` placeholders, and unbounded length.
 */
export function cleanDisplayText(value: unknown, maxLength = 100): string | null {
  if (typeof value !== 'string') return null;
  // Everything outside the classes Cognito's model allows (letters, marks,
  // symbols, numbers, punctuation) becomes a space: controls and invisibles,
  // line and paragraph separators, but also private-use, unassigned and
  // noncharacter code points and lone surrogates, any of which makes Cognito
  // (and our validator) refuse the whole message.
  const cleaned = value
    .replace(/[^\p{L}\p{M}\p{S}\p{N}\p{P}]/gu, ' ')
    .replace(/\{/g, '(')
    .replace(/\}/g, ')')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (cleaned.length === 0) return null;
  return cleaned.length <= maxLength ? cleaned : `${[...cleaned].slice(0, maxLength - 1).join('')}…`;
}
