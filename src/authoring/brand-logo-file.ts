/**
 * A brand's logo shipped as a file: `templates/brands/<id>/logo.png`, and
 * `logo-dark.png` for dark backgrounds. The size is read from the PNG header
 * (IHDR: width and height, big-endian, at bytes 16 and 20) and checked here,
 * so a logo too large to load quickly or to fit the layout fails when the
 * folder is read, with one sentence naming the file and the fix.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogoFiles, LogoSize } from '../runtime/target/brand.js';
import { problemIn, TemplateFileError } from './template-errors.js';

export const LOGO_FILE = 'logo.png';
export const LOGO_DARK_FILE = 'logo-dark.png';

/**
 * The limits a shipped logo is held to. A logo is drawn at half its pixel
 * size, so it stays sharp on 2× screens; the display size fits the header of
 * a 600-pixel email beside nothing else.
 */
export const LOGO_LIMITS = {
  maxBytes: 50 * 1024,
  minPixelHeight: 48,
  maxPixelHeight: 128,
  maxPixelWidth: 560,
} as const;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface ShippedLogo {
  files: LogoFiles;
  /** The display size in CSS pixels: half the file's pixels. */
  size: LogoSize;
  /** Object key → the file on disk: what the preview serves and the deployment uploads. */
  paths: Map<string, string>;
}

/** The pixel size from a PNG's header, or null when the bytes are not a PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Reads and checks the logo files of one brand folder; null when it ships none. Throws TemplateFileError. */
export function readShippedLogo(brandId: string, brandDir: string): ShippedLogo | null {
  const lightPath = join(brandDir, LOGO_FILE);
  const darkPath = join(brandDir, LOGO_DARK_FILE);
  if (!existsSync(lightPath)) {
    if (existsSync(darkPath)) {
      throw new TemplateFileError(
        problemIn(darkPath, `a dark logo needs the light one beside it; add ${LOGO_FILE} of the same pixel size`),
      );
    }
    return null;
  }
  const light = checkedLogo(lightPath);
  const dark = existsSync(darkPath) ? checkedLogo(darkPath) : null;
  if (dark && (dark.pixels.width !== light.pixels.width || dark.pixels.height !== light.pixels.height)) {
    throw new TemplateFileError(
      problemIn(
        darkPath,
        `is ${dark.pixels.width}×${dark.pixels.height} pixels and ${LOGO_FILE} is ${light.pixels.width}×${light.pixels.height}; export both at the same size, so the email does not shift when a client switches to dark`,
      ),
    );
  }
  const lightKey = `${brandId}-logo-${light.hash}.png`;
  const darkKey = dark ? `${brandId}-logo-dark-${dark.hash}.png` : null;
  const paths = new Map([[lightKey, lightPath]]);
  if (darkKey) paths.set(darkKey, darkPath);
  return {
    files: { light: lightKey, dark: darkKey },
    size: { width: Math.round(light.pixels.width / 2), height: Math.round(light.pixels.height / 2) },
    paths,
  };
}

function checkedLogo(path: string): { pixels: { width: number; height: number }; hash: string } {
  const bytes = readFileSync(path);
  const pixels = pngSize(bytes);
  const fail = (message: string): never => {
    throw new TemplateFileError(problemIn(path, message));
  };
  if (pixels === null) return fail('is not a PNG file; export the logo as PNG (mail clients do not all show SVG)');
  const { maxBytes, minPixelHeight, maxPixelHeight, maxPixelWidth } = LOGO_LIMITS;
  if (bytes.length > maxBytes) {
    fail(
      `is ${bytes.length.toLocaleString('en')} bytes, more than the ${maxBytes.toLocaleString('en')} a logo may have; export it with fewer colours or run it through a PNG optimiser`,
    );
  }
  if (pixels.height < minPixelHeight || pixels.height > maxPixelHeight || pixels.width > maxPixelWidth) {
    fail(
      `is ${pixels.width}×${pixels.height} pixels; a logo is drawn at half its pixel size, so export it ${minPixelHeight}–${maxPixelHeight} pixels high and at most ${maxPixelWidth} wide`,
    );
  }
  return { pixels, hash: createHash('sha256').update(bytes).digest('hex').slice(0, 10) };
}
