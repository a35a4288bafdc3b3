/**
 * `export`: every message the gallery renders, as plain files for review in a
 * pull request and for outside tools (email linters, say). Each message has a
 * folder `<mode>/<source>/<locale>/<brand>/` holding `email.subject.txt`,
 * `email.html` and `email.txt`, or `sms.txt`, each exactly as rendered; one
 * `index.json` lists every message with its files, checks and SMS size. The
 * output is sorted and carries no timestamps, so a diff shows only real changes.
 *
 * Like `preview:export`, it refuses a non-empty folder it did not write, keeps
 * a manifest of what it wrote, and on a re-export removes only those files.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, posix, resolve, sep } from 'node:path';
import { UsageError } from '../cli/usage-error.js';
import type { SmsEncoding } from '../runtime/check/sms-encoding.js';
import type { Channel, MessageKind } from '../runtime/event/message-kind.js';
import type { CheckName, CheckResult, CheckStatus } from './checks.js';
import type { Gallery, PreviewEntry, PreviewMode } from './preview/gallery.js';

/** The list of files an export wrote, kept beside them: the next export removes exactly these. */
export const MESSAGES_MANIFEST = '.cognito-trigger-pack-messages.json';
export const MESSAGES_INDEX = 'index.json';

/** The file each part of a message is written to, inside the message's folder. */
export const MESSAGE_FILES = {
  subject: 'email.subject.txt',
  html: 'email.html',
  text: 'email.txt',
  sms: 'sms.txt',
} as const;

export type MessagePart = keyof typeof MESSAGE_FILES;

/** A check that did not pass, as the index lists it. */
export interface ExportedCheck {
  check: CheckName;
  title: string;
  details: string[];
}

/** One message in `index.json`. */
export interface ExportedMessage {
  id: string;
  mode: PreviewMode;
  channel: Channel;
  source: string;
  triggerSource: string;
  kind: MessageKind;
  locale: string;
  brand: string;
  status: CheckStatus;
  outcome: string;
  /** Paths below the export folder, `/`-separated; none when the message did not render. */
  files: Partial<Record<MessagePart, string>>;
  from: string | null;
  /** The SMS as delivered: characters, encoding, billing units and segments against the brand's budget. */
  smsSize: {
    characters: number;
    encoding: SmsEncoding;
    units: number;
    segments: number;
    maxSegments: number;
    nonGsmCharacters: string[];
  } | null;
  failures: ExportedCheck[];
  warnings: ExportedCheck[];
}

/** `index.json`. */
export interface MessagesIndex {
  sourceLocale: string;
  locales: string[];
  brands: string[];
  sources: string[];
  messages: number;
  failing: number;
  /** Warnings about the brand files themselves, not about one message. */
  brandWarnings: string[];
  entries: ExportedMessage[];
}

/** Code-unit order: the same on every machine, whatever its locale. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checksWith(checks: readonly CheckResult[], status: CheckStatus): ExportedCheck[] {
  return checks
    .filter((check) => check.status === status)
    .map(({ name, title, details }) => ({ check: name, title, details }));
}

/** The folder of one message, below the export folder. */
function messageFolder(entry: PreviewEntry): string {
  return posix.join(entry.mode, entry.source, entry.locale, entry.brand);
}

/** The file contents of one message, keyed by part. */
function partsOf(entry: PreviewEntry): Partial<Record<MessagePart, string>> {
  if (entry.email) return { subject: entry.email.subject, html: entry.email.html, text: entry.email.text };
  if (entry.sms) return { sms: entry.sms.text };
  return {};
}

function exportedMessage(entry: PreviewEntry): ExportedMessage {
  const folder = messageFolder(entry);
  const files: Partial<Record<MessagePart, string>> = {};
  for (const part of Object.keys(partsOf(entry)) as MessagePart[]) {
    files[part] = posix.join(folder, MESSAGE_FILES[part]);
  }
  const { sms } = entry;
  return {
    id: entry.id,
    mode: entry.mode,
    channel: entry.channel,
    source: entry.source,
    triggerSource: entry.triggerSource,
    kind: entry.kind,
    locale: entry.locale,
    brand: entry.brand,
    status: entry.status,
    outcome: entry.outcome,
    files,
    from: entry.email?.from ?? sms?.from ?? null,
    smsSize: sms
      ? {
          characters: sms.text.length,
          encoding: sms.size.encoding,
          units: sms.size.units,
          segments: sms.size.segments,
          maxSegments: sms.maxSegments,
          nonGsmCharacters: sms.size.nonGsmCharacters,
        }
      : null,
    failures: checksWith(entry.checks, 'fail'),
    warnings: checksWith(entry.checks, 'warn'),
  };
}

