/**
 * `package` and `deploy` in a user's project. The pack's own serverless.yml is
 * the base: modes, new or existing pool, key, IAM and failure queue all come
 * from the installed package. The project's deployment file holds only its
 * `service`, its stage `params` and its additions (`provider`, `custom`,
 * `resources`). The two are composed into a staging folder with the bundles,
 * and osls runs there, so an upgrade of the package brings the base's changes
 * with nothing to merge.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Document, isMap, isScalar, LineCounter, type Node, type Pair, parseDocument, visit, YAMLMap } from 'yaml';
import { FUNCTIONS, PACK_FILES_DIR, SENDER_FUNCTIONS } from '../authoring/functions.js';
import { LOGOS_DIR } from '../authoring/logo-assets.js';
import { UsageError } from '../cli/usage-error.js';
import { closestName, isVariable, joinWords, POOL_ID, paramProblem } from './deploy-params.js';

export interface ComposeInput {
  /** The pack's serverless.yml. */
  baseYaml: string;
  /** The project's deployment file. */
  userYaml: string;
  /** The deployment file's name as the deployer knows it (`serverless.yml`); every message starts with it. */
  userFile: string;
  stage: string;
  /** The region the stage deploys to (`--region`); else the file's `provider.region`, else osls's us-east-1. */
  region?: string;
  /** `--param name=value` from the command line: checked like the file's, and they win over it. */
  params?: Record<string, string>;
}

export interface ComposedDeployment {
  /** The serverless.yml osls runs on: the base with the user's service, params and additions. */
  yaml: string;
  /** The stage's effective parameters, `${self:service}` and `${sls:stage}` filled in. */
  params: Record<string, string>;
  warnings: string[];
}

/** The top-level keys a deployment file may hold; everything else comes from the pack. */
export const DEPLOYMENT_FILE_KEYS = ['service', 'params', 'provider', 'custom', 'resources'] as const;
const RESOURCE_SECTIONS = ['Resources', 'Outputs', 'Conditions'];
/** Set by the pack and the command line, never by the deployment file. */
const FIXED_PROVIDER_KEYS = ['name', 'stage'];
/** The CloudFormation short tags osls reads (its cloudformation-schema.js). */
const CLOUDFORMATION_TAGS = [
  'And',
  'Base64',
  'Cidr',
  'Condition',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'GetStackOutput',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Ref',
  'Select',
  'Split',
  'Sub',
  'Transform',
].map((name) => `!${name}`);
/** osls's schema for `service`. */
const SERVICE_NAME = /^[a-zA-Z][0-9a-zA-Z-]+$/;
const STAGE_NAME = /^[a-zA-Z0-9-]+$/;
const LOGICAL_ID = /^[A-Za-z0-9]+$/;
/** Lambda's limit; the pack names each function `<service>-<stage>-<function>`. */
const MAX_FUNCTION_NAME = 64;
const PROD_STAGES = ['prod', 'production'];
const EXAMPLE_DOMAIN = 'example.com';
const WRITE_OPTIONS = { lineWidth: 0, flowCollectionPadding: false } as const;

/** One YAML file, parsed with what it takes to name a line in it. */
class YamlFile {
  readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();
  private readonly lastOffset: number;

  constructor(
    readonly name: string,
    text: string,
  ) {
    this.lastOffset = text.trimEnd().length - 1;
    this.doc = parseDocument(text, { lineCounter: this.lines, keepSourceTokens: true, prettyErrors: false });
  }

  /** `file:line` of a node; line 1 for one the file does not have. */
  at(node: Node | null | undefined): string {
    const offset = node?.range?.[0];
    return offset === undefined ? `${this.name}:1` : `${this.name}:${this.lines.linePos(offset).line}`;
  }

  fail(node: Node | null | undefined, message: string): never {
    throw new UsageError(`${this.at(node)}: ${message}`);
  }

