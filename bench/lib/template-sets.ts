/**
 * Template sets of any size for `npm run bench -- --scale`: the shipped
 * catalogs and brands, then more locales and brands made from them with
 * their strings varied (so no two catalogs compress as one), each brand
 * overriding a few strings in every locale and every tenth one a template,
 * as a multi-tenant product's folder would.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SetSize {
  locales: number;
  brands: number;
}

/** `7×2`: how a set is named in the tables. */
export const setLabel = ({ locales, brands }: SetSize): string => `${locales}×${brands}`;

/** Tags past the shipped seven, canonical as the pack requires, in the order sets take them. */
const MORE_TAGS = [
  'it',
  'nl',
  'sv',
  'da',
  'nb',
  'fi',
  'pl',
  'cs',
  'sk',
  'hu',
  'ro',
  'bg',
  'el',
  'tr',
  'ru',
  'uk',
  'he',
  'fa',
  'hi',
  'bn',
  'th',
  'vi',
  'id',
  'ms',
  'ko',
  'zh-CN',
  'zh-TW',
  'es-MX',
  'fr-CA',
  'pt-PT',
  'en-GB',
  'ca',
  'hr',
  'sr',
  'sl',
  'et',
  'lv',
  'lt',
  'ta',
  'te',
  'ur',
  'sw',
  'fil',
  'is',
  'ga',
  'mt',
  'af',
  'am',
  'az',
  'ka',
];

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Every string of a catalog with `mark` worked in; SMS texts keep their length (Cognito's 140 characters). */
function vary(value: Json, mark: string, key = ''): Json {
  if (typeof value === 'string') {
    if (key === 'meta.dir') return value;
    return key.endsWith('.sms') ? value : `${value} ${mark}`;
  }
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, child]) => [name, vary(child, mark, key ? `${key}.${name}` : name)]),
  );
}

const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;
const writeJson = (file: string, value: Json) => {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
};

/**
 * Writes a templates folder of `size` into `dir`, layered over the package's
 * base like a team's. It holds the shipped locales and brands (so every set
 * can render the same message), then generated ones up to the size.
 */
export function writeTemplateSet(shipped: string, dir: string, size: SetSize): void {
  const shippedTags = readdirSync(join(shipped, 'locales')).sort();
  const shippedBrands = readdirSync(join(shipped, 'brands')).sort();
  if (size.locales < shippedTags.length || size.brands < shippedBrands.length) {
    throw new Error(`a set holds at least the shipped ${shippedTags.length} locales and ${shippedBrands.length} brands`);
  }
  const extra = MORE_TAGS.slice(0, size.locales - shippedTags.length);
  if (extra.length < size.locales - shippedTags.length) throw new Error(`at most ${shippedTags.length + MORE_TAGS.length} locales`);
  cpSync(join(shipped, 'locales'), join(dir, 'locales'), { recursive: true });
  cpSync(join(shipped, 'brands'), join(dir, 'brands'), { recursive: true });
  const tags = [...shippedTags, ...extra];
  extra.forEach((tag, i) => {
    const from = shippedTags[i % shippedTags.length] as string;
    const catalog = vary(readJson(join(shipped, 'locales', from, 'messages.json')), `(${tag})`);
    if (catalog && typeof catalog === 'object' && !Array.isArray(catalog)) catalog.meta = { name: `Language ${tag}`, dir: 'ltr' };
    writeJson(join(dir, 'locales', tag, 'messages.json'), catalog);
  });
  const model = readJson(join(shipped, 'brands', 'northwind', 'brand.json')) as { [key: string]: Json };
  for (let i = shippedBrands.length; i < size.brands; i += 1) {
    const id = `tenant-${String(i).padStart(3, '0')}`;
    const host = `${id}.example`;
    const hue = (i * 37) % 256;
    const colour = `#${hue.toString(16).padStart(2, '0')}5a7c`;
    writeJson(join(dir, 'brands', id, 'brand.json'), {
      ...model,
      productName: `Tenant ${i}`,
      logoUrl: `https://assets.${host}/logo.png`,
      colors: { primary: colour, buttonText: '#ffffff', text: '#0f172a', background: '#f8fafc' },
      supportUrl: `https://help.${host}`,
      supportEmail: `help@${host}`,
      email: { from: `Tenant ${i} <no-reply@${host}>`, replyTo: [`help@${host}`], configurationSet: null },
      sms: { senderId: `Tenant${i}`.slice(0, 11), originationNumber: null, maxSegments: 1 },
      clientIds: [`client${i}a${hue}`, `client${i}b${hue}`],
      links: {
        verifyUrl: `https://app.${host}/verify`,
        signInUrl: `https://app.${host}/sign-in`,
        allowedOrigins: [`https://app.${host}`],
      },
    });
    tags.forEach((tag, t) => {
      writeJson(join(dir, 'brands', id, tag, 'messages.json'), {
        signUp: { heading: `Tenant ${i} ${t}: {product}` },
        common: { footer: `Sent by {product} (tenant ${i}, ${tag}) because of activity on your account.` },
      });
    });
    if (i % 10 === 0) {
      mkdirSync(join(dir, 'brands', id), { recursive: true });
      writeFileSync(
        join(dir, 'brands', id, '_closing.html.hbs'),
        `<p style="margin:0;font-size:12px;color:#6b7280;">{{t "common.footer"}} · ${id}</p>\n`,
      );
    }
  }
}
