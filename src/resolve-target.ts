/** Chooses the kind, locale and brand of one message from a parsed event. */
import { resolveBrand } from './brand.js';
import { type ClientMetadataChoice, readClientMetadata } from './client-metadata.js';
import type { CognitoEnvelope } from './cognito-event.js';
import type { MessageConfig } from './config.js';
import { resolveLocale } from './locale.js';
import type { MessageKind } from './message-kind.js';
import type { RenderTarget } from './render.js';
import type { TemplatePack } from './template-pack.js';

export interface ResolvedTarget extends RenderTarget {
  metadata: ClientMetadataChoice;
}

/**
 * Locale: clientMetadata.locale, then the user's `locale` attribute, then
 * DEFAULT_LOCALE. Brand: clientMetadata.brand if configured, then the app
 * client's brand, then DEFAULT_BRAND.
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
  );
  return { kind, locale, brand, metadata };
}
