/** Bytes on disk, gzipped, and as the .zip Lambda is deployed from. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';

export interface Size {
  files: number;
  raw: number;
  gzip: number;
  zip: number;
}

/**
 * Sizes of a set of files: raw bytes, gzip -9 of their concatenation, and a
 * real .zip archive (deflate, as `zip` and `serverless package` write it) with
 * each file under its path relative to `base`.
 */
export function measureFiles(paths: readonly string[], base: string): Size {
  const entries = paths.map((path) => ({ name: relative(base, path), data: readFileSync(path) }));
  const all = Buffer.concat(entries.map((entry) => entry.data));
  return {
    files: entries.length,
    raw: all.length,
    gzip: gzipSync(all, { level: constants.Z_BEST_COMPRESSION }).length,
    zip: zipArchive(entries).length,
  };
}

/** A minimal PKZIP archive: one deflated entry per file, central directory, end record. */
export function zipArchive(entries: ReadonlyArray<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const fileName = Buffer.from(name.split('\\').join('/'));
    const deflated = deflateRawSync(data, { level: constants.Z_BEST_COMPRESSION });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time and date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by: Unix, 3.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, deflated);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
