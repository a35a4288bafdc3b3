/**
 * The CDK construct, synthesized for each shape (both modes × a pool of the
 * app or an imported one × a new or an existing key) and read as
 * test/deployment/serverless.test.ts reads serverless.yml's package: the
 * LambdaConfig, each role's statements exactly, the permissions, the failure
 * destination, the retention; then cfn-lint and cdk-nag's AwsSolutions pack
 * on every template.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGO_UPLOAD_HANDLER } from '../../src/authoring/logo-assets.js';
import { type AttachProperties, withTriggers } from '../../src/cdk/attach-triggers.js';
import { CognitoTriggerPack, type CognitoTriggerPackProps } from '../../src/cdk/index.js';
import { type CfnLintFinding, cfnLint } from '../support/cfn-lint.js';
import { type Template as Cfn, type Json, resourcesOfType, roleStatements } from '../support/deploy-template.js';
import { PRIVATE_LOGO_BUCKET } from '../support/logo-bucket.js';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const FROM = 'Acme <no-reply@example.com>';
const EXISTING_POOL_ID = `${REGION}_AbCdEf123`;
const EXISTING_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const POOL_SMS_ROLE = `arn:aws:iam::${ACCOUNT}:role/acme-users-sms`;
const NORTHWIND_IDENTITY = `arn:aws:ses:${REGION}:${ACCOUNT}:identity/northwind.example`;
const POOL_ARN = `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${EXISTING_POOL_ID}`;
const ALARM_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:identity-alarms`;

interface Shape {
  mode: 'message' | 'sender';
  pool: 'app' | 'imported';
  key: 'new' | 'existing' | null;
}

const SHAPES: Shape[] = [
  { mode: 'message', pool: 'app', key: null },
  { mode: 'message', pool: 'imported', key: null },
  { mode: 'sender', pool: 'app', key: 'new' },
  { mode: 'sender', pool: 'app', key: 'existing' },
  { mode: 'sender', pool: 'imported', key: 'new' },
  { mode: 'sender', pool: 'imported', key: 'existing' },
];
/** The shapes `which` keeps, each with its title, for describe.each. */
const titled = (which: (shape: Shape) => boolean): Array<[string, Shape]> =>
  SHAPES.filter(which).map((shape) => [label(shape), shape]);
function label(shape: Shape): string {
  return [shape.mode, shape.pool === 'app' ? 'pool in the app' : 'imported pool', shape.key && `${shape.key} key`]
    .filter(Boolean)
    .join(', ');
}

interface Synth {
  app: App;
  stack: Stack;
  pack: CognitoTriggerPack;
  pool: cognito.IUserPool;
  /** The template with `arn:${AWS::Partition}` joins read as plain ARNs. */
  cfn: Cfn;
  ms: number;
}

/** serverless.yml's pool, as a team would write it in CDK. */
function serverlessLikePool(stack: Stack, pack: CognitoTriggerPack): cognito.UserPool {
  const pool = new cognito.UserPool(stack, 'Users', {
    ...pack.userPoolProps,
    signInAliases: { email: true },
    autoVerify: { email: true },
    signInCaseSensitive: false,
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    passwordPolicy: {
      minLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: false,
      tempPasswordValidity: Duration.days(7),
    },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // The pool is the team's, not the pack's: these are its choices, as serverless.yml's pool makes them.
  Validations.of(pool).acknowledge(
    {
      id: 'AwsSolutions-COG1',
      reason:
        'At least 12 characters and no symbol rule, as serverless.yml: length over composition (NIST SP 800-63B).',
    },
    { id: 'AwsSolutions-COG2', reason: "MFA is the team's choice for its pool; the triggers work with or without it." },
    {
      id: 'AwsSolutions-COG8',
      reason:
        "The Plus feature plan (threat protection) is the team's paid choice; the pack needs it only for account take-over notices.",
    },
  );
  return pool;
}

function synthesize(shape: Shape, extra: Partial<CognitoTriggerPackProps> = {}): Synth {
  const started = performance.now();
  const app = new App();
  const stack = new Stack(app, 'Auth', { env: { account: ACCOUNT, region: REGION } });
  const existing: Partial<CognitoTriggerPackProps> =
    shape.key === 'existing'
      ? {
          kmsKey: kms.Key.fromKeyArn(stack, 'ExistingKey', EXISTING_KEY),
          sesConfigurationSet: 'acme-tracking',
          sesExtraIdentityArns: [NORTHWIND_IDENTITY],
          smsSenderId: 'Acme',
          logRetentionInDays: 365,
          idempotencyStoreFailure: 'fail',
          emailLimitPerAddressPerHour: 3,
          smsAllowedCountries: ['US', 'CA'],
          smsLimitPerCountryPerHour: 100,
          alarmTopicArn: ALARM_TOPIC,
        }
      : {};
  const pack = new CognitoTriggerPack(stack, 'Triggers', {
    mode: shape.mode,
    templates: 'templates',
    emailFrom: FROM,
    sesIdentity: 'example.com',
    ...existing,
    ...extra,
  });
  const pool =
    shape.pool === 'app'
      ? serverlessLikePool(stack, pack)
      : cognito.UserPool.fromUserPoolId(stack, 'Users', EXISTING_POOL_ID);
  pack.attachTo(pool, shape.pool === 'imported' && shape.key === 'existing' ? { poolSmsRoleArn: POOL_SMS_ROLE } : {});
  const template = Template.fromStack(stack).toJSON() as Json;
  return { app, stack, pack, pool, cfn: readable(template) as unknown as Cfn, ms: performance.now() - started };
}

/** `{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":…"]]}` as the string it becomes in the aws partition. */
function readable(node: Json): Json {
  if (Array.isArray(node)) return node.map(readable);
  if (node === null || typeof node !== 'object') return node;
  if (node.Ref === 'AWS::Partition') return 'aws';
  const join = node['Fn::Join'] as [string, Json[]] | undefined;
  if (join !== undefined) {
    const parts = join[1].map(readable);
    if (parts.every((part) => typeof part === 'string')) return parts.join(join[0]);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, readable(value)]));
}

