/**
 * Environment configuration, read once per container. Anything missing or
 * malformed throws ConfigurationError at cold start, naming the variable,
 * rather than failing later on a user's message.
 */

import { ConfigurationError } from './errors.js';
import type { LogLevel } from './log.js';
import type { TemplatePack } from './render/template-pack.js';
import {
  addClientBrand,
  type Brand,
  type ClientBrands,
  clientBrandsOf,
  UNMAPPED_CLIENT_BRAND_CHOICES,
  type UnmappedClientBrandChoice,
} from './target/brand.js';
import { GREET_BY_NAME_POLICIES, type GreetByName } from './target/display-name.js';
import { readSignInAttributes, type SignInAttribute } from './target/sign-in-name.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface MessageConfig {
  defaultLocale: string;
  defaultBrand: string;
  /** App client id → the brands it may use: the brand files' `clientIds`, replaced per client by `BRAND_BY_CLIENT_ID`. */
  clientBrands: ClientBrands;
  /** What clientMetadata.brand may pick for an app client with no mapping. */
  unmappedClientBrandChoice: UnmappedClientBrandChoice;
  /** Brand id → origins this stage adds to the brand's `links.allowedOrigins` (staging, preview hosts). */
  extraLinkOrigins: ReadonlyMap<string, readonly string[]>;
  /** Which messages greet the user by name (docs/security.md). */
  greetByName: GreetByName;
  /** What users of the pool sign in with (`SIGN_IN_ATTRIBUTES`): what an invitation names. */
  signInAttributes: readonly SignInAttribute[];
  /** Where the deployment publishes the brands' logo files (`LOGO_BASE_URL`); null: the brands' own logo URLs. */
  logoBaseUrl: string | null;
  logLevel: LogLevel;
}

/**
 * Reads `DEFAULT_LOCALE`, `DEFAULT_BRAND`, `BRAND_BY_CLIENT_ID`,
 * `UNMAPPED_CLIENT_BRAND_CHOICE`, `EXTRA_LINK_ORIGINS`, `GREET_BY_NAME`,
 * `SIGN_IN_ATTRIBUTES`, `LOGO_BASE_URL` and `LOG_LEVEL`, checked against the pack.
 */
export function readMessageConfig(env: Env, pack: TemplatePack): MessageConfig {
  const defaultLocale = optionalEnv(env, 'DEFAULT_LOCALE') ?? 'en';
  if (!pack.locales.has(defaultLocale)) {
    throw new ConfigurationError(
      `Environment variable DEFAULT_LOCALE is "${defaultLocale}", which is not a shipped locale (${[...pack.locales.keys()].join(', ')})`,
    );
  }
  const defaultBrand = optionalEnv(env, 'DEFAULT_BRAND') ?? 'default';
  requireBrand(pack.brands, defaultBrand, 'DEFAULT_BRAND');
  const clientBrands = clientBrandsOf(pack.brands);
  const fromEnv = new Map<string, string[]>();
  for (const pair of listEnv(env, 'BRAND_BY_CLIENT_ID')) {
    const [clientId, brandId, ...rest] = pair.split(':').map((part) => part.trim());
    if (!clientId || !brandId || rest.length > 0) {
      throw new ConfigurationError(
        `Environment variable BRAND_BY_CLIENT_ID has "${pair}"; use clientId:brand,clientId:brand`,
      );
    }
    requireBrand(pack.brands, brandId, 'BRAND_BY_CLIENT_ID');
    addClientBrand(fromEnv, clientId, brandId);
  }
  for (const [clientId, brandIds] of fromEnv) clientBrands.set(clientId, brandIds);
  return {
    defaultLocale,
    defaultBrand,
    clientBrands,
    unmappedClientBrandChoice: oneOf(env, 'UNMAPPED_CLIENT_BRAND_CHOICE', UNMAPPED_CLIENT_BRAND_CHOICES, 'any'),
    extraLinkOrigins: readExtraLinkOrigins(env, pack.brands),
    greetByName: oneOf(env, 'GREET_BY_NAME', GREET_BY_NAME_POLICIES, 'verified'),
    signInAttributes: readSignInAttributes(env),
    logoBaseUrl: readLogoBaseUrl(env),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  };
}

/** A value from a fixed set, case-insensitive; anything else names the variable and the choices. */
export function oneOf<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const value = (optionalEnv(env, name) ?? fallback).toLowerCase();
  const choice = choices.find((candidate) => candidate === value);
  if (choice === undefined) {
    throw new ConfigurationError(`Environment variable ${name} is "${value}"; use ${choices.join(', ')}`);
  }
  return choice;
}

/**
 * `EXTRA_LINK_ORIGINS=brand=https://origin,…`: origins a stage lets callers
 * pick for a brand's verification link. Staging hosts belong here, in the
 * stage's configuration, not in a brand file that production ships.
 */
function readExtraLinkOrigins(env: Env, brands: ReadonlyMap<string, Brand>): Map<string, string[]> {
  const origins = new Map<string, string[]>();
  for (const pair of listEnv(env, 'EXTRA_LINK_ORIGINS')) {
    const at = pair.indexOf('=');
    const brandId = pair.slice(0, Math.max(at, 0)).trim();
    const origin = pair.slice(at + 1).trim();
    if (at < 1 || !isHttpsOrigin(origin)) {
      throw new ConfigurationError(
        `Environment variable EXTRA_LINK_ORIGINS has "${pair}"; use brand=https://host,brand=https://host`,
      );
    }
    requireBrand(brands, brandId, 'EXTRA_LINK_ORIGINS');
    origins.set(brandId, [...(origins.get(brandId) ?? []), origin]);
  }
  return origins;
}

/** `LOGO_BASE_URL`: an https URL without query or fragment, since mail clients fetch the logo from it. */
export function readLogoBaseUrl(env: Env): string | null {
  const value = optionalEnv(env, 'LOGO_BASE_URL');
  if (value === undefined) return null;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url === null || url.protocol !== 'https:' || url.search !== '' || url.hash !== '') {
    throw new ConfigurationError(
      `Environment variable LOGO_BASE_URL is "${value}"; give the https address the logos are published at, e.g. https://d111111abcdef8.cloudfront.net`,
    );
  }
  return value;
}

/** An https origin exactly (`https://host[:port]`, no path). */
export function isHttpsOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.origin === value;
  } catch {
    return false;
  }
}

/** A trimmed value, or undefined when unset or blank. */
export function optionalEnv(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** A trimmed value; throws `Environment variable X is required` when unset or blank. */
export function requiredEnv(env: Env, name: string): string {
  const value = optionalEnv(env, name);
  if (value === undefined) throw new ConfigurationError(`Environment variable ${name} is required`);
  return value;
}

/** A comma-separated list, blanks dropped. */
export function listEnv(env: Env, name: string): string[] {
  return (optionalEnv(env, name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function requireBrand(brands: ReadonlyMap<string, Brand>, id: string, variable: string): void {
  if (!brands.has(id)) {
    throw new ConfigurationError(
      `Environment variable ${variable} names brand "${id}", which is not in templates/brands (${[...brands.keys()].join(', ')})`,
    );
  }
}
