/** A brand: one `templates/brands/<id>/brand.json`, validated when the pack is built. */
export interface Brand {
  id: string;
  productName: string;
  /** A logo at the team's own https address; a shipped `logo.png` (logoFiles) comes first when the deployment publishes it. */
  logoUrl: string | null;
  /** The logo for dark backgrounds, at the team's own https address. */
  logoDarkUrl: string | null;
  /** The logo's display size in CSS pixels: read from a shipped file, or brand.json's `logoSize` for a URL. */
  logoSize: LogoSize | null;
  /** `templates/brands/<id>/logo.png` (and `logo-dark.png`), published below LOGO_BASE_URL under these keys. */
  logoFiles: LogoFiles | null;
  colors: { primary: string; buttonText: string; text: string; background: string };
  supportUrl: string | null;
  supportEmail: string | null;
  email: { from: string | null; replyTo: string[]; configurationSet: string | null };
  sms: {
    senderId: string | null;
    originationNumber: string | null;
    maxSegments: number;
    /** The host whose pages may read the code (WebOTP): the sender's SMS ends with `@<domain> #<code>`. */
    webOtpDomain?: string | null;
    /** The SMS of Latin-script locales written in GSM-7 (check/sms-encoding.ts, docs/templates.md). */
    gsm7Transliteration?: boolean;
  };
  /** App client ids whose requests get this brand when clientMetadata names none. */
  clientIds: string[];
  links: BrandLinks | null;
}

export interface LogoSize {
  width: number;
  height: number;
}

/** Object keys below LOGO_BASE_URL, content-hashed (`northwind-logo-1a2b3c4d5e.png`) so a cache never serves an old logo. */
export interface LogoFiles {
  light: string;
  dark: string | null;
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
 * What `clientMetadata.brand` may pick for an app client that no brand is
 * mapped to: `any` configured brand, or only the `default` brand.
 */
export type UnmappedClientBrandChoice = 'any' | 'default';
export const UNMAPPED_CLIENT_BRAND_CHOICES: readonly UnmappedClientBrandChoice[] = ['any', 'default'];

/** App client id → the brands it may send as; the first is its own brand. */
export type ClientBrands = ReadonlyMap<string, readonly string[]>;

/**
 * Picks the brand. The caller of Cognito's API writes clientMetadata, so in a
 * multi-tenant pool tenant A's app could ask for tenant B's brand: a mapped
 * app client may only choose among its own brands (else it gets its first);
 * an unmapped client may choose any brand, or none under `default`.
 */
export function resolveBrand(
  brands: ReadonlyMap<string, Brand>,
  selection: BrandSelection,
  clientBrands: ClientBrands,
  defaultBrand: string,
  unmappedChoice: UnmappedClientBrandChoice = 'any',
): Brand {
  const requested = selection.requested?.toLowerCase();
  const mapped = (selection.clientId === undefined ? undefined : clientBrands.get(selection.clientId)) ?? [];
  const own = mapped.filter((id) => brands.has(id));
  const choosable = own.length > 0 ? own : unmappedChoice === 'any' ? [...brands.keys()] : [];
  const chosen = requested !== undefined && choosable.includes(requested) ? requested : own[0];
  const brand = brands.get(chosen ?? defaultBrand);
  if (!brand) throw new Error(`default brand "${defaultBrand}" is not in the template pack`);
  return brand;
}

/** Every app client id → brand ids pair the brand files declare, in brand order. */
export function clientBrandsOf(brands: ReadonlyMap<string, Brand>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const brand of brands.values()) for (const clientId of brand.clientIds) addClientBrand(map, clientId, brand.id);
  return map;
}

/** Adds one pair, keeping the first brand named for a client first. */
export function addClientBrand(map: Map<string, string[]>, clientId: string, brandId: string): void {
  const list = map.get(clientId) ?? [];
  if (!list.includes(brandId)) list.push(brandId);
  map.set(clientId, list);
}
