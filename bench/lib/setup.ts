/**
 * What every benchmark mode starts from: a private copy of the built
 * bundles, the compiled harness, Cognito-format fixtures with the mock's
 * canned KMS answers, a Lambda-like environment, and the processes to run.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { copyPackFiles } from '../../src/authoring/build.js';
import { FUNCTIONS, type FunctionName, type SENDER_FUNCTIONS } from '../../src/authoring/functions.js';
import { type Fixtures, makeFixtures } from './fixtures.js';
import { buildHarness, type ExpectedCalls, type Harness, lambdaEnv } from './processes.js';

export { FUNCTIONS, type FunctionName, TRIGGER } from '../../src/authoring/functions.js';

type SenderName = (typeof SENDER_FUNCTIONS)[number];

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
    : { quick, coldRuns: 25, warmup: 300, iterations: 1_000, warmPasses: 4 };
}

/** One process the benchmark measures: a module exporting `handler` (or none), its events, its AWS calls. */
export interface Subject {
  id: string;
  module: string | null;
  events: unknown[];
  calls: ExpectedCalls;
  /** Variables this process sees besides the Lambda-like environment. */
  env?: NodeJS.ProcessEnv;
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
/** With the table, the default settings: the claim (PutItem), the per-recipient counter and the done mark (UpdateItem). */
const TABLE_CALLS = { dynamoPutItem: 1, dynamoUpdateItem: 2, dynamoDeleteItem: 0 };
/** With the table and the per-recipient limit off: the claim and the done mark alone. */
const CLAIM_DONE_CALLS = { dynamoPutItem: 1, dynamoUpdateItem: 1, dynamoDeleteItem: 0 };
const TABLE = 'bench-idempotency';

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
    ...senderSubjects('custom-email-sender', bundles, fixtures.email.events, EMAIL_CALLS, baseline),
    ...senderSubjects('custom-sms-sender', bundles, fixtures.sms.events, SMS_CALLS, baseline),
    { id: 'floor', module: harness.floor, events: fixtures.email.events, calls: NO_CALLS },
    { id: 'client-node-import', module: baseline('client-node-import'), events: [], calls: NO_CALLS },
    { id: 'harness', module: null, events: [], calls: NO_CALLS },
  ];
  return { root, benchDir, workDir, plan, bundles, harness, fixtures, env, subjects, machine: machineLine() };
}

/** The per-recipient limit each sender counts by default. */
export const RECIPIENT_LIMIT: Readonly<Record<SenderName, string>> = {
  'custom-email-sender': 'EMAIL_LIMIT_PER_ADDRESS_PER_HOUR',
  'custom-sms-sender': 'SMS_LIMIT_PER_NUMBER_PER_HOUR',
};

/** A sender's bundle without the table, with it, with it and the counter off; then its baseline. */
function senderSubjects(
  name: SenderName,
  bundles: Record<FunctionName, string>,
  events: unknown[],
  calls: ExpectedCalls,
  baseline: (name: string) => string,
): Subject[] {
  const module = bundles[name];
  return [
    { id: `${name}:pack`, module, events, calls },
    {
      id: `${name}:pack-idempotent`,
      module,
      events,
      calls: { ...calls, ...TABLE_CALLS },
      env: { IDEMPOTENCY_TABLE: TABLE },
    },
    {
      id: `${name}:pack-claim-done`,
      module,
      events,
      calls: { ...calls, ...CLAIM_DONE_CALLS },
      env: { IDEMPOTENCY_TABLE: TABLE, [RECIPIENT_LIMIT[name]]: 'off' },
    },
    { id: `${name}:baseline`, module: baseline(name), events, calls },
  ];
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
 * the bundles (source maps and the pack's files too) aside, so a rebuild by someone else during
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
  // The bundles read the template pack's files beside them.
  copyPackFiles(into, join(root, 'dist'));
  return out;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}
