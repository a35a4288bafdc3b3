/**
 * The clientMetadata contract. The caller of Cognito's API chooses every key
 * and value and Cognito passes them on unchecked (docs/cognito.md,
 * "ClientMetadata"), so only these keys are read, only as bounded strings,
 * and each one only ever selects from an allow-list.
 */
export interface ClientMetadataChoice {
  /** BCP 47 tag; matched against shipped locales. */
  locale: string | undefined;
  /** Brand id; used only when it names a configured brand. */
  brand: string | undefined;
  /** Origin for the verification link; used only when the brand allow-lists it. */
  linkOrigin: string | undefined;
}

export const CLIENT_METADATA_LIMITS = { locale: 35, brand: 64, linkOrigin: 200 } as const;

/** Reads the keys the pack understands; ignores every other key, and any value that is not a short string. */
export function readClientMetadata(raw: unknown): ClientMetadataChoice {
  const source = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
  return {
    locale: boundedString(source, 'locale'),
    brand: boundedString(source, 'brand'),
    linkOrigin: boundedString(source, 'linkOrigin'),
  };
}

function boundedString(source: object, key: keyof typeof CLIENT_METADATA_LIMITS): string | undefined {
  if (!Object.hasOwn(source, key)) return undefined;
  const value: unknown = (source as Record<string, unknown>)[key];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= CLIENT_METADATA_LIMITS[key] ? trimmed : undefined;
}
