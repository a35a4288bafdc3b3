/**
 * Where a brand's logo is read from in a rendered email. A logo shipped as a
 * file (`templates/brands/<id>/logo.png`) is published by the deployment
 * below LOGO_BASE_URL (a bucket behind CloudFront, or the team's own host);
 * a brand may instead name its own https address in brand.json. Mail clients
 * load images from the open internet, so both are absolute https URLs in a
 * deployed function (docs/templates.md, "Logos").
 */
import type { Brand, LogoSize } from '../target/brand.js';

export interface LogoInEmail {
  src: string;
  darkSrc: string | null;
  size: LogoSize | null;
}

/**
 * The logo's addresses: the shipped file below `baseUrl` when there is both,
 * else the brand's own URLs, else null (the layout then shows the product name).
 */
export function logoInEmail(brand: Brand, baseUrl: string | null | undefined): LogoInEmail | null {
  if (brand.logoFiles && baseUrl) {
    const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    return {
      src: `${base}${brand.logoFiles.light}`,
      darkSrc: brand.logoFiles.dark === null ? null : `${base}${brand.logoFiles.dark}`,
      size: brand.logoSize,
    };
  }
  if (brand.logoUrl === null) return null;
  return { src: brand.logoUrl, darkSrc: brand.logoDarkUrl, size: brand.logoSize };
}
