/**
 * The one rendering pipeline: CustomMessage, both senders, the preview and
 * the checks all call these functions with a template pack.
 */

import type { HelperOptions, RuntimeOptions } from 'handlebars';
import Handlebars from 'handlebars/runtime';
import { TemplateRenderError } from '../errors.js';
import type { MessageKind } from '../event/message-kind.js';
import type { Brand } from '../target/brand.js';
import { logoInEmail } from './brand-logo.js';
import { type CompiledTemplate, findTemplate, partialNames, type TemplatePack } from './template-pack.js';

/** Sign-in details of an account take-over notice, already cleaned for display. */
export interface AccountTakeOverDetails {
  actionKey: 'actionBlock' | 'actionMfaIfConfigured' | 'actionMfaRequired' | 'actionNoAction' | null;
  time: string | null;
  ip: string | null;
  location: string | null;
  device: string | null;
  confirmUrl: string | null;
  denyUrl: string | null;
}

/** What fills a message. Message mode passes Cognito's placeholders; sender mode the real values. */
export interface MessageValues {
  /** The code, temporary password or Cognito's `codeParameter`. */
  code: string;
  /** The username or Cognito's `usernameParameter` (AdminCreateUser), else null. */
  username: string | null;
  /** Cognito's `linkParameter` (`{##…##}`) when the pool verifies by link. */
  cognitoLink: string | null;
  /** A brand verification URL (sender mode). */
  verifyUrl: string | null;
  /** Where an invited user signs in. */
  signInUrl: string | null;
  /** The user's display name, untrusted. */
  name: string | null;
  accountTakeOver: AccountTakeOverDetails | null;
  /** What `username` is when it is an address (an invitation in a pool that signs in by address): picks the catalog's `byEmail`/`byPhone` strings. */
  signInWith?: 'email' | 'phone_number' | null;
  /** Cognito's `usernameParameter`, when `username` is an address (message mode): shown through `adminCreateUser.accountNote`. */
  account?: string | null;
}

export interface RenderTarget {
  kind: MessageKind;
  /** A tag the pack ships (already resolved). */
  locale: string;
  brand: Brand;
  /** Where the deployment publishes logo files (LOGO_BASE_URL); without it a shipped logo is not shown. */
  logoBaseUrl?: string | null;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  /** Catalog keys the locale lacks and the source locale supplied. */
  fallbackKeys: string[];
  /** The pack path of each template that served a part: subject, body, layout. */
  templateFiles: string[];
}

export interface RenderedSms {
  text: string;
  fallbackKeys: string[];
  /** The pack path of the template that served the text. */
  templateFiles: string[];
}

interface RenderState {
  lookup: (key: string) => string;
  params: Readonly<Record<string, string | null>>;
  escapeHtml: boolean;
  /** Wrap each filled-in value in `<bdi>`: an RTL locale's HTML, where a Latin name, address or code must not reorder the sentence. */
  isolate: boolean;
}

const helpers = {
  /** `{{t "key"}}`: a catalog string with `{param}`s filled; escaped for HTML templates. */
  t(key: unknown, options: HelperOptions) {
    const state = (options.data as { state: RenderState }).state;
    const text = interpolate(
      String(key),
      state.lookup(String(key)),
      { ...state.params, ...options.hash },
      state.escapeHtml,
      state.isolate,
    );
    return new Handlebars.SafeString(text);
  },
  concat(...args: unknown[]) {
    return args.slice(0, -1).join('');
  },
};

/** Renders an email's subject and HTML body. Throws TemplateRenderError when the pack cannot. */
export function renderEmail(pack: TemplatePack, target: RenderTarget, values: MessageValues): RenderedEmail {
  const fallbackKeys: string[] = [];
  const templateFiles: string[] = [];
  const context = templateContext(pack, target, values, fallbackKeys);
  const subject = collapseLine(
    run(pack, target, `${target.kind}.subject`, context, { fallbackKeys, templateFiles }, false),
  );
  const content = run(pack, target, `${target.kind}.html`, context, { fallbackKeys, templateFiles }, true);
  const html = run(
    pack,
    target,
    'layout.html',
    { ...context, subject, content: new Handlebars.SafeString(content) },
    { fallbackKeys, templateFiles },
    true,
  );
  return { subject, html, fallbackKeys, templateFiles };
}

