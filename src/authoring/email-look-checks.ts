/**
 * Checks of how an email looks, beside the Cognito rules: its dark-mode
 * declarations and its images' size and alt text. Mail clients that honour
 * `prefers-color-scheme` (Apple Mail, iOS Mail, Outlook for Mac, Thunderbird)
 * apply the layout's dark styles only when the document declares both
 * schemes; a client that darkens every email by itself (Gmail's apps,
 * Outlook.com) works from the inline colours, and an image without width and
 * height makes the layout jump while it loads, or collapse where images are
 * blocked (docs/templates.md, "Dark mode" and "Logos").
 */
import { CHECK_TITLES, type CheckResult, type CheckStatus } from './checks.js';

const META = /<meta\b[^>]*>/gi;
const STYLE_BLOCK = /<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi;
const IMG = /<img\b[^>]*>/gi;
const DARK_MEDIA = /@media[^{]*prefers-color-scheme\s*:\s*dark/i;
const COLOR_SCHEME_DECLARATION = /(?:^|[;{\s])color-scheme\s*:\s*([^;}!]+)/i;
/** The widest image the 600-pixel layout holds. */
const MAX_IMAGE_WIDTH = 600;

function attributeOf(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>"']+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

function schemes(value: string | undefined): string[] {
  return (value ?? '').toLowerCase().split(/\s+/).filter(Boolean).sort();
}

function check(name: 'darkMode' | 'logo', status: CheckStatus, details: string[]): CheckResult {
  return { name, title: CHECK_TITLES[name], status, details };
}

/**
 * The email declares `light dark` in the color-scheme meta, the
 * supported-color-schemes meta (older Apple Mail) and its CSS, and gives
 * `prefers-color-scheme: dark` styles. Declaring dark without dark styles
 * fails: clients then darken the page around light-coloured boxes. Declaring
 * nothing is a warning: the email stays light where clients respect that.
 */
export function darkModeCheck(html: string): CheckResult {
  const metas = html.match(META) ?? [];
  const metaContent = (name: string) =>
    metas
      .filter((tag) => attributeOf(tag, 'name')?.toLowerCase() === name)
      .map((tag) => attributeOf(tag, 'content'))[0];
  const colorScheme = metaContent('color-scheme');
  const supported = metaContent('supported-color-schemes');
  const styles = [...html.matchAll(STYLE_BLOCK)].map((match) => match[1] ?? '').join('\n');
  const cssScheme = COLOR_SCHEME_DECLARATION.exec(styles)?.[1]?.trim();
  const darkStyles = DARK_MEDIA.test(styles);
  const declared = [colorScheme, supported, cssScheme].filter((value) => value !== undefined);
  const wantsDark = declared.some((value) => schemes(value).includes('dark'));
  if (!wantsDark) {
    return check('darkMode', 'warn', [
      darkStyles
        ? 'the email has prefers-color-scheme: dark styles but does not declare <meta name="color-scheme" content="light dark">, so clients that honour the declaration skip them'
        : 'the email declares no dark colour scheme: add <meta name="color-scheme" content="light dark">, <meta name="supported-color-schemes" content="light dark">, color-scheme: light dark in its <style>, and @media (prefers-color-scheme: dark) styles',
    ]);
  }
  const failures: string[] = [];
  const expected = ['dark', 'light'].join(' ');
  for (const [label, value] of [
    ['<meta name="color-scheme">', colorScheme],
    ['<meta name="supported-color-schemes">', supported],
    ['color-scheme in <style>', cssScheme],
  ] as const) {
    if (value === undefined) failures.push(`${label} is missing; declare "light dark" there too`);
    else if (schemes(value).join(' ') !== expected) failures.push(`${label} is "${value}"; declare "light dark"`);
  }
  if (!darkStyles) {
    failures.push(
      'the email declares dark but has no @media (prefers-color-scheme: dark) styles, so its light boxes stay light on a dark page',
    );
  }
  if (failures.length > 0) return check('darkMode', 'fail', failures);
  return check('darkMode', 'pass', [
    'color-scheme "light dark" in both <meta> elements and the <style>',
    '@media (prefers-color-scheme: dark) styles present',
  ]);
}

/**
 * Every image has alt text (shown where images are blocked, and read out),
 * a numeric width and height (so blocked or slow images keep their place),
 * fits the 600-pixel layout, and is not loaded over plain http (clients
 * block mixed content).
 */
export function logoCheck(html: string): CheckResult {
  const images = html.match(IMG) ?? [];
  if (images.length === 0) {
    return check('logo', 'pass', ['no images: the header shows the product name as text']);
  }
  const failures: string[] = [];
  const warnings: string[] = [];
  const measured: string[] = [];
  for (const tag of images) {
    const src = attributeOf(tag, 'src') ?? '';
    const name = src.split('/').pop() || src;
    const alt = attributeOf(tag, 'alt');
    const width = attributeOf(tag, 'width');
    const height = attributeOf(tag, 'height');
    if (alt === undefined || alt.trim() === '')
      failures.push(`<img src="${name}"> has no alt text; give the product name`);
    if (src.toLowerCase().startsWith('http:'))
      failures.push(`<img src="${src}"> loads over http; mail clients block it, use https`);
    if (width === undefined || height === undefined || !/^\d+$/.test(width) || !/^\d+$/.test(height)) {
      warnings.push(
        `<img src="${name}"> has no numeric width and height; ship the logo as logo.png or give logoSize in brand.json`,
      );
    } else if (Number(width) > MAX_IMAGE_WIDTH) {
      failures.push(`<img src="${name}"> is ${width} pixels wide, wider than the ${MAX_IMAGE_WIDTH}-pixel layout`);
    } else measured.push(`<img src="${name}"> ${width}×${height}, alt "${alt ?? ''}"`);
  }
  if (failures.length > 0) return check('logo', 'fail', [...failures, ...warnings]);
  if (warnings.length > 0) return check('logo', 'warn', warnings);
  return check('logo', 'pass', measured);
}
