/**
 * Places in a templates folder's files, as a template author's editor and
 * terminal name them: `templates/brands/contoso/signUp.sms.hbs:1:13`, the
 * path relative to the working folder, the line and column counted from 1.
 */
import { relative } from 'node:path';

/** A place in a file: its path as read, and the line and column of one character, counted from 1. */
export interface SourcePlace {
  file: string;
  line: number;
  column: number;
}

/** A path as the person running the command typed it: relative to the working folder when inside it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** The line and column (from 1) of the character at `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The place of `offset` in `file`, whose text is `text`. */
export function placeAt(file: string, text: string, offset: number): SourcePlace {
  return { file, ...lineColumn(text, offset) };
}

/** `templates/base/signUp.sms.hbs:1:13`. */
export function placeText(place: SourcePlace): string {
  return `${shownPath(place.file)}:${place.line}:${place.column}`;
}
