/**
 * Child processes for the benchmark: the harness (compiled to plain CommonJS
 * so a child is `node` and nothing else), the environment a Lambda function
 * sees, and the cold and warm runs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { InstantAwsStats, InvokeJob, InvokeResult } from '../harness/protocol.js';

export interface Harness {
  instantAws: string;
  invoke: string;
  floor: string;
}

/** Compiles bench/harness/*.ts to CommonJS in `outDir`. */
export async function buildHarness(benchDir: string, outDir: string): Promise<Harness> {
  await build({
    entryPoints: {
      'instant-aws': join(benchDir, 'harness', 'instant-aws.ts'),
      invoke: join(benchDir, 'harness', 'invoke.ts'),
      floor: join(benchDir, 'harness', 'floor.ts'),
    },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    logLevel: 'warning',
  });
  return {
    instantAws: join(outDir, 'instant-aws.cjs'),
    invoke: join(outDir, 'invoke.cjs'),
    floor: join(outDir, 'floor.cjs'),
  };
}

/**
 * What a function sees in Lambda, and no more: region, the role's
 * credentials in the environment, no shared AWS config files, the pack's
 * settings, and an endpoint nobody listens on in case anything bypassed the
 * in-process mock.
 */
export function lambdaEnv(workDir: string, cannedPath: string, keyArn: string): NodeJS.ProcessEnv {
  return {
    HOME: workDir,
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIABENCHMARK0000000',
    AWS_SECRET_ACCESS_KEY: 'benchmark/secret/key/not/used/anywhere/0000',
    AWS_SESSION_TOKEN: 'benchmark-session-token',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
    AWS_CONFIG_FILE: join(workDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-aws-credentials'),
    AWS_LAMBDA_FUNCTION_NAME: 'cognito-trigger-pack-bench',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    KMS_KEY_ARN: keyArn,
    EMAIL_FROM: 'Acme <no-reply@example.com>',
    LOG_LEVEL: 'info',
    BENCH_INSTANT_AWS: cannedPath,
  };
}

/** One child process: `args` for node; the wall time from spawn to exit. */
export function timeNode(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited with ${child.status ?? child.signal}:\n${child.stderr}`);
  }
  return wallMs;
}

/** Runs an invoke job in a fresh process; returns the wall time and what the child reported. */
export function runJob(
  harness: Harness,
  job: InvokeJob,
  jobPath: string,
  env: NodeJS.ProcessEnv,
  nodeArgs: readonly string[] = [],
): { wallMs: number; result: InvokeResult } {
  writeFileSync(jobPath, JSON.stringify(job));
  const wallMs = timeNode([...nodeArgs, '-r', harness.instantAws, harness.invoke, jobPath], env);
  return { wallMs, result: JSON.parse(readFileSync(job.out, 'utf8')) as InvokeResult };
}

/** A cold job (load, one invocation, exit) or a warm one (then `warmup` + `iterations` more). */
export function invokeJob(
  target: { module: string | null; events: unknown[] },
  workDir: string,
  warm?: { warmup: number; iterations: number; profile?: string },
): InvokeJob {
  return {
    mode: warm ? 'warm' : 'cold',
    module: target.module,
    events: warm ? target.events : target.events.slice(0, 1),
    warmup: warm?.warmup ?? 0,
    iterations: warm?.iterations ?? 0,
    profile: warm?.profile ?? null,
    out: join(workDir, warm ? 'warm-result.json' : 'cold-result.json'),
  };
}

export interface ExpectedCalls {
  kmsDecrypt: number;
  sesSendEmail: number;
  snsPublish: number;
  /** The idempotency table's calls; none when left out. */
  dynamoPutItem?: number;
  dynamoUpdateItem?: number;
  dynamoDeleteItem?: number;
}

const CALL_KINDS = [
  'kmsDecrypt',
  'sesSendEmail',
  'snsPublish',
  'dynamoPutItem',
  'dynamoUpdateItem',
  'dynamoDeleteItem',
] as const;

/** Fails unless every invocation made exactly the expected AWS calls, all signed, none unexpected. */
export function assertCalls(label: string, stats: InstantAwsStats, perInvocation: ExpectedCalls, invocations: number) {
  const problems: string[] = [];
  for (const key of CALL_KINDS) {
    const expected = (perInvocation[key] ?? 0) * invocations;
    if (stats[key] !== expected) problems.push(`${key}: ${stats[key]} calls, expected ${expected}`);
  }
  if (stats.unsigned > 0) problems.push(`${stats.unsigned} requests without a SigV4 signature`);
  if (stats.unexpected.length > 0) problems.push(`unexpected: ${[...new Set(stats.unexpected)].join('; ')}`);
  if (problems.length > 0) throw new Error(`${label}: ${problems.join(', ')}`);
}
