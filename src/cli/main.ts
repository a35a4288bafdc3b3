/**
 * `cognito-trigger-pack <command>` (or `ctp <command>`): the pack's command
 * line, installed as the package's bin. Every command takes the templates
 * folder (--templates, default ./templates) and has --help. A user's mistake
 * is printed as one sentence with exit code 1; a stack trace only with
 * CTP_DEBUG=1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../authoring/package-root.js';
import { ConfigurationError } from '../runtime/errors.js';
import { type Command, commandHelp, type Io, parseCommand } from './args.js';
import { buildCommand } from './build.js';
import { ejectCommand } from './eject.js';
import { exportCommand, sendTestCommand } from './export-send.js';
import { initCommand } from './init.js';
import { checkCommand, previewCommand } from './preview-check.js';
import { demoCommand, deployCommand, packageCommand, stackCommand } from './stack-deploy.js';
import { UsageError } from './usage-error.js';

export const COMMANDS: Readonly<Record<string, Command>> = {
  init: initCommand,
  preview: previewCommand,
  check: checkCommand,
  build: buildCommand,
  export: exportCommand,
  'send-test': sendTestCommand,
  stack: stackCommand,
  demo: demoCommand,
  package: packageCommand,
  deploy: deployCommand,
  eject: ejectCommand,
};

function overview(): string {
  const rows = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
  return [
    'Usage: cognito-trigger-pack <command> [options]   (or: ctp <command>)',
    '',
    'Branded, localized Amazon Cognito messages from your templates folder.',
    '',
    'Commands:',
    ...rows,
    '',
    'Every command takes --templates DIR (default ./templates) and --help.',
  ].join('\n');
}

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Runs one command line; resolves to the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) {
      throw new UsageError(
        `"${name}" is not a command; the commands are ${Object.keys(COMMANDS).join(', ')} (cognito-trigger-pack --help)`,
      );
    }
    const parsed = parseCommand(name, command, args);
    if (parsed.values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    return (await command.run(parsed, io)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigurationError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    if (process.env.CTP_DEBUG === '1') io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    else io.err(`error: ${error instanceof Error ? error.message : String(error)} (CTP_DEBUG=1 shows where)`);
    return 1;
  }
}
