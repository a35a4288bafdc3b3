/**
 * Offline helpers for test/deployment: run `serverless package` (osls) with no
 * AWS credentials, then read what it wrote the way CloudFormation would deploy
 * it: conditions evaluated, inactive resources dropped, `Fn::If` resolved.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OSLS = join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Resource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  Properties?: Record<string, Json>;
  [key: string]: Json | undefined;
}
export interface Template {
  Conditions?: Record<string, Json>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Condition?: string; Value: Json }>;
}
export interface Packaged {
  /** The update-stack template as written. */
  raw: Template;
  /** What CloudFormation would create: only active resources and outputs, `Fn::If` resolved. */
  active: Template;
  /** Each zip in the package directory: its byte size and the names it holds. */
  zips: Record<string, { bytes: number; entries: string[] }>;
  /** The package directory: the zips and both CloudFormation templates. */
  outDir: string;
}

export interface PackageRun {
  osls: string;
  serviceDir: string;
  outDir: string;
  home: string;
  stage: string;
  region: string;
  params: Record<string, string>;
  /**
   * Where osls keeps the configuration validator it compiles (about two thirds
   * of a run's CPU time when it has none); runs that share it compile it once.
   */
  schemaCache?: string;
}

/**
 * `serverless package` for one stage and set of params, with every AWS_*
 * variable removed and HOME pointed at an empty directory, so no credentials
 * or profile can be found: packaging must not need them.
 */
