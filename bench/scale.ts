/**
 * `npm run bench -- --scale`: how each function's cost grows with the
 * template set. Generates sets of 7×2 up to 50×100 locales × brands
 * (bench/lib/template-sets.ts), builds each as `cognito-trigger-pack build`
 * does, then measures every function of every set: what it ships (bundle,
 * files, zip), cold start (fresh processes, every set and function
 * alternating round by round, each run minus its round's `node -e 0`),
 * warm invocation and peak RSS. Every invocation renders the same message
 * (French, the northwind brand), which every set holds. Writes
 * bench/scale.md and the plot docs/scale-cold-start.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_ZIP_BYTES, SCALE_COLD_RATIO } from '../src/authoring/budgets.js';
import { bundle, generatePack, type PackLayout, shippedFiles } from '../src/authoring/build.js';
import { FUNCTIONS, type FunctionName, TRIGGER } from '../src/authoring/functions.js';
import { bytes, mib, ms, msSpread, preciseRatio, us } from './lib/format.js';
import { assertCalls, type ExpectedCalls, invokeJob, runJob, timeNode } from './lib/processes.js';
import { EMAIL_CALLS, NO_CALLS, type Setup, SMS_CALLS } from './lib/setup.js';
import { measureFiles, type Size } from './lib/sizes.js';
import { median, quantile, type Spread, spread } from './lib/stats.js';
import { type SetSize, setLabel, writeTemplateSet } from './lib/template-sets.js';

/** The sets the issue names; the first is the shipped one, which every other is compared with. */
export const SCALE_SETS: readonly SetSize[] = [
  { locales: 7, brands: 2 },
  { locales: 20, brands: 5 },
  { locales: 50, brands: 10 },
  { locales: 50, brands: 30 },
  { locales: 50, brands: 100 },
];

/** What every invocation asks for: a locale and a brand every set holds, neither of them the defaults. */
const CHOICE = { locale: 'fr', brand: 'northwind' } as const;

interface ScaleSubject {
  set: SetSize;
  name: FunctionName;
  module: string;
  files: string[];
  events: unknown[];
  calls: ExpectedCalls;
}

interface ScaleFigures {
  size: Size;
  bundleRaw: number;
  cold: Spread;
  coldBest: number;
  warm: { median: number; p99: number };
  rssKib: number;
}

const keyOf = (set: SetSize, name: FunctionName) => `${setLabel(set)} ${name}`;

/** Each event with the locale and brand chosen in clientMetadata, as an app would pass them. */
function choosing<T>(events: readonly T[]): T[] {
  return events.map((event) => {
    const copy = structuredClone(event) as { request: { clientMetadata?: unknown } };
    copy.request.clientMetadata = { ...CHOICE };
    return copy as T;
  });
}

/** `--layout inline` (or `inline-json`) measures the pack kept in the bundle instead of beside it (src/authoring/build.ts). */
function layoutArgument(argv: readonly string[]): PackLayout {
  const value = argv[argv.indexOf('--layout') + 1];
  if (!argv.includes('--layout')) return 'files';
  if (value === 'files' || value === 'inline' || value === 'inline-json') return value;
  throw new Error(`--layout is ${JSON.stringify(value)}; use files, inline or inline-json`);
}

/** The report's name: bench/scale.md for the shipped layout, bench/scale-<layout>.md for the others. */
export function scaleReportName(argv: readonly string[] = process.argv): string {
  const layout = layoutArgument(argv);
  return layout === 'files' ? 'scale' : `scale-${layout}`;
}

