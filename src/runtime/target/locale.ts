/**
 * Locale resolution: the first candidate that matches a shipped locale wins.
 * Candidates are untrusted strings (clientMetadata, the user's `locale`
 * attribute), so anything that is not a well-formed BCP 47 tag is skipped.
 */

const MAX_TAG_LENGTH = 35;
const WELL_FORMED = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** Returns the shipped locale for the first usable candidate, or `fallback`. */
export function resolveLocale(
  candidates: ReadonlyArray<string | null | undefined>,
  shipped: readonly string[],
  fallback: string,
): string {
  const byLowerCase = new Map(shipped.map((tag) => [tag.toLowerCase(), tag]));
  for (const candidate of candidates) {
    const match = matchLocale(candidate, byLowerCase);
    if (match) return match;
  }
  return fallback;
}

/** Case-insensitive match, then each parent tag (`fr-CA` → `fr`), then any shipped tag of the same language (`pt` → `pt-BR`). */
function matchLocale(
  candidate: string | null | undefined,
  byLowerCase: ReadonlyMap<string, string>,
): string | undefined {
  const tag = normaliseTag(candidate);
  if (!tag) return undefined;
  const subtags = tag.split('-');
  for (let length = subtags.length; length > 0; length -= 1) {
    const match = byLowerCase.get(subtags.slice(0, length).join('-'));
    if (match) return match;
  }
  for (const [lower, shippedTag] of byLowerCase) if (lower.split('-')[0] === subtags[0]) return shippedTag;
  return undefined;
}

/** Lower-cased canonical form of a well-formed tag (`pt_BR` is accepted as `pt-br`), or undefined. */
export function normaliseTag(candidate: string | null | undefined): string | undefined {
  if (typeof candidate !== 'string') return undefined;
  const trimmed = candidate.trim().replaceAll('_', '-');
  if (trimmed.length === 0 || trimmed.length > MAX_TAG_LENGTH || !WELL_FORMED.test(trimmed)) return undefined;
  try {
    const [canonical] = Intl.getCanonicalLocales(trimmed);
    return canonical?.toLowerCase();
  } catch {
    return undefined;
  }
}