export async function packageService(options: PackageRun): Promise<Packaged> {
  const env: NodeJS.ProcessEnv = { HOME: options.home, PATH: process.env.PATH };
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_') && !(name in env)) env[name] = value;
  }
  if (options.schemaCache) env.SLS_SCHEMA_CACHE_BASE_DIR = options.schemaCache;
  const args = [options.osls, 'package', '--stage', options.stage, '--region', options.region];
  for (const [name, value] of Object.entries(options.params)) args.push('--param', `${name}=${value}`);
  args.push('--package', options.outDir);
  await run(process.execPath, args, { cwd: options.serviceDir, env, maxBuffer: 16 * 1024 * 1024 });
  const raw = JSON.parse(
    readFileSync(join(options.outDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  const zips: Packaged['zips'] = {};
  for (const name of readdirSync(options.outDir).filter((file) => file.endsWith('.zip'))) {
    const path = join(options.outDir, name);
    zips[name] = { bytes: statSync(path).size, entries: zipEntryNames(readFileSync(path)) };
  }
  return { raw, active: activeTemplate(raw, options.region), zips, outDir: options.outDir };
}

export interface ShapeRun {
  /** The folder each shape gets its own folder in. */
  work: string;
  /** Its own folder's name. */
  name: string;
  /** The bundles the functions ship (a dist/ folder). */
  dist: string;
  stage: string;
  region: string;
  params: Record<string, string>;
}

/**
 * This repository's serverless.yml packaged for one set of params, in a service
 * copy of its own (osls stages its artifacts in <service>/.serverless), so that
 * shapes can be packaged at the same time. Shapes of one `work` folder share
 * osls's compiled validator: the runs started after one has finished skip
 * compiling it.
 */
export function packageShape(shape: ShapeRun): Promise<Packaged> {
  const serviceDir = join(shape.work, shape.name, 'service');
  const home = join(shape.work, shape.name, 'home');
  mkdirSync(serviceDir, { recursive: true });
  mkdirSync(home);
  copyFileSync(join(ROOT, 'serverless.yml'), join(serviceDir, 'serverless.yml'));
  cpSync(shape.dist, join(serviceDir, 'dist'), { recursive: true });
  return packageService({
    osls: OSLS,
    serviceDir,
    home,
    outDir: join(shape.work, shape.name, 'package'),
    stage: shape.stage,
    region: shape.region,
    params: shape.params,
    schemaCache: join(shape.work, 'osls-schema-cache'),
  });
}

/** File names in a zip, read from its central directory (no dependency needed for that). */
export function zipEntryNames(zip: Buffer): string[] {
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfDirectory < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(endOfDirectory + 10);
  let offset = zip.readUInt32LE(endOfDirectory + 16);
  const names: string[] = [];
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('broken zip central directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Evaluates every condition (they are constants once osls has filled in the params). */
export function evaluateConditions(template: Template): Map<string, boolean> {
  const results = new Map<string, boolean>();
  const evaluate = (name: string): boolean => {
    const known = results.get(name);
    if (known !== undefined) return known;
    const definition = template.Conditions?.[name];
    if (definition === undefined) throw new Error(`unknown condition ${name}`);
    const result = conditionValue(definition, evaluate);
    results.set(name, result);
    return result;
  };
  for (const name of Object.keys(template.Conditions ?? {})) evaluate(name);
  return results;
}

function conditionValue(node: Json, evaluate: (name: string) => boolean): boolean {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new Error('bad condition');
  const [[fn, args]] = Object.entries(node) as [[string, Json]];
  if (fn === 'Condition') return evaluate(args as string);
  const list = args as Json[];
  if (fn === 'Fn::Not') return !conditionValue(list[0] as Json, evaluate);
  if (fn === 'Fn::And') return list.every((item) => conditionValue(item, evaluate));
  if (fn === 'Fn::Or') return list.some((item) => conditionValue(item, evaluate));
  if (fn === 'Fn::Equals') {
    if (list.some((item) => typeof item === 'object')) throw new Error('Fn::Equals on a value known only at deploy');
    return String(list[0]) === String(list[1]);
  }
  throw new Error(`unsupported condition function ${fn}`);
}

/** Pseudo parameters for reading ARNs in tests; the template itself names no account. */
export const PSEUDO = { 'AWS::Partition': 'aws', 'AWS::AccountId': '123456789012' } as const;

/**
 * The template CloudFormation would act on, with `Fn::Sub` of pseudo
 * parameters (region from `region`), and `Fn::Join`/`Fn::Split` of plain
 * strings worked out, so that ARNs read as ARNs.
 */
export function activeTemplate(template: Template, region = 'eu-west-1'): Template {
  const pseudo: Record<string, string> = { ...PSEUDO, 'AWS::Region': region };
  const conditions = evaluateConditions(template);
  const isActive = (condition?: string) => condition === undefined || conditions.get(condition) === true;
  const resolve = (node: Json): Json | typeof NO_VALUE => {
    if (Array.isArray(node)) {
      return node.map(resolve).filter((item): item is Json => item !== NO_VALUE);
    }
    if (node === null || typeof node !== 'object') return node;
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'Ref' && node.Ref === 'AWS::NoValue') return NO_VALUE;
    if (keys.length === 1 && keys[0] === 'Fn::If') {
      const [name, whenTrue, whenFalse] = node['Fn::If'] as [string, Json, Json];
      return resolve(conditions.get(name) ? whenTrue : whenFalse);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      // A join of one item is that item (osls accepts Fn::Join where it refuses Fn::If).
      const [separator, items] = node['Fn::Join'] as [string, Json[]];
      const resolved = resolve(items) as Json[];
      if (resolved.length === 1) return resolved[0] as Json;
      if (resolved.every((item) => typeof item === 'string')) return resolved.join(separator);
      return { 'Fn::Join': [separator, resolved] };
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub' && typeof node['Fn::Sub'] === 'string') {
      const text = node['Fn::Sub'].replace(/\$\{(AWS::[A-Za-z]+)\}/g, (whole, name: string) => pseudo[name] ?? whole);
      return text.includes('${') ? { 'Fn::Sub': text } : text;
    }
    if (keys.length === 1 && keys[0] === 'Fn::Split') {
      const [separator, source] = node['Fn::Split'] as [string, Json];
      const resolved = resolve(source);
      return typeof resolved === 'string' ? resolved.split(separator) : { 'Fn::Split': [separator, resolved as Json] };
    }
    const out: Record<string, Json> = {};
    for (const [key, value] of Object.entries(node)) {
      const resolved = resolve(value);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  };
  const Resources: Template['Resources'] = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (isActive(resource.Condition)) Resources[id] = resolve(resource as Json) as Resource;
  }
  const Outputs: NonNullable<Template['Outputs']> = {};
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    if (isActive(output.Condition)) Outputs[id] = resolve(output as Json) as { Value: Json };
  }
  return { Resources, Outputs };
}

/** Ref, Fn::GetAtt and DependsOn targets in the active template that it does not create. */
export function danglingReferences(template: Template): string[] {
  const missing = new Set<string>();
  const check = (id: string) => {
    if (!id.startsWith('AWS::') && !(id in template.Resources)) missing.add(id);
  };
  const walk = (node: Json) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    if (typeof node.Ref === 'string') check(node.Ref);
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') check(getAtt[0]);
    for (const value of Object.values(node)) walk(value);
  };
  for (const resource of Object.values(template.Resources)) {
    walk(resource as Json);
    for (const id of [resource.DependsOn ?? []].flat()) check(id);
  }
  for (const output of Object.values(template.Outputs ?? {})) walk(output.Value);
  return [...missing].sort();
}

/** The Resources of one type, by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  return Object.fromEntries(Object.entries(template.Resources).filter(([, resource]) => resource.Type === type));
}

/** A role's statements: its inline policies plus every AWS::IAM::Policy attached to it. */
export function roleStatements(template: Template, roleId: string): Json[] {
  const role = template.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role in the template`);
  const documents: Json[] = ((role.Properties?.Policies ?? []) as { PolicyDocument: Json }[]).map(
    (policy) => policy.PolicyDocument,
  );
  for (const policy of Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))) {
    const roles = (policy.Properties?.Roles ?? []) as Json[];
    if (roles.some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId }))) {
      documents.push(policy.Properties?.PolicyDocument ?? null);
    }
  }
  return documents.flatMap((document) => (document as { Statement: Json[] }).Statement);
}