/** Renders the one-line SMS text. Throws TemplateRenderError when the pack cannot. */
export function renderSms(pack: TemplatePack, target: RenderTarget, values: MessageValues): RenderedSms {
  const fallbackKeys: string[] = [];
  const templateFiles: string[] = [];
  const context = templateContext(pack, target, values, fallbackKeys);
  const text = collapseLine(run(pack, target, `${target.kind}.sms`, context, { fallbackKeys, templateFiles }, false));
  return { text, fallbackKeys, templateFiles };
}

function templateContext(pack: TemplatePack, target: RenderTarget, values: MessageValues, fallbackKeys: string[]) {
  const locale = pack.locales.get(target.locale);
  if (!locale) throw new TemplateRenderError(`locale "${target.locale}" is not in the template pack`);
  const { brand } = target;
  const lookup = catalogLookup(pack, target, fallbackKeys, values.signInWith);
  const logo = logoInEmail(brand, target.logoBaseUrl);
  return {
    kind: target.kind,
    locale: { tag: locale.tag, name: locale.name, dir: locale.dir, start: locale.dir === 'rtl' ? 'right' : 'left' },
    brand: {
      id: brand.id,
      productName: brand.productName,
      logoUrl: logo?.src ?? null,
      logoDarkUrl: logo?.darkSrc ?? null,
      logoWidth: logo?.size?.width ?? null,
      logoHeight: logo?.size?.height ?? null,
      colors: brand.colors,
      supportUrl: brand.supportUrl,
      supportEmail: brand.supportEmail,
    },
    code: values.code,
    username: values.username,
    link: values.cognitoLink ? cognitoLinkWithText(values.cognitoLink, lookup('common.verifyLinkText')) : null,
    verifyUrl: values.verifyUrl,
    signInUrl: values.signInUrl,
    name: values.name,
    ato: values.accountTakeOver,
    signInWith: values.signInWith ?? null,
    accountNote: values.account
      ? interpolate(
          'adminCreateUser.accountNote',
          lookup('adminCreateUser.accountNote'),
          { account: values.account },
          false,
        )
      : '',
  };
}

function run(
  pack: TemplatePack,
  target: RenderTarget,
  name: string,
  context: ReturnType<typeof templateContext> & Record<string, unknown>,
  record: { fallbackKeys: string[]; templateFiles: string[] },
  escapeHtml: boolean,
): string {
  const found = findTemplate(pack, name, target.brand.id, target.locale);
  if (!found) throw new TemplateRenderError(`no template "${name}" for brand "${target.brand.id}"`);
  record.templateFiles.push(found.path);
  const { fallbackKeys } = record;
  const template = found.template;
  const state: RenderState = {
    lookup: catalogLookup(pack, target, fallbackKeys, context.signInWith),
    params: {
      product: target.brand.productName,
      supportEmail: target.brand.supportEmail,
      code: context.code,
      username: context.username,
      name: context.name,
      accountNote: context.accountNote,
    },
    escapeHtml,
    isolate: escapeHtml && context.locale.dir === 'rtl',
  };
  const options: RuntimeOptions = {
    helpers,
    partials: prepared(pack, target).partials,
    data: { state },
  };
  try {
    return template(context, options);
  } catch (error) {
    if (error instanceof TemplateRenderError) throw error;
    throw new TemplateRenderError(`template "${name}" failed: ${(error as Error).message}`, { cause: error });
  }
}

interface Prepared {
  partials: Record<string, CompiledTemplate>;
  /** Every catalog key this brand and locale can use, already resolved through the fallback chain. */
  catalog: ReadonlyMap<string, { text: string; fromSource: boolean }>;
}

