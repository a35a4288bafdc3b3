/**
 * `npm run bench -- --steps`: what each bundling step gained. Rebuilds the sender bundles with
 * src/authoring/build.ts's options, switching steps off one at a time (and all at
 * once, and on one after another in the order they were taken), then
 * measures size, cold start and warm invocation of each variant the way
 * the main benchmark does. Writes bench/steps.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { copyPackFiles, encryptionSdkNodeCrypto, handlerBuildOptions } from '../src/authoring/build.js';
import { SENDER_FUNCTIONS } from '../src/authoring/functions.js';
import type { InvokeJob } from './harness/protocol.js';
import { bytes, ms, us } from './lib/format.js';
import { assertCalls, type ExpectedCalls, runJob, timeNode } from './lib/processes.js';
import type { Setup } from './lib/setup.js';
import { measureFiles } from './lib/sizes.js';
import { median } from './lib/stats.js';

const STEPS = {
  narrow: 'import only decrypt-node, kms-keyring-node, material-management-node (not client-node)',
  module: "`mainFields: ['module', 'main']` (ESM builds, tree-shaken)",
  credentials: 'env-only credentials instead of the full chain',
  text: 'own HTML→text instead of html-to-text',
  names: 'no `keepNames`',
  streams: '`readable-stream` → node:stream',
  bnjs: 'one copy of bn.js',
  nodecrypto:
    "the Encryption SDK's public-key decompression (bn.js) and PEM encoding (asn1.js) done with node:crypto and fixed DER",
} as const;
type Step = keyof typeof STEPS;
const ALL_STEPS = Object.keys(STEPS) as Step[];

// The one step that changes what runs on every call, not only what is loaded:
// its warm cost is measured too, against the current build.
const PER_CALL_STEP: Step = 'nodecrypto';

interface Variant {
  id: string;
  label: string;
  on: ReadonlySet<Step>;
}

const SENDERS = SENDER_FUNCTIONS;
type Sender = (typeof SENDERS)[number];

export async function stepsReport(context: Setup): Promise<string> {
  const { workDir, harness, fixtures, env, plan } = context;
  const htmlToText = installHtmlToText();
  const variants = variantList();
  const bundles = new Map<string, Record<Sender, string>>();
  for (const variant of variants) {
    if (!htmlToText && !variant.on.has('text')) continue;
    bundles.set(variant.id, await buildVariant(context, variant, htmlToText));
  }
  const built = variants.filter((variant) => bundles.has(variant.id));

  const calls: Record<Sender, ExpectedCalls> = {
    'custom-email-sender': { kmsDecrypt: 1, sesSendEmail: 1, snsPublish: 0 },
    'custom-sms-sender': { kmsDecrypt: 1, sesSendEmail: 0, snsPublish: 1 },
  };
  const events: Record<Sender, unknown[]> = {
    'custom-email-sender': fixtures.email.events,
    'custom-sms-sender': fixtures.sms.events,
  };
  const job = (module: string, sender: Sender, mode: 'cold' | 'warm'): InvokeJob => ({
    mode,
    module,
    events: events[sender],
    warmup: mode === 'warm' ? plan.warmup : 0,
    iterations: mode === 'warm' ? Math.min(plan.iterations, 1_000) : 0,
    profile: null,
    out: join(workDir, 'steps-out.json'),
  });

  // Cold start: every variant's senders and `node -e 0`, alternating round by round.
  const over = new Map<string, number[]>();
  const runs: Array<{ key: string; module: string; sender: Sender } | null> = [null];
  for (const variant of built) {
    for (const sender of SENDERS) {
      const module = bundles.get(variant.id)?.[sender];
      if (module) runs.push({ key: `${variant.id}/${sender}`, module, sender });
    }
  }
  for (let round = 0; round < plan.coldRuns; round += 1) {
    let nodeWall = Number.NaN;
    const walls: Array<[string, number]> = [];
    for (let i = 0; i < runs.length; i += 1) {
      const run = runs[(i + round) % runs.length];
      if (!run) {
        nodeWall = timeNode(['-e', '0'], env);
        continue;
      }
      const { wallMs, result } = runJob(harness, job(run.module, run.sender, 'cold'), join(workDir, 'job.json'), env);
      assertCalls(`${run.key} cold`, result.stats, calls[run.sender], result.invocations);
      walls.push([run.key, wallMs]);
    }
    for (const [key, wall] of walls) over.set(key, [...(over.get(key) ?? []), wall - nodeWall]);
  }

  // Warm, for the current build and the per-call step switched off only (the other steps change what is
  // loaded, not what runs per call): several processes each, alternating, samples pooled, as drift on a
  // shared machine moves one process's median by more than these steps change it.
  const warmRuns = runs.filter(
    (run) => run !== null && (run.key.startsWith('current/') || run.key.startsWith(`without-${PER_CALL_STEP}/`)),
  );
  const warmSamples = new Map<string, number[]>();
  for (let pass = 0; pass < plan.warmPasses + 1; pass += 1) {
    for (const run of pass % 2 === 0 ? warmRuns : [...warmRuns].reverse()) {
      if (!run) continue;
      const { result } = runJob(harness, job(run.module, run.sender, 'warm'), join(workDir, 'job.json'), env);
      assertCalls(`${run.key} warm`, result.stats, calls[run.sender], result.invocations);
      warmSamples.set(run.key, [...(warmSamples.get(run.key) ?? []), ...result.samplesUs]);
    }
  }
  const warm = new Map([...warmSamples].map(([key, samples]) => [key, median(samples)]));

  const figures = (variant: Variant, sender: Sender) => {
    const module = bundles.get(variant.id)?.[sender] ?? '';
    const size = measureFiles([module], workDir);
    return {
      raw: size.raw,
      gzip: size.gzip,
      cold: median(over.get(`${variant.id}/${sender}`) ?? []),
      warm: warm.get(`${variant.id}/${sender}`) ?? Number.NaN,
    };
  };
  const current = built.find((variant) => variant.id === 'current');
  if (!current) throw new Error('the current build did not build');
  const table = (
    title: string,
    rows: Variant[],
    against: (variant: Variant) => Variant | undefined,
    withWarm = false,
  ) => {
    const lines = [
      `### ${title}`,
      '',
      `| variant | sender | raw | gzip | cold start over \`node -e 0\` |${withWarm ? ' warm median |' : ''} Δ raw | Δ cold |${withWarm ? ' Δ warm |' : ''}`,
      `|---|---|---|---|---|---|---|${withWarm ? '---|---|' : ''}`,
    ];
    for (const variant of rows) {
      const reference = against(variant);
      for (const sender of SENDERS) {
        const mine = figures(variant, sender);
        const theirs = reference ? figures(reference, sender) : null;
        const delta = (a: number, b: number, unit: (value: number) => string) =>
          theirs ? `${a - b >= 0 ? '+' : '−'}${unit(Math.abs(a - b))}` : '';
        const cells = [
          variant.label,
          sender.replace('custom-', ''),
          bytes(mine.raw),
          bytes(mine.gzip),
          ms(mine.cold),
          ...(withWarm ? [us(mine.warm)] : []),
          theirs ? delta(mine.raw, theirs.raw, bytes) : '',
          theirs ? delta(mine.cold, theirs.cold, ms) : '',
          ...(withWarm ? [theirs ? delta(mine.warm, theirs.warm, us) : ''] : []),
        ];
        lines.push(`| ${cells.join(' | ')} |`);
      }
    }
    return [...lines, ''];
  };
  const leaveOneOut = built.filter((variant) => variant.id.startsWith('without-') || variant.id === 'none');
  const chain = [
    ...built.filter((variant) => variant.id === 'none' || variant.id.startsWith('chain-')),
    { ...current, label: `+ ${ALL_STEPS[ALL_STEPS.length - 1]} (= current build)` },
  ];
  const further = built.filter((variant) => variant.id === `without-${PER_CALL_STEP}`);

  const results = await runBreakdown(context, htmlToText, [current, ...further]);
  const breakdownLines = [
    '### Where a warm sender invocation goes, part by part (medians, one process)',
    '',
    `| part | ${[current, ...further].map((variant) => variant.label).join(' | ')} |`,
    `|---|${[current, ...further].map(() => '---|').join('')}`,
  ];
  const parts = Object.keys(results[0] ?? {});
  for (const part of parts) {
    breakdownLines.push(`| ${part} | ${results.map((result) => us(result[part] ?? Number.NaN)).join(' | ')} |`);
  }
  const skipped = htmlToText ? [] : ['- html-to-text could not be installed, so its variants were skipped.'];
  return [
    '## What each bundling step gained',
    '',
    `${context.machine}. Sender bundles rebuilt from \`handlerBuildOptions()\` with steps switched off. Cold: ${plan.coldRuns} alternating runs of every variant, each minus its round's \`node -e 0\`, median; warm: ${plan.warmPasses + 1} alternating processes × ${Math.min(plan.iterations, 1_000)} invocations (after ${plan.warmup} warm-up ones), pooled median. Δ is the variant minus the reference named in each table: what the step is worth. Differences of a few ms in cold start are within this machine's noise.`,
    '',
    ...table('Each step switched off alone (Δ against the current build)', leaveOneOut, () => current),
    ...table('The steps in the order they were taken (Δ against the row above)', chain, (variant) => {
      const index = chain.indexOf(variant);
      return index > 0 ? chain[index - 1] : undefined;
    }),
    ...table(
      `Warm: the per-call step \`${PER_CALL_STEP}\` switched off (Δ against the current build)`,
      [current, ...further],
      (variant) => (variant === current ? undefined : current),
      true,
    ),
    ...breakdownLines,
    '',
    ...Object.entries(STEPS).map(([id, label]) => `- \`${id}\`: ${label}`),
    ...skipped,
    '',
  ].join('\n');
}

function variantList(): Variant[] {
  const without = (step: Step): Variant => ({
    id: `without-${step}`,
    label: `without ${step}`,
    on: new Set(ALL_STEPS.filter((other) => other !== step)),
  });
  const chain: Variant[] = [];
  for (let count = 1; count < ALL_STEPS.length; count += 1) {
    const on = ALL_STEPS.slice(0, count);
    chain.push({ id: `chain-${count}`, label: `+ ${on[on.length - 1]}`, on: new Set(on) });
  }
  return [
    { id: 'current', label: 'current build', on: new Set(ALL_STEPS) },
    { id: 'none', label: 'no step taken', on: new Set() },
    ...ALL_STEPS.map(without),
    ...chain,
  ];
}

/** Rebuilds both senders with `variant`'s steps; returns the bundle paths. */
async function buildVariant(
  { root, benchDir, workDir }: Setup,
  variant: Variant,
  htmlToText: string | null,
): Promise<Record<Sender, string>> {
  const outDir = join(workDir, 'variants', variant.id);
  const base = handlerBuildOptions(outDir);
  const alias = { ...(base.alias ?? {}) };
  if (!variant.on.has('credentials')) delete alias['@aws-sdk/credential-provider-node'];
  if (!variant.on.has('streams')) delete alias['readable-stream'];
  if (!variant.on.has('bnjs')) delete alias['bn.js'];
  const standIns = join(benchDir, 'experiments', 'stand-ins');
  const plugins: Plugin[] = [];
  if (!variant.on.has('narrow')) {
    plugins.push(
      redirect(
        'client-node',
        /^@aws-crypto\/(decrypt-node|kms-keyring-node|material-management-node)$/,
        (importer) => importer.startsWith(join(root, 'src')),
        () => join(standIns, 'client-node-entry.mjs'),
      ),
    );
  }
  if (!variant.on.has('text')) {
    plugins.push(
      redirect(
        'html-to-text',
        /email-text\.js$/,
        (importer) => importer.startsWith(join(root, 'src')),
        () => join(standIns, 'email-text-html-to-text.mjs'),
      ),
    );
  }
  if (variant.on.has('nodecrypto')) plugins.push(encryptionSdkNodeCrypto());
  await build({
    ...base,
    entryPoints: Object.fromEntries(SENDERS.map((name) => [name, join(root, 'handlers', `${name}.ts`)])),
    alias,
    mainFields: variant.on.has('module') ? base.mainFields : ['main', 'module'],
    keepNames: !variant.on.has('names'),
    plugins,
    nodePaths: htmlToText ? [join(htmlToText, 'node_modules')] : [],
    absWorkingDir: root,
    metafile: false,
    logLevel: 'error',
  });
  copyPackFiles(outDir);
  return {
    'custom-email-sender': join(outDir, 'custom-email-sender.js'),
    'custom-sms-sender': join(outDir, 'custom-sms-sender.js'),
  };
}

