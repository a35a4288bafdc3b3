/**
 * What every benchmark mode starts from: a private copy of the built
 * bundles, the compiled harness, Cognito-format fixtures with the mock's
 * canned KMS answers, a Lambda-like environment, and the processes to run.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { FUNCTIONS, type FunctionName } from '../../src/authoring/functions.js';
import { type Fixtures, makeFixtures } from './fixtures.js';
import { buildHarness, type ExpectedCalls, type Harness, lambdaEnv } from './processes.js';

export { FUNCTIONS, type FunctionName, TRIGGER } from '../../src/authoring/functions.js';

export interface Plan {
  quick: boolean;
  coldRuns: number;
  warmup: number;
  iterations: number;
  /** Warm processes per subject; their samples are pooled. */
  warmPasses: number;
}

export function planFor(quick: boolean): Plan {
  return quick
    ? { quick, coldRuns: 3, warmup: 50, iterations: 200, warmPasses: 1 }
    : { quick, coldRuns: 25, warmup: 300, iterations: 2_000, warmPasses: 2 };
}

/** One process the benchmark measures: a module exporting `handler` (or none), its events, its AWS calls. */
export interface Subject {
  id: string;
  module: string | null;
  events: unknown[];
  calls: ExpectedCalls;
}

export interface Setup {
  root: string;
  benchDir: string;
  workDir: string;
  plan: Plan;
  bundles: Record<FunctionName, string>;
  harness: Harness;
  fixtures: Fixtures;
  env: NodeJS.ProcessEnv;
  subjects: Subject[];
  machine: string;
}

export const NO_CALLS: ExpectedCalls = { kmsDecrypt: 0, sesSendEmail: 0, snsPublish: 0 };
export const EMAIL_CALLS: ExpectedCalls = { kmsDecrypt: 1, sesSendEmail: 1, snsPublish: 0 };
export const SMS_CALLS: ExpectedCalls = { kmsDecrypt: 1, sesSendEmail: 0, snsPublish: 1 };

export async function prepare(root: string, benchDir: string, workDir: string, plan: Plan): Promise<Setup> {
  const bundles = snapshotBundles(root, join(workDir, 'dist'));
  const harness = await buildHarness(benchDir, join(workDir, 'harness'));
  const cannedPath = join(workDir, 'canned-kms.json');
  const fixtures = await makeFixtures(cannedPath, 16, plan.iterations + plan.warmup + 1);
  const env = lambdaEnv(workDir, cannedPath, fixtures.keyArn);
  const baseline = (name: string) => join(benchDir, 'baseline', `${name}.cjs`);
  const subjects: Subject[] = [
    { id: 'custom-message:pack', module: bundles['custom-message'], events: fixtures.customMessage, calls: NO_CALLS },
    {
      id: 'custom-message:baseline',
      module: baseline('custom-message'),
      events: fixtures.customMessage,
      calls: NO_CALLS,
    },
    {
      id: 'custom-email-sender:pack',
      module: bundles['custom-email-sender'],
      events: fixtures.email.events,
      calls: EMAIL_CALLS,
    },
    {
      id: 'custom-email-sender:baseline',
      module: baseline('custom-email-sender'),
      events: fixtures.email.events,
      calls: EMAIL_CALLS,
    },
    {
      id: 'custom-sms-sender:pack',
      module: bundles['custom-sms-sender'],
      events: fixtures.sms.events,
      calls: SMS_CALLS,
    },
    {
      id: 'custom-sms-sender:baseline',
      module: baseline('custom-sms-sender'),
      events: fixtures.sms.events,
      calls: SMS_CALLS,
    },
    { id: 'floor', module: harness.floor, events: fixtures.email.events, calls: NO_CALLS },
    { id: 'client-node-import', module: baseline('client-node-import'), events: [], calls: NO_CALLS },
    { id: 'harness', module: null, events: [], calls: NO_CALLS },
  ];
  return { root, benchDir, workDir, plan, bundles, harness, fixtures, env, subjects, machine: machineLine() };
}

export function subject(setup: Setup, id: string): Subject {
  const found = setup.subjects.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no subject ${id}`);
  return found;
}

function machineLine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}`;
}

/**
 * Builds dist/ when it is missing or older than its sources, then copies
 * the bundles (and source maps) aside, so a rebuild by someone else during
 * the run cannot change what is measured.
 */
function snapshotBundles(root: string, into: string): Record<FunctionName, string> {
  const sources = ['src/runtime', 'src/authoring/build.ts', 'handlers', 'templates', 'package-lock.json'];
  const newestSource = Math.max(...sources.map((path) => newestMtime(join(root, path))));
  const built = FUNCTIONS.map((name) => join(root, 'dist', `${name}.js`));
  if (built.some((file) => !existsSync(file) || statSync(file).mtimeMs < newestSource)) {
    const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
    if (result.status !== 0) throw new Error('npm run build failed');
  }
  mkdirSync(into, { recursive: true });
  const out = {} as Record<FunctionName, string>;
  for (const name of FUNCTIONS) {
    out[name] = join(into, `${name}.js`);
    copyFileSync(join(root, 'dist', `${name}.js`), out[name]);
    const map = join(root, 'dist', `${name}.js.map`);
    if (existsSync(map)) copyFileSync(map, `${out[name]}.map`);
  }
  return out;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}
