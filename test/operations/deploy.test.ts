/**
 * A user's deployment file composed with the pack's serverless.yml: what the
 * composed file keeps and adds, the message each mistake gets, and one
 * offline `serverless package` of a staged folder for both modes.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Document, parseDocument, visit } from 'yaml';
import { writeLogoAssets } from '../../src/authoring/logo-assets.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { composeDeployment, findOsls, runServerless, stageDeployment } from '../../src/operations/deploy.js';
import { zipEntryNames } from '../support/deploy-template.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const baseYaml = readFileSync(join(root, 'serverless.yml'), 'utf8');

const USER_FILE = `service: acme-auth
params:
  default:
    defaultLocale: fr
    smsOriginationNumber: +15555550100
  prod:
    emailFrom: "Acme <no-reply@acme.com>"
    sesIdentity: acme.com
provider:
  region: eu-west-1
  tags:
    team: identity
custom:
  auditTopicName: acme-audit
resources:
  Resources:
    AuditTopic:
      Type: AWS::SNS::Topic
      Properties:
        TopicName: !Sub "\${AWS::StackName}-audit"
  Outputs:
    AuditTopicArn:
      Value: !Ref AuditTopic
`;

/** The user's `!Sub`, as osls reads it. */
const TOPIC_NAME = `\${AWS::StackName}-audit`;

const compose = (userYaml: string, stage = 'dev', params?: Record<string, string>) =>
  composeDeployment({ baseYaml, userYaml, userFile: 'serverless.yml', stage, params });