/** The index of every message, sorted by folder and channel. */
export function messagesIndex(gallery: Gallery): MessagesIndex {
  const sortKey = (entry: PreviewEntry) => `${messageFolder(entry)}/${entry.channel}`;
  const entries = [...gallery.entries].sort((a, b) => byCodeUnits(sortKey(a), sortKey(b))).map(exportedMessage);
  return {
    sourceLocale: gallery.sourceLocale,
    locales: gallery.locales.map(({ tag }) => tag),
    brands: gallery.brands.map(({ id }) => id),
    sources: gallery.sources,
    messages: entries.length,
    failing: entries.filter((entry) => entry.status === 'fail').length,
    brandWarnings: gallery.brandWarnings,
    entries,
  };
}

/** Every file the export writes, path (below the folder, `/`-separated) → content, sorted by path. */
function plannedFiles(gallery: Gallery, index: MessagesIndex): Map<string, string> {
  const files: Array<[string, string]> = [[MESSAGES_INDEX, `${JSON.stringify(index, null, 2)}\n`]];
  for (const entry of gallery.entries) {
    for (const [part, content] of Object.entries(partsOf(entry)) as Array<[MessagePart, string]>) {
      files.push([posix.join(messageFolder(entry), MESSAGE_FILES[part]), content]);
    }
  }
  return new Map(files.sort(([a], [b]) => byCodeUnits(a, b)));
}

/** A manifest line names a file below the folder: relative, `/`-separated, no `.` or `..` step. */
function isOwnPath(path: unknown): path is string {
  if (typeof path !== 'string' || path === '' || path === MESSAGES_MANIFEST) return false;
  if (isAbsolute(path) || path.includes('\\')) return false;
  return path.split('/').every((step) => step !== '' && step !== '.' && step !== '..');
}

/**
 * The files a previous export wrote into `outDir`. A folder with other files
 * and no manifest is refused: a mistyped path must lose nothing.
 */
function previousExport(outDir: string): Set<string> {
  if (!existsSync(outDir)) return new Set();
  if (!statSync(outDir).isDirectory()) throw new UsageError(`${outDir} is a file; give a folder to export into`);
  const manifest = join(outDir, MESSAGES_MANIFEST);
  if (!existsSync(manifest)) {
    if (readdirSync(outDir).length === 0) return new Set();
    throw new UsageError(`${outDir} is not empty and was not written by export; give an empty or new folder`);
  }
  let listed: unknown;
  try {
    listed = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch {
    throw new UsageError(`${manifest} is not the list export writes; remove the folder by hand or give another`);
  }
  return new Set(Array.isArray(listed) ? listed.filter(isOwnPath) : []);
}

/** Whether `path`'s folder is really inside `root`, with no link leading out of it. */
function insideRoot(root: string, path: string): boolean {
  const folder = dirname(path);
  return existsSync(folder) && `${realpathSync(folder)}${sep}`.startsWith(`${realpathSync(root)}${sep}`);
}

/** Whether something export did not write stands at `path`, or a file where one of its folders goes. */
function inTheWay(outDir: string, path: string, previous: ReadonlySet<string>): boolean {
  const steps = path.split('/');
  for (let depth = 1; depth <= steps.length; depth += 1) {
    const full = join(outDir, ...steps.slice(0, depth));
    if (!existsSync(full)) return false;
    if (depth < steps.length && !statSync(full).isDirectory()) return true;
  }
  return !previous.has(path);
}

/** Removes an earlier export's file, then each folder it leaves empty, up to `outDir`. */
function removeOwn(root: string, path: string): void {
  const full = join(root, ...path.split('/'));
  if (!insideRoot(root, full)) return;
  rmSync(full, { force: true });
  for (let folder = dirname(full); folder.startsWith(`${root}${sep}`); folder = dirname(folder)) {
    if (readdirSync(folder).length > 0) break;
    rmdirSync(folder);
  }
}

/**
 * Writes every message of `gallery` into `outDir`, replacing what an earlier
 * export wrote there. `files` counts what it wrote, `index.json` included.
 * Throws UsageError for a folder it must not touch, before changing anything.
 */
export function exportMessages(gallery: Gallery, outDir: string): { files: number; messages: number; failing: number } {
  const index = messagesIndex(gallery);
  const files = plannedFiles(gallery, index);
  const previous = previousExport(outDir);
  const foreign = [...files.keys()].find((path) => inTheWay(outDir, path, previous));
  if (foreign !== undefined) {
    throw new UsageError(`${join(outDir, foreign)} was not written by export; move it or give another folder`);
  }
  const root = resolve(outDir);
  mkdirSync(root, { recursive: true });
  for (const path of [...previous].sort(byCodeUnits)) removeOwn(root, path);
  for (const [path, content] of files) {
    const full = join(root, ...path.split('/'));
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content, 'utf8');
  }
  writeFileSync(join(root, MESSAGES_MANIFEST), `${JSON.stringify([...files.keys()], null, 2)}\n`, 'utf8');
  return { files: files.size, messages: index.messages, failing: index.failing };
}
