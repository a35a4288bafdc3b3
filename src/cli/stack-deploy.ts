/**
 * `stack`, `demo`, `package` and `deploy`: each builds the folder first
 * (checks included, so nothing broken runs or ships), then starts the local
 * stack on the bundles, or stages the deployment (the package's
 * serverless.yml with the project's parameters and additions) and runs the
 * Serverless Framework (osls) on it.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../authoring/package-root.js';
import { runServerless, stageDeployment } from '../operations/deploy.js';
import { type Command, type Io, type Parsed, stringOption } from './args.js';
import { buildProject } from './build.js';
import { templatesDir } from './templates.js';
import { UsageError } from './usage-error.js';

/** What the local stack needs beside the package (optional peers: only those who run it install them). */
const STACK_PEERS = ['cognito-local', '@aws-sdk/client-cognito-identity-provider', '@aws-sdk/client-lambda'];

function requirePeers(io: Io, names: readonly string[], purpose: string): void {
  const missing = names.filter((name) => !resolvable(io.cwd, name));
  if (missing.length > 0) {
    throw new UsageError(`${purpose} needs ${missing.join(', ')}: npm install -D ${missing.join(' ')}`);
  }
}

function resolvable(cwd: string, name: string): boolean {
  for (const from of [join(cwd, 'package.json'), join(packageRoot(), 'package.json')]) {
    try {
      createRequire(from).resolve(`${name}/package.json`);
      return true;
    } catch {
      // not installed there
    }
  }
  return false;
}

/** Builds the folder into the work folder's dist, for the stack and the demo. */
async function buildForStack(parsed: Parsed, io: Io): Promise<string> {
  requirePeers(io, STACK_PEERS, 'The local stack');
  const { outDir } = await buildProject(parsed, io, join('.cognito-trigger-pack', 'stack-dist'));
  const { readMessagesFrom } = await import('../local-stack/read-message.js');
  readMessagesFrom(templatesDir(parsed, io));
  return outDir;
}

/** The local stack's own wrong-option error, as the command line's. */
async function asUsage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error && (error.name === 'StackUsageError' || error.name === 'MotoNotInstalledError')) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

export const stackCommand: Command = {
  summary: 'Run the local stack (moto, the Lambda Invoke endpoint, cognito-local) on your templates until Ctrl-C.',
  usage: 'stack [--mode message|sender] [--keep]',
  options: { mode: { type: 'string' }, keep: { type: 'boolean', default: false } },
  help: { mode: 'message (default) or sender', keep: 'keep the work folder with its logs after stopping' },
  async run(parsed, io) {
    const distDir = await buildForStack(parsed, io);
    const { parseMode, runStack } = await import('../local-stack/run-stack.js');
    return asUsage(() =>
      runStack({
        mode: parseMode(stringOption(parsed, 'mode')),
        keepWorkDir: parsed.values.keep === true,
        distDir,
        out: io.out,
      }),
    );
  },
};

export const demoCommand: Command = {
  summary: 'Sign up, receive the email your templates render, verify with its code: the whole flow, locally.',
  usage: 'demo [--mode sender|message] [--locale en] [--brand ID]',
  options: { mode: { type: 'string' }, locale: { type: 'string' }, brand: { type: 'string' } },
  help: {
    mode: 'sender (default) or message',
    locale: 'the locale (default: en)',
    brand: 'the brand (default: the first)',
  },
  async run(parsed, io) {
    const distDir = await buildForStack(parsed, io);
    const { runDemo } = await import('../local-stack/demo.js');
    const { defaultBrand } = await import('../local-stack/read-message.js');
    await asUsage(() =>
      runDemo({
        mode: stringOption(parsed, 'mode'),
        locale: stringOption(parsed, 'locale') ?? 'en',
        brand: stringOption(parsed, 'brand') ?? defaultBrand(),
        distDir,
      }),
    );
    return 0;
  },
};

function serverlessCommand(command: 'package' | 'deploy'): Command {
  return {
    summary:
      command === 'package'
        ? 'Build, then write the CloudFormation template and artifacts with the Serverless Framework, offline.'
        : 'Build, then deploy the triggers with the Serverless Framework (your AWS credentials).',
    usage: `${command} [--stage dev] [--region R] [--param name=value]… [--config serverless.yml] [-- serverless options]`,
    options: {
      stage: { type: 'string', default: 'dev' },
      region: { type: 'string' },
      param: { type: 'string', multiple: true },
      config: { type: 'string' },
    },
    help: {
      stage: 'the stage (default: dev); its params come from your file',
      region: 'the AWS region (default: the file, else us-east-1)',
      param: 'a parameter for this run, checked like the file (repeatable)',
      config: 'your deployment file (default: ./serverless.yml)',
    },
    async run(parsed, io) {
      requirePeers(io, ['osls'], `${command} (the Serverless Framework)`);
      const params: Record<string, string> = {};
      for (const pair of (parsed.values.param as string[] | undefined) ?? []) {
        const at = pair.indexOf('=');
        if (at < 1) throw new UsageError(`--param "${pair}" is not name=value`);
        params[pair.slice(0, at)] = pair.slice(at + 1);
      }
      const stage = stringOption(parsed, 'stage') ?? 'dev';
      const region = stringOption(parsed, 'region');
      const { outDir } = await buildProject(parsed, io, join('.cognito-trigger-pack', 'dist'));
      const staged = stageDeployment({
        packageRoot: packageRoot(),
        projectDir: io.cwd,
        deployFile: stringOption(parsed, 'config'),
        stage,
        region,
        params,
        distDir: outDir,
      });
      for (const warning of staged.warnings) io.err(`warning: ${warning}`);
      io.out(`Staged ${staged.params.mode} mode for stage ${stage} in ${staged.dir}; running serverless ${command}…`);
      return runServerless({ command, dir: staged.dir, stage, region, extraArgs: parsed.rest });
    },
  };
}

export const packageCommand = serverlessCommand('package');
export const deployCommand = serverlessCommand('deploy');