const synths = new Map<Shape, Synth>();
const lints = new Map<Shape, CfnLintFinding[]>();
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ctp-cdk-'));
  for (const shape of SHAPES) synths.set(shape, synthesize(shape));
  const times = SHAPES.map((shape) => `${label(shape)}: ${Math.round(synths.get(shape)?.ms ?? 0)} ms`);
  console.info(`CDK synth per shape (the first builds the bundles unless cached):\n  ${times.join('\n  ')}`);
  // One cfn-lint run for every template (its start costs about a second).
  const files = SHAPES.map((shape, index) => {
    const file = join(work, `shape-${index}.json`);
    writeFileSync(file, JSON.stringify(Template.fromStack(synthOf(shape).stack).toJSON(), null, 1));
    return file;
  });
  const findings = await cfnLint(files, REGION);
  SHAPES.forEach((shape, index) => {
    lints.set(
      shape,
      findings.filter((finding) => finding.file === files[index]),
    );
  });
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const synthOf = (shape: Shape) => synths.get(shape) as Synth;
const idOf = (synth: Synth, path: string): string => {
  const found = path.split('/').reduce<IConstruct>((scope, id) => scope.node.findChild(id), synth.pack);
  const element = (found.node.defaultChild ?? found) as CfnElement;
  return synth.stack.getLogicalId(element);
};
const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
/** `https://` and the logo distribution's domain, as CDK joins them. */
const logoBaseUrlOf = (synth: Synth) => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(synth, 'Logos/Distribution'), 'DomainName'] }]],
});
const only = (cfn: Cfn, type: string) => Object.values(resourcesOfType(cfn, type));

/** What each shape is expected to name. */
function expected(synth: Synth, shape: Shape) {
  const key = shape.key === 'existing' ? EXISTING_KEY : shape.key === 'new' ? getAtt(idOf(synth, 'CodeKey')) : null;
  const poolId = shape.pool === 'imported' ? EXISTING_POOL_ID : { Ref: synth.stack.getLogicalId(poolResource(synth)) };
  const poolArn = shape.pool === 'imported' ? POOL_ARN : getAtt(synth.stack.getLogicalId(poolResource(synth)));
  return { key, poolId, poolArn };
}
const poolResource = (synth: Synth) => synth.pool.node.defaultChild as CfnElement;

const logStatement = (synth: Synth, fn: string) => ({
  Sid: 'WriteOwnLogs',
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: getAtt(idOf(synth, `${fn}Logs`)),
});
const queueStatement = (synth: Synth) => ({
  Sid: 'RecordFailedInvocations',
  Effect: 'Allow',
  Action: 'sqs:SendMessage',
  Resource: getAtt(idOf(synth, 'FailureQueue')),
});
const tableStatement = (synth: Synth) => ({
  Sid: 'ClaimAndCountInIdempotencyTable',
  Effect: 'Allow',
  Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  Resource: getAtt(idOf(synth, 'IdempotencyTable')),
});
const decryptStatement = (key: Json, poolId: Json) => ({
  Sid: 'DecryptCodesOfThisPool',
  Effect: 'Allow',
  Action: 'kms:Decrypt',
  Resource: key,
  Condition: { StringLike: { 'kms:EncryptionContext:userpool-id': poolId } },
});
const grantCondition = (poolIdCondition: Json) => ({
  Bool: { 'kms:GrantIsForAWSResource': 'true' },
  StringEquals: { 'kms:ViaService': `cognito-idp.${REGION}.amazonaws.com` },
  StringLike: { 'kms:EncryptionContext:userpool-id': poolIdCondition },
});

