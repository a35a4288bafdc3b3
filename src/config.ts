/**
 * Environment configuration, read once per container. Anything missing or
 * malformed throws ConfigurationError at cold start, naming the variable,
 * rather than failing later on a user's message.
 */
import type { Brand } from './brand.js';
import { clientBrandsOf } from './brand.js';
import { ConfigurationError } from './errors.js';
import type { LogLevel } from './log.js';
import type { TemplatePack } from './template-pack.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface MessageConfig {
  defaultLocale: string;
  defaultBrand: string;
  /** App client id → brand id: the brand files' `clientIds`, then `BRAND_BY_CLIENT_ID`. */
  clientBrands: ReadonlyMap<string, string>;
  logLevel: LogLevel;
}

/** Reads `DEFAULT_LOCALE`, `DEFAULT_BRAND`, `BRAND_BY_CLIENT_ID` and `LOG_LEVEL`, checked against the pack. */
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
  for (const pair of listEnv(env, 'BRAND_BY_CLIENT_ID')) {
    const [clientId, brandId, ...rest] = pair.split(':').map((part) => part.trim());
    if (!clientId || !brandId || rest.length > 0) {
      throw new ConfigurationError(
        `Environment variable BRAND_BY_CLIENT_ID has "${pair}"; use clientId:brand,clientId:brand`,
      );
    }
    requireBrand(pack.brands, brandId, 'BRAND_BY_CLIENT_ID');
    clientBrands.set(clientId, brandId);
  }
  const logLevel = (optionalEnv(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new ConfigurationError(`Environment variable LOG_LEVEL is "${logLevel}"; use debug, info, warn or error`);
  }
  return { defaultLocale, defaultBrand, clientBrands, logLevel: logLevel as LogLevel };
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
