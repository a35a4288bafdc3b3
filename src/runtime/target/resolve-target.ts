/** Chooses the kind, locale, brand, greeting name and link origin of one message from a parsed event. */

import type { MessageConfig } from '../config.js';
import { type ClientMetadataChoice, readClientMetadata } from '../event/client-metadata.js';
import type { CognitoEnvelope } from '../event/cognito-event.js';
import type { MessageKind } from '../event/message-kind.js';
import type { RenderTarget } from '../render/render.js';
import type { TemplatePack } from '../render/template-pack.js';
import { type Brand, resolveBrand } from './brand.js';
import { displayName } from './display-name.js';
import { resolveLocale } from './locale.js';

export interface ResolvedTarget extends RenderTarget {
  metadata: ClientMetadataChoice;
  /** The name the greeting may show, or null for the neutral greeting (display-name.ts). */
  name: string | null;
  /** `clientMetadata.linkOrigin` when the brand or this stage allow-lists it, else undefined. */
  linkOrigin: string | undefined;
}

/**
 * Locale: clientMetadata.locale, then the user's `locale` attribute, then
 * DEFAULT_LOCALE. Brand: clientMetadata.brand among the brands the app client
 * may use, then the app client's brand, then DEFAULT_BRAND (resolveBrand).
 */
export function resolveTarget(
  pack: TemplatePack,
  config: MessageConfig,
  envelope: CognitoEnvelope,
  kind: MessageKind,
): ResolvedTarget {
  const metadata = readClientMetadata(envelope.clientMetadata);
  const locale = resolveLocale(
    [metadata.locale, envelope.userAttributes.locale],
    [...pack.locales.keys()],
    config.defaultLocale,
  );
  const brand = resolveBrand(
    pack.brands,
    { requested: metadata.brand, clientId: envelope.clientId },
    config.clientBrands,
    config.defaultBrand,
    config.unmappedClientBrandChoice,
  );
  return {
    kind,
    locale,
    brand,
    metadata,
    name: displayName(envelope.userAttributes, kind, config.greetByName),
    linkOrigin: allowedLinkOrigin(brand, config, metadata.linkOrigin),
    logoBaseUrl: config.logoBaseUrl,
  };
}

function allowedLinkOrigin(brand: Brand, config: MessageConfig, requested: string | undefined): string | undefined {
  if (requested === undefined) return undefined;
  const allowed = [...(brand.links?.allowedOrigins ?? []), ...(config.extraLinkOrigins.get(brand.id) ?? [])];
  return allowed.includes(requested) ? requested : undefined;
}