describe.each(titled((shape) => shape.mode === 'message'))('%s', (_, shape) => {
  it('attaches CustomMessage (the pool of the app sends through SES as the From)', () => {
    const synth = synthOf(shape);
    const fn = getAtt(idOf(synth, 'CustomMessage'));
    if (shape.pool === 'app') {
      const [pool] = only(synth.cfn, 'AWS::Cognito::UserPool');
      expect(pool?.Properties?.LambdaConfig).toEqual({ CustomMessage: fn });
      expect(pool?.Properties?.EmailConfiguration).toEqual({
        EmailSendingAccount: 'DEVELOPER',
        From: FROM,
        SourceArn: `arn:aws:ses:${REGION}:${ACCOUNT}:identity/example.com`,
      });
    } else {
      expect(only(synth.cfn, 'AWS::Cognito::UserPool')).toEqual([]);
      const [attachment] = only(synth.cfn, 'Custom::CognitoTriggerPackTriggers');
      expect(attachment?.Properties).toEqual({
        ServiceToken: getAtt(idOf(synth, 'AttachTriggers')),
        UserPoolId: EXISTING_POOL_ID,
        Triggers: { CustomMessage: fn },
      });
    }
  });

  it('gives CustomMessage nothing beyond writing its own logs, and makes no key, queue, table or alarm', () => {
    const synth = synthOf(shape);
    expect(roleStatements(synth.cfn, idOf(synth, 'CustomMessageRole'))).toEqual([logStatement(synth, 'CustomMessage')]);
    for (const type of ['AWS::KMS::Key', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::CloudWatch::Alarm']) {
      expect(only(synth.cfn, type), type).toEqual([]);
    }
    expect(Object.keys(synth.cfn.Outputs ?? {})).toEqual(['UserPoolId']);
  });
});

describe.each(titled((shape) => shape.mode === 'sender'))('%s', (_, shape) => {
  it('sets both senders with LambdaVersion V1_0 and the key as KMSKeyID', () => {
    const synth = synthOf(shape);
    const { key } = expected(synth, shape);
    const email = getAtt(idOf(synth, 'CustomEmailSender'));
    const sms = getAtt(idOf(synth, 'CustomSmsSender'));
    const lambdaConfig = {
      CustomEmailSender: { LambdaArn: email, LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: sms, LambdaVersion: 'V1_0' },
      KMSKeyID: key,
    };
    if (shape.pool === 'app') {
      const [pool] = only(synth.cfn, 'AWS::Cognito::UserPool');
      expect(pool?.Properties?.LambdaConfig).toEqual(lambdaConfig);
      expect(pool?.Properties?.EmailConfiguration).toBeUndefined();
    } else {
      const [attachment] = only(synth.cfn, 'Custom::CognitoTriggerPackTriggers');
      const { ServiceToken, ...properties } = attachment?.Properties ?? {};
      expect(ServiceToken).toEqual(getAtt(idOf(synth, 'AttachTriggers')));
      expect(properties).toEqual({
        UserPoolId: EXISTING_POOL_ID,
        Triggers: { CustomEmailSender: email, CustomSMSSender: sms },
        KMSKeyID: key,
      });
      // What the custom resource writes into the pool's LambdaConfig from these properties.
      expect(withTriggers({}, properties as unknown as AttachProperties)).toEqual(lambdaConfig);
    }
  });

  it('gives the email sender exactly: its logs, SendEmail as the identities, the failure queue, decrypt for this pool', () => {
    const synth = synthOf(shape);
    const { key, poolId } = expected(synth, shape);
    const identity = `arn:aws:ses:${REGION}:${ACCOUNT}:identity/example.com`;
    const resources =
      shape.key === 'existing'
        ? [identity, NORTHWIND_IDENTITY, `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/acme-tracking`]
        : identity;
    expect(roleStatements(synth.cfn, idOf(synth, 'CustomEmailSenderRole'))).toEqual([
      logStatement(synth, 'CustomEmailSender'),
      { Sid: 'SendThroughConfiguredIdentities', Effect: 'Allow', Action: 'ses:SendEmail', Resource: resources },
      queueStatement(synth),
      tableStatement(synth),
      decryptStatement(key, poolId),
    ]);
  });

  it('gives the SMS sender exactly: its logs, Publish to phone numbers only, the failure queue, decrypt for this pool', () => {
    const synth = synthOf(shape);
    const { key, poolId } = expected(synth, shape);
    expect(roleStatements(synth.cfn, idOf(synth, 'CustomSmsSenderRole'))).toEqual([
      logStatement(synth, 'CustomSmsSender'),
      { Sid: 'PublishSmsToPhoneNumbersOnly', Effect: 'Allow', Action: 'sns:Publish', NotResource: 'arn:aws:sns:*:*:*' },
      queueStatement(synth),
      tableStatement(synth),
      decryptStatement(key, poolId),
    ]);
  });

  it('retries each failed send twice within an hour, then records it in an encrypted queue kept 14 days', () => {
    const synth = synthOf(shape);
    const queue = getAtt(idOf(synth, 'FailureQueue'));
    expect(only(synth.cfn, 'AWS::Lambda::EventInvokeConfig').map((config) => config.Properties)).toEqual(
      ['CustomEmailSender', 'CustomSmsSender'].map((fn) => ({
        FunctionName: { Ref: idOf(synth, fn) },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: queue } },
      })),
    );
    expect(only(synth.cfn, 'AWS::SQS::Queue').map((q) => q.Properties)).toEqual([
      { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 },
    ]);
    const roles = ['CustomEmailSenderRole', 'CustomSmsSenderRole'].map((role) => getAtt(idOf(synth, role)));
    expect(only(synth.cfn, 'AWS::SQS::QueuePolicy').map((policy) => policy.Properties)).toEqual([
      {
        Queues: [{ Ref: idOf(synth, 'FailureQueue') }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'OnlyTheSendersRecordFailures',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sqs:SendMessage',
              Resource: queue,
              Condition: { ArnNotEquals: { 'aws:PrincipalArn': roles } },
            },
            {
              Sid: 'SendersRecordFailures',
              Effect: 'Allow',
              Principal: { AWS: roles },
              Action: 'sqs:SendMessage',
              Resource: queue,
            },
            {
              Sid: 'DenyPlainHttp',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sqs:*',
              Resource: queue,
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    ]);
  });

  it('creates the key only when none is given: rotated, administered by the account, used only by the senders and the grant', () => {
    const synth = synthOf(shape);
    const keys = only(synth.cfn, 'AWS::KMS::Key');
    if (shape.key === 'existing') {
      expect(keys).toEqual([]);
      return;
    }
    const [key] = keys;
    expect(key?.Properties).toMatchObject({
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      EnableKeyRotation: true,
      PendingWindowInDays: 30,
    });
    const root = `arn:aws:iam::${ACCOUNT}:root`;
    // The key policy cannot name a pool of the same stack (the pool names the key): any pool of the region then.
    const poolCondition = shape.pool === 'imported' ? EXISTING_POOL_ID : `${REGION}_*`;
    const policy = key?.Properties?.KeyPolicy as unknown as { Statement: Record<string, Json>[] } | undefined;
    const [administer, grant, decrypt] = policy?.Statement ?? [];
    expect(administer?.Sid).toBe('AccountAdministersKey');
    for (const action of [
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'kms:CreateGrant',
      'kms:ReEncryptFrom',
    ]) {
      expect(administer?.Action).not.toContain(action);
    }
    expect(grant).toEqual({
      Sid: 'PoolWriterMakesCognitoGrant',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: grantCondition(poolCondition),
    });
    expect(decrypt).toEqual({
      Sid: 'SendersDecryptCodes',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        ArnEquals: {
          'aws:PrincipalArn': ['CustomEmailSenderRole', 'CustomSmsSenderRole'].map((r) => getAtt(idOf(synth, r))),
        },
        StringLike: { 'kms:EncryptionContext:userpool-id': poolCondition },
      },
    });
  });

  it('keeps claims and counters in a table of their own: hashed keys, a TTL, encrypted, no point-in-time recovery', () => {
    const synth = synthOf(shape);
    const [table] = only(synth.cfn, 'AWS::DynamoDB::Table');
    expect(table?.Properties).toEqual({
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
    expect(table?.DeletionPolicy).toBe('Delete');
  });

  it("alarms on a record waiting in the queue and on each sender's errors and throttles, notifying the topic given", () => {
    const synth = synthOf(shape);
    const actions = shape.key === 'existing' ? { AlarmActions: [ALARM_TOPIC], OKActions: [ALARM_TOPIC] } : {};
    const alarm = (namespace: string, metric: string, dimension: Json, statistic: string) => ({
      Namespace: namespace,
      MetricName: metric,
      Dimensions: [dimension],
      Statistic: statistic,
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: expect.any(String),
      ...actions,
    });
    const fn = (id: string) => ({ Name: 'FunctionName', Value: { Ref: idOf(synth, id) } });
    const queue = { Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(synth, 'FailureQueue'), 'QueueName'] } };
    expect(only(synth.cfn, 'AWS::CloudWatch::Alarm').map((a) => a.Properties)).toEqual([
      alarm('AWS/SQS', 'ApproximateNumberOfMessagesVisible', queue, 'Maximum'),
      alarm('AWS/Lambda', 'Errors', fn('CustomEmailSender'), 'Sum'),
      alarm('AWS/Lambda', 'Throttles', fn('CustomEmailSender'), 'Sum'),
      alarm('AWS/Lambda', 'Errors', fn('CustomSmsSender'), 'Sum'),
      alarm('AWS/Lambda', 'Throttles', fn('CustomSmsSender'), 'Sum'),
    ]);
  });

  it("outputs what replay-failures reads, under serverless.yml's names", () => {
    const synth = synthOf(shape);
    const { key, poolId } = expected(synth, shape);
    expect(synth.cfn.Outputs).toEqual({
      UserPoolId: { Value: poolId },
      EmailSenderFunctionArn: { Value: getAtt(idOf(synth, 'CustomEmailSender')) },
      SmsSenderFunctionArn: { Value: getAtt(idOf(synth, 'CustomSmsSender')) },
      CodeKeyArn: { Value: key },
      FailureQueueUrl: { Value: { Ref: idOf(synth, 'FailureQueue') } },
      IdempotencyTableName: { Value: { Ref: idOf(synth, 'IdempotencyTable') } },
    });
  });
});

