/**
 * `init [dir]`: a working project around the pack. It writes package.json
 * scripts, a templates folder with one brand named after the product and the
 * chosen locales (layered over the package's base templates and catalogs),
 * the deployment file with only the project's parameters, a .gitignore and a
 * README naming the commands. It never overwrites a file that exists.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { readPackSource } from '../authoring/pack-source.js';
import { PACKAGE_NAME, packageRoot, packageTemplates } from '../authoring/package-root.js';
import { type Command, stringOption } from './args.js';
import { UsageError } from './usage-error.js';

const PRODUCT_NAME = /^[\p{L}\p{N}][\p{L}\p{N} .&'-]{0,39}$/u;

/** The npm scripts a project gets: one per command. */
export const PROJECT_SCRIPTS: Readonly<Record<string, string>> = {
  start: 'cognito-trigger-pack preview',
  check: 'cognito-trigger-pack check',
  build: 'cognito-trigger-pack build',
  export: 'cognito-trigger-pack export',
  'send-test': 'cognito-trigger-pack send-test',
  stack: 'cognito-trigger-pack stack',
  demo: 'cognito-trigger-pack demo',
  package: 'cognito-trigger-pack package',
  deploy: 'cognito-trigger-pack deploy',
};

export interface InitOptions {
  dir: string;
  name: string;
  locales: string[];
  /** The templates folder, relative to `dir`. */
  templates: string;
}

export interface InitResult {
  written: string[];
  kept: string[];
  brand: string;
}

/** A brand id from a product name: lower-case letters, digits and dashes. */
export function brandIdOf(name: string): string {
  const id = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return id || 'brand';
}

export function initProject(options: InitOptions): InitResult {
  const { dir, name } = options;
  if (!PRODUCT_NAME.test(name)) {
    throw new UsageError(`--name "${name}" is not a product name; use 1–40 letters, digits, spaces or . & ' -`);
  }
  const shipped = readPackSource(packageTemplates()).locales.map((locale) => locale.tag);
  const unknown = options.locales.filter((tag) => !shipped.includes(tag));
  if (unknown.length > 0) {
    throw new UsageError(
      `--locales names ${unknown.join(', ')}, which the package has no catalog for; it has ${shipped.join(', ')} (add others later under templates/locales/<tag>/messages.json)`,
    );
  }
  const locales = [...new Set(['en', ...options.locales])];
  const brand = brandIdOf(name);
  const result: InitResult = { written: [], kept: [], brand };
  const write = (path: string, text: string) => {
    const file = join(dir, path);
    if (existsSync(file)) {
      result.kept.push(path);
      return;
    }
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    result.written.push(path);
  };

  // An app's own serverless.yml stays its own; the pack's deployment file goes beside it.
  const ownDeployment =
    existsSync(join(dir, 'serverless.yml')) &&
    !readFileSync(join(dir, 'serverless.yml'), 'utf8').includes(PACKAGE_NAME);
  const deployFile = ownDeployment ? SIDE_DEPLOYMENT_FILE : 'serverless.yml';
  mergePackageJson(dir, result, deployFile);
  const templates = options.templates;
  write(join(templates, 'brands', brand, 'brand.json'), `${JSON.stringify(brandFile(name, brand), null, 2)}\n`);
  for (const tag of locales) {
    // An empty catalog serves the locale with the package's wording; add keys here to reword them.
    write(join(templates, 'locales', tag, 'messages.json'), '{}\n');
  }
  write(deployFile, deploymentFile(dir, brand, locales[0] ?? 'en', name));
  appendIgnores(dir, result);
  write('README.md', projectReadme(name, templates));
  return result;
}

/** The deployment file's name when the app already has a serverless.yml of its own. */
export const SIDE_DEPLOYMENT_FILE = 'cognito-triggers.yml';

const IGNORED = ['node_modules/', 'dist/', 'out/', '.cognito-trigger-pack/', '.serverless/'];

/** Adds what the pack writes to .gitignore, keeping every line the project has. */
function appendIgnores(dir: string, result: InitResult): void {
  const file = join(dir, '.gitignore');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const have = new Set(existing.split('\n').map((line) => line.trim()));
  const missing = IGNORED.filter((line) => !have.has(line) && !have.has(line.replace(/\/$/, '')));
  if (missing.length === 0) {
    result.kept.push('.gitignore');
    return;
  }
  const glue = existing === '' || existing.endsWith('\n') ? '' : '\n';
  writeFileSync(file, `${existing}${glue}${missing.join('\n')}\n`);
  (existing ? result.kept : result.written).push(
    existing ? `.gitignore (${missing.length} lines added)` : '.gitignore',
  );
}

