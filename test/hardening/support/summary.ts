/**
 * The one summary of a hardening run (npm run test:hardening, scripts/test-hardening.ts):
 * adds up the figures each test file wrote under test-output/hardening/figures/
 * and vitest's JSON results, and holds a full run to the CI minimums.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FIGURES_DIR, type Figure, HARDENING_OUTPUT } from './figures.js';

interface VitestResults {
  numFailedTests: number;
  numTotalTests: number;
  testResults: Array<{ name: string; assertionResults: Array<{ status: string; fullName: string }> }>;
}

/** The files a full run must report, and what each must reach. */
const MINIMUMS: Record<string, (figures: Figure[]) => string | null> = {
  'fuzz-custom-message': (f) => atLeast(f, 'CustomMessage handler', 20_000),
  'fuzz-email-sender': (f) => atLeast(f, 'CustomEmailSender handler', 20_000),
  'fuzz-sms-sender': (f) => atLeast(f, 'CustomSMSSender handler', 20_000),
  tamper: (f) =>
    f.some((x) => x.label.startsWith('single-bit flips') && x.cases >= 4_000) ? null : 'fewer than 4,000 bit flips',
  'faults-mocked': (f) => (f.some((x) => x.cases >= 16) ? null : 'fewer than 16 client-boundary faults'),
  'faults-network': (f) => (f.some((x) => x.cases >= 24) ? null : 'fewer than 24 real-network faults'),
  concurrency: (f) => (f.some((x) => x.cases >= 10_000) ? null : 'fewer than 10,000 concurrent invocations'),
  burst: (f) => (f.some((x) => x.cases >= 2_000) ? null : 'fewer than 2,000 burst events'),
};

function atLeast(figures: Figure[], label: string, cases: number): string | null {
  const figure = figures.find((f) => f.label === label);
  if (!figure) return `no figure for ${label}`;
  // A run stopped by a failure is reported as that failure, not as too few cases.
  if (figure.held < figure.cases || figure.cases >= cases) return null;
  return `${label}: ${count(figure.cases)} cases, CI needs ${count(cases)} (FUZZ_RUNS)`;
}

const count = (n: number) => n.toLocaleString('en-US');

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

export interface HardeningRun {
  /** The vitest file filters given; a filtered run is not held to the minimums. */
  filters: string[];
  wallSeconds: number;
  /** vitest's exit status, or a signal name. */
  vitestStatus: number | string | null;
}

/** The printed summary and whether the run passes: no failed test, no violation, every minimum met. */
export function summarizeHardening({ filters, wallSeconds: wall, vitestStatus }: HardeningRun): {
  text: string;
  ok: boolean;
} {
  const byFile = new Map<string, Figure[]>();
  if (existsSync(FIGURES_DIR)) {
    for (const file of readdirSync(FIGURES_DIR).filter((name) => name.endsWith('.json'))) {
      byFile.set(basename(file, '.json'), readJson<Figure[]>(join(FIGURES_DIR, file)) ?? []);
    }
  }
  const figures = [...byFile.values()].flat();
  const results = readJson<VitestResults>(join(HARDENING_OUTPUT, 'vitest-results.json'));

  // A violation is a case whose properties did not all hold; a failed test that recorded no
  // such case (it crashed, or checks something the figures do not count) counts once.
  let violations = figures.reduce((sum, f) => sum + (f.cases - f.held), 0);
  const failures: string[] = [];
  for (const file of results?.testResults ?? []) {
    const failed = file.assertionResults.filter((a) => a.status === 'failed');
    if (failed.length === 0) continue;
    const name = basename(file.name, '.test.ts');
    const shortfall = (byFile.get(name) ?? []).reduce((sum, f) => sum + (f.cases - f.held), 0);
    if (shortfall === 0) violations += failed.length;
    failures.push(...failed.map((a) => `${name}: ${a.fullName}`));
  }
  const problems: string[] = [];
  if (vitestStatus !== 0 && failures.length === 0) problems.push(`vitest exited with ${vitestStatus}`);
  if (filters.length === 0) {
    for (const [file, check] of Object.entries(MINIMUMS)) {
      const own = byFile.get(file);
      const problem = own ? check(own) : `${file} recorded no figures`;
      if (problem) problems.push(problem);
    }
  }

  const group = (name: Figure['group']) => figures.filter((f) => f.group === name);
  const sum = (list: Figure[], key: 'cases' | 'held') => list.reduce((total, f) => total + f[key], 0);
  const line = (label: string, list: Figure[], verb: string) =>
    `${label.padEnd(34)}${count(sum(list, 'held')).padStart(8)} ${verb} of ${count(sum(list, 'cases'))}`;

  const rule = '='.repeat(78);
  const out = [
    '',
    rule,
    'Hardening summary (npm run test:hardening)',
    rule,
    line('fuzz cases run', group('fuzz'), 'held'),
    ...group('fuzz').map((f) => `  ${f.label}: ${count(f.cases)}`),
    line('tamper variants rejected', group('tamper'), 'rejected'),
    ...group('tamper').map((f) => `  ${f.label}: ${count(f.held)} of ${count(f.cases)}`),
    line('faults injected and survived', group('faults'), 'survived'),
    ...group('faults').map((f) => `  ${f.label}: ${count(f.held)} of ${count(f.cases)}`),
    line('concurrent invocations checked', group('concurrency'), 'clean'),
    line('burst events delivered exactly once', group('burst'), 'once'),
    ...group('burst').flatMap((f) => (f.headline ? [`  ${f.headline}`] : [])),
    `violations: ${violations}`,
    `wall time: ${Math.floor(wall / 60)}m ${wall % 60}s`,
    '-'.repeat(78),
    ...figures.flatMap((f) => [`${f.label} (${count(f.held)}/${count(f.cases)})`, ...f.notes.map((n) => `  - ${n}`)]),
    ...(failures.length > 0
      ? ['-'.repeat(78), 'failed tests (counterexamples above):', ...failures.map((f) => `  ${f}`)]
      : []),
    ...(problems.length > 0 ? ['-'.repeat(78), ...problems.map((p) => `NOT MET: ${p}`)] : []),
    ...(filters.length > 0 ? ['(partial run: CI minimums not checked)'] : []),
    rule,
  ];
  return { text: out.join('\n'), ok: vitestStatus === 0 && violations === 0 && problems.length === 0 };
}
