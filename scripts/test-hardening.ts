/**
 * `npm run test:hardening`: runs the hardening suite (vitest.hardening.config.ts,
 * test/hardening/) and prints one summary of the figures its files write under
 * test-output/hardening/figures/. Exits non-zero on any failed test, any
 * violation, or a figure under the CI minimums. Arguments go to vitest (a file
 * filter runs part of the suite; the minimums are then not checked).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'test-output', 'hardening');
const figuresDir = join(output, 'figures');

interface Figure {
  group: 'fuzz' | 'tamper' | 'faults' | 'concurrency';
  label: string;
  cases: number;
  held: number;
  notes: string[];
}

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

const filters = process.argv.slice(2);
rmSync(output, { recursive: true, force: true });
const started = Date.now();
const vitest = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'vitest.hardening.config.ts', ...filters],
  { cwd: root, stdio: 'inherit' },
);
const wall = Math.round((Date.now() - started) / 1000);

const byFile = new Map<string, Figure[]>();
if (existsSync(figuresDir)) {
  for (const file of readdirSync(figuresDir).filter((name) => name.endsWith('.json'))) {
    byFile.set(basename(file, '.json'), readJson<Figure[]>(join(figuresDir, file)) ?? []);
  }
}
const figures = [...byFile.values()].flat();
const results = readJson<VitestResults>(join(output, 'vitest-results.json'));

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
if (vitest.status !== 0 && failures.length === 0) problems.push(`vitest exited with ${vitest.status ?? vitest.signal}`);
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
console.log(out.join('\n'));
process.exitCode = vitest.status === 0 && violations === 0 && problems.length === 0 ? 0 : 1;
