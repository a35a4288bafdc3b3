/**
 * One command of the command line: its words for `--help`, its options, and
 * what it runs. Options are parsed strictly, so a typo is a UsageError that
 * names the option and the command's help, never a silent default.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
  /** Everything after `--`, passed on untouched (to the Serverless Framework). */
  rest: string[];
}

export interface Command {
  /** One line for the command list. */
  summary: string;
  /** `init [dir] [--name NAME]`: how it is called. */
  usage: string;
  /** What each option does, for --help, by option name. */
  help: Record<string, string>;
  options: Options;
  /** Positional arguments it takes, at most. */
  positionals?: number;
  run(parsed: Parsed, io: Io): Promise<number | undefined> | number | undefined;
}

/** Where a command writes: the terminal, or a test's buffer. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
}

/** The options every command takes. */
export const COMMON_OPTIONS: Options = {
  templates: { type: 'string', short: 't', default: 'templates' },
  help: { type: 'boolean', short: 'h', default: false },
};

export const COMMON_HELP: Record<string, string> = {
  templates: 'the templates folder (default: ./templates)',
  help: 'show this help',
};

export function parseCommand(name: string, command: Command, argv: string[]): Parsed {
  const dashes = argv.indexOf('--');
  const own = dashes === -1 ? argv : argv.slice(0, dashes);
  const rest = dashes === -1 ? [] : argv.slice(dashes + 1);
  try {
    const { values, positionals } = parseArgs({
      args: own,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (!values.help && positionals.length > (command.positionals ?? 0)) {
      throw new UsageError(
        `${name} takes ${command.positionals ? `at most ${command.positionals} argument` : 'no argument'}, not "${positionals.join(' ')}"; see cognito-trigger-pack ${name} --help`,
      );
    }
    return { values, positionals, rest };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message.replace(/\.\s*To specify.*$/s, '') : String(error);
    throw new UsageError(`${message.replace(/\.$/, '')}; see cognito-trigger-pack ${name} --help`);
  }
}

/** The command's --help text. */
export function commandHelp(command: Command): string {
  const options = { ...command.options, ...COMMON_OPTIONS };
  const help = { ...command.help, ...COMMON_HELP };
  const rows = Object.entries(options).map(([option, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${option}${spec.type === 'string' ? ' VALUE' : ''}`;
    return `  ${flag.padEnd(26)} ${help[option] ?? ''}`;
  });
  return [`Usage: cognito-trigger-pack ${command.usage}`, '', command.summary, '', 'Options:', ...rows].join('\n');
}

/** A string option's value (parseArgs types them loosely). */
export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}