  /** The first syntax error as `file:line:col: reason`, or undefined when the file parses. */
  syntaxError(): string | undefined {
    const [error] = this.doc.errors;
    if (error === undefined) return undefined;
    // An error at the end of the file (an unclosed bracket) is shown where the text ends.
    const { line, col } = this.lines.linePos(Math.min(error.pos[0], Math.max(this.lastOffset, 0)));
    return `${this.name}:${line}:${col}: this is not valid YAML: ${error.message}`;
  }
}

interface Entry {
  key: string;
  pair: Pair<Node, Node | null>;
  value: Node | null;
}

/** The entries of a map node (none for an empty value); anything but a map is the deployer's mistake. */
function entries(file: YamlFile, node: unknown, path: string): Entry[] {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isMap(node)) file.fail(node as Node, `${path} must be a map (indented "name: value" lines)`);
  return (node.items as Pair<Node, Node | null>[]).map((pair) => {
    if (!isScalar(pair.key)) file.fail(pair.key, `a key under ${path} must be a plain name`);
    return { key: String(pair.key.value), pair, value: pair.value };
  });
}

/** A stage parameter as it ends up: its text, and where it was set (null: the pack's default). */
interface Setting {
  value: string;
  path: string;
  where: string | null;
}

/**
 * Composes the deployment osls runs: the base with the user's service, the
 * stage's parameters and the user's additions. Every mistake in the user's
 * file, or in `params`, throws UsageError naming the file and line.
 */
export function composeDeployment(input: ComposeInput): ComposedDeployment {
  const base = new YamlFile('serverless.yml (the pack)', input.baseYaml);
  const baseError = base.syntaxError();
  if (baseError !== undefined) throw new Error(baseError);
  const user = new YamlFile(input.userFile, input.userYaml);
  const userError = user.syntaxError();
  if (userError !== undefined) throw new UsageError(userError);
  if (!STAGE_NAME.test(input.stage)) {
    throw new UsageError(`--stage "${input.stage}" is not a stage name; use letters, digits and hyphens`);
  }
  inlineAliases(user.doc);
  checkTags(user);

  const top = user.doc.contents;
  if (top === null || (isScalar(top) && top.value === null)) {
    user.fail(top, 'the file is empty; start it with "service: <your service name>"');
  }
  const sections = new Map(entries(user, top, 'the file').map((entry) => [entry.key, entry]));
  for (const entry of sections.values()) {
    if (!(DEPLOYMENT_FILE_KEYS as readonly string[]).includes(entry.key)) {
      user.fail(
        entry.pair.key,
        `${entry.key} is not allowed in a deployment file (the pack brings it); use only ${joinWords(DEPLOYMENT_FILE_KEYS, 'and')}`,
      );
    }
  }
  const service = serviceName(user, sections.get('service'), input.stage);

  const known = entries(base, base.doc.getIn(['params', 'default'], true), 'params.default');
  const settings = effectiveParams(base, user, known, sections.get('params')?.value ?? null, input);
  const region = input.region ?? literal(user.doc.getIn(['provider', 'region'], true)) ?? 'us-east-1';
  for (const setting of settings.values()) {
    setting.value = setting.value.replace(/\$\{self:service\}/g, service).replace(/\$\{sls:stage\}/g, input.stage);
  }
  const warnings = [...checkPool(user, settings, region), ...prodWarnings(user, settings, known, input.stage)];

  const defaults = base.doc.getIn(['params', 'default'], true) as YAMLMap;
  for (const entry of known) {
    const setting = settings.get(entry.key);
    if (setting !== undefined) defaults.set(entry.key, typedLike(setting.value, scalarValue(entry.value)));
  }
  const params = base.doc.get('params', true) as YAMLMap;
  params.items = params.items.filter((pair) => isScalar(pair.key) && pair.key.value === 'default');
  base.doc.set('service', service);
  mergeProvider(user, base, sections.get('provider')?.value ?? null);
  addCustom(user, base, sections.get('custom')?.value ?? null);
  addResources(user, base, sections.get('resources')?.value ?? null);

  const header = `# Written by cognito-trigger-pack from ${input.userFile} and the pack's serverless.yml, on every package and deploy: edit ${input.userFile}, not this file.\n`;
  return {
    yaml: header + base.doc.toString(WRITE_OPTIONS),
    params: Object.fromEntries([...settings].map(([name, setting]) => [name, setting.value])),
    warnings,
  };
}