describe.each(SHAPES.filter((shape) => shape.pool === 'imported'))(
  'the attachment to an imported pool ($mode)',
  (shape) => {
    it("narrows the custom resource's role to that pool, the pool's SMS role and the grant", () => {
      const synth = synthOf(shape);
      const { key } = expected(synth, shape);
      const statements = [
        logStatement(synth, 'AttachTriggers'),
        {
          Sid: 'SetTriggersOfThePool',
          Effect: 'Allow',
          Action: ['cognito-idp:DescribeUserPool', 'cognito-idp:UpdateUserPool'],
          Resource: POOL_ARN,
        },
        ...(shape.key === 'existing'
          ? [
              {
                Sid: 'KeepThePoolsSmsRole',
                Effect: 'Allow',
                Action: 'iam:PassRole',
                Resource: POOL_SMS_ROLE,
                Condition: { StringEquals: { 'iam:PassedToService': 'cognito-idp.amazonaws.com' } },
              },
            ]
          : []),
        ...(shape.mode === 'sender'
          ? [
              {
                Sid: 'MakeCognitoGrant',
                Effect: 'Allow',
                Action: 'kms:CreateGrant',
                Resource: key,
                Condition: grantCondition(EXISTING_POOL_ID),
              },
            ]
          : []),
      ];
      expect(roleStatements(synth.cfn, idOf(synth, 'AttachTriggersRole'))).toEqual(statements);
      const [attachment] = Object.values(resourcesOfType(synth.cfn, 'Custom::CognitoTriggerPackTriggers'));
      // The pool may invoke the functions before it is told to.
      const permissions = Object.keys(resourcesOfType(synth.cfn, 'AWS::Lambda::Permission'));
      expect(attachment?.DependsOn).toEqual(permissions);
    });
  },
);

