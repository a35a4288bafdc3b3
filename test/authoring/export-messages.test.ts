import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  exportMessages,
  MESSAGE_FILES,
  MESSAGES_INDEX,
  MESSAGES_MANIFEST,
  type MessagesIndex,
} from '../../src/authoring/export-messages.js';
import { loadPack } from '../../src/authoring/pack-source.js';
import { buildGallery, type Gallery } from '../../src/authoring/preview/gallery.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { copyTemplates } from '../support/temp-templates.js';
import { BRANDS, COMBINATIONS, LOCALES } from '../support/template-set.js';

const outDirs: string[] = [];
afterEach(() => {
  for (const dir of outDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ctp-messages-'));
  outDirs.push(dir);
  return dir;
}

/** Every file below `dir`, `/`-separated, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
}

function readIndex(dir: string): MessagesIndex {
  return JSON.parse(readFileSync(join(dir, MESSAGES_INDEX), 'utf8')) as MessagesIndex;
}

let gallery: Gallery;
beforeAll(() => {
  gallery = buildGallery(loadPack('templates'));
});

describe('export', () => {
  it('writes every combination as files, and an index that matches the gallery', () => {
    const dir = outDir();
    const result = exportMessages(gallery, dir);
    const index = readIndex(dir);
    expect(result.messages).toBe(COMBINATIONS);
    expect(result.failing).toBe(0);
    expect(index.messages).toBe(COMBINATIONS);
    expect(index.entries).toHaveLength(COMBINATIONS);
    expect([...index.locales].sort()).toEqual([...LOCALES].sort());
    expect(index.brands).toEqual(BRANDS);
    expect(new Set(index.entries.map((entry) => entry.id)).size).toBe(COMBINATIONS);

    const files = filesUnder(dir);
    const listed = index.entries.flatMap((entry) => Object.values(entry.files));
    expect(files).toEqual([...listed, MESSAGES_INDEX, MESSAGES_MANIFEST].sort());
    expect(result.files).toBe(listed.length + 1);

    for (const entry of gallery.entries) {
      const exported = index.entries.find((candidate) => candidate.id === entry.id);
      expect(exported).toMatchObject({
        status: entry.status,
        outcome: entry.outcome,
        triggerSource: entry.triggerSource,
      });
      const folder = join(dir, entry.mode, entry.source, entry.locale, entry.brand);
      if (entry.email) {
        expect(readFileSync(join(folder, MESSAGE_FILES.subject), 'utf8')).toBe(entry.email.subject);
        expect(readFileSync(join(folder, MESSAGE_FILES.html), 'utf8')).toBe(entry.email.html);
        expect(readFileSync(join(folder, MESSAGE_FILES.text), 'utf8')).toBe(entry.email.text);
      }
      if (entry.sms) {
        expect(readFileSync(join(folder, MESSAGE_FILES.sms), 'utf8')).toBe(entry.sms.text);
        expect(exported?.smsSize).toMatchObject({
          characters: entry.sms.text.length,
          encoding: entry.sms.size.encoding,
          segments: entry.sms.size.segments,
          maxSegments: entry.sms.maxSegments,
        });
      }
    }
  });

  it('writes the same bytes from a fresh render: sorted, no timestamps', () => {
    const first = outDir();
    const second = outDir();
    exportMessages(gallery, first);
    exportMessages(buildGallery(loadPack('templates')), second);
    const index = readFileSync(join(first, MESSAGES_INDEX), 'utf8');
    expect(readFileSync(join(second, MESSAGES_INDEX), 'utf8')).toBe(index);
    expect(readFileSync(join(second, MESSAGES_MANIFEST), 'utf8')).toBe(
      readFileSync(join(first, MESSAGES_MANIFEST), 'utf8'),
    );
    const ids = (JSON.parse(index) as MessagesIndex).entries.map((entry) => Object.values(entry.files)[0] ?? '');
    expect(ids).toEqual([...ids].sort());
  });

  it('re-exports over its own output, removing what it wrote before and never a file added since', () => {
    const dir = outDir();
    exportMessages(gallery, dir);
    writeFileSync(join(dir, 'notes.md'), 'added by a person');
    // A message the next export no longer writes, listed as written by this one, and a tampered line.
    mkdirSync(join(dir, 'message', 'Gone', 'en', 'default'), { recursive: true });
    writeFileSync(join(dir, 'message', 'Gone', 'en', 'default', 'sms.txt'), 'from an earlier export');
    const outside = `${basename(dir)}-outside.txt`;
    writeFileSync(join(dir, '..', outside), 'outside');
    const manifest = join(dir, MESSAGES_MANIFEST);
    const listed = JSON.parse(readFileSync(manifest, 'utf8')) as string[];
    writeFileSync(manifest, JSON.stringify([...listed, 'message/Gone/en/default/sms.txt', `../${outside}`]));

    const result = exportMessages(gallery, dir);
    expect(result.messages).toBe(COMBINATIONS);
    expect(existsSync(join(dir, 'notes.md'))).toBe(true);
    expect(existsSync(join(dir, 'message', 'Gone'))).toBe(false);
    expect(existsSync(join(dir, '..', outside))).toBe(true);
    rmSync(join(dir, '..', outside));
    expect(readIndex(dir).entries).toHaveLength(COMBINATIONS);
  });

  it('refuses a foreign non-empty folder, and leaves it untouched', () => {
    const dir = outDir();
    writeFileSync(join(dir, 'notes.md'), 'not ours');
    expect(() => exportMessages(gallery, dir)).toThrow(UsageError);
    expect(() => exportMessages(gallery, dir)).toThrow(
      `${dir} is not empty and was not written by export; give an empty or new folder`,
    );
    expect(filesUnder(dir)).toEqual(['notes.md']);
  });

  it('refuses to overwrite a file it did not write, before changing anything', () => {
    const dir = outDir();
    exportMessages(gallery, dir);
    const manifest = readFileSync(join(dir, MESSAGES_MANIFEST), 'utf8');
    const entry = readIndex(dir).entries[0];
    const path = entry?.files.subject ?? entry?.files.sms ?? '';
    // Listed no more: the file at that path is now someone else's.
    writeFileSync(join(dir, MESSAGES_MANIFEST), JSON.stringify([MESSAGES_INDEX]));
    expect(() => exportMessages(gallery, dir)).toThrow(/was not written by export; move it or give another folder/);
    expect(existsSync(join(dir, MESSAGES_INDEX))).toBe(true);
    expect(existsSync(join(dir, ...path.split('/')))).toBe(true);
    expect(manifest).toContain(path);
  });

  it('refuses a file given as the folder, and an unreadable manifest', () => {
    const dir = outDir();
    writeFileSync(join(dir, 'file'), '');
    expect(() => exportMessages(gallery, join(dir, 'file'))).toThrow(/is a file; give a folder/);
    writeFileSync(join(dir, MESSAGES_MANIFEST), '{');
    expect(() => exportMessages(gallery, dir)).toThrow(/is not the list export writes/);
  });

  it('shows a failing template as failing in the index, with the check and its details', () => {
    const templates = copyTemplates();
    const brand = BRANDS[0] ?? '';
    writeFileSync(join(templates, 'brands', brand, 'signUp.sms.hbs'), '{{brand.productName}}: welcome');
    // A field that does not exist: the message does not render at all, so it has no files.
    writeFileSync(join(templates, 'brands', brand, 'resendCode.sms.hbs'), '{{code}} {{nope}}');
    const dir = outDir();
    const result = exportMessages(buildGallery(loadPack(templates)), dir);
    const index = readIndex(dir);
    const failing = index.entries.filter((entry) => entry.status === 'fail');
    // The SMS of SignUp and ResendCode, in both modes, for every locale of that brand.
    expect(result.failing).toBe(2 * 2 * LOCALES.length);
    expect(index.failing).toBe(result.failing);
    expect(failing.every((entry) => entry.channel === 'sms' && entry.brand === brand)).toBe(true);
    const signUp = failing.find((entry) => entry.source === 'SignUp');
    const failure = signUp?.failures.find((check) => check.check === 'placeholders');
    expect(failure?.title).toBe('Placeholders present');
    expect(failure?.details.join(' ')).toMatch(/lacks the/);
    expect(signUp?.files.sms).toBeDefined();
    const resend = failing.find((entry) => entry.source === 'ResendCode');
    expect(resend?.files).toEqual({});
    expect(resend?.failures.map((check) => check.check)).toContain('render');
  });
});