export async function scaleReport(setup: Setup, argv: readonly string[] = process.argv): Promise<string> {
  const { root, workDir, harness, fixtures, env, plan } = setup;
  const layout = layoutArgument(argv);
  const events: Record<FunctionName, { events: unknown[]; calls: ExpectedCalls }> = {
    'custom-message': { events: choosing(fixtures.customMessage), calls: NO_CALLS },
    'custom-email-sender': { events: choosing(fixtures.email.events), calls: EMAIL_CALLS },
    'custom-sms-sender': { events: choosing(fixtures.sms.events), calls: SMS_CALLS },
  };

  // 1. Build every set first, so nothing is measured while esbuild runs.
  const subjects: ScaleSubject[] = [];
  const buildMs = new Map<string, number>();
  for (const set of SCALE_SETS) {
    const dir = join(workDir, 'scale', setLabel(set).replace('×', 'x'));
    const templates = join(dir, 'templates');
    mkdirSync(templates, { recursive: true });
    writeTemplateSet(join(root, 'templates'), templates, set);
    const started = performance.now();
    generatePack(templates, join(dir, 'generated'), undefined, layout);
    await bundle(join(dir, 'dist'), join(dir, 'generated'));
    buildMs.set(setLabel(set), performance.now() - started);
    for (const name of FUNCTIONS) {
      const files = shippedFiles(join(dir, 'dist'), name);
      subjects.push({ set, name, module: join(dir, 'dist', `${name}.js`), files, ...events[name] });
    }
  }
  process.stderr.write(`scale: built ${SCALE_SETS.length} sets; measuring\n`);

  // 2. Cold start: every subject and `node -e 0` in each round, the order rotating round by round.
  const jobPath = join(workDir, 'scale-job.json');
  const over = new Map<string, number[]>();
  const fastest = new Map<string, number>();
  const rss = new Map<string, number[]>();
  const nodeWalls: number[] = [];
  const order: Array<ScaleSubject | null> = [null, ...subjects];
  const rounds = plan.quick ? plan.coldRuns : 20;
  for (let round = 0; round < rounds; round += 1) {
    let nodeWall = Number.NaN;
    const walls = new Map<string, number>();
    for (let i = 0; i < order.length; i += 1) {
      const current = order[(i + round * 5) % order.length];
      if (!current) {
        nodeWall = timeNode(['-e', '0'], env);
        continue;
      }
      const key = keyOf(current.set, current.name);
      const { wallMs, result } = runJob(harness, invokeJob(current, workDir), jobPath, env);
      assertCalls(`${key} cold`, result.stats, current.calls, result.invocations);
      checkChoice(key, current.name, result.firstResult, result.stats.lastSendEmail, result.stats.lastPublish);
      walls.set(key, wallMs);
      rss.set(key, [...(rss.get(key) ?? []), result.maxRssKib]);
    }
    nodeWalls.push(nodeWall);
    for (const [key, wall] of walls) {
      over.set(key, [...(over.get(key) ?? []), wall - nodeWall]);
      fastest.set(key, Math.min(fastest.get(key) ?? Number.POSITIVE_INFINITY, wall));
    }
  }

  // 3. Warm: one process per subject and pass, later passes in reverse order.
  const samples = new Map<string, number[]>();
  const warmPlan = plan.quick ? plan : { ...plan, warmup: 200, iterations: 1_000 };
  const passes = plan.quick ? 1 : 2;
  for (let pass = 0; pass < passes; pass += 1) {
    for (const current of pass % 2 === 0 ? subjects : [...subjects].reverse()) {
      const key = keyOf(current.set, current.name);
      const { result } = runJob(harness, invokeJob(current, workDir, warmPlan), jobPath, env);
      assertCalls(`${key} warm`, result.stats, current.calls, result.invocations);
      samples.set(key, [...(samples.get(key) ?? []), ...result.samplesUs]);
    }
  }

  const figures = new Map<string, ScaleFigures>();
  for (const current of subjects) {
    const key = keyOf(current.set, current.name);
    const warm = samples.get(key) ?? [];
    figures.set(key, {
      size: measureFiles(current.files, join(current.module, '..')),
      bundleRaw: measureFiles([current.module], join(current.module, '..')).raw,
      cold: spread(over.get(key) ?? []),
      coldBest: (fastest.get(key) ?? Number.NaN) - Math.min(...nodeWalls),
      warm: { median: median(warm), p99: quantile(warm, 0.99) },
      rssKib: median(rss.get(key) ?? []),
    });
  }
  const plot = coldStartPlot(figures);
  // The docs show the shipped layout's full run; any other run's plot stays beside its report.
  const plotFile =
    layout === 'files' && !plan.quick
      ? join(root, 'docs', 'scale-cold-start.svg')
      : join(setup.benchDir, `${scaleReportName(argv)}${plan.quick ? '-quick' : ''}.svg`);
  writeFileSync(plotFile, plot);
  return renderScale(setup, layout, figures, buildMs, median(nodeWalls), rounds, warmPlan.iterations * passes);
}