function redirect(
  name: string,
  filter: RegExp,
  fromImporter: (importer: string) => boolean,
  to: (path: string) => string,
): Plugin {
  return {
    name,
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter }, (args) => (fromImporter(args.importer) ? { path: to(args.path) } : undefined));
    },
  };
}

/** html-to-text 10.0.1 (what the pack used before step `text`) in a scratch directory, or null. */
function installHtmlToText(): string | null {
  const dir = join(tmpdir(), 'cognito-bench-html-to-text-10.0.1');
  if (existsSync(join(dir, 'node_modules', 'html-to-text', 'package.json'))) return dir;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  const result = spawnSync(
    'npm',
    ['install', '--prefix', dir, '--no-audit', '--no-fund', '--save-exact', 'html-to-text@10.0.1'],
    { stdio: ['ignore', 2, 2] },
  );
  return result.status === 0 ? dir : null;
}

/** Runs bench/experiments/breakdown.ts, bundled as each variant would bundle it. */
async function runBreakdown(
  context: Setup,
  htmlToText: string | null,
  variants: Variant[],
): Promise<Array<Record<string, number>>> {
  const { root, benchDir, workDir, harness, fixtures, env, plan } = context;
  const results: Array<Record<string, number>> = [];
  for (const variant of variants) {
    const outDir = join(workDir, 'breakdown', variant.id);
    const options = handlerBuildOptions(outDir);
    const plugins: Plugin[] = variant.on.has('nodecrypto') ? [encryptionSdkNodeCrypto()] : [];
    await build({
      ...options,
      entryPoints: { breakdown: join(benchDir, 'experiments', 'breakdown.ts') },
      plugins,
      nodePaths: htmlToText ? [join(htmlToText, 'node_modules')] : [],
      absWorkingDir: root,
      metafile: false,
      logLevel: 'error',
    });
    copyPackFiles(outDir);
    const out = join(workDir, 'breakdown.json');
    const jobPath = join(workDir, 'breakdown-job.json');
    writeFileSync(
      jobPath,
      JSON.stringify({
        emailEvents: fixtures.email.events,
        smsEvents: fixtures.sms.events,
        warmup: plan.warmup,
        iterations: Math.min(plan.iterations, 1_000),
        out,
      }),
    );
    timeNode(['-r', harness.instantAws, join(outDir, 'breakdown.js'), jobPath], env);
    results.push(JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>);
  }
  return results;
}
