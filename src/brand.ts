/** A brand: one `templates/brands/<id>/brand.json`, validated when the pack is built. */
export interface Brand {
  id: string;
  productName: string;
  logoUrl: string | null;
  colors: { primary: string; buttonText: string; text: string; background: string };
  supportUrl: string | null;
  supportEmail: string | null;
  email: { from: string | null; replyTo: string[]; configurationSet: string | null };
  sms: { senderId: string | null; originationNumber: string | null; maxSegments: number };
  /** App client ids whose requests get this brand when clientMetadata names none. */
  clientIds: string[];
  links: BrandLinks | null;
}

export interface BrandLinks {
  /** Base of the verification link the sender emails carry (code and username are appended). */
  verifyUrl: string | null;
  /** Where an invited user signs in (AdminCreateUser). */
  signInUrl: string | null;
  /** Origins a caller may pick through `clientMetadata.linkOrigin`; never any other. */
  allowedOrigins: string[];
}

export interface BrandSelection {
  /** `clientMetadata.brand`, untrusted. */
  requested: string | undefined;
  /** `callerContext.clientId`. */
  clientId: string | undefined;
}

/**
 * Picks the brand: a requested id only if it names a configured brand, else
 * the brand mapped to the app client, else the default.
 */
export function resolveBrand(
  brands: ReadonlyMap<string, Brand>,
  selection: BrandSelection,
  clientBrands: ReadonlyMap<string, string>,
  defaultBrand: string,
): Brand {
  const requested = selection.requested?.toLowerCase();
  const byRequest = requested === undefined ? undefined : brands.get(requested);
  if (byRequest) return byRequest;
  const mapped = selection.clientId === undefined ? undefined : clientBrands.get(selection.clientId);
  const byClient = mapped === undefined ? undefined : brands.get(mapped);
  if (byClient) return byClient;
  const fallback = brands.get(defaultBrand);
  if (!fallback) throw new Error(`default brand "${defaultBrand}" is not in the template pack`);
  return fallback;
}

/** Every app client id → brand id pair the brand files declare. */
export function clientBrandsOf(brands: ReadonlyMap<string, Brand>): Map<string, string> {
  const map = new Map<string, string>();
  for (const brand of brands.values()) for (const clientId of brand.clientIds) map.set(clientId, brand.id);
  return map;
}