describe.each(titled(() => true))('%s', (_, shape) => {
  it('lets only the pool invoke each function (SourceArn)', () => {
    const synth = synthOf(shape);
    const { poolArn } = expected(synth, shape);
    const functions = shape.mode === 'message' ? ['CustomMessage'] : ['CustomEmailSender', 'CustomSmsSender'];
    expect(only(synth.cfn, 'AWS::Lambda::Permission').map((permission) => permission.Properties)).toEqual(
      functions.map((fn) => ({
        FunctionName: getAtt(idOf(synth, fn)),
        Action: 'lambda:InvokeFunction',
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: poolArn,
      })),
    );
  });

  it("runs every function on nodejs22.x arm64 with serverless.yml's memory, timeout and variables, and keeps every log group for the stated time", () => {
    const synth = synthOf(shape);
    const { key } = expected(synth, shape);
    const common = {
      DEFAULT_LOCALE: 'en',
      DEFAULT_BRAND: 'default',
      BRAND_BY_CLIENT_ID: '',
      UNMAPPED_CLIENT_BRAND_CHOICE: 'any',
      EXTRA_LINK_ORIGINS: '',
      GREET_BY_NAME: 'verified',
      LOG_LEVEL: 'info',
      // The app's pool signs in by email (its UsernameAttributes); an imported pool's cannot be read at synth.
      SIGN_IN_ATTRIBUTES: shape.pool === 'app' ? 'email' : 'username',
      LOGO_BASE_URL: logoBaseUrlOf(synth),
    };
    const existing = shape.key === 'existing';
    const table = shape.mode === 'sender' ? { Ref: idOf(synth, 'IdempotencyTable') } : null;
    const functions: Record<string, [number, number, Record<string, Json>]> =
      shape.mode === 'message'
        ? { CustomMessage: [256, 3, common] }
        : {
            CustomEmailSender: [
              512,
              10,
              {
                ...common,
                KMS_KEY_ARN: key,
                EMAIL_FROM: FROM,
                SES_SOURCE_ARN: '',
                SES_CONFIGURATION_SET: existing ? 'acme-tracking' : '',
                ACCOUNT_TAKEOVER_LINK_HOSTS: '',
                IDEMPOTENCY_TABLE: table,
                IDEMPOTENCY_STORE_FAILURE: existing ? 'fail' : 'send',
                EMAIL_LIMIT_PER_ADDRESS_PER_HOUR: existing ? '3' : '5',
              },
            ],
            CustomSmsSender: [
              512,
              10,
              {
                ...common,
                KMS_KEY_ARN: key,
                SMS_SENDER_ID: existing ? 'Acme' : '',
                SMS_ORIGINATION_NUMBER: '',
                IDEMPOTENCY_TABLE: table,
                IDEMPOTENCY_STORE_FAILURE: existing ? 'fail' : 'send',
                SMS_ALLOWED_COUNTRIES: existing ? 'US,CA' : '',
                SMS_LIMIT_PER_NUMBER_PER_HOUR: '5',
                SMS_LIMIT_PER_COUNTRY_PER_HOUR: existing ? '100' : 'off',
              },
            ],
          };
    for (const [fn, [memory, timeout, variables]] of Object.entries(functions)) {
      expect(synth.cfn.Resources[idOf(synth, fn)]?.Properties, fn).toMatchObject({
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: memory,
        Timeout: timeout,
        Role: getAtt(idOf(synth, `${fn}Role`)),
        LoggingConfig: { LogGroup: { Ref: idOf(synth, `${fn}Logs`) } },
        Environment: { Variables: variables },
      });
    }
    for (const fn of only(synth.cfn, 'AWS::Lambda::Function')) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    }
    const groups = only(synth.cfn, 'AWS::Logs::LogGroup');
    // Each function's, the logo upload's, and the attachment's for an imported pool.
    expect(groups).toHaveLength(Object.keys(functions).length + 1 + (shape.pool === 'imported' ? 1 : 0));
    for (const group of groups) expect(group.Properties?.RetentionInDays).toBe(existing ? 365 : 30);
  });

  it('has one role per function and no Allow with a wildcard action', () => {
    const synth = synthOf(shape);
    const roles = only(synth.cfn, 'AWS::IAM::Role');
    expect(roles).toHaveLength(only(synth.cfn, 'AWS::Lambda::Function').length);
    for (const role of roles) expect(role.Properties).not.toHaveProperty('ManagedPolicyArns');
    const allows: Record<string, Json>[] = [];
    const walk = (node: Json) => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node === null || typeof node !== 'object') return;
      if (node.Effect === 'Allow' && ('Action' in node || 'NotAction' in node)) allows.push(node);
      for (const value of Object.values(node)) walk(value);
    };
    walk(synth.cfn.Resources as unknown as Json);
    expect(allows.length).toBeGreaterThan(0);
    for (const statement of allows) {
      expect(statement).not.toHaveProperty('NotAction');
      for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
    }
  });

  it('passes cfn-lint with no error; its one warning is the DependsOn CDK gives each function on its role', () => {
    const findings = lints.get(shape) ?? [];
    expect(findings.filter((finding) => finding.level === 'Error')).toEqual([]);
    expect([...new Set(findings.map((finding) => finding.rule))]).toEqual(['W3005']);
  });

  it("has no unacknowledged finding of cdk-nag's AwsSolutions pack", () => {
    const report = new AwsSolutionsChecks().validateScope(synthOf(shape).app);
    expect(report.violations).toEqual([]);
  });
});

