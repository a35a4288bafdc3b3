/**
 * Reads a V8 .cpuprofile and adds up self time by original source file and
 * by function, mapping positions in a minified bundle back through its
 * source map (node:module's SourceMap), so the bundle's time can be told
 * apart by package: the Encryption SDK, the AWS SDK, our own src/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  byGroup: Array<{ group: string; ms: number }>;
  byFunction: Array<{ where: string; ms: number }>;
}

/** `bundles` maps a bundle's path to its source map file. */
export function summariseProfile(profilePath: string, bundles: ReadonlyMap<string, string>): ProfileSummary {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const maps = new Map<string, SourceMap>();
  for (const [bundle, mapFile] of bundles) {
    if (existsSync(mapFile)) {
      const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload);
      maps.set(bundle, map);
      maps.set(pathToFileURL(bundle).href, map);
    }
  }
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const id = profile.samples[i] as number;
    // timeDeltas[i] is the time before sample i; it belongs to the sample that was running, i - 1.
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    total += us;
    const { group, where } = locate(node.callFrame, maps);
    groups.set(group, (groups.get(group) ?? 0) + us);
    functions.set(where, (functions.get(where) ?? 0) + us);
  }
  const sorted = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).map(([key, us]) => ({ key, ms: us / 1_000 }));
  return {
    totalMs: total / 1_000,
    byGroup: sorted(groups).map(({ key, ms }) => ({ group: key, ms })),
    byFunction: sorted(functions).map(({ key, ms }) => ({ where: key, ms })),
  };
}

function locate(
  frame: ProfileNode['callFrame'],
  maps: ReadonlyMap<string, SourceMap>,
): { group: string; where: string } {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return { group: name.startsWith('(') ? name : '(native)', where: name };
  const map = maps.get(frame.url);
  if (!map) {
    const file = frame.url.replace(/^file:\/\//, '');
    return { group: groupOf(file), where: `${name} ${shortPath(file)}:${frame.lineNumber + 1}` };
  }
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as {
    originalSource?: string;
    originalLine?: number;
    name?: string;
  };
  const source = entry.originalSource ?? '(bundle)';
  const original = entry.name ?? name;
  return {
    group: groupOf(source),
    where: `${original} ${shortPath(source)}:${(entry.originalLine ?? 0) + 1}`,
  };
}

/** A package name for node_modules files, `src/…` for ours, `node:…` for Node's own modules. */
function groupOf(file: string): string {
  const harness = /\/harness\/([^/]+)$/.exec(file);
  if (harness?.[1]) return `bench harness (${harness[1]})`;
  if (file.startsWith('node:')) return `node: ${file.replace(/^node:(internal\/)?/, '').split('/')[0] ?? file}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg?.[1]) return pkg[1];
  const own = /(?:^|\/)(src|handlers|generated|scripts|bench)\/(.+)$/.exec(file);
  return own ? `${own[1]}/${own[2]}` : file;
}

function shortPath(file: string): string {
  const harness = /\/harness\/([^/]+)$/.exec(file);
  if (harness?.[1]) return `harness/${harness[1]}`;
  const pkg = /node_modules\/(.+)$/.exec(file);
  if (pkg?.[1]) return pkg[1].replace(/\/(build\/(main|module)\/)?src\//, '/').replace('/dist-cjs/', '/');
  const own = /(?:^|\/)((?:src|handlers|generated|scripts|bench)\/.+)$/.exec(file);
  return own?.[1] ?? file;
}