/** Every invocation must have rendered the chosen locale and brand, or the sets are not compared on the same work. */
function checkChoice(
  key: string,
  name: FunctionName,
  firstResult: unknown,
  email: Record<string, string> | null,
  sms: Record<string, string> | null,
): void {
  const text =
    name === 'custom-message'
      ? JSON.stringify((firstResult as { response?: unknown } | null)?.response ?? null)
      : JSON.stringify(name === 'custom-email-sender' ? email : sms);
  // northwind's French sign-up heading (templates/brands/northwind/fr/messages.json), or its SMS sender's name.
  const expected = name === 'custom-sms-sender' ? 'Northwind' : 'Bienvenue à bord';
  if (!text.includes(expected))
    throw new Error(`${key}: did not render northwind's French message: ${text.slice(0, 300)}`);
}

const base = SCALE_SETS[0] as SetSize;

function renderScale(
  setup: Setup,
  layout: PackLayout,
  figures: ReadonlyMap<string, ScaleFigures>,
  buildMs: ReadonlyMap<string, number>,
  nodeMedian: number,
  rounds: number,
  warmSamples: number,
): string {
  const get = (set: SetSize, name: FunctionName): ScaleFigures => {
    const figure = figures.get(keyOf(set, name));
    if (!figure) throw new Error(`no figures for ${keyOf(set, name)}`);
    return figure;
  };
  const lines = [
    '| set (locales × brands) | function | bundle raw | shipped files | zip | cold start over `node -e 0`: median (IQR; best run) | cold ×7×2 (best runs) | warm median | warm p99 | warm ×7×2 | peak RSS |',
    `|${'---|'.repeat(11)}`,
  ];
  for (const set of SCALE_SETS) {
    for (const name of FUNCTIONS) {
      const figure = get(set, name);
      const reference = get(base, name);
      const isBase = set === base;
      lines.push(
        `| ${name === FUNCTIONS[0] ? setLabel(set) : ''} | ${TRIGGER[name]} | ${bytes(figure.bundleRaw)} | ${figure.size.files} | ${bytes(figure.size.zip)} | ${msSpread(figure.cold, figure.coldBest)} | ${
          isBase
            ? ''
            : `${preciseRatio(figure.cold.median / reference.cold.median)} (${preciseRatio(figure.coldBest / reference.coldBest)})`
        } | ${us(figure.warm.median)} | ${us(figure.warm.p99)} | ${isBase ? '' : preciseRatio(figure.warm.median / reference.warm.median)} | ${mib(figure.rssKib)} |`,
      );
    }
  }
  const targets: string[] = [];
  const check = (label: string, met: boolean, measured: string) =>
    targets.push(`- ${met ? 'met' : '**not met**'}: ${label} (measured ${measured})`);
  for (const { locales, brands, max } of SCALE_COLD_RATIO) {
    const set = SCALE_SETS.find((candidate) => candidate.locales === locales && candidate.brands === brands);
    if (!set) continue;
    for (const name of FUNCTIONS) {
      const value = get(set, name).cold.median / get(base, name).cold.median;
      const best = get(set, name).coldBest / get(base, name).coldBest;
      check(
        `${TRIGGER[name]} cold start at ${setLabel(set)} ≤ ${max}× the 7×2 set's`,
        value <= max,
        `${preciseRatio(value)}; best runs ${preciseRatio(best)}`,
      );
    }
  }
  const largest = SCALE_SETS[SCALE_SETS.length - 1] as SetSize;
  for (const name of FUNCTIONS) {
    const { zip } = get(largest, name).size;
    check(`${TRIGGER[name]} zip at ${setLabel(largest)} ≤ ${bytes(MAX_ZIP_BYTES)}`, zip <= MAX_ZIP_BYTES, bytes(zip));
  }
  const builds = SCALE_SETS.map((set) => `${setLabel(set)} ${ms(buildMs.get(setLabel(set)) ?? Number.NaN)}`).join(', ');
  return [
    `## Scale${setup.plan.quick ? ' (quick run: too few samples to compare)' : ''}${layout === 'files' ? '' : ` (pack layout \`${layout}\`)`}`,
    '',
    `${setup.machine}. Template sets generated by bench/lib/template-sets.ts: the shipped locales and brands, then locales made from the shipped catalogs with every string varied, and brands each overriding two strings in every locale (every tenth one a partial too). Every invocation renders the same French northwind message. Cold: ${rounds} runs of each set and function, all alternating round by round, each minus its round's \`node -e 0\` (median ${ms(nodeMedian)}); best run: the fastest run minus the fastest \`node -e 0\`. ×7×2 compares with the shipped set in the same run. Warm: ${warmSamples.toLocaleString('en')} timed invocations per row. Zip: the bundle and the pack's files beside it, as the deployed .zip. Builds (generate and bundle): ${builds}.`,
    '',
    ...lines,
    '',
    `![Cold start against set size](${layout === 'files' ? '../docs/scale-cold-start.svg' : `scale-${layout}.svg`})`,
    '',
    '### Targets',
    '',
    ...targets,
    '',
  ].join('\n');
}

/** Cold start (median, IQR bar) against the number of locale × brand pairs, one line per function, as SVG. */
function coldStartPlot(figures: ReadonlyMap<string, ScaleFigures>): string {
  const width = 720;
  const height = 420;
  const margin = { left: 70, right: 190, top: 40, bottom: 60 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const pairs = SCALE_SETS.map((set) => set.locales * set.brands);
  const logMin = Math.log10(Math.min(...pairs));
  const logMax = Math.log10(Math.max(...pairs));
  const x = (value: number) => margin.left + ((Math.log10(value) - logMin) / (logMax - logMin)) * plotW;
  const values = [...figures.values()].map((figure) => figure.cold.p75);
  const top = Math.ceil(Math.max(...values, 1) / 20) * 20;
  const y = (value: number) => margin.top + plotH - (Math.max(0, value) / top) * plotH;
  const colours: Record<FunctionName, string> = {
    'custom-message': '#2563eb',
    'custom-email-sender': '#0f766e',
    'custom-sms-sender': '#b45309',
  };
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Arial, Helvetica, sans-serif" font-size="12">`,
    '<title>Cold start over node -e 0 against template set size</title>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="22" font-size="14" font-weight="bold">Cold start over node -e 0 against template set size (median, IQR bars)</text>`,
  ];
  for (let tick = 0; tick <= top; tick += top / 5) {
    out.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#e5e7eb"/>`,
      `<text x="${margin.left - 8}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${tick.toFixed(0)} ms</text>`,
    );
  }
  for (const set of SCALE_SETS) {
    const px = x(set.locales * set.brands).toFixed(1);
    out.push(
      `<line x1="${px}" x2="${px}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#f3f4f6"/>`,
      `<text x="${px}" y="${margin.top + plotH + 18}" text-anchor="middle">${setLabel(set)}</text>`,
    );
  }
  out.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 16}" text-anchor="middle">locales × brands (log scale of the pairs)</text>`,
  );
  FUNCTIONS.forEach((name, index) => {
    const points = SCALE_SETS.map((set) => {
      const figure = figures.get(keyOf(set, name));
      return { px: x(set.locales * set.brands), figure };
    });
    const path = points
      .filter((point) => point.figure)
      .map((point, i) => `${i === 0 ? 'M' : 'L'}${point.px.toFixed(1)},${y(point.figure?.cold.median ?? 0).toFixed(1)}`)
      .join(' ');
    out.push(`<path d="${path}" fill="none" stroke="${colours[name]}" stroke-width="2"/>`);
    for (const { px, figure } of points) {
      if (!figure) continue;
      out.push(
        `<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${y(figure.cold.p25).toFixed(1)}" y2="${y(figure.cold.p75).toFixed(1)}" stroke="${colours[name]}" stroke-width="1"/>`,
        `<circle cx="${px.toFixed(1)}" cy="${y(figure.cold.median).toFixed(1)}" r="3.5" fill="${colours[name]}"/>`,
      );
    }
    const ly = margin.top + 10 + index * 20;
    out.push(
      `<line x1="${margin.left + plotW + 16}" x2="${margin.left + plotW + 36}" y1="${ly}" y2="${ly}" stroke="${colours[name]}" stroke-width="2"/>`,
      `<text x="${margin.left + plotW + 42}" y="${ly + 4}">${TRIGGER[name]}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