function mergePackageJson(dir: string, result: InitResult, deployFile: string): void {
  const file = join(dir, 'package.json');
  const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
  const manifest: Record<string, unknown> = existing ?? {
    name: basename(resolve(dir))
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-'),
    private: true,
  };
  const scripts = { ...(manifest.scripts as Record<string, string> | undefined) };
  const wanted = Object.entries(PROJECT_SCRIPTS).map(([script, command]): [string, string] => [
    script,
    deployFile !== 'serverless.yml' && (script === 'package' || script === 'deploy')
      ? `${command} --config ${deployFile}`
      : command,
  ]);
  // A script name the app already uses keeps the app's; the pack's goes under ctp:<name>.
  const added = wanted
    .filter(([script, command]) => scripts[script] !== command)
    .map(([script, command]): [string, string] => [scripts[script] === undefined ? script : `ctp:${script}`, command]);
  for (const [script, command] of added) scripts[script] = command;
  manifest.scripts = scripts;
  const dependencies = {
    ...(manifest.dependencies as Record<string, string> | undefined),
  };
  const devDependencies = { ...(manifest.devDependencies as Record<string, string> | undefined) };
  if (!dependencies[PACKAGE_NAME] && !devDependencies[PACKAGE_NAME]) devDependencies[PACKAGE_NAME] = `^${version}`;
  manifest.devDependencies = devDependencies;
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  (existing ? result.kept : result.written).push(
    existing ? `package.json (${added.length} scripts added)` : 'package.json',
  );
}

function brandFile(name: string, id: string) {
  return {
    productName: name,
    logoUrl: null,
    colors: { primary: '#2563eb', buttonText: '#ffffff', text: '#111827', background: '#f3f4f6' },
    supportUrl: `https://${id}.example/help`,
    supportEmail: `support@${id}.example`,
    email: { from: null, replyTo: [], configurationSet: null },
    sms: { senderId: null, originationNumber: null, maxSegments: 1 },
    clientIds: [],
    links: null,
  };
}

function deploymentFile(dir: string, brand: string, locale: string, name: string): string {
  const service = `${basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')}-auth`.replace(/^-/, '');
  return `# Deployment of the Cognito triggers (npx cognito-trigger-pack package | deploy).
# This file holds your parameters and additions only: the functions, roles,
# key, failure queue and pool wiring come from the cognito-trigger-pack package,
# so an upgrade brings them with no merge. The parameters are listed, with what
# each does, in node_modules/cognito-trigger-pack/serverless.yml (params.default).
service: ${service || 'cognito-auth'}

params:
  default:
    # message: Cognito delivers (CustomMessage). sender: the pack delivers through SES and SNS.
    mode: message
    emailFrom: "${name} <no-reply@example.com>"
    # The verified SES identity of emailFrom.
    sesIdentity: example.com
    defaultBrand: ${brand}
    defaultLocale: ${locale}
  prod:
    logRetentionInDays: 365

# Additions, merged into the pack's:
# provider:
#   region: eu-west-1
#   tags:
#     team: identity
# resources:
#   Resources:
#     MyAlarm: ...
`;
}

function projectReadme(name: string, templates: string): string {
  return `# ${name}: Cognito messages

Branded, localized verification emails and SMS for an Amazon Cognito user pool,
built with cognito-trigger-pack.

    npm install
    npm start              # live preview of every message
    npm run check          # every check; exit 1 on a failure
    npm run build          # checks, then the three Lambda bundles in dist/
    npm run export         # every message as files, for review
    npm run send-test -- --to you@example.com
    npm run package        # the CloudFormation template, offline
    npm run deploy -- --stage prod

Your messages live in \`${templates}/\`: \`brands/<id>/brand.json\` for each brand,
\`locales/<tag>/messages.json\` for each locale (an empty catalog uses the
package's wording; add keys to reword them), and \`.hbs\` files at any level to
override a template. Run \`npx cognito-trigger-pack --help\` for every command.
`;
}

export const initCommand: Command = {
  summary: 'Create a project: package.json scripts, a templates folder with one brand, the deployment file.',
  usage: 'init [dir] [--name NAME] [--locales en,fr]',
  options: { name: { type: 'string' }, locales: { type: 'string', default: 'en' } },
  help: {
    name: 'the product name; the brand is named after it (default: the folder name)',
    locales: 'comma-separated locale tags to serve (default: en)',
  },
  positionals: 1,
  run(parsed, io) {
    const dir = resolve(io.cwd, parsed.positionals[0] ?? '.');
    const name = stringOption(parsed, 'name') ?? titleOf(basename(dir));
    const locales = (stringOption(parsed, 'locales') ?? 'en')
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean);
    const templates = stringOption(parsed, 'templates') ?? 'templates';
    const result = initProject({ dir, name, locales, templates });
    const where = relative(io.cwd, dir) || '.';
    for (const path of result.written) io.out(`  wrote ${join(where, path)}`);
    for (const path of result.kept) io.out(`  kept  ${join(where, path)}`);
    io.out(
      `\nBrand "${result.brand}" is ready. Next:${where === '.' ? '' : ` cd ${where} &&`} npm install && npm start`,
    );
    return 0;
  },
};

function titleOf(folder: string): string {
  const words = folder.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return words ? words.replace(/\b\p{L}/gu, (letter) => letter.toUpperCase()).slice(0, 40) : 'My Product';
}