describe('mistakes fail the synth, naming the prop', () => {
  const app = () => new Stack(new App(), 'Auth', { env: { account: ACCOUNT, region: REGION } });
  const make = (props: Partial<CognitoTriggerPackProps>, scope = app()) =>
    new CognitoTriggerPack(scope, 'Triggers', { mode: 'sender', emailFrom: FROM, templates: 'templates', ...props });

  it('refuses props the deployment or the runtime would refuse', () => {
    expect(() => make({ emailFrom: undefined })).toThrow(/prop emailFrom is required in sender mode/);
    expect(() => make({ mode: 'both' as 'sender' })).toThrow(/prop mode is "both"; use message or sender/);
    expect(() => make({ smsSenderId: 'A' })).toThrow(/prop smsSenderId is "A"; use 3–11 letters/);
    expect(() => make({ logRetentionInDays: 31 })).toThrow(/prop logRetentionInDays is "31"/);
    expect(() => make({ smsLimitPerNumberPerHour: 0 })).toThrow(/prop smsLimitPerNumberPerHour is "0"/);
    expect(() => make({ smsAllowedCountries: ['USA'] })).toThrow(/prop smsAllowedCountries is "USA"/);
    expect(() => make({ alarmTopicArn: 'alarms' })).toThrow(/prop alarmTopicArn is "alarms"/);
    expect(() => make({ defaultLocale: 'tlh' })).toThrow(/prop defaultLocale is "tlh", which is not a shipped locale/);
    expect(() => make({ brandByClientId: { client1: 'contoso' } })).toThrow(
      /prop brandByClientId names brand "contoso"/,
    );
    const scope = app();
    expect(() => make({ kmsKey: kms.Alias.fromAliasName(scope, 'Alias', 'alias/codes') }, scope)).toThrow(
      /prop kmsKey .* not an alias/,
    );
    expect(() => make({ mode: 'message', kmsKey: kms.Key.fromKeyArn(app(), 'K', EXISTING_KEY) })).toThrow(
      /prop kmsKey is for sender mode/,
    );
    expect(() => make({ templates: join(work, 'absent') })).toThrow(/there is no templates folder at .*absent/);
  });

  it('takes values known only at deploy (tokens) and leaves them to the function', () => {
    const scope = app();
    const from = new cognito.CfnUserPool(scope, 'Some').attrProviderName;
    expect(() => make({ emailFrom: from, sesIdentity: 'acme.com', defaultBrand: from }, scope)).not.toThrow();
    expect(() => make({ emailFrom: from }, app())).toThrow(
      /prop sesIdentity is required: emailFrom is known only at deploy/,
    );
  });

  it('refuses a pool of the app constructed without the key, and says how', () => {
    const scope = app();
    const pack = make({}, scope);
    expect(() => pack.attachTo(new cognito.UserPool(scope, 'Users'))).toThrow(
      /constructed without this pack's key; .*\{ \.\.\.pack\.userPoolProps, \.\.\. \}/,
    );
    const other = new kms.Key(scope, 'Other');
    expect(() => pack.attachTo(new cognito.UserPool(scope, 'OtherUsers', { customSenderKmsKey: other }))).toThrow(
      /without this pack's key/,
    );
  });

  it('refuses a second attachment, and a synth without one', () => {
    const scope = app();
    const pack = make({}, scope);
    expect(() => Template.fromStack(scope)).toThrow(/attached to no pool: call attachTo\(pool\) once/);
    pack.attachTo(cognito.UserPool.fromUserPoolId(scope, 'Users', EXISTING_POOL_ID));
    const again = make({}, app());
    const imported = cognito.UserPool.fromUserPoolId(again.node.scope as Stack, 'Users', EXISTING_POOL_ID);
    expect(() => again.attachTo(imported, { poolSmsRoleArn: 'sms-role' })).toThrow(
      /poolSmsRoleArn is "sms-role"; use the pool's SMS role ARN/,
    );
    expect(() => pack.attachTo(cognito.UserPool.fromUserPoolId(scope, 'Again', EXISTING_POOL_ID))).toThrow(
      /already attached/,
    );
  });

  it("warns when message mode's pool of the app does not send through SES, and needs the From for the pool's email", () => {
    const scope = app();
    const pack = make({ mode: 'message' }, scope);
    const pool = new cognito.UserPool(scope, 'Users');
    pack.attachTo(pool);
    Annotations.fromStack(scope).hasWarning(
      '/Auth/Users',
      Match.stringLikeRegexp('only when the pool sends through SES'),
    );
    expect(() => make({ mode: 'message', emailFrom: undefined }).userPoolProps).toThrow(/needs prop emailFrom/);
    const other = app();
    const inApp = make({ mode: 'message' }, other);
    const withSes = new cognito.UserPool(other, 'Users', { ...inApp.userPoolProps });
    expect(() => inApp.attachTo(withSes, { poolSmsRoleArn: POOL_SMS_ROLE })).toThrow(
      /use it only for an imported pool/,
    );
    expect(make({ mode: 'message', emailFrom: undefined, sesIdentity: 'acme.com' })).toBeDefined();
  });
});

