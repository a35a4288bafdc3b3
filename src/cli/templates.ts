/** Reading the templates folder a command was given, with a mistake reported as one UsageError. */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { compilePack, type PackSource, readPackSource } from '../authoring/pack-source.js';
import type { TemplatePack } from '../runtime/render/template-pack.js';
import { type Io, type Parsed, stringOption } from './args.js';
import { UsageError } from './usage-error.js';

export interface LoadedTemplates {
  dir: string;
  source: PackSource;
  pack: TemplatePack;
}

/** The folder given by --templates (default ./templates), resolved against the working folder. */
export function templatesDir(parsed: Parsed, io: Io): string {
  const dir = resolve(io.cwd, stringOption(parsed, 'templates') ?? 'templates');
  if (!existsSync(dir)) {
    throw new UsageError(
      `There is no templates folder at ${relative(io.cwd, dir) || dir}; run cognito-trigger-pack init, or pass --templates DIR`,
    );
  }
  return dir;
}

/** Reads and compiles the folder, layered over the package's base. */
export function loadTemplates(parsed: Parsed, io: Io): LoadedTemplates {
  const dir = templatesDir(parsed, io);
  try {
    const source = readPackSource(dir);
    return { dir, source, pack: compilePack(source) };
  } catch (error) {
    throw new UsageError(
      `The templates could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
