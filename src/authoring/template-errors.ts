/**
 * The one shape of a mistake in a templates folder: the file, line and column
 * it is at, and what is wrong in plain words. The checks show these, and
 * reading a folder throws them as TemplateFileError.
 */
import { UsageError } from '../cli/usage-error.js';
import { type SourcePlace, shownPath } from './source-position.js';

/** A mistake a template author can fix: where it is (a whole file when line is null) and what is wrong. */
export interface TemplateProblem {
  file: string;
  line: number | null;
  column: number | null;
  message: string;
}

/** A problem at a place. */
export function problemAt(place: SourcePlace, message: string): TemplateProblem {
  return { ...place, message };
}

/** A problem with a whole file. */
export function problemIn(file: string, message: string): TemplateProblem {
  return { file, line: null, column: null, message };
}

/** `templates/brands/contoso/signUp.sms.hbs:1:13: {{cod}} is not a field; …`. */
export function problemText(problem: TemplateProblem): string {
  const at = problem.line === null ? '' : `:${problem.line}:${problem.column ?? 1}`;
  return `${shownPath(problem.file)}${at}: ${problem.message}`;
}

/** A file of a templates folder cannot be read: bad JSON, an invalid brand, a misplaced file. One line a problem. */
export class TemplateFileError extends UsageError {
  override name = 'TemplateFileError';
  readonly problems: readonly TemplateProblem[];

  constructor(problem: TemplateProblem | readonly TemplateProblem[], options?: { cause?: unknown }) {
    const problems = 'message' in problem ? [problem] : problem;
    super(problems.map(problemText).join('\n'), options);
    this.problems = problems;
  }
}