describe('what invitations name (SIGN_IN_ATTRIBUTES)', () => {
  const signInOf = (pool: (stack: Stack) => cognito.IUserPool, options = {}, props = {}) => {
    const app = new App();
    const stack = new Stack(app, 'Auth', { env: { account: ACCOUNT, region: REGION } });
    const pack = new CognitoTriggerPack(stack, 'Triggers', {
      mode: 'message',
      templates: 'templates',
      emailFrom: FROM,
      ...props,
    });
    pack.attachTo(pool(stack), options);
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const variables = Object.values(functions).map(
      (fn) => (fn.Properties.Environment?.Variables ?? {}) as Record<string, string>,
    );
    return variables.find((vars) => 'DEFAULT_LOCALE' in vars)?.SIGN_IN_ATTRIBUTES;
  };

  it('reads a pool of the app: username and its aliases, or its UsernameAttributes', () => {
    const aliases = (stack: Stack) =>
      new cognito.UserPool(stack, 'Users', { signInAliases: { username: true, email: true, preferredUsername: true } });
    expect(signInOf(aliases)).toBe('username,email,preferred_username');
    const byPhone = (stack: Stack) =>
      new cognito.UserPool(stack, 'Users', { signInAliases: { email: true, phone: true } });
    expect(signInOf(byPhone)).toBe('email,phone_number');
  });

  it('takes the attach option, then the prop, over what the pool says', () => {
    const imported = (stack: Stack) => cognito.UserPool.fromUserPoolId(stack, 'Users', EXISTING_POOL_ID);
    expect(signInOf(imported)).toBe('username');
    expect(signInOf(imported, { signInAttributes: ['phone_number'] })).toBe('phone_number');
    expect(signInOf(imported, {}, { signInAttributes: ['email'] })).toBe('email');
  });

  it('refuses what the runtime would refuse, naming signInAttributes', () => {
    const imported = (stack: Stack) => cognito.UserPool.fromUserPoolId(stack, 'Users', EXISTING_POOL_ID);
    expect(() => signInOf(imported, { signInAttributes: ['preferred_username'] })).toThrow(
      /^cognito-trigger-pack: signInAttributes has preferred_username without username/,
    );
  });
});

