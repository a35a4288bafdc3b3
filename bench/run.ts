/**
 * `npm run bench`: cold start, warm invocation, size and memory of the three
 * built functions, each beside a baseline written the way the AWS samples
 * are (bench/baseline/), plus the cryptographic floor of a sender. Prints one
 * markdown table and writes it to bench/results.md.
 *
 *   --quick    a few runs only (CI runs this so the script cannot rot; it
 *              never fails on a figure); writes bench/<report>-quick.md
 *   --profile  CPU profiles of the senders, warm and cold: bench/profile.md
 *   --steps    what each bundling step gained, and further steps: bench/steps.md
 *   --scale    cost against template set size, 7×2 to 50×100 locales × brands:
 *              bench/scale.md and docs/scale-cold-start.svg (`--layout inline`
 *              or `inline-json`: the pack kept in the bundle, bench/scale-<layout>.md)
 *
 * Every process is a plain `node` with bench/harness/instant-aws preloaded:
 * KMS, SES and SNS answer instantly in process below the SDK, so the SDK's
 * serialisation and signing are counted and the network is not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { CUSTOM_MESSAGE_COLD, SIZE_BUDGETS } from '../src/authoring/budgets.js';
import { SENDER_FUNCTIONS } from '../src/authoring/functions.js';
import type { InvokeResult } from './harness/protocol.js';
import { bytes, mib, ms, msSpread, preciseRatio, ratio, us } from './lib/format.js';
import { assertCalls, invokeJob, runJob, timeNode } from './lib/processes.js';
import {
  FUNCTIONS,
  NO_CALLS,
  planFor,
  prepare,
  RECIPIENT_LIMIT,
  type Setup,
  type Subject,
  TRIGGER,
} from './lib/setup.js';
import { measureFiles, type Size } from './lib/sizes.js';
import { median, quantile, type Spread, spread } from './lib/stats.js';
import { profileReport } from './profile.js';
import { scaleReport, scaleReportName } from './scale.js';
import { stepsReport } from './steps.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, '..');

interface Figures {
  cold?: Spread;
  /** Fastest run minus fastest `node -e 0`: noise on a shared machine only ever adds time. */
  coldBest?: number;
  rssKib?: number;
  warm?: { median: number; p99: number; n: number; cpuPerInvocation: number };
  size?: Size;
  first?: InvokeResult;
}

