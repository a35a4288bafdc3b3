/**
 * `npm run bench -- --profile`: where the senders spend CPU. Warm: V8's
 * sampling profiler over the timed invocations of one process. Cold: `node
 * --cpu-prof` over whole processes (start, load, first invocation), summed
 * over several runs. Self time is mapped through the bundles' source maps to
 * the original package or file. Writes bench/profile.md.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { us } from './lib/format.js';
import { assertCalls, invokeJob, runJob } from './lib/processes.js';
import { type ProfileSummary, summariseProfile } from './lib/profile.js';
import { FUNCTIONS, type Setup, subject } from './lib/setup.js';
import { median } from './lib/stats.js';

export function profileReport(setup: Setup): string {
  const { workDir, harness, env, bundles, plan } = setup;
  const maps = new Map(FUNCTIONS.map((name) => [setup.bundles[name], `${bundles[name]}.map`]));
  const jobPath = join(workDir, 'job.json');
  const sections = [
    '## Where the senders spend CPU',
    '',
    `${setup.machine}. Network answered in process (bench/harness/instant-aws). Self time by original package or file (through the bundles' source maps); "(native)" is C++ called from JavaScript, mostly OpenSSL.`,
    '',
  ];

  for (const id of ['custom-email-sender:pack', 'custom-sms-sender:pack', 'floor']) {
    const target = subject(setup, id);
    const profile = join(workDir, `${id.replace(':', '-')}.cpuprofile`);
    const job = invokeJob(target, workDir, { ...plan, profile });
    const { result } = runJob(harness, job, jobPath, env);
    assertCalls(`${id} profile`, result.stats, target.calls, result.invocations);
    const summary = summariseProfile(profile, maps);
    sections.push(
      `### Warm: ${id}`,
      '',
      `${plan.iterations.toLocaleString('en')} invocations after ${plan.warmup} warm-up ones, sampled every 100 µs. Median ${us(median(result.samplesUs))} per invocation while profiled.`,
      '',
      ...summaryTables(summary, plan.iterations, 'per invocation', (ms) => us(ms * 1_000)),
    );
  }

  const coldRuns = Math.max(3, Math.min(plan.coldRuns, 8));
  for (const id of ['custom-sms-sender:pack', 'custom-sms-sender:baseline']) {
    const target = subject(setup, id);
    const dir = join(workDir, `cold-${id.replace(':', '-')}`);
    mkdirSync(dir, { recursive: true });
    for (let run = 0; run < coldRuns; run += 1) {
      const { result } = runJob(harness, invokeJob(target, workDir), jobPath, env, [
        '--cpu-prof',
        '--cpu-prof-interval',
        '100',
        '--cpu-prof-dir',
        dir,
      ]);
      assertCalls(`${id} cold profile`, result.stats, target.calls, result.invocations);
    }
    const summary = mergeSummaries(readdirSync(dir).map((file) => summariseProfile(join(dir, file), maps)));
    sections.push(
      `### Cold: ${id}`,
      '',
      `Whole process (Node's start-up, loading, first invocation), ${coldRuns} runs, mean per run.`,
      '',
      ...summaryTables(summary, coldRuns, 'per cold start', (ms) => `${ms.toFixed(1)} ms`),
    );
  }
  return sections.join('\n');
}

function summaryTables(
  summary: ProfileSummary,
  divisor: number,
  unit: string,
  format: (ms: number) => string,
): string[] {
  const busy = summary.byGroup.filter(({ group }) => group !== '(idle)').reduce((sum, { ms }) => sum + ms, 0);
  return [
    `CPU (not idle): ${format(busy / divisor)} ${unit}.`,
    '',
    `| package or file | self time ${unit} | share |`,
    '|---|---|---|',
    ...summary.byGroup
      .filter(({ group }) => group !== '(idle)')
      .slice(0, 15)
      .map(({ group, ms }) => `| ${group} | ${format(ms / divisor)} | ${((100 * ms) / busy).toFixed(1)} % |`),
    '',
    `| function (original source) | self time ${unit} |`,
    '|---|---|',
    ...summary.byFunction
      .filter(({ where }) => where !== '(idle)')
      .slice(0, 20)
      .map(({ where, ms }) => `| \`${where}\` | ${format(ms / divisor)} |`),
    '',
  ];
}

function mergeSummaries(summaries: readonly ProfileSummary[]): ProfileSummary {
  const add = <K extends string>(lists: Array<Array<Record<K, string> & { ms: number }>>, key: K) => {
    const totals = new Map<string, number>();
    for (const list of lists)
      for (const entry of list) totals.set(entry[key], (totals.get(entry[key]) ?? 0) + entry.ms);
    return [...totals].sort((a, b) => b[1] - a[1]);
  };
  return {
    totalMs: summaries.reduce((sum, summary) => sum + summary.totalMs, 0),
    byGroup: add(
      summaries.map((summary) => summary.byGroup),
      'group',
    ).map(([group, ms]) => ({ group, ms })),
    byFunction: add(
      summaries.map((summary) => summary.byFunction),
      'where',
    ).map(([where, ms]) => ({ where, ms })),
  };
}