describe('the brands\u2019 logos', () => {
  const shape = SHAPES[0] as Shape;

  it('publishes them from a private, encrypted bucket that only the distribution reads, over https', () => {
    const synth = synthOf(shape);
    const bucketId = idOf(synth, 'Logos/Bucket');
    expect(synth.cfn.Resources[bucketId]?.Properties).toMatchObject(PRIVATE_LOGO_BUCKET);
    const [policy] = only(synth.cfn, 'AWS::S3::BucketPolicy');
    const statements = (policy?.Properties?.PolicyDocument as { Statement: Array<Record<string, Json>> } | undefined)
      ?.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  'aws',
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: idOf(synth, 'Logos/Distribution') },
                ],
              ],
            },
          },
        },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const config = synth.cfn.Resources[idOf(synth, 'Logos/Distribution')]?.Properties?.DistributionConfig as Record<
      string,
      Record<string, Json>
    >;
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'https-only' });
    expect(JSON.stringify(config.Origins)).toContain('OriginAccessControlId');
  });

  it('uploads every shipped logo file with the same custom resource as serverless.yml, and gives every function its address', () => {
    const synth = synthOf(shape);
    const [files] = Object.values(resourcesOfType(synth.cfn, 'Custom::BrandLogos'));
    const objects = files?.Properties?.Objects as Array<{ Key: string; Body: string }>;
    const expectedKeys = ['default', 'northwind'].flatMap((brand) => [`${brand}-logo-`, `${brand}-logo-dark-`]);
    expect(objects.map((object) => object.Key.replace(/[0-9a-f]{10}\.png$/, '')).sort()).toEqual(expectedKeys.sort());
    expect(files?.Properties?.ServiceToken).toEqual(getAtt(idOf(synth, 'Logos/Upload')));
    const upload = synth.cfn.Resources[idOf(synth, 'Logos/Upload')]?.Properties;
    expect((upload?.Code as { ZipFile: string } | undefined)?.ZipFile).toBe(LOGO_UPLOAD_HANDLER);
    expect(roleStatements(synth.cfn, idOf(synth, 'Logos/UploadRole'))).toContainEqual({
      Sid: 'PutAndRemoveLogos',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [idOf(synth, 'Logos/Bucket'), 'Arn'] }, '/*']] },
    });
    expect(synth.pack.logoBaseUrl).toMatch(/^https:\/\/\$\{Token\[/);
  });

  it('takes the team’s own https address instead, and makes no bucket or distribution', () => {
    const own = synthesize(shape, { logoBaseUrl: 'https://assets.acme.example/email' });
    expect(own.pack.logos).toBeUndefined();
    expect(only(own.cfn, 'AWS::S3::Bucket')).toEqual([]);
    expect(only(own.cfn, 'AWS::CloudFront::Distribution')).toEqual([]);
    const fn = own.cfn.Resources[idOf(own, 'CustomMessage')]?.Properties?.Environment as {
      Variables: Record<string, Json>;
    };
    expect(fn.Variables.LOGO_BASE_URL).toBe('https://assets.acme.example/email');
    expect(() => synthesize(shape, { logoBaseUrl: 'http://assets.acme.example' })).toThrow(
      'cognito-trigger-pack: prop logoBaseUrl is "http://assets.acme.example"; give the https address the logos are published at',
    );
  });
});
