/**
 * Reads the folder's JSON files (messages.json, brand.json, pack.json) so
 * that a mistake is named by line and column in plain words ("a comma after
 * the last entry"), not by JSON.parse's "position 98", and so that a check
 * can point at the value of one key (`messages.json:30:12 › signUp.sms`).
 */
import { readFileSync } from 'node:fs';
import { placeAt, type SourcePlace } from './source-position.js';
import { problemAt, TemplateFileError } from './template-errors.js';

/** A parsed JSON file and where each value starts, by dotted path (`signUp.sms`, `links.allowedOrigins.0`). */
export interface JsonFile {
  file: string;
  text: string;
  value: unknown;
  offsets: ReadonlyMap<string, number>;
}

/** Reads and parses `file`; throws TemplateFileError at the line and column of a syntax error. */
export function readJsonFile(file: string): JsonFile {
  return parseJsonText(file, readFileSync(file, 'utf8'));
}

/** Parses `text`, read from `file`; throws TemplateFileError at the line and column of a syntax error. */
export function parseJsonText(file: string, text: string): JsonFile {
  const scanner = new JsonScanner(text);
  try {
    scanner.document();
  } catch (error) {
    if (!(error instanceof JsonSyntax)) throw error;
    throw new TemplateFileError(problemAt(placeAt(file, text, error.offset), error.message), { cause: error });
  }
  return { file, text, value: JSON.parse(text), offsets: scanner.offsets };
}

/** Where the value at `path` starts; a path the file lacks falls back to its nearest parent, then to 1:1. */
export function jsonPlace(json: JsonFile, path: string): SourcePlace {
  const parts = path === '' ? [] : path.split('.');
  for (let length = parts.length; length >= 0; length--) {
    const offset = json.offsets.get(parts.slice(0, length).join('.'));
    if (offset !== undefined) return placeAt(json.file, json.text, offset);
  }
  return { file: json.file, line: 1, column: 1 };
}

class JsonSyntax extends Error {
  override name = 'JsonSyntax';

  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][\w$]*/y;

/** A strict JSON reader that records where each value starts and explains the first mistake it meets. */
class JsonScanner {
  private pos = 0;
  readonly offsets = new Map<string, number>();

  constructor(private readonly text: string) {}

  document(): void {
    if (this.text.startsWith('\uFEFF'))
      this.fail(0, 'the file starts with a byte-order mark; save it as UTF-8 without one');
    this.value('');
    this.space();
    if (this.pos < this.text.length) {
      this.fail(
        this.pos,
        `${this.describe()} after the end of the JSON value; remove it, or look for a } or ] closed too early`,
      );
    }
  }

  private fail(offset: number, message: string): never {
    throw new JsonSyntax(offset, message);
  }

  private describe(offset = this.pos): string {
    const char = this.text[offset];
    if (char === undefined) return 'the end of the file';
    if (/\s/.test(char) || char < ' ')
      return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    WORD.lastIndex = offset;
    const word = WORD.exec(this.text)?.[0];
    return word ? `"${word}"` : `"${char}"`;
  }

  private space(): void {
    for (;;) {
      while (/[ \t\n\r]/.test(this.text[this.pos] ?? '')) this.pos++;
      const two = this.text.slice(this.pos, this.pos + 2);
      if (two !== '//' && two !== '/*') return;
      this.fail(this.pos, 'JSON has no comments; remove it');
    }
  }

