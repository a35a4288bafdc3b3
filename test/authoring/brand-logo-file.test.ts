import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOGO_LIMITS, pngSize, readShippedLogo } from '../../src/authoring/brand-logo-file.js';
import { loadPack } from '../../src/authoring/pack-source.js';
import { copyTemplates } from '../support/temp-templates.js';

/** A PNG header (signature and IHDR) for the given size, padded to `bytes`: enough for the size check. */
function png(width: number, height: number, bytes = 64): Buffer {
  const buffer = Buffer.alloc(bytes);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(buffer, 0);
  buffer.writeUInt32BE(13, 8);
  buffer.write('IHDR', 12, 'latin1');
  buffer.writeUInt32BE(width, 16);
  buffer.writeUInt32BE(height, 20);
  return buffer;
}

describe('a brand logo shipped as a file', () => {
  it('reads the pixel size from the PNG header, and nothing from other files', () => {
    expect(pngSize(readFileSync('templates/brands/northwind/logo.png'))).toEqual({ width: 340, height: 80 });
    expect(pngSize(png(300, 96))).toEqual({ width: 300, height: 96 });
    expect(pngSize(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(pngSize(png(1, 1).subarray(0, 20))).toBeNull();
  });

  it('shows the shipped logos at half their pixel size, under content-hashed names', () => {
    const logo = readShippedLogo('northwind', 'templates/brands/northwind');
    expect(logo?.size).toEqual({ width: 170, height: 40 });
    expect(logo?.files.light).toMatch(/^northwind-logo-[0-9a-f]{10}\.png$/);
    expect(logo?.files.dark).toMatch(/^northwind-logo-dark-[0-9a-f]{10}\.png$/);
    expect([...(logo?.paths.values() ?? [])]).toEqual([
      join('templates/brands/northwind', 'logo.png'),
      join('templates/brands/northwind', 'logo-dark.png'),
    ]);
    for (const file of ['templates/brands/default/logo.png', 'templates/brands/northwind/logo.png']) {
      expect(readFileSync(file).length).toBeLessThan(LOGO_LIMITS.maxBytes);
    }
  });

  it('puts the measured size and the file names on the brand when the folder is read', () => {
    const brand = loadPack('templates').brands.get('default');
    expect(brand?.logoSize).toEqual({ width: 116, height: 40 });
    expect(brand?.logoFiles?.light).toMatch(/^default-logo-[0-9a-f]{10}\.png$/);
  });

  it.each([
    [
      'not a PNG',
      Buffer.from('GIF89a-not-a-png-at-all-really'),
      /northwind\/logo\.png: is not a PNG file; export the logo as PNG/,
    ],
    [
      'too many bytes',
      png(200, 80, LOGO_LIMITS.maxBytes + 1),
      /northwind\/logo\.png: is 51,201 bytes, more than the 51,200 a logo may have; export it with fewer colours/,
    ],
    [
      'too tall',
      png(200, 400),
      /northwind\/logo\.png: is 200×400 pixels; a logo is drawn at half its pixel size, so export it 48–128 pixels high and at most 560 wide/,
    ],
    ['too small', png(60, 20), /is 60×20 pixels/],
    ['too wide', png(1200, 80), /is 1200×80 pixels/],
  ])('names the file and the fix when the logo is %s', (_, bytes, message) => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'brands/northwind/logo.png'), bytes);
    expect(() => loadPack(dir)).toThrow(message);
    // One sentence, no stack: the whole message is the one problem line.
    try {
      loadPack(dir);
    } catch (error) {
      expect((error as Error).message.split('\n')).toHaveLength(1);
    }
  });

  it('wants the dark logo at the light one’s size, and never alone', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'brands/northwind/logo-dark.png'), png(300, 80));
    expect(() => loadPack(dir)).toThrow(
      /logo-dark\.png: is 300×80 pixels and logo\.png is 340×80; export both at the same size/,
    );
    rmSync(join(dir, 'brands/northwind/logo.png'));
    expect(() => loadPack(dir)).toThrow(/logo-dark\.png: a dark logo needs the light one beside it; add logo\.png/);
  });

  it('leaves a brand without logo files to its logoUrl', () => {
    const dir = copyTemplates();
    rmSync(join(dir, 'brands/northwind/logo.png'));
    rmSync(join(dir, 'brands/northwind/logo-dark.png'));
    const brand = loadPack(dir).brands.get('northwind');
    expect(brand?.logoFiles).toBeNull();
    expect(brand?.logoSize).toBeNull();
  });
});
