/**
 * The benchmark's child process: `node -r instant-aws.js invoke.js job.json`.
 * Loads one handler module as Lambda would (a plain require), invokes it,
 * and writes what it measured to the job's `out` file. A cold job exits
 * right after the first invocation so the parent's wall clock covers
 * exactly process start, module load and one invocation.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type InstantAwsStats, type InvokeJob, type InvokeResult, STATS_KEY } from './protocol.js';

type Handler = (event: unknown, context: { awsRequestId: string }) => Promise<unknown>;

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as InvokeJob;
  const stats = (globalThis as Record<symbol, unknown>)[STATS_KEY] as InstantAwsStats | undefined;
  if (!stats) throw new Error('instant-aws is not preloaded: run with node -r instant-aws.js');

  let handler: Handler = async () => undefined;
  if (job.module) {
    const loaded = require(job.module) as { handler?: Handler };
    if (typeof loaded.handler !== 'function') throw new Error(`${job.module} exports no handler`);
    handler = loaded.handler;
  }
  const events = job.events.length > 0 ? job.events : [{}];
  const context = { awsRequestId: 'bench-request' };
  const firstResult = await handler(events[0], context);
  const firstInvocationDoneMs = performance.now();
  const maxRssKib = process.resourceUsage().maxRSS;
  let invocations = 1;

  const samplesUs: number[] = [];
  let cpuUsPerInvocation: number | null = null;
  if (job.mode === 'warm') {
    for (let i = 0; i < job.warmup; i += 1) await handler(events[invocations++ % events.length], context);
    const stopProfile = job.profile ? await startProfile() : null;
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < job.iterations; i += 1) {
      const event = events[invocations++ % events.length];
      const start = process.hrtime.bigint();
      await handler(event, context);
      samplesUs.push(Number(process.hrtime.bigint() - start) / 1_000);
    }
    const cpu = process.cpuUsage(cpuBefore);
    cpuUsPerInvocation = job.iterations > 0 ? (cpu.user + cpu.system) / job.iterations : null;
    if (stopProfile && job.profile) writeFileSync(job.profile, await stopProfile());
  }

  const result: InvokeResult = {
    firstInvocationDoneMs,
    maxRssKib,
    firstResult: firstResult ?? null,
    samplesUs,
    cpuUsPerInvocation,
    invocations,
    stats,
    loadedFiles: Object.keys(require.cache),
  };
  writeFileSync(job.out, JSON.stringify(result));
}

/** Starts V8's sampling profiler (as `node --cpu-prof` does) and returns a function that stops it. */
async function startProfile(): Promise<() => Promise<string>> {
  // Loaded only when profiling, so cold processes do not pay for it.
  const { Session } = require('node:inspector') as typeof import('node:inspector');
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    return JSON.stringify(profile);
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
