/**
 * `npx tsx bench/experiments/custom-message-cold.ts [runs]`: the shipped
 * set's CustomMessage cold start, the built bundle (the pack's files beside
 * it) against the same runtime with the whole pack embedded (generated/pack.js,
 * as the bundles carried it before pack-files/) and against the baseline,
 * all alternating with `node -e 0` round by round as `npm run bench` does.
 * Prints a markdown table; writes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { GENERATED_DIR, handlerBuildOptions } from '../../src/authoring/build.js';
import { msSpread, preciseRatio } from '../lib/format.js';
import { assertCalls, invokeJob, runJob, timeNode } from '../lib/processes.js';
import { NO_CALLS, planFor, prepare } from '../lib/setup.js';
import { type Spread, spread } from '../lib/stats.js';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(benchDir, '..');

/** The CustomMessage bundle with the whole pack embedded, as before pack-files/. */
async function embeddedBundle(outDir: string): Promise<string> {
  const options = handlerBuildOptions(outDir);
  await build({
    ...options,
    entryPoints: { 'custom-message': join(root, 'handlers', 'custom-message.ts') },
    absWorkingDir: root,
    metafile: false,
    plugins: [
      ...(options.plugins ?? []),
      {
        name: 'embed-whole-pack',
        setup(pluginBuild) {
          pluginBuild.onLoad({ filter: /[\\/]render[\\/]embedded-pack\.ts$/ }, () => ({
            contents: `import { pack } from ${JSON.stringify(join(GENERATED_DIR, 'pack.js'))};\nexport const embeddedPack = pack;\n`,
            loader: 'ts',
            resolveDir: join(root, 'src', 'runtime', 'render'),
          }));
        },
      },
    ],
  });
  return join(outDir, 'custom-message.js');
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 30);
  const workDir = mkdtempSync(join(tmpdir(), 'cognito-bench-cm-'));
  try {
    const setup = await prepare(root, benchDir, workDir, planFor(false));
    const { harness, env, fixtures } = setup;
    const subjects = [
      { id: 'pack (pack-files/ beside the bundle)', module: setup.bundles['custom-message'] },
      { id: 'pack embedded whole (before)', module: await embeddedBundle(join(workDir, 'embedded')) },
      { id: 'baseline (AWS-sample style)', module: join(benchDir, 'baseline', 'custom-message.cjs') },
    ];
    const jobPath = join(workDir, 'job.json');
    const over = new Map<string, number[]>();
    const fastest = new Map<string, number>();
    const nodeWalls: number[] = [];
    const order = [null, ...subjects];
    for (let round = 0; round < runs; round += 1) {
      let nodeWall = Number.NaN;
      const walls = new Map<string, number>();
      for (let i = 0; i < order.length; i += 1) {
        const current = order[(i + round) % order.length];
        if (!current) {
          nodeWall = timeNode(['-e', '0'], env);
          continue;
        }
        const job = invokeJob({ module: current.module, events: fixtures.customMessage }, workDir);
        const { wallMs, result } = runJob(harness, job, jobPath, env);
        assertCalls(current.id, result.stats, NO_CALLS, result.invocations);
        if (!JSON.stringify(result.firstResult).includes('{####}')) throw new Error(`${current.id}: no message`);
        walls.set(current.id, wallMs);
      }
      nodeWalls.push(nodeWall);
      for (const [id, wall] of walls) {
        over.set(id, [...(over.get(id) ?? []), wall - nodeWall]);
        fastest.set(id, Math.min(fastest.get(id) ?? Number.POSITIVE_INFINITY, wall));
      }
    }
    const minNode = Math.min(...nodeWalls);
    const figures = new Map<string, { cold: Spread; best: number }>(
      subjects.map(({ id }) => [
        id,
        { cold: spread(over.get(id) ?? []), best: (fastest.get(id) ?? Number.NaN) - minNode },
      ]),
    );
    const baseline = figures.get('baseline (AWS-sample style)');
    const lines = [
      `${setup.machine}; ${runs} rounds; \`node -e 0\` median ${spread(nodeWalls).median.toFixed(1)} ms.`,
      '',
      '| CustomMessage, shipped set | cold start over `node -e 0`: median (IQR; best run), ms | baseline ÷ this (best runs) |',
      '|---|---|---|',
    ];
    for (const [id, { cold, best }] of figures) {
      const speedup = baseline
        ? `${preciseRatio(baseline.cold.median / cold.median)} (${preciseRatio(baseline.best / best)})`
        : '';
      lines.push(`| ${id} | ${msSpread(cold, best)} | ${id.startsWith('baseline') ? '' : speedup} |`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