const preparedCache = new WeakMap<TemplatePack, Map<string, Prepared>>();

/** Partials and catalog for one brand and locale, resolved once per container. */
function prepared(pack: TemplatePack, target: RenderTarget): Prepared {
  let byTarget = preparedCache.get(pack);
  if (!byTarget) {
    byTarget = new Map();
    preparedCache.set(pack, byTarget);
  }
  const key = `${target.brand.id}/${target.locale}`;
  let entry = byTarget.get(key);
  if (!entry) {
    const partials: Record<string, CompiledTemplate> = {};
    for (const name of partialNames(pack)) {
      const found = findTemplate(pack, `_${name}.html`, target.brand.id, target.locale);
      if (found) partials[name] = found.template;
    }
    // Lowest precedence first, so later layers overwrite: source, brand+source, locale, brand+locale.
    const catalog = new Map<string, { text: string; fromSource: boolean }>();
    const layers: Array<[Readonly<Record<string, string>> | undefined, boolean]> = [
      [pack.locales.get(pack.sourceLocale)?.messages, true],
      [pack.brandMessages.get(`${target.brand.id}/${pack.sourceLocale}`), true],
      [pack.locales.get(target.locale)?.messages, false],
      [pack.brandMessages.get(`${target.brand.id}/${target.locale}`), false],
    ];
    for (const [messages, fromSource] of layers) {
      for (const [name, text] of Object.entries(messages ?? {})) {
        catalog.set(name, { text, fromSource: fromSource && target.locale !== pack.sourceLocale });
      }
    }
    entry = { partials, catalog };
    byTarget.set(key, entry);
  }
  return entry;
}

const SIGN_IN_VARIANTS = { email: 'byEmail', phone_number: 'byPhone' } as const;

/**
 * Looks a key up for one render; records keys that had to fall back to the
 * source locale. An invitation naming an address reads `<kind>.byEmail.<key>`
 * (or `byPhone`) where the catalogs have it, so "username" is not said of an
 * email address.
 */
function catalogLookup(
  pack: TemplatePack,
  target: RenderTarget,
  fallbackKeys: string[],
  signInWith: 'email' | 'phone_number' | null = null,
): (key: string) => string {
  const { catalog } = prepared(pack, target);
  const variant = signInWith ? SIGN_IN_VARIANTS[signInWith] : null;
  return (requested) => {
    const dot = requested.indexOf('.');
    const varied = variant && dot > 0 ? `${requested.slice(0, dot)}.${variant}${requested.slice(dot)}` : null;
    const key = varied !== null && catalog.has(varied) ? varied : requested;
    const entry = catalog.get(key);
    if (!entry) {
      throw new TemplateRenderError(
        `catalog key "${key}" is missing from "${target.locale}" and "${pack.sourceLocale}"`,
      );
    }
    if (entry.fromSource && !fallbackKeys.includes(key)) fallbackKeys.push(key);
    return entry.text;
  };
}

function interpolate(
  key: string,
  text: string,
  params: Readonly<Record<string, unknown>>,
  escapeHtml: boolean,
  isolate = false,
): string {
  const out = escapeHtml ? Handlebars.escapeExpression(text) : text;
  return out.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (value === null || value === undefined) {
      throw new TemplateRenderError(`catalog string "${key}" uses {${name}}, which this message does not provide`);
    }
    if (!escapeHtml) return String(value);
    const escaped = Handlebars.escapeExpression(String(value));
    return isolate ? `<bdi>${escaped}</bdi>` : escaped;
  });
}

/** Keeps Cognito's `{##` `##}` markers and puts the localized link text between them. */
function cognitoLinkWithText(linkParameter: string, text: string): string {
  const match = /^\{##[\s\S]*##\}$/.test(linkParameter);
  return match ? `{##${text.replace(/##/g, '#')}##}` : linkParameter;
}

function collapseLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