/** The message of the UsageError composing throws. */
function mistake(userYaml: string, stage = 'dev', params?: Record<string, string>): string {
  try {
    compose(userYaml, stage, params);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('composed without an error');
}

/** Every tagged node of a document, as `!Tag value`. */
function tagsOf(doc: Document): string[] {
  const tags: string[] = [];
  visit(doc, {
    Node(_, node) {
      if (node.tag?.startsWith('!')) tags.push(`${node.tag} ${JSON.stringify(node.toJSON())}`);
    },
  });
  return tags;
}

describe('composeDeployment', () => {
  it("keeps the base whole and adds the user's service, params, provider, custom and resources", () => {
    const composed = compose(USER_FILE, 'prod');
    const doc = parseDocument(composed.yaml);
    expect(doc.errors).toEqual([]);
    const base = parseDocument(baseYaml).toJS();
    const params = { ...base.params.default, ...base.params.prod };
    const expected = {
      ...base,
      service: 'acme-auth',
      params: {
        default: {
          ...params,
          poolName: 'acme-auth-prod',
          defaultLocale: 'fr',
          smsOriginationNumber: '+15555550100',
          emailFrom: 'Acme <no-reply@acme.com>',
          sesIdentity: 'acme.com',
        },
      },
      provider: { ...base.provider, region: 'eu-west-1', tags: { team: 'identity' } },
      custom: { ...base.custom, auditTopicName: 'acme-audit' },
      resources: {
        ...base.resources,
        Resources: {
          ...base.resources.Resources,
          AuditTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: TOPIC_NAME } },
        },
        Outputs: { ...base.resources.Outputs, AuditTopicArn: { Value: 'AuditTopic' } },
      },
    };
    expect(doc.toJS()).toEqual(expected);
    const userTags = [`!Sub "${TOPIC_NAME}"`, '!Ref "AuditTopic"'];
    expect(tagsOf(doc).sort()).toEqual([...tagsOf(parseDocument(baseYaml)), ...userTags].sort());
    expect(tagsOf(doc).length).toBeGreaterThan(50);
    expect(composed.params).toMatchObject({ mode: 'message', logRetentionInDays: '365', defaultLocale: 'fr' });
    expect(composed.warnings).toEqual([]);
    // The base's comments stay, and the file says where it comes from.
    expect(composed.yaml).toMatch(/^# Written by cognito-trigger-pack from serverless\.yml/);
    expect(composed.yaml).toContain('# sender: CustomEmailSender + CustomSMSSender');
  });

  it('takes the effective params as base default, base stage, user default, user stage, then --param', () => {
    const user =
      'service: acme-auth\nparams:\n  default:\n    logRetentionInDays: 90\n    logLevel: warn\n  prod:\n    logLevel: debug\n';
    expect(compose(user, 'prod').params).toMatchObject({ logRetentionInDays: '90', logLevel: 'debug' });
    expect(compose(user, 'dev').params).toMatchObject({ logRetentionInDays: '90', logLevel: 'warn' });
    expect(compose(user, 'prod', { logLevel: 'error', mode: 'sender' }).params).toMatchObject({
      logLevel: 'error',
      mode: 'sender',
    });
    const written = parseDocument(compose(user, 'prod').yaml).toJS();
    expect(written.params.default.logRetentionInDays).toBe(90);
    expect(Object.keys(written.params)).toEqual(['default']);
  });

  it("merges provider maps key by key and copies the user's aliases", () => {
    const user = `service: acme-auth
custom:
  owner: &owner
    team: identity
params:
  default: &quiet
    logLevel: warn
  prod: *quiet
provider:
  tags: *owner
  environment:
    EXTRA: one
`;
    const composed = compose(user, 'prod');
    const written = parseDocument(composed.yaml);
    expect(written.errors).toEqual([]);
    expect(written.toJS().provider.tags).toEqual({ team: 'identity' });
    expect(written.toJS().provider.environment).toMatchObject({
      DEFAULT_LOCALE: `\${param:defaultLocale}`,
      EXTRA: 'one',
    });
    expect(composed.yaml).not.toMatch(/[&*](owner|quiet)\b/);
    expect(composed.params.logLevel).toBe('warn');
  });

  it('leaves values osls resolves at deploy time unchecked', () => {
    const key = `\${ssm:/acme/key}`;
    expect(compose(`service: acme-auth\nparams:\n  default:\n    kmsKeyArn: ${key}\n`).params.kmsKeyArn).toBe(key);
  });

  it.each([
    [
      'service: acme-auth\nparams:\n  default:\n    mode: sendr\n',
      'serverless.yml:4: params.default.mode is "sendr"; use message or sender',
    ],
    [
      'service: acme-auth\nparams:\n  default:\n    logRetentionInDays: 31\n',
      'serverless.yml:4: params.default.logRetentionInDays is "31"; use one of CloudWatch\'s retention periods in days (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 2192, 2557, 2922, 3288, 3653)',
    ],
    [
      'service: acme-auth\nparams:\n  default:\n    existingPool: true\n',
      "serverless.yml:4: params.default.existingPool is true, so existingPoolId is required; set it to the pool's id (for example us-east-1_AbCdEf123)",
    ],
    [
      'service: acme-auth\nfunctions:\n  extra:\n    handler: x.handler\n',
      'serverless.yml:2: functions is not allowed in a deployment file (the pack brings it); use only service, params, provider, custom and resources',
    ],
    [
      'service: acme-auth\nresources:\n  Resources:\n    CodeKey:\n      Type: AWS::KMS::Key\n',
      'serverless.yml:4: resources.Resources.CodeKey is already defined by the pack; give yours another logical id',
    ],
    [
      'service: acme-auth\nparams:\n  default:\n   mode: [message\n',
      'serverless.yml:4:17: this is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  ])('names the file, line and fix: %j', (user, message) => {
    expect(mistake(user)).toBe(message);
  });

  it('names the closest parameter and lists them all', () => {
    expect(mistake('service: acme-auth\nparams:\n  default:\n    emailFom: a@acme.com\n')).toMatch(
      /^serverless\.yml:4: params\.default\.emailFom is not a parameter of the pack \(did you mean emailFrom\?\); use one of mode, existingPool, .*, logRetentionInDays$/,
    );
    expect(mistake('service: acme-auth\nparams:\n  default:\n    zzz: 1\n')).not.toContain('did you mean');
  });

  it.each([
    ['', 'serverless.yml:1: the file is empty'],
    ['params: {}\n', 'serverless.yml:1: service is missing'],
    ['service: my_app\n', 'serverless.yml:1: service is "my_app"; use letters, digits and hyphens'],
    ['service: [a]\n', 'serverless.yml:1: service is not a name'],
    ['service: a-rather-long-service-name-for-the-users-pool\n', 'Lambda allows 64, so use a shorter service name'],
    ['service: acme-auth\nparams: [a]\n', 'serverless.yml:2: params must be a map'],
    [
      'service: acme-auth\nparams:\n  default:\n    mode: [a]\n',
      'serverless.yml:4: params.default.mode must be a single value',
    ],
    [
      'service: acme-auth\nparams:\n  default:\n    existingPool: yes\n',
      'params.default.existingPool is "yes"; use true or false',
    ],
    [
      'service: acme-auth\nparams:\n  default:\n    existingPool: true\n    existingPoolId: pool-1\n',
      'serverless.yml:5: params.default.existingPoolId is "pool-1"; use a user pool id such as eu-west-1_AbCdEf123',
    ],
    [
      'service: acme-auth\nparams:\n  default:\n    existingPool: true\n    existingPoolId: eu-west-1_AbC1\n',
      'serverless.yml:5: params.default.existingPoolId is "eu-west-1_AbC1", a pool in eu-west-1, but the stage deploys to us-east-1',
    ],
    ['service: acme-auth\nparams:\n  default:\n    greetByName: sometimes\n', 'use verified, always or never'],
    ['service: acme-auth\nparams:\n  default:\n    unmappedClientBrandChoice: all\n', 'use any or default'],
    ['service: acme-auth\nparams:\n  default:\n    kmsKeyArn: alias/codes\n', "use a key's full ARN"],
    [
      'service: acme-auth\nparams:\n  default:\n    sesSourceArn: arn:aws:kms:eu-west-1:123456789012:key/k\n',
      'use an SES identity ARN',
    ],
    ['service: acme-auth\nparams:\n  default:\n    poolSmsRoleArn: sms-role\n', "use the pool's SMS role ARN"],
    ['service: acme-auth\nparams:\n  default:\n    emailFrom: Acme\n', 'use an address or "Name <address>"'],
    ['service: acme-auth\nparams:\n  default:\n    brandByClientId: abc\n', 'use clientId:brand,clientId:brand'],
    [
      'service: acme-auth\nparams:\n  default:\n    extraLinkOrigins: acme=nope,acme=http://x.test\n',
      'brand=https://host',
    ],
    ['service: acme-auth\nparams:\n  default:\n    mode:\n', 'params.default.mode is ""; use message or sender'],
    ['service: acme-auth\nprovider:\n  stage: dev\n', "serverless.yml:3: provider.stage is the pack's own"],
    [
      'service: acme-auth\ncustom:\n  pool: mine\n',
      "serverless.yml:3: custom.pool is the pack's own; give yours another name",
    ],
    ['service: acme-auth\nresources:\n  Parameters: {}\n', 'serverless.yml:3: resources.Parameters is not allowed'],
    ['service: acme-auth\nresources:\n  Resources:\n    my-topic: {}\n', 'a logical id has only letters and digits'],
    [
      'service: acme-auth\nresources:\n  Resources:\n    Topic:\n      Type: AWS::SNS::Topic\n      Properties:\n        TopicName: !Subb x\n',
      'serverless.yml:7: !Subb is not a CloudFormation tag osls reads (did you mean !Sub?)',
    ],
  ])('refuses %j', (user, message) => {
    expect(mistake(user)).toContain(message);
  });

  it('checks --param values like the file', () => {
    expect(mistake('service: acme-auth\n', 'dev', { mode: 'sendr' })).toBe(
      '--param mode=sendr: mode is "sendr"; use message or sender',
    );
    expect(mistake('service: acme-auth\n', 'dev', { emailFom: 'x' })).toMatch(
      /^--param emailFom=x: .*did you mean emailFrom/,
    );
    expect(mistake('service: acme-auth\n', 'a b')).toBe(
      '--stage "a b" is not a stage name; use letters, digits and hyphens',
    );
  });

  it('accepts a pool of the region the stage deploys to', () => {
    const user =
      'service: acme-auth\nparams:\n  default:\n    existingPool: true\n    existingPoolId: eu-west-1_AbC1\n';
    expect(
      composeDeployment({ baseYaml, userYaml: user, userFile: 'serverless.yml', stage: 'dev', region: 'eu-west-1' })
        .params.existingPoolId,
    ).toBe('eu-west-1_AbC1');
  });

  it("warns when a production stage still sends as the pack's example identity", () => {
    expect(compose('service: acme-auth\n', 'prod').warnings).toEqual([
      'serverless.yml: stage prod still sends as the pack\'s example identity (emailFrom "Acme <no-reply@example.com>", sesIdentity "example.com"); set params.prod.emailFrom and params.prod.sesIdentity to your own verified SES identity',
    ]);
    expect(
      compose(
        'service: acme-auth\nparams:\n  production:\n    emailFrom: a@example.com\n    sesIdentity: acme.com\n',
        'production',
      ).warnings,
    ).toEqual([
      'serverless.yml:4: stage production still sends as the pack\'s example identity (emailFrom "a@example.com"); set params.production.emailFrom and params.production.sesIdentity to your own verified SES identity',
    ]);
    expect(compose('service: acme-auth\n', 'dev').warnings).toEqual([]);
    expect(compose('service: acme-auth\nparams:\n  default:\n    existingPoolId: eu-west-1_A1\n').warnings).toEqual([
      'serverless.yml:4: params.default.existingPoolId is set but existingPool is false, so the stage creates a pool and does not use it',
    ]);
  });
});

describe('stageDeployment and runServerless', () => {
  let work: string;
  let project: string;
  const stage = (params: Record<string, string>, stagingDir?: string) =>
    stageDeployment({ packageRoot: root, projectDir: project, stage: 'prod', distDir: 'dist', params, stagingDir });

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'deploy-operation-test-'));
    project = join(work, 'project');
    mkdirSync(join(project, 'dist'), { recursive: true });
    writeFileSync(join(project, 'serverless.yml'), USER_FILE);
    // osls zips the bundles without running them: a stand-in of each is enough.
    for (const name of ['custom-message', 'custom-email-sender', 'custom-sms-sender']) {
      writeFileSync(join(project, 'dist', `${name}.js`), `exports.handler = async (event) => event; // ${name}\n`);
      writeFileSync(join(project, 'dist', `${name}.js.map`), '{}');
    }
    mkdirSync(join(project, 'dist', 'pack-files', 'locales'), { recursive: true });
    writeFileSync(join(project, 'dist', 'pack-files', 'locales', 'en.cjs'), 'module.exports = {};\n');
    // The logo upload serverless.yml reads (no brand ships a logo here).
    writeLogoAssets({ brandFiles: new Map() }, join(project, 'dist'));
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("writes the composed file, the mode's bundles and a .gitignore into .cognito-trigger-pack/deploy", () => {
    const staged = stage({ mode: 'sender' });
    expect(staged.dir).toBe(join(project, '.cognito-trigger-pack', 'deploy'));
    expect(readdirSync(staged.dir).sort()).toEqual(['.gitignore', 'dist', 'serverless.yml']);
    expect(readdirSync(join(staged.dir, 'dist')).sort()).toEqual([
      'custom-email-sender.js',
      'custom-sms-sender.js',
      'logos',
      'pack-files',
    ]);
    expect(readdirSync(join(staged.dir, 'dist', 'pack-files', 'locales'))).toEqual(['en.cjs']);
    expect(readFileSync(join(staged.dir, 'serverless.yml'), 'utf8')).toContain('service: acme-auth');
    // Staging again for the other mode leaves no bundle of the first behind.
    stage({ mode: 'message' });
    expect(readdirSync(join(staged.dir, 'dist')).sort()).toEqual(['custom-message.js', 'logos', 'pack-files']);
  });

  it('asks for the deployment file or the bundles when they are missing', () => {
    expect(() =>
      stageDeployment({
        packageRoot: root,
        projectDir: project,
        deployFile: 'deploy.yml',
        stage: 'dev',
        distDir: 'dist',
      }),
    ).toThrow(
      new UsageError(
        `deploy.yml was not found in ${project}; run "npx cognito-trigger-pack init" there, or create it with "service: <your service name>"`,
      ),
    );
    expect(() => stageDeployment({ packageRoot: root, projectDir: project, stage: 'dev', distDir: 'build' })).toThrow(
      new UsageError(
        'build/custom-message.js is missing; run "npx cognito-trigger-pack build" before package or deploy',
      ),
    );
    // Bundles built without the template pack's files beside them cannot render.
    mkdirSync(join(project, 'bundles-alone'));
    for (const name of ['custom-message', 'custom-email-sender', 'custom-sms-sender']) {
      writeFileSync(join(project, 'bundles-alone', `${name}.js`), 'exports.handler = async (event) => event;\n');
    }
    expect(() =>
      stageDeployment({ packageRoot: root, projectDir: project, stage: 'dev', distDir: 'bundles-alone' }),
    ).toThrow(
      new UsageError(
        'bundles-alone/pack-files is missing; run "npx cognito-trigger-pack build" before package or deploy',
      ),
    );
  });

  it('finds osls where it is installed, and says how to install it elsewhere', () => {
    expect(findOsls([work, root])).toBe(join(root, 'node_modules', 'osls', 'bin', 'serverless.js'));
    expect(() => findOsls([work])).toThrow(new UsageError('package and deploy need osls: npm install -D osls'));
  });

  it('packages both modes offline with the service, the params and the additions applied', async () => {
    // No AWS_* variable and an empty HOME: packaging must need no credentials.
    const env: NodeJS.ProcessEnv = { HOME: join(work, 'home'), PATH: process.env.PATH };
    for (const [name, value] of Object.entries(process.env)) {
      if (!name.startsWith('AWS_') && !(name in env)) env[name] = value;
    }
    mkdirSync(join(work, 'home'));
    const modes = ['message', 'sender'] as const;
    const templates = await Promise.all(
      modes.map(async (mode) => {
        const staged = stage({ mode }, join('.cognito-trigger-pack', mode));
        expect(await runServerless({ command: 'package', dir: staged.dir, stage: 'prod', env })).toBe(0);
        const out = join(staged.dir, '.serverless');
        const zips = readdirSync(out).filter((file) => file.endsWith('.zip'));
        return {
          template: JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')),
          zips: Object.fromEntries(zips.map((zip) => [zip, zipEntryNames(readFileSync(join(out, zip))).sort()])),
        };
      }),
    );
    const [message, sender] = templates as [(typeof templates)[number], (typeof templates)[number]];
    // Each function ships its bundle and the template pack's files it reads on first use.
    const packFile = 'dist/pack-files/locales/en.cjs';
    expect(message.zips).toEqual({ 'customMessage.zip': ['dist/custom-message.js', packFile] });
    expect(sender.zips).toEqual({
      'customEmailSender.zip': ['dist/custom-email-sender.js', packFile],
      'customSmsSender.zip': ['dist/custom-sms-sender.js', packFile],
    });
    const messageFunction = message.template.Resources.CustomMessageLambdaFunction.Properties;
    expect(messageFunction.FunctionName).toBe('acme-auth-prod-custom-message');
    expect(messageFunction.Environment.Variables.DEFAULT_LOCALE).toBe('fr');
    expect(messageFunction.Tags).toEqual([{ Key: 'team', Value: 'identity' }]);
    expect(message.template.Resources.CognitoUserPoolUsers.Properties.EmailConfiguration['Fn::If'][1].From).toBe(
      'Acme <no-reply@acme.com>',
    );
    const emailSender = sender.template.Resources.CustomEmailSenderLambdaFunction.Properties;
    expect(emailSender.FunctionName).toBe('acme-auth-prod-custom-email-sender');
    expect(emailSender.Environment.Variables).toMatchObject({
      EMAIL_FROM: 'Acme <no-reply@acme.com>',
      DEFAULT_LOCALE: 'fr',
    });
    expect(
      sender.template.Resources.CustomSmsSenderLambdaFunction.Properties.Environment.Variables.SMS_ORIGINATION_NUMBER,
    ).toBe('+15555550100');
    expect(sender.template.Resources.CustomSmsSenderLogGroup.Properties.RetentionInDays).toBe(365);
    for (const { template } of templates) {
      expect(template.Resources.AuditTopic).toEqual({
        Type: 'AWS::SNS::Topic',
        Properties: { TopicName: { 'Fn::Sub': TOPIC_NAME } },
      });
      expect(template.Outputs.AuditTopicArn.Value).toEqual({ Ref: 'AuditTopic' });
    }
    expect(existsSync(join(project, '.cognito-trigger-pack', 'sender', 'serverless.yml'))).toBe(true);
  }, 60_000);
});