  private value(path: string): void {
    this.space();
    this.offsets.set(path, this.pos);
    const char = this.text[this.pos];
    if (char === '{') this.object(path);
    else if (char === '[') this.array(path);
    else if (char === '"') this.string();
    else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) this.number();
    else this.literal();
  }

  private literal(): void {
    const char = this.text[this.pos];
    if (char === "'") this.fail(this.pos, 'text takes double quotes ("…"), not single ones');
    WORD.lastIndex = this.pos;
    const word = WORD.exec(this.text)?.[0];
    if (word === 'true' || word === 'false' || word === 'null') {
      this.pos += word.length;
      return;
    }
    if (char === undefined) this.fail(this.pos, 'the file ends where a value should be');
    if (word) this.fail(this.pos, `${word} is not a JSON value; text takes double quotes: "${word}"`);
    this.fail(
      this.pos,
      `a value ("text", a number, true, false, null, {…} or […]) should be here, not ${this.describe()}`,
    );
  }

  private object(path: string): void {
    this.entries('}', 'an object', 'entry', () => {
      const char = this.text[this.pos];
      if (char === undefined) this.fail(this.pos, 'the file ends inside an object: a } is missing');
      if (char === "'") this.fail(this.pos, 'a key takes double quotes ("…"), not single ones');
      if (char !== '"') {
        WORD.lastIndex = this.pos;
        const word = WORD.exec(this.text)?.[0];
        this.fail(
          this.pos,
          word
            ? `the key ${word} needs double quotes: "${word}"`
            : `a key in double quotes should be here, not ${this.describe()}`,
        );
      }
      const key = this.string();
      this.space();
      if (this.text[this.pos] !== ':') this.fail(this.pos, `a colon is missing after the key "${key}"`);
      this.pos++;
      this.value(path === '' ? key : `${path}.${key}`);
      return `the value of "${key}"`;
    });
  }

  private array(path: string): void {
    this.entries(']', 'a list', 'item', (index) => {
      this.value(path === '' ? String(index) : `${path}.${index}`);
      return `item ${index + 1} of the list`;
    });
  }

  /** The entries of an object or a list, each read by `entry` (which names it): commas between, none after the last. */
  private entries(close: '}' | ']', inside: string, one: string, entry: (index: number) => string): void {
    this.pos++;
    this.space();
    if (this.text[this.pos] === close) {
      this.pos++;
      return;
    }
    let comma = -1;
    for (let index = 0; ; index++) {
      this.space();
      if (this.text[this.pos] === close && comma >= 0) {
        this.fail(comma, `a comma after the last ${one}; JSON allows none, remove it`);
      }
      const name = entry(index);
      const end = this.pos;
      this.space();
      const after = this.text[this.pos];
      if (after === ',') {
        comma = this.pos++;
        continue;
      }
      if (after === close) {
        this.pos++;
        return;
      }
      if (after === undefined) this.fail(this.pos, `the file ends inside ${inside}: a ${close} is missing`);
      if (after === '"') this.fail(end, `a comma is missing after ${name}`);
      this.fail(this.pos, `a comma or ${close} should follow ${name}, not ${this.describe()}`);
    }
  }

  private string(): string {
    const start = this.pos++;
    for (;;) {
      const char = this.text[this.pos];
      if (char === undefined) this.fail(start, 'this text is never closed: a " is missing');
      if (char === '"') {
        this.pos++;
        return JSON.parse(this.text.slice(start, this.pos)) as string;
      }
      if (char === '\n' || char === '\r') {
        this.fail(start, 'this text runs past the end of its line: close it with ", or write a line break as \\n');
      }
      if (char < ' ')
        this.fail(this.pos, `${this.describe()} inside text; write a tab as \\t, anything else as \\uXXXX`);
      if (char === '\\') {
        const escaped = this.text[this.pos + 1] ?? '';
        const valid =
          escaped === 'u'
            ? /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))
            : '"\\/bfnrt'.includes(escaped) && escaped !== '';
        if (!valid) this.fail(this.pos, `\\${escaped} is not an escape JSON knows; write a backslash as \\\\`);
        this.pos += escaped === 'u' ? 6 : 2;
        continue;
      }
      this.pos++;
    }
  }

  private number(): void {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match || match[0] === '-') this.fail(this.pos, `${this.describe()} is not a number JSON reads`);
    this.pos += match[0].length;
  }
}
