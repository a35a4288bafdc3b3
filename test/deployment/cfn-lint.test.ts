/**
 * AWS's CloudFormation linter on every template serverless.yml makes: each
 * shape below (both modes, a new or an existing pool, a new or an existing key,
 * the SES and SMS options, the alarm topic, so every condition and every choice
 * made at packaging) is packaged offline and cfn-lint reads both templates. Any error
 * fails, and so does any warning that docs/deployment.md "AWS's linter" does
 * not list with the reason it stays. cfn-lint must be on PATH (.ci/run installs it).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLogoAssets } from '../../src/authoring/logo-assets.js';
import { readPackSource } from '../../src/authoring/pack-source.js';
import { type CfnLintFinding, cfnLint, cfnLintVersion } from '../support/cfn-lint.js';
import { PSEUDO, packageShape } from '../support/deploy-template.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const STAGE = 'ci';
const REGION = 'eu-west-1';
const ACCOUNT = PSEUDO['AWS::AccountId'];
const EXISTING_POOL = { existingPool: 'true', poolName: 'acme-users', existingPoolId: `${REGION}_AbCdEf123` };
const EXISTING_KEY = { kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` };
const POOL_SMS_ROLE = { poolSmsRoleArn: `arn:aws:iam::${ACCOUNT}:role/acme-users-sms` };
/** Every SES and SMS option at once: another account's identity, a configuration set, two more identities, SMS ids. */
const DELIVERY_OPTIONS = {
  sesSourceArn: `arn:aws:ses:${REGION}:210987654321:identity/acme.com`,
  sesConfigurationSet: 'acme-tracking',
  sesExtraIdentityArns: [`northwind.example`, `other.example`]
    .map((domain) => `arn:aws:ses:${REGION}:${ACCOUNT}:identity/${domain}`)
    .join(','),
  smsSenderId: 'Acme',
  smsOriginationNumber: '+15555550100',
};
/** Sender mode's alarm topic (the alarms' actions are chosen at packaging) and abuse limits set. */
const ALARMS_AND_LIMITS = {
  alarmTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:acme-on-call`,
  idempotencyStoreFailure: 'fail',
  smsAllowedCountries: 'US,CA',
  smsLimitPerNumberPerHour: '3',
  smsLimitPerCountryPerHour: '200',
  emailLimitPerAddressPerHour: 'off',
};

/**
 * existingPool=true without existingPoolId makes no template: packaging refuses it
 * (test/deployment/serverless.test.ts).
 */
const SHAPES: Record<string, Record<string, string>> = {
  'message, new pool': { mode: 'message' },
  'message, new pool, SES options': { mode: 'message', ...DELIVERY_OPTIONS },
  'message, existing pool': { mode: 'message', ...EXISTING_POOL },
  'message, new pool, the team’s own logo host': { mode: 'message', logoBaseUrl: 'https://assets.acme.example/email' },
  'message, existing pool, SMS role, SES options, kmsKeyArn, alarm topic and limits (unused)': {
    mode: 'message',
    ...EXISTING_POOL,
    ...POOL_SMS_ROLE,
    ...DELIVERY_OPTIONS,
    ...EXISTING_KEY,
    ...ALARMS_AND_LIMITS,
  },
  'sender, new pool, new key': { mode: 'sender' },
  'sender, new pool, existing key': { mode: 'sender', ...EXISTING_KEY },
  'sender, new pool, new key, SES and SMS options': { mode: 'sender', ...DELIVERY_OPTIONS },
  'sender, new pool, new key, alarm topic and limits': { mode: 'sender', ...ALARMS_AND_LIMITS },
  'sender, existing pool, new key': { mode: 'sender', ...EXISTING_POOL },
  'sender, existing pool, SMS role, new key, SES and SMS options': {
    mode: 'sender',
    ...EXISTING_POOL,
    ...POOL_SMS_ROLE,
    ...DELIVERY_OPTIONS,
  },
  'sender, existing pool, SMS role, existing key, SES and SMS options, alarm topic and limits': {
    mode: 'sender',
    ...EXISTING_POOL,
    ...POOL_SMS_ROLE,
    ...EXISTING_KEY,
    ...DELIVERY_OPTIONS,
    ...ALARMS_AND_LIMITS,
  },
};

/** The warnings that stay, each explained in docs/deployment.md "AWS's linter". */
const DOCS_SECTION = "## AWS's linter";
const ALLOWED_WARNINGS: { rule: string; path: RegExp }[] = [
  // Every condition compares two constants once osls has filled in the params.
  { rule: 'W8003', path: /^Conditions\// },
  // The DependsOn osls writes beside a GetAtt: on the functions, the new pool and the custom resources.
  {
    rule: 'W3005',
    path: /^Resources\/(\w+LambdaFunction|CognitoUserPoolUsers|\w+CustomCognitoUserPool\d+)\/DependsOn\//,
  },
];
const isAllowed = (finding: CfnLintFinding) =>
  finding.rule.startsWith('W') &&
  ALLOWED_WARNINGS.some((allowed) => allowed.rule === finding.rule && allowed.path.test(finding.path));

let work: string;
const findings: Record<string, CfnLintFinding[]> = {};

beforeAll(async () => {
  // Before anything is packaged: without cfn-lint the test fails at once, saying so.
  await cfnLintVersion();
  work = mkdtempSync(join(tmpdir(), 'cfn-lint-test-'));
  // The templates do not depend on what the bundles hold: one line each is enough to package.
  const dist = join(work, 'dist');
  mkdirSync(dist);
  for (const name of ['custom-message', 'custom-email-sender', 'custom-sms-sender']) {
    writeFileSync(join(dist, `${name}.js`), 'exports.handler = async () => undefined;\n');
  }
  // The logo upload's code and objects, which the template holds inline.
  writeLogoAssets(readPackSource(join(root, 'templates')), dist);
  const [first = {}, ...others] = Object.values(SHAPES);
  const packageOne = (params: Record<string, string>, index: number) =>
    packageShape({ work, name: `shape-${index}`, dist, stage: STAGE, region: REGION, params });
  // The first run compiles osls's configuration validator; the others, started after it, reuse it.
  const packaged = [await packageOne(first, 0)];
  packaged.push(...(await Promise.all(others.map((params, index) => packageOne(params, index + 1)))));
  const templates = packaged.map(({ outDir }) =>
    ['update', 'create'].map((kind) => join(outDir, `cloudformation-template-${kind}-stack.json`)),
  );
  const all = await cfnLint(templates.flat(), REGION);
  Object.keys(SHAPES).forEach((shape, index) => {
    findings[shape] = all.filter((finding) => templates[index]?.includes(finding.file));
  });
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(Object.keys(SHAPES))('cfn-lint on the %s templates', (shape) => {
  it('finds no error, and no warning beyond those docs/deployment.md lists', () => {
    const unexpected = (findings[shape] ?? []).filter((finding) => !isAllowed(finding));
    expect(unexpected.map(({ rule, path, message }) => `${rule} ${path}: ${message}`)).toEqual([]);
  });
});

it('lists only warnings that some template still has, each in the docs section', () => {
  const all = Object.values(findings).flat();
  const section = readFileSync(join(root, 'docs', 'deployment.md'), 'utf8')
    .split(DOCS_SECTION)[1]
    ?.split('\n## ')[0];
  expect(section, `docs/deployment.md has a "${DOCS_SECTION}" section`).toBeDefined();
  for (const allowed of ALLOWED_WARNINGS) {
    const found = all.some((finding) => finding.rule === allowed.rule && allowed.path.test(finding.path));
    expect(found, `${allowed.rule} is still found: else drop it from the list and the docs`).toBe(true);
    expect(section, `the docs section gives the reason ${allowed.rule} stays`).toContain(allowed.rule);
  }
});