/** Replaces each alias by a copy of its node, so that additions moved into the base stand on their own. */
function inlineAliases(doc: Document.Parsed): void {
  visit(doc, {
    Alias(_, alias) {
      const target = alias.resolve(doc);
      return target === undefined ? undefined : (target.clone() as Node);
    },
  });
  visit(doc, {
    Node(_, node) {
      if ('anchor' in node) delete node.anchor;
    },
  });
}

/** Every `!Tag` in the user's file is one of the CloudFormation tags osls reads. */
function checkTags(file: YamlFile): void {
  visit(file.doc, {
    Node(_, node) {
      const tag = node.tag;
      if (tag === undefined || tag.startsWith('tag:yaml.org,2002:') || CLOUDFORMATION_TAGS.includes(tag)) return;
      const closest = closestName(tag, CLOUDFORMATION_TAGS);
      file.fail(
        node,
        `${tag} is not a CloudFormation tag osls reads${closest ? ` (did you mean ${closest}?)` : ''}; use one of ${CLOUDFORMATION_TAGS.join(', ')}`,
      );
    },
  });
}

function serviceName(file: YamlFile, entry: Entry | undefined, stage: string): string {
  if (entry === undefined)
    file.fail(file.doc.contents, 'service is missing; add "service: <your service name>" at the top');
  const name = literal(entry.value);
  if (name === undefined || !SERVICE_NAME.test(name)) {
    const shown = isScalar(entry.value) ? `"${String(entry.value.value ?? '')}"` : 'not a name';
    file.fail(
      entry.value ?? entry.pair.key,
      `service is ${shown}; use letters, digits and hyphens, starting with a letter`,
    );
  }
  const longest = `${name}-${stage}-${[...FUNCTIONS].sort((a, b) => b.length - a.length)[0]}`;
  if (longest.length > MAX_FUNCTION_NAME) {
    file.fail(
      entry.value,
      `service "${name}" with stage "${stage}" makes the function name ${longest} ${longest.length} characters long; Lambda allows ${MAX_FUNCTION_NAME}, so use a shorter service name`,
    );
  }
  return name;
}

/** A plain string a node holds, when it is one osls need not resolve. */
function literal(node: unknown): string | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || isVariable(node.value)) return undefined;
  return node.value;
}

function scalarValue(node: Node | null): unknown {
  return isScalar(node) ? node.value : undefined;
}