async function main(): Promise<void> {
  const plan = planFor(process.argv.includes('--quick'));
  const workDir = mkdtempSync(join(tmpdir(), 'cognito-bench-'));
  try {
    const setup = await prepare(root, benchDir, workDir, plan);
    let report: string;
    let name: string;
    if (process.argv.includes('--scale')) {
      report = await scaleReport(setup);
      name = scaleReportName();
    } else if (process.argv.includes('--steps')) {
      report = await stepsReport(setup);
      name = 'steps';
    } else if (process.argv.includes('--profile')) {
      report = profileReport(setup);
      name = 'profile';
    } else {
      report = benchmark(setup);
      name = 'results';
    }
    // Quick runs are too short to compare, so they never overwrite a full run's report.
    const file = `${name}${plan.quick ? '-quick' : ''}.md`;
    writeFileSync(join(benchDir, file), report);
    process.stdout.write(report);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function benchmark(setup: Setup): string {
  const { workDir, bundles, harness, fixtures, env, subjects, plan } = setup;
  const figures = new Map<string, Figures>();
  const get = (id: string): Figures => {
    let figure = figures.get(id);
    if (!figure) {
      figure = {};
      figures.set(id, figure);
    }
    return figure;
  };
  const jobPath = join(workDir, 'job.json');

  // 1. Cold start: fresh processes, alternating round by round; each run minus its round's `node -e 0`.
  const nodeWalls: number[] = [];
  const over = new Map<string, number[]>();
  const fastest = new Map<string, number>();
  const rss = new Map<string, number[]>();
  const order: Array<Subject | null> = [null, ...subjects];
  for (let round = 0; round < plan.coldRuns; round += 1) {
    const walls = new Map<string, number>();
    let nodeWall = Number.NaN;
    for (let i = 0; i < order.length; i += 1) {
      const current = order[(i + round) % order.length];
      if (!current) {
        nodeWall = timeNode(['-e', '0'], env);
        continue;
      }
      const { wallMs, result } = runJob(harness, invokeJob(current, workDir), jobPath, { ...env, ...current.env });
      assertCalls(`${current.id} cold`, result.stats, current.calls, result.invocations);
      walls.set(current.id, wallMs);
      rss.set(current.id, [...(rss.get(current.id) ?? []), result.maxRssKib]);
      get(current.id).first ??= result;
    }
    nodeWalls.push(nodeWall);
    for (const [id, wall] of walls) {
      over.set(id, [...(over.get(id) ?? []), wall - nodeWall]);
      fastest.set(id, Math.min(fastest.get(id) ?? Number.POSITIVE_INFINITY, wall));
    }
  }
  for (const { id } of subjects) {
    get(id).cold = spread(over.get(id) ?? []);
    get(id).coldBest = (fastest.get(id) ?? Number.NaN) - Math.min(...nodeWalls);
    get(id).rssKib = median(rss.get(id) ?? []);
  }
  checkSameMessages(get, fixtures.email.codes[0] ?? '', fixtures.sms.codes[0] ?? '');

  // 2. Warm: one process per subject and pass, pack and baseline back to back; later passes in reverse order.
  const warmSubjects: Subject[] = [
    ...subjects.filter(({ id }) => id.includes(':') || id === 'floor'),
    {
      id: 'custom-message:pack-uncached',
      module: bundles['custom-message'],
      events: fixtures.customMessageDistinct,
      calls: NO_CALLS,
    },
  ];
  const samples = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  for (let pass = 0; pass < plan.warmPasses; pass += 1) {
    for (const current of pass % 2 === 0 ? warmSubjects : [...warmSubjects].reverse()) {
      const job = invokeJob(current, workDir, plan);
      const { result } = runJob(harness, job, jobPath, { ...env, ...current.env });
      assertCalls(`${current.id} warm`, result.stats, current.calls, result.invocations);
      samples.set(current.id, [...(samples.get(current.id) ?? []), ...result.samplesUs]);
      cpu.set(current.id, [...(cpu.get(current.id) ?? []), result.cpuUsPerInvocation ?? Number.NaN]);
    }
  }
  for (const [id, values] of samples) {
    const cpuPerInvocation = median(cpu.get(id) ?? []);
    get(id).warm = { median: median(values), p99: quantile(values, 0.99), n: values.length, cpuPerInvocation };
  }

  // 3. Size: the pack's bundles; for unbundled rows, every file under the repository the process loaded.
  for (const name of FUNCTIONS) get(`${name}:pack`).size = measureFiles([bundles[name]], dirname(bundles[name]));
  get('floor').size = measureFiles([harness.floor], dirname(harness.floor));
  for (const { id } of subjects) {
    const figure = get(id);
    const loaded = (figure.first?.loadedFiles ?? []).filter((file) => file.startsWith(`${root}/`));
    if (!figure.size && loaded.length > 0) figure.size = measureFiles(loaded, root);
  }

  return renderReport(setup, get, median(nodeWalls));
}

const KEEP_IN_STEP =
  'bench/baseline/templates.cjs must render what src/runtime/render/render.ts renders; bring it in step';

/** The pack and the baseline must deliver the same message, or the comparison means nothing. */
function checkSameMessages(get: (id: string) => Figures, emailCode: string, smsCode: string): void {
  const first = (id: string): InvokeResult => {
    const result = get(id).first;
    if (!result) throw new Error(`${id}: no result`);
    return result;
  };
  const responseOf = (id: string) => (first(id).firstResult as { response?: unknown } | null)?.response;
  const response = responseOf('custom-message:pack');
  if (!response || !isDeepStrictEqual(response, responseOf('custom-message:baseline'))) {
    throw new Error(`CustomMessage: the pack and the baseline return different messages; ${KEEP_IN_STEP}`);
  }
  // The text part is derived from the HTML by different converters; everything else must match.
  const email = (id: string) => {
    const { 'Message.Body.Text.Data': text = '', ...rest } = first(id).stats.lastSendEmail ?? {};
    return { text, rest };
  };
  const ours = email('custom-email-sender:pack');
  const theirs = email('custom-email-sender:baseline');
  if (!isDeepStrictEqual(ours.rest, theirs.rest)) {
    throw new Error(`CustomEmailSender: the pack and the baseline send different emails; ${KEEP_IN_STEP}`);
  }
  for (const { text, rest } of [ours, theirs]) {
    if (!rest['Message.Body.Html.Data']?.includes(emailCode) || !text.includes(emailCode)) {
      throw new Error('CustomEmailSender: the decrypted code is not in the email');
    }
  }
  const sms = first('custom-sms-sender:pack').stats.lastPublish;
  if (
    !sms?.Message?.includes(smsCode) ||
    !isDeepStrictEqual(sms, first('custom-sms-sender:baseline').stats.lastPublish)
  ) {
    throw new Error(`CustomSMSSender: the pack and the baseline publish different SMS, or no code; ${KEEP_IN_STEP}`);
  }
  if (first('floor').firstResult !== emailCode) throw new Error('floor: decrypted the wrong code');
}

function renderReport(setup: Setup, get: (id: string) => Figures, nodeMedian: number): string {
  const { plan } = setup;
  const of = (value: number | undefined) => value ?? Number.NaN;
  const floor = get('floor');
  const lines = [
    '| function | implementation | cold start over `node -e 0`: median (IQR; best run), ms | ×baseline | warm median | warm p99 | ×baseline | ×floor | bundle raw | gzip | zip | ×baseline | peak RSS | ×baseline |',
    `|${'---|'.repeat(14)}`,
  ];
  const row = (cells: readonly string[]) => lines.push(`| ${cells.join(' | ')} |`);
  const cold = (figure: Figures) => (figure.cold ? msSpread(figure.cold, of(figure.coldBest)) : '—');
  const warm = (figure: Figures) => [
    figure.warm ? us(figure.warm.median) : '—',
    figure.warm ? us(figure.warm.p99) : '—',
  ];
  const size = (figure: Figures, files: boolean) =>
    figure.size
      ? [
          files ? `${bytes(figure.size.raw)} (${figure.size.files} files)` : bytes(figure.size.raw),
          bytes(figure.size.gzip),
          bytes(figure.size.zip),
        ]
      : ['—', '—', '—'];
  for (const name of FUNCTIONS) {
    const pack = get(`${name}:pack`);
    const base = get(`${name}:baseline`);
    const sender = name !== 'custom-message';
    const toFloor = (figure: Figures) => (sender ? ratio(of(figure.warm?.median) / of(floor.warm?.median)) : '');
    row([
      TRIGGER[name],
      'pack (`dist/`)',
      cold(pack),
      ratio(of(pack.cold?.median) / of(base.cold?.median)),
      ...warm(pack),
      ratio(of(pack.warm?.median) / of(base.warm?.median)),
      toFloor(pack),
      ...size(pack, false),
      ratio(of(pack.size?.raw) / of(base.size?.raw)),
      mib(of(pack.rssKib)),
      ratio(of(pack.rssKib) / of(base.rssKib)),
    ]);
    if (sender) {
      const table = get(`${name}:pack-idempotent`);
      row([
        '',
        'pack, `IDEMPOTENCY_TABLE` set',
        cold(table),
        ratio(of(table.cold?.median) / of(base.cold?.median)),
        ...warm(table),
        ratio(of(table.warm?.median) / of(base.warm?.median)),
        toFloor(table),
        '',
        '',
        '',
        '',
        mib(of(table.rssKib)),
        ratio(of(table.rssKib) / of(base.rssKib)),
      ]);
    }
    if (name === 'custom-message') {
      const uncached = get('custom-message:pack-uncached');
      const warmRatio = ratio(of(uncached.warm?.median) / of(base.warm?.median));
      row(['', 'pack, a new render every call', '', '', ...warm(uncached), warmRatio, '', '', '', '', '', '', '']);
    }
    row([
      '',
      'baseline (AWS-sample style)',
      cold(base),
      '',
      ...warm(base),
      '',
      toFloor(base),
      ...size(base, true),
      '',
      mib(of(base.rssKib)),
      '',
    ]);
  }
  const importOnly = get('client-node-import');
  const harness = get('harness');
  row([
    'floor',
    'node:crypto on the same message',
    cold(floor),
    '',
    ...warm(floor),
    '',
    '1×',
    ...size(floor, false),
    '',
    mib(of(floor.rssKib)),
    '',
  ]);
  row([
    '`@aws-crypto/client-node`',
    'the baseline’s import alone',
    cold(importOnly),
    '',
    '',
    '',
    '',
    '',
    ...size(importOnly, true),
    '',
    mib(of(importOnly.rssKib)),
    '',
  ]);
  row([
    'harness',
    'mock preloaded, no function',
    cold(harness),
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    mib(of(harness.rssKib)),
    '',
  ]);
  row(['`node -e 0`', 'reference', `${ms(nodeMedian)} itself`, '', '', '', '', '', '', '', '', '', '', '']);

  return [
    `## Benchmark${plan.quick ? ' (quick run: too few samples to compare)' : ''}`,
    '',
    `${setup.machine}. Cold: ${plan.coldRuns} runs of each process, alternating, each minus the same round's \`node -e 0\` (best run: the fastest run minus the fastest \`node -e 0\`; a shared machine only ever adds time); warm: ${plan.warmPasses} × ${plan.iterations.toLocaleString('en')} timed invocations (one process each, after ${plan.warmup} warm-up ones). KMS, SES and SNS answer instantly in process at the SDK's HTTP handler, so serialisation and SigV4 signing are counted. Ratios are pack ÷ baseline (or ÷ floor); below 1 is better. Baseline sizes count every file it loads from the repository. The floor parses the same Cognito message by hand and does with node:crypto only what cannot be avoided: HKDF-SHA384, AES-256-GCM (header tag and the code's frame), import of the message's ECDSA P-384 key and one signature verification, given the data key KMS returns.`,
    '',
    ...lines,
    '',
    '### The idempotency table',
    '',
    'The same bundles with `IDEMPOTENCY_TABLE` set, DynamoDB answering instantly in process like KMS, SES and SNS: each send makes the claim (PutItem), the per-recipient counter of the default limits and the done mark (two UpdateItem), signed and serialised for real; the last row of each sender turns the counter off, leaving the two calls issue 15 budgets: cold start at most 15 % above the run without the table, warm invocation at most 0.6 ms above it (each bundle at most 600 KB raw: one bundle serves both). Warm CPU per invocation is the user and system time of the process over its timed invocations (median of the passes): on a shared machine it leaves out the waits for a core that stretch the wall times.',
    '',
    ...tableComparison(get, of),
    '',
    '### Targets',
    '',
    ...targetList(get, of),
    '',
  ].join('\n');
}

/** A difference in microseconds with its sign. */
function signedUs(value: number): string {
  return `${value < 0 ? '−' : '+'}${us(Math.abs(value))}`;
}

/** Each sender without and with the table, from the same run. */
function tableComparison(get: (id: string) => Figures, of: (value: number | undefined) => number): string[] {
  const lines = [
    '| function | `IDEMPOTENCY_TABLE` | cold start median (best run), ms | cold ×unset | warm median | warm p99 | warm − unset | warm CPU per invocation | CPU − unset | peak RSS |',
    `|${'---|'.repeat(10)}`,
  ];
  for (const name of SENDER_FUNCTIONS) {
    const unset = get(`${name}:pack`);
    const limit = RECIPIENT_LIMIT[name];
    const rows = [
      ['unset: no DynamoDB call', unset],
      ['set: claim, counter, done mark (3 calls)', get(`${name}:pack-idempotent`)],
      [`set, \`${limit}=off\`: claim and done mark (2 calls)`, get(`${name}:pack-claim-done`)],
    ] as const;
    for (const [label, figure] of rows) {
      const isUnset = figure === unset;
      lines.push(
        `| ${isUnset ? TRIGGER[name] : ''} | ${label} | ${ms(of(figure.cold?.median))} (${ms(of(figure.coldBest))}) | ${
          isUnset ? '' : preciseRatio(of(figure.cold?.median) / of(unset.cold?.median))
        } | ${us(of(figure.warm?.median))} | ${us(of(figure.warm?.p99))} | ${
          isUnset ? '' : signedUs(of(figure.warm?.median) - of(unset.warm?.median))
        } | ${us(of(figure.warm?.cpuPerInvocation))} | ${
          isUnset ? '' : signedUs(of(figure.warm?.cpuPerInvocation) - of(unset.warm?.cpuPerInvocation))
        } | ${mib(of(figure.rssKib))} |`,
      );
    }
  }
  return lines;
}

function targetList(get: (id: string) => Figures, of: (value: number | undefined) => number): string[] {
  const lines: string[] = [];
  const check = (label: string, met: boolean, measured: string) =>
    lines.push(`- ${met ? 'met' : '**not met**'}: ${label} (measured ${measured})`);
  const cm = get('custom-message:pack');
  const cmBase = get('custom-message:baseline');
  const best = (figure: Figures) => `; best runs ${ms(of(figure.coldBest))}`;
  check(
    `CustomMessage cold start over \`node -e 0\` ≤ ${CUSTOM_MESSAGE_COLD.maxOverNodeMs} ms`,
    of(cm.cold?.median) <= CUSTOM_MESSAGE_COLD.maxOverNodeMs,
    `${ms(of(cm.cold?.median))}${best(cm)}`,
  );
  const speedup = of(cmBase.cold?.median) / of(cm.cold?.median);
  const bestSpeedup = of(cmBase.coldBest) / of(cm.coldBest);
  check(
    `CustomMessage cold start ≥ ${CUSTOM_MESSAGE_COLD.minSpeedupOverBaseline}× faster than the baseline`,
    speedup >= CUSTOM_MESSAGE_COLD.minSpeedupOverBaseline,
    `${preciseRatio(speedup)} faster; best runs ${preciseRatio(bestSpeedup)}`,
  );
  check('CustomMessage warm median ≤ 50 µs', of(cm.warm?.median) <= 50, us(of(cm.warm?.median)));
  const floor = of(get('floor').warm?.median);
  for (const name of SENDER_FUNCTIONS) {
    const pack = get(`${name}:pack`);
    const coldRatio = of(pack.cold?.median) / of(get(`${name}:baseline`).cold?.median);
    const bestRatio = of(pack.coldBest) / of(get(`${name}:baseline`).coldBest);
    check(
      `${TRIGGER[name]} cold start over \`node -e 0\` ≤ 0.5× the baseline's`,
      coldRatio <= 0.5,
      `${preciseRatio(coldRatio)}; best runs ${preciseRatio(bestRatio)}`,
    );
    const floorRatio = of(pack.warm?.median) / floor;
    check(`${TRIGGER[name]} warm median ≤ 2× the floor`, floorRatio <= 2, preciseRatio(floorRatio));
  }
  for (const name of FUNCTIONS) {
    const raw = of(get(`${name}:pack`).size?.raw);
    const budget = SIZE_BUDGETS[name].raw;
    check(`bundle ${name} ≤ ${bytes(budget)} raw`, raw <= budget, bytes(raw));
  }
  for (const name of SENDER_FUNCTIONS) {
    const unset = get(`${name}:pack`);
    const table = get(`${name}:pack-claim-done`);
    const coldRatio = of(table.cold?.median) / of(unset.cold?.median);
    check(
      `${TRIGGER[name]} cold start with the claim and the done mark ≤ 1.15× without the table`,
      coldRatio <= 1.15,
      `${preciseRatio(coldRatio)}; best runs ${preciseRatio(of(table.coldBest) / of(unset.coldBest))}`,
    );
    const added = of(table.warm?.median) - of(unset.warm?.median);
    check(
      `${TRIGGER[name]} warm median with the claim and the done mark ≤ 0.6 ms above without the table`,
      added <= 600,
      `${signedUs(added)}; with the default counter too ${signedUs(of(get(`${name}:pack-idempotent`).warm?.median) - of(unset.warm?.median))}; CPU per invocation ${signedUs(of(table.warm?.cpuPerInvocation) - of(unset.warm?.cpuPerInvocation))}`,
    );
  }
  return lines;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
