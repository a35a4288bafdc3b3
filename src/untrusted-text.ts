/**
 * Cleaning for untrusted strings that a template displays (user attributes,
 * sign-in details). Handlebars escapes HTML; this removes what escaping does
 * not: invisible and control characters that make Cognito reject the whole
 * message, line breaks that break an SMS, braces that Cognito could read as
 * its own `{####}` / `{username}` placeholders, and unbounded length.
 */
export function cleanDisplayText(value: unknown, maxLength = 100): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = value
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/[\p{Zs}]/gu, ' ')
    .replace(/\{/g, '(')
    .replace(/\}/g, ')')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (cleaned.length === 0) return null;
  return cleaned.length <= maxLength ? cleaned : `${[...cleaned].slice(0, maxLength - 1).join('')}…`;
}