/** A value typed like the base's default, so that osls's schema sees numbers and booleans where it expects them. */
function typedLike(value: string, like: unknown): string | number | boolean {
  if (typeof like === 'number' && /^\d+$/.test(value)) return Number(value);
  if (typeof like === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/**
 * The stage's parameters: base default ⊕ base[stage] ⊕ user default ⊕
 * user[stage] ⊕ `--param`. Each value the user sets, in any stage, is checked.
 */
function effectiveParams(
  base: YamlFile,
  user: YamlFile,
  known: Entry[],
  userParams: Node | null,
  input: ComposeInput,
): Map<string, Setting> {
  const names = known.map((entry) => entry.key);
  const defaults = new Map(known.map((entry) => [entry.key, scalarValue(entry.value)]));
  const settings = new Map<string, Setting>();
  const apply = (file: YamlFile, stages: Entry[], stage: string) => {
    for (const entry of entries(file, stages.find((item) => item.key === stage)?.value, `params.${stage}`)) {
      const path = `params.${stage}.${entry.key}`;
      const value = paramText(file, entry, path, defaults.get(entry.key));
      settings.set(entry.key, { value, path, where: file === base ? null : file.at(entry.value ?? entry.pair.key) });
    }
  };
  const baseStages = entries(base, base.doc.get('params', true), 'params');
  apply(base, baseStages, 'default');
  apply(base, baseStages, input.stage);

  const userStages = entries(user, userParams, 'params');
  for (const stage of userStages) {
    for (const entry of entries(user, stage.value, `params.${stage.key}`)) {
      const path = `params.${stage.key}.${entry.key}`;
      if (!names.includes(entry.key)) user.fail(entry.pair.key, unknownParam(path, entry.key, names));
      const value = paramText(user, entry, path, defaults.get(entry.key));
      const problem = paramProblem(entry.key, value);
      if (problem !== undefined) user.fail(entry.value ?? entry.pair.key, `${path} is "${value}"; use ${problem}`);
    }
  }
  apply(user, userStages, 'default');
  apply(user, userStages, input.stage);

  for (const [name, value] of Object.entries(input.params ?? {})) {
    const where = `--param ${name}=${value}`;
    if (!names.includes(name)) throw new UsageError(`${where}: ${unknownParam(name, name, names)}`);
    const problem = paramProblem(name, value);
    if (problem !== undefined) throw new UsageError(`${where}: ${name} is "${value}"; use ${problem}`);
    settings.set(name, { value, path: name, where });
  }
  return settings;
}

function unknownParam(path: string, name: string, names: string[]): string {
  const closest = closestName(name, names);
  return `${path} is not a parameter of the pack${closest ? ` (did you mean ${closest}?)` : ''}; use one of ${names.join(', ')}`;
}

/**
 * A parameter's text. A plain value YAML reads as a number or boolean where
 * the pack expects text (`smsOriginationNumber: +15555550100`) keeps the
 * characters as written.
 */
function paramText(file: YamlFile, entry: Entry, path: string, baseDefault: unknown): string {
  const node = entry.value;
  if (node === null) return '';
  if (!isScalar(node)) file.fail(node, `${path} must be a single value (text, a number, true or false)`);
  if (node.value === null || node.value === undefined) return '';
  const source = node.srcToken && 'source' in node.srcToken ? node.srcToken.source : undefined;
  if (typeof node.value !== 'string' && typeof baseDefault === 'string' && source !== undefined) return source;
  return String(node.value);
}

/** Where a setting was made: its line in the user's file, `--param`, or the pack's own default. */
function origin(file: YamlFile, setting: Setting): string {
  return setting.where ?? `${file.name} (the pack's default ${setting.path})`;
}

/** existingPool=true needs a pool id in the stage's region; a pool id without it is ignored. */
function checkPool(file: YamlFile, settings: Map<string, Setting>, region: string): string[] {
  const existing = settings.get('existingPool');
  const id = settings.get('existingPoolId');
  if (existing === undefined || id === undefined) return [];
  const poolId = id.value.trim();
  if (existing.value !== 'true') {
    return poolId === ''
      ? []
      : [
          `${origin(file, id)}: ${id.path} is set but existingPool is false, so the stage creates a pool and does not use it`,
        ];
  }
  if (poolId === '') {
    throw new UsageError(
      `${origin(file, existing)}: ${existing.path} is true, so existingPoolId is required; set it to the pool's id (for example ${region}_AbCdEf123)`,
    );
  }
  const poolRegion = POOL_ID.exec(poolId)?.[1];
  if (poolRegion !== undefined && poolRegion !== region) {
    throw new UsageError(
      `${origin(file, id)}: ${id.path} is "${poolId}", a pool in ${poolRegion}, but the stage deploys to ${region}; deploy with --region ${poolRegion} or name a pool of ${region}`,
    );
  }
  return [];
}

/** A production stage that still sends as the pack's example identity. */
function prodWarnings(file: YamlFile, settings: Map<string, Setting>, known: Entry[], stage: string): string[] {
  if (!PROD_STAGES.includes(stage.toLowerCase())) return [];
  const example = ['emailFrom', 'sesIdentity'].flatMap((name) => {
    const setting = settings.get(name);
    const baseDefault = scalarValue(known.find((entry) => entry.key === name)?.value ?? null);
    const isExample =
      setting !== undefined && (setting.value.includes(EXAMPLE_DOMAIN) || setting.value === baseDefault);
    return isExample ? [setting] : [];
  });
  if (example.length === 0) return [];
  const where = example.find((setting) => setting.where !== null)?.where ?? file.name;
  const values = example.map((setting) => `${setting.path.split('.').at(-1)} "${setting.value}"`).join(', ');
  return [
    `${where}: stage ${stage} still sends as the pack's example identity (${values}); set params.${stage}.emailFrom and params.${stage}.sesIdentity to your own verified SES identity`,
  ];
}

/** `provider` merged over the base's: maps key by key, any other value replaced. */
function mergeProvider(user: YamlFile, base: YamlFile, node: Node | null): void {
  const additions = entries(user, node, 'provider');
  for (const entry of additions) {
    if (FIXED_PROVIDER_KEYS.includes(entry.key)) {
      const instead = entry.key === 'stage' ? ' and give the stage with --stage' : '';
      user.fail(entry.pair.key, `provider.${entry.key} is the pack's own; remove it${instead}`);
    }
  }
  mergeInto(user, base.doc.get('provider', true) as YAMLMap, additions, 'provider');
}

function mergeInto(file: YamlFile, target: YAMLMap, additions: Entry[], path: string): void {
  for (const entry of additions) {
    const existing = (target.items as Pair<Node, Node | null>[]).find(
      (pair) => isScalar(pair.key) && pair.key.value === entry.key,
    );
    if (existing === undefined) target.items.push(entry.pair);
    else if (isMap(existing.value) && isMap(entry.value)) {
      const inner = `${path}.${entry.key}`;
      mergeInto(file, existing.value, entries(file, entry.value, inner), inner);
    } else existing.value = entry.value;
  }
}

/** `custom` values added beside the base's; a name the pack uses is an error. */
function addCustom(user: YamlFile, base: YamlFile, node: Node | null): void {
  const custom = base.doc.get('custom', true) as YAMLMap;
  for (const entry of entries(user, node, 'custom')) {
    if (custom.has(entry.key)) {
      user.fail(entry.pair.key, `custom.${entry.key} is the pack's own; give yours another name`);
    }
    custom.items.push(entry.pair);
  }
}

/** `resources.Resources`, `Outputs` and `Conditions` added to the base's: additions, never overrides. */
function addResources(user: YamlFile, base: YamlFile, node: Node | null): void {
  const resources = base.doc.get('resources', true) as YAMLMap;
  for (const section of entries(user, node, 'resources')) {
    if (!RESOURCE_SECTIONS.includes(section.key)) {
      user.fail(
        section.pair.key,
        `resources.${section.key} is not allowed in a deployment file; use only ${joinWords(RESOURCE_SECTIONS, 'and')}`,
      );
    }
    const found: unknown = resources.get(section.key, true);
    const target = isMap(found) ? found : new YAMLMap();
    if (!isMap(found)) resources.set(section.key, target);
    for (const entry of entries(user, section.value, `resources.${section.key}`)) {
      const path = `resources.${section.key}.${entry.key}`;
      if (!LOGICAL_ID.test(entry.key)) user.fail(entry.pair.key, `${path}: a logical id has only letters and digits`);
      if (target.has(entry.key)) {
        user.fail(entry.pair.key, `${path} is already defined by the pack; give yours another logical id`);
      }
      target.items.push(entry.pair);
    }
  }
}

export interface StageOptions {
  /** Where the pack is installed: its serverless.yml is the base. */
  packageRoot: string;
  projectDir: string;
  /** The deployment file, relative to projectDir; default serverless.yml. */
  deployFile?: string;
  stage: string;
  region?: string;
  /** `--param name=value` from the command line. */
  params?: Record<string, string>;
  /** The built bundles (`build`'s output). */
  distDir: string;
  /** Default `<projectDir>/.cognito-trigger-pack/deploy`. */
  stagingDir?: string;
}

export interface StagedDeployment {
  /** The folder osls runs in: serverless.yml and dist/. */
  dir: string;
  params: Record<string, string>;
  warnings: string[];
}

/** The staging folder inside a project, the one `.gitignore` should name. */
export const STAGING_DIR = join('.cognito-trigger-pack', 'deploy');

/** Composes the project's deployment file with the pack's and writes it, with the mode's bundles, into the staging folder. */
export function stageDeployment(options: StageOptions): StagedDeployment {
  const shown = (path: string) => {
    const inside = relative(options.projectDir, path);
    return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
  };
  const userPath = resolve(options.projectDir, options.deployFile ?? 'serverless.yml');
  if (!existsSync(userPath)) {
    throw new UsageError(
      `${shown(userPath)} was not found in ${options.projectDir}; run "npx cognito-trigger-pack init" there, or create it with "service: <your service name>"`,
    );
  }
  const composed = composeDeployment({
    baseYaml: readFileSync(join(options.packageRoot, 'serverless.yml'), 'utf8'),
    userYaml: readFileSync(userPath, 'utf8'),
    userFile: shown(userPath),
    stage: options.stage,
    region: options.region,
    params: options.params,
  });
  const bundles = bundlesFor(composed.params.mode);
  const distDir = resolve(options.projectDir, options.distDir);
  // The bundles read the template pack's files beside them on first use (src/runtime/render/lazy-pack.ts);
  // serverless.yml reads the brands' logo files and their upload from logos/ (src/authoring/logo-assets.ts).
  const missing = [...bundles, PACK_FILES_DIR, LOGOS_DIR].find((name) => !existsSync(join(distDir, name)));
  if (missing !== undefined) {
    throw new UsageError(
      `${shown(join(distDir, missing))} is missing; run "npx cognito-trigger-pack build" before package or deploy`,
    );
  }
  const dir = resolve(options.projectDir, options.stagingDir ?? STAGING_DIR);
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  mkdirSync(join(dir, 'dist'));
  for (const name of bundles) copyFileSync(join(distDir, name), join(dir, 'dist', name));
  cpSync(join(distDir, PACK_FILES_DIR), join(dir, 'dist', PACK_FILES_DIR), { recursive: true });
  cpSync(join(distDir, LOGOS_DIR), join(dir, 'dist', LOGOS_DIR), { recursive: true });
  writeFileSync(join(dir, 'serverless.yml'), composed.yaml);
  writeFileSync(join(dir, '.gitignore'), '# Written again on every package and deploy.\n*\n');
  return { dir, params: composed.params, warnings: composed.warnings };
}

/** The bundle files a mode deploys; all of them when the mode is known only at deploy time. */
function bundlesFor(mode: string | undefined): string[] {
  const senders: readonly string[] = SENDER_FUNCTIONS;
  const names =
    mode === 'sender' ? senders : mode === 'message' ? FUNCTIONS.filter((name) => !senders.includes(name)) : FUNCTIONS;
  return names.map((name) => `${name}.js`);
}

export interface RunOptions {
  command: 'package' | 'deploy';
  /** The staging folder. */
  dir: string;
  stage: string;
  region?: string;
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Runs osls's `serverless <command> --stage <stage>` in the staging folder, output to the terminal; resolves to its exit code. */
export function runServerless(options: RunOptions): Promise<number> {
  const bin = findOsls([options.dir, dirname(fileURLToPath(import.meta.url))]);
  const args = [bin, options.command, '--stage', options.stage];
  if (options.region !== undefined) args.push('--region', options.region);
  args.push(...(options.extraArgs ?? []));
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, args, {
      cwd: options.dir,
      stdio: 'inherit',
      env: options.env ?? process.env,
    });
    child.on('error', failed);
    child.on('close', (code) => done(code ?? 1));
  });
}

/** osls's `serverless` script, installed in or above the first folder that has it (the project's, then the pack's). */
export function findOsls(folders: readonly string[]): string {
  for (const folder of folders) {
    let manifestPath: string;
    try {
      manifestPath = createRequire(join(folder, 'package.json')).resolve('osls/package.json');
    } catch {
      continue;
    }
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.serverless;
    if (bin !== undefined) return join(dirname(manifestPath), bin);
  }
  throw new UsageError('package and deploy need osls: npm install -D osls');
}
