/**
 * serverless.yml, checked offline: osls packages each variant (both modes, a
 * new and an existing pool) with no AWS credentials, and these tests read the
 * CloudFormation it would deploy. docs/deployment.md states the same facts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIZE_BUDGETS } from '../../src/authoring/budgets.js';
import { bundle } from '../../src/authoring/build.js';
import { type FunctionName, PACK_FILES_DIR } from '../../src/authoring/functions.js';
import { LOGO_UPLOAD_HANDLER } from '../../src/authoring/logo-assets.js';
import { type ReplayTarget, readReplayTarget } from '../../src/operations/replay-failures.js';
import { readMessageConfig } from '../../src/runtime/config.js';
import { embeddedPack } from '../../src/runtime/render/embedded-pack.js';
import { readIdempotencySettings } from '../../src/runtime/sender-mode/idempotency.js';
import { readSendLimits } from '../../src/runtime/sender-mode/send-limits.js';
import { readSignInAttributes } from '../../src/runtime/target/sign-in-name.js';
import {
  danglingReferences,
  type Json,
  type Packaged,
  PSEUDO,
  packageShape,
  type Resource,
  resourcesOfType,
  roleStatements,
  type Template,
} from '../support/deploy-template.js';
import { senderEvent } from '../support/events.js';
import { PRIVATE_LOGO_BUCKET } from '../support/logo-bucket.js';
import { replayWithMocks } from '../support/replay-harness.js';

const STAGE = 'ci';
const REGION = 'eu-west-1';
const ACCOUNT = PSEUDO['AWS::AccountId'];
const NAME = `cognito-trigger-pack-${STAGE}`;
const EXISTING_POOL_ID = `${REGION}_AbCdEf123`;
const EXISTING_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const POOL_SMS_ROLE = `arn:aws:iam::${ACCOUNT}:role/acme-users-sms`;
const NORTHWIND_IDENTITY = `arn:aws:ses:${REGION}:${ACCOUNT}:identity/northwind.example`;
const ALARM_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:acme-on-call`;
const OWN_LOGO_HOST = 'https://assets.acme.example/email';

/** Each zip's function; its size bound is the example set's budget (src/authoring/budgets.ts), measured in docs/deployment.md "Functions". */
const FUNCTION_OF: Record<string, FunctionName> = {
  'customMessage.zip': 'custom-message',
  'customEmailSender.zip': 'custom-email-sender',
  'customSmsSender.zip': 'custom-sms-sender',
};

const VARIANTS = {
  message: { mode: 'message' },
  sender: { mode: 'sender' },
  senderExisting: {
    mode: 'sender',
    existingPool: 'true',
    poolName: 'acme-users',
    existingPoolId: EXISTING_POOL_ID,
    kmsKeyArn: EXISTING_KEY,
    sesConfigurationSet: 'acme-tracking',
    sesExtraIdentityArns: NORTHWIND_IDENTITY,
    smsSenderId: 'Acme',
    poolSmsRoleArn: POOL_SMS_ROLE,
    alarmTopicArn: ALARM_TOPIC,
    idempotencyStoreFailure: 'fail',
    smsAllowedCountries: 'US,CA,FR',
    smsLimitPerNumberPerHour: '3',
    smsLimitPerCountryPerHour: '200',
    emailLimitPerAddressPerHour: 'off',
  },
  messageExisting: {
    mode: 'message',
    existingPool: 'true',
    poolName: 'acme-users',
    existingPoolId: EXISTING_POOL_ID,
    signInAttributes: 'username,email',
    logoBaseUrl: OWN_LOGO_HOST,
  },
} as const;
type Variant = keyof typeof VARIANTS;

let work: string;
const packaged = {} as Record<Variant, Packaged>;
let unknownModeError: unknown;
let dist: string;
let missingPoolIdError: unknown;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'deployment-test-'));
  // The build's own bundle step, into the copy: the repo's dist/ is left to `npm run build`.
  dist = join(work, 'dist');
  await bundle(dist);
  const runIn = (name: string, params: Record<string, string>) =>
    packageShape({ work, name, dist, stage: STAGE, region: REGION, params });
  await Promise.all([
    ...Object.entries(VARIANTS).map(async ([name, params]) => {
      packaged[name as Variant] = await runIn(name, params);
    }),
    runIn('unknownMode', { mode: 'both' }).then(
      () => undefined,
      (error: unknown) => {
        unknownModeError = error;
      },
    ),
    runIn('missingPoolId', { mode: 'sender', existingPool: 'true', poolName: 'acme-users' }).then(
      () => undefined,
      (error: unknown) => {
        missingPoolIdError = error;
      },
    ),
  ]);
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const active = (variant: Variant): Template => packaged[variant].active;
const only = (template: Template, type: string): [string, Resource] => {
  const found = Object.entries(resourcesOfType(template, type));
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};
const props = (template: Template, id: string): Record<string, Json> => {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`${id} is not created`);
  return resource.Properties ?? {};
};

const logStatement = (functionSuffix: string) => ({
  Sid: 'WriteOwnLogs',
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${NAME}-${functionSuffix}:*`,
});
const queueStatement = {
  Sid: 'RecordFailedInvocations',
  Effect: 'Allow',
  Action: 'sqs:SendMessage',
  Resource: { 'Fn::GetAtt': ['SenderFailureQueue', 'Arn'] },
};
const snsStatement = {
  Sid: 'PublishSmsToPhoneNumbersOnly',
  Effect: 'Allow',
  Action: 'sns:Publish',
  NotResource: 'arn:aws:sns:*:*:*',
};
const decryptStatement = (key: Json, poolId: Json) => ({
  Sid: 'DecryptCodesOfThisPool',
  Effect: 'Allow',
  Action: 'kms:Decrypt',
  Resource: key,
  Condition: { StringLike: { 'kms:EncryptionContext:userpool-id': poolId } },
});
const sesStatement = (resources: string[]) => ({
  Sid: 'SendThroughConfiguredIdentities',
  Effect: 'Allow',
  Action: 'ses:SendEmail',
  Resource: resources,
});
/** The calls dynamodb-store.ts makes, on the table only: no GetItem, Query or Scan. */
const tableStatement = {
  Sid: 'ClaimAndCountInIdempotencyTable',
  Effect: 'Allow',
  Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  Resource: { 'Fn::GetAtt': ['IdempotencyTable', 'Arn'] },
};
const tableName = { Ref: 'IdempotencyTable' };

/** The five alarms of sender mode, by logical id: [namespace, metric, dimension, statistic]. */
const SENDER_ALARMS: Record<string, [string, string, { Name: string; Value: Json }, string]> = {
  SenderFailureQueueAlarm: [
    'AWS/SQS',
    'ApproximateNumberOfMessagesVisible',
    { Name: 'QueueName', Value: { 'Fn::GetAtt': ['SenderFailureQueue', 'QueueName'] } },
    'Maximum',
  ],
  EmailSenderErrorsAlarm: [
    'AWS/Lambda',
    'Errors',
    { Name: 'FunctionName', Value: `${NAME}-custom-email-sender` },
    'Sum',
  ],
  EmailSenderThrottlesAlarm: [
    'AWS/Lambda',
    'Throttles',
    { Name: 'FunctionName', Value: `${NAME}-custom-email-sender` },
    'Sum',
  ],
  SmsSenderErrorsAlarm: ['AWS/Lambda', 'Errors', { Name: 'FunctionName', Value: `${NAME}-custom-sms-sender` }, 'Sum'],
  SmsSenderThrottlesAlarm: [
    'AWS/Lambda',
    'Throttles',
    { Name: 'FunctionName', Value: `${NAME}-custom-sms-sender` },
    'Sum',
  ],
};
const ALARM_NAMES: Record<string, string> = {
  SenderFailureQueueAlarm: `${NAME}-sender-failures-waiting`,
  EmailSenderErrorsAlarm: `${NAME}-custom-email-sender-errors`,
  EmailSenderThrottlesAlarm: `${NAME}-custom-email-sender-throttles`,
  SmsSenderErrorsAlarm: `${NAME}-custom-sms-sender-errors`,
  SmsSenderThrottlesAlarm: `${NAME}-custom-sms-sender-throttles`,
};

/** Each alarm of the template, without its description: one 5-minute window above 0, no data is no breach. */
const alarmsOf = (template: Template) =>
  Object.fromEntries(
    Object.entries(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).map(([id, alarm]) => {
      const { AlarmDescription, ...rest } = alarm.Properties ?? {};
      expect(AlarmDescription, id).toEqual(expect.any(String));
      return [id, rest];
    }),
  );
const expectedAlarms = (actions: string[]) =>
  Object.fromEntries(
    Object.entries(SENDER_ALARMS).map(([id, [Namespace, MetricName, dimension, Statistic]]) => [
      id,
      {
        AlarmName: ALARM_NAMES[id],
        Namespace,
        MetricName,
        Dimensions: [dimension],
        Statistic,
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: actions,
        OKActions: actions,
      },
    ]),
  );

describe('message mode with a new pool', () => {
  it('attaches CustomMessage to the pool it creates, which sends through SES (DEVELOPER)', () => {
    const template = active('message');
    const [poolId, pool] = only(template, 'AWS::Cognito::UserPool');
    expect(poolId).toBe('CognitoUserPoolUsers');
    expect(pool.Properties?.LambdaConfig).toEqual({
      CustomMessage: { 'Fn::GetAtt': ['CustomMessageLambdaFunction', 'Arn'] },
    });
    expect(pool.Properties?.EmailConfiguration).toEqual({
      EmailSendingAccount: 'DEVELOPER',
      From: 'Acme <no-reply@example.com>',
      SourceArn: `arn:aws:ses:${REGION}:${ACCOUNT}:identity/example.com`,
    });
    expect(pool.Properties?.UserPoolName).toBe(NAME);
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.Properties?.DeletionProtection).toBe('ACTIVE');
  });

  it('lets only that pool invoke CustomMessage', () => {
    const [, permission] = only(active('message'), 'AWS::Lambda::Permission');
    expect(permission.Properties).toEqual({
      FunctionName: { 'Fn::GetAtt': ['CustomMessageLambdaFunction', 'Arn'] },
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': ['CognitoUserPoolUsers', 'Arn'] },
    });
  });

  it('runs CustomMessage with a 3 s timeout, well under the 5 s Cognito waits', () => {
    expect(props(active('message'), 'CustomMessageLambdaFunction')).toMatchObject({
      Handler: 'dist/custom-message.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 3,
      MemorySize: 256,
      Role: { 'Fn::GetAtt': ['CustomMessageRole', 'Arn'] },
      Environment: {
        Variables: { DEFAULT_LOCALE: 'en', DEFAULT_BRAND: 'default', BRAND_BY_CLIENT_ID: '', LOG_LEVEL: 'info' },
      },
    });
  });

  it('gives CustomMessage nothing beyond writing its own logs', () => {
    expect(roleStatements(active('message'), 'CustomMessageRole')).toEqual([logStatement('custom-message')]);
  });

  it('creates no sender function, key, queue, idempotency table or alarm, and outputs the pool id', () => {
    const template = active('message');
    expect(Object.keys(resourcesOfType(template, 'AWS::Lambda::Function')).sort()).toEqual([
      'CustomMessageLambdaFunction',
      'LogoUploadFunction',
    ]);
    expect(resourcesOfType(template, 'AWS::KMS::Key')).toEqual({});
    expect(resourcesOfType(template, 'AWS::SQS::Queue')).toEqual({});
    expect(resourcesOfType(template, 'AWS::DynamoDB::Table')).toEqual({});
    expect(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).toEqual({});
    expect(template.Outputs?.UserPoolId?.Value).toEqual({ Ref: 'CognitoUserPoolUsers' });
    expect(Object.keys(template.Outputs ?? {}).sort()).toEqual([
      'LogoBaseUrl',
      'ServerlessDeploymentBucketName',
      'UserPoolId',
    ]);
  });
});

describe('sender mode with a new pool and a new key', () => {
  const key = { 'Fn::GetAtt': ['CodeKey', 'Arn'] };

  it('attaches both senders with LambdaVersion V1_0 and the new key as KMSKeyID', () => {
    const [, pool] = only(active('sender'), 'AWS::Cognito::UserPool');
    expect(pool.Properties?.LambdaConfig).toEqual({
      CustomEmailSender: {
        LambdaArn: { 'Fn::GetAtt': ['CustomEmailSenderLambdaFunction', 'Arn'] },
        LambdaVersion: 'V1_0',
      },
      CustomSMSSender: { LambdaArn: { 'Fn::GetAtt': ['CustomSmsSenderLambdaFunction', 'Arn'] }, LambdaVersion: 'V1_0' },
      KMSKeyID: key,
    });
    // The senders deliver; Cognito sends nothing itself.
    expect(pool.Properties?.EmailConfiguration).toBeUndefined();
  });

  it('lets only that pool invoke each sender', () => {
    const permissions = Object.values(resourcesOfType(active('sender'), 'AWS::Lambda::Permission'));
    expect(permissions.map((permission) => permission.Properties)).toEqual([
      {
        FunctionName: { 'Fn::GetAtt': ['CustomEmailSenderLambdaFunction', 'Arn'] },
        Action: 'lambda:InvokeFunction',
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['CognitoUserPoolUsers', 'Arn'] },
      },
      {
        FunctionName: { 'Fn::GetAtt': ['CustomSmsSenderLambdaFunction', 'Arn'] },
        Action: 'lambda:InvokeFunction',
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['CognitoUserPoolUsers', 'Arn'] },
      },
    ]);
  });

  it('creates a symmetric key with rotation, administered by the account, used only as scoped below', () => {
    const [, codeKey] = only(active('sender'), 'AWS::KMS::Key');
    expect(codeKey.Properties).toMatchObject({
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      EnableKeyRotation: true,
    });
    const root = `arn:aws:iam::${ACCOUNT}:root`;
    const statements = (props(active('sender'), 'CodeKey').KeyPolicy as { Statement: Record<string, Json>[] })
      .Statement;
    expect(statements.map((statement) => statement.Sid)).toEqual([
      'AccountAdministersKey',
      'PoolWriterMakesCognitoGrant',
      'SendersDecryptCodes',
    ]);
    const [administer, grant, decrypt] = statements as [
      Record<string, Json>,
      Record<string, Json>,
      Record<string, Json>,
    ];
    expect(administer.Principal).toEqual({ AWS: root });
    // Administering is not using: no encrypt, decrypt or grant through this statement.
    for (const action of [
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'kms:CreateGrant',
      'kms:ReEncryptFrom',
    ]) {
      expect(administer.Action).not.toContain(action);
    }
    // Only a grant Cognito asks for on the pool writer's behalf: no principal grants itself Decrypt.
    expect(grant).toEqual({
      Sid: 'PoolWriterMakesCognitoGrant',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
        StringEquals: { 'kms:ViaService': `cognito-idp.${REGION}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:userpool-id': `${REGION}_*` },
      },
    });
    expect(decrypt).toEqual({
      Sid: 'SendersDecryptCodes',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        ArnEquals: {
          'aws:PrincipalArn': [
            { 'Fn::GetAtt': ['EmailSenderRole', 'Arn'] },
            { 'Fn::GetAtt': ['SmsSenderRole', 'Arn'] },
          ],
        },
        StringLike: { 'kms:EncryptionContext:userpool-id': `${REGION}_*` },
      },
    });
  });

  it('gives the email sender exactly: its logs, decrypt for this pool, SendEmail as the identity, the failure queue, the table', () => {
    expect(roleStatements(active('sender'), 'EmailSenderRole')).toEqual([
      logStatement('custom-email-sender'),
      sesStatement([`arn:aws:ses:${REGION}:${ACCOUNT}:identity/example.com`]),
      queueStatement,
      tableStatement,
      decryptStatement(key, { Ref: 'CognitoUserPoolUsers' }),
    ]);
  });

  it('gives the SMS sender exactly: its logs, decrypt for this pool, Publish to phone numbers only, the failure queue, the table', () => {
    expect(roleStatements(active('sender'), 'SmsSenderRole')).toEqual([
      logStatement('custom-sms-sender'),
      snsStatement,
      queueStatement,
      tableStatement,
      decryptStatement(key, { Ref: 'CognitoUserPoolUsers' }),
    ]);
  });

  it('creates the idempotency table: on demand, keyed by pk, TTL on expiresAt, encrypted with KMS, deleted with the stack', () => {
    const [id, table] = only(active('sender'), 'AWS::DynamoDB::Table');
    expect(id).toBe('IdempotencyTable');
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.UpdateReplacePolicy).toBe('Delete');
    expect(table.Properties).toEqual({
      TableName: `${NAME}-idempotency`,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      // Short-lived records, and hashed numbers and addresses: docs/deployment.md says why there is none.
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
  });

  it('passes the table and the abuse limits to each sender, with the runtime defaults', () => {
    const template = active('sender');
    const variables = (id: string) =>
      (props(template, id).Environment as { Variables: Record<string, Json> }).Variables;
    expect(variables('CustomEmailSenderLambdaFunction')).toMatchObject({
      IDEMPOTENCY_TABLE: tableName,
      IDEMPOTENCY_STORE_FAILURE: 'send',
      EMAIL_LIMIT_PER_ADDRESS_PER_HOUR: '5',
    });
    expect(variables('CustomSmsSenderLambdaFunction')).toMatchObject({
      IDEMPOTENCY_TABLE: tableName,
      IDEMPOTENCY_STORE_FAILURE: 'send',
      SMS_ALLOWED_COUNTRIES: '',
      SMS_LIMIT_PER_NUMBER_PER_HOUR: '5',
      SMS_LIMIT_PER_COUNTRY_PER_HOUR: 'off',
    });
    // Each sender gets its own channel's limits only.
    for (const name of ['SMS_ALLOWED_COUNTRIES', 'SMS_LIMIT_PER_NUMBER_PER_HOUR', 'SMS_LIMIT_PER_COUNTRY_PER_HOUR']) {
      expect(variables('CustomEmailSenderLambdaFunction')).not.toHaveProperty(name);
    }
    expect(variables('CustomSmsSenderLambdaFunction')).not.toHaveProperty('EMAIL_LIMIT_PER_ADDRESS_PER_HOUR');
  });

  it('deploys limits the runtime reads as its own defaults: 5 SMS a number, 5 emails an address, no country limit', () => {
    const template = active('sender');
    const env = (id: string) =>
      Object.fromEntries(
        Object.entries((props(template, id).Environment as { Variables: Record<string, Json> }).Variables).map(
          ([name, value]) => [name, typeof value === 'string' ? value : `${NAME}-idempotency`],
        ),
      );
    expect(readSendLimits(env('CustomSmsSenderLambdaFunction'))).toEqual(readSendLimits({}));
    expect(readSendLimits(env('CustomEmailSenderLambdaFunction'))).toEqual(readSendLimits({}));
    expect(readIdempotencySettings(env('CustomSmsSenderLambdaFunction'))).toMatchObject({
      tableName: `${NAME}-idempotency`,
      storeFailure: 'send',
    });
  });

  it("alarms on the failure queue and on each sender's errors and throttles, without actions when no topic is given", () => {
    expect(alarmsOf(active('sender'))).toEqual(expectedAlarms([]));
  });

  it('retries each failed send twice within an hour, then records it in an encrypted queue kept 14 days', () => {
    const template = active('sender');
    for (const id of ['CustomEmailSenderLambdaEvConf', 'CustomSmsSenderLambdaEvConf']) {
      expect(props(template, id)).toMatchObject({
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['SenderFailureQueue', 'Arn'] } } },
      });
    }
    expect(props(template, 'SenderFailureQueue')).toEqual({
      QueueName: `${NAME}-sender-failures`,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('lets only the two sender roles write to the failure queue, and denies everyone else', () => {
    const queue = { 'Fn::GetAtt': ['SenderFailureQueue', 'Arn'] };
    const roles = [{ 'Fn::GetAtt': ['EmailSenderRole', 'Arn'] }, { 'Fn::GetAtt': ['SmsSenderRole', 'Arn'] }];
    expect(props(active('sender'), 'SenderFailureQueuePolicy')).toEqual({
      Queues: [{ Ref: 'SenderFailureQueue' }],
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
    });
  });

  it('runs both senders on nodejs22.x arm64 with 10 s, room for three ~2 s SDK attempts', () => {
    const template = active('sender');
    expect(props(template, 'CustomEmailSenderLambdaFunction')).toMatchObject({
      Handler: 'dist/custom-email-sender.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 10,
      MemorySize: 512,
      Environment: {
        Variables: {
          KMS_KEY_ARN: key,
          EMAIL_FROM: 'Acme <no-reply@example.com>',
          SES_SOURCE_ARN: '',
          SES_CONFIGURATION_SET: '',
        },
      },
    });
    expect(props(template, 'CustomSmsSenderLambdaFunction')).toMatchObject({
      Handler: 'dist/custom-sms-sender.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 10,
      MemorySize: 512,
      Environment: { Variables: { KMS_KEY_ARN: key, SMS_SENDER_ID: '', SMS_ORIGINATION_NUMBER: '' } },
    });
    expect(resourcesOfType(template, 'AWS::Lambda::Function')).not.toHaveProperty('CustomMessageLambdaFunction');
  });

  it('outputs the pool id, the key ARN, the queue URL and the table name', () => {
    expect(active('sender').Outputs).toMatchObject({
      UserPoolId: { Value: { Ref: 'CognitoUserPoolUsers' } },
      CodeKeyArn: { Value: key },
      FailureQueueUrl: { Value: { Ref: 'SenderFailureQueue' } },
      IdempotencyTableName: { Value: tableName },
      EmailSenderFunctionArn: { Value: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${NAME}-custom-email-sender` },
      SmsSenderFunctionArn: { Value: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${NAME}-custom-sms-sender` },
    });
  });
});

describe('sender mode attached to an existing pool, with an existing key', () => {
  it('attaches the senders through the custom resource, with V1_0 and the given key', () => {
    const template = active('senderExisting');
    expect(resourcesOfType(template, 'AWS::Cognito::UserPool')).toEqual({});
    expect(resourcesOfType(template, 'AWS::KMS::Key')).toEqual({});
    // The custom resource adds each invoke permission itself, with the found pool's ARN as SourceArn.
    expect(resourcesOfType(template, 'AWS::Lambda::Permission')).toEqual({});
    const attachments = Object.values(resourcesOfType(template, 'Custom::CognitoUserPool'));
    expect(attachments.map(({ Properties: p }) => [p?.FunctionName, p?.UserPoolName, p?.UserPoolConfigs])).toEqual([
      [
        `${NAME}-custom-email-sender`,
        'acme-users',
        [{ Trigger: 'CustomEmailSender', LambdaVersion: 'V1_0', KMSKeyID: EXISTING_KEY }],
      ],
      [
        `${NAME}-custom-sms-sender`,
        'acme-users',
        [{ Trigger: 'CustomSMSSender', LambdaVersion: 'V1_0', KMSKeyID: EXISTING_KEY }],
      ],
    ]);
    expect(props(template, 'CustomEmailSenderLambdaFunction')).toMatchObject({
      Environment: {
        Variables: {
          KMS_KEY_ARN: EXISTING_KEY,
          SES_CONFIGURATION_SET: 'acme-tracking',
          IDEMPOTENCY_TABLE: tableName,
          IDEMPOTENCY_STORE_FAILURE: 'fail',
          EMAIL_LIMIT_PER_ADDRESS_PER_HOUR: 'off',
        },
      },
    });
    expect(props(template, 'CustomSmsSenderLambdaFunction')).toMatchObject({
      Environment: {
        Variables: {
          KMS_KEY_ARN: EXISTING_KEY,
          SMS_SENDER_ID: 'Acme',
          IDEMPOTENCY_TABLE: tableName,
          IDEMPOTENCY_STORE_FAILURE: 'fail',
          SMS_ALLOWED_COUNTRIES: 'US,CA,FR',
          SMS_LIMIT_PER_NUMBER_PER_HOUR: '3',
          SMS_LIMIT_PER_COUNTRY_PER_HOUR: '200',
        },
      },
    });
    expect(template.Outputs).toMatchObject({
      UserPoolId: { Value: EXISTING_POOL_ID },
      CodeKeyArn: { Value: EXISTING_KEY },
    });
  });

  it('pins decrypt to the pool id and key, and SendEmail to the identities and configuration set', () => {
    const template = active('senderExisting');
    expect(roleStatements(template, 'EmailSenderRole')).toEqual([
      logStatement('custom-email-sender'),
      sesStatement([
        `arn:aws:ses:${REGION}:${ACCOUNT}:identity/example.com`,
        NORTHWIND_IDENTITY,
        `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/acme-tracking`,
      ]),
      queueStatement,
      tableStatement,
      decryptStatement(EXISTING_KEY, EXISTING_POOL_ID),
    ]);
    expect(roleStatements(template, 'SmsSenderRole')).toEqual([
      logStatement('custom-sms-sender'),
      snsStatement,
      queueStatement,
      tableStatement,
      decryptStatement(EXISTING_KEY, EXISTING_POOL_ID),
    ]);
  });

  it('creates its own idempotency table, and notifies alarmTopicArn when an alarm goes off and when it clears', () => {
    const template = active('senderExisting');
    expect(Object.keys(resourcesOfType(template, 'AWS::DynamoDB::Table'))).toEqual(['IdempotencyTable']);
    expect(alarmsOf(template)).toEqual(expectedAlarms([ALARM_TOPIC]));
  });

  it("narrows the custom resource's role to that pool, our functions and the grant", () => {
    const functionArn = (suffix: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${NAME}-${suffix}`;
    expect(roleStatements(active('senderExisting'), 'IamRoleCustomResourcesLambdaExecution')).toEqual([
      { Sid: 'FindPoolByName', Effect: 'Allow', Action: 'cognito-idp:ListUserPools', Resource: '*' },
      {
        Sid: 'SetTriggersOfThePool',
        Effect: 'Allow',
        Action: ['cognito-idp:DescribeUserPool', 'cognito-idp:UpdateUserPool'],
        Resource: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${EXISTING_POOL_ID}`,
      },
      {
        Sid: 'LetThePoolInvokeOurFunctions',
        Effect: 'Allow',
        Action: ['lambda:AddPermission', 'lambda:RemovePermission'],
        Resource: [functionArn('custom-message'), functionArn('custom-email-sender'), functionArn('custom-sms-sender')],
      },
      {
        Sid: 'KeepThePoolsSmsRole',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: POOL_SMS_ROLE,
        Condition: { StringEquals: { 'iam:PassedToService': 'cognito-idp.amazonaws.com' } },
      },
      {
        Sid: 'MakeCognitoGrant',
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: EXISTING_KEY,
        Condition: {
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
          StringEquals: { 'kms:ViaService': `cognito-idp.${REGION}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:userpool-id': EXISTING_POOL_ID },
        },
      },
    ]);
  });
});

describe('message mode attached to an existing pool', () => {
  it('attaches CustomMessage through the custom resource, whose role gets no KMS right', () => {
    const template = active('messageExisting');
    expect(resourcesOfType(template, 'AWS::Cognito::UserPool')).toEqual({});
    const [, attachment] = only(template, 'Custom::CognitoUserPool');
    expect(attachment.Properties).toMatchObject({
      FunctionName: `${NAME}-custom-message`,
      UserPoolName: 'acme-users',
      UserPoolConfigs: [{ Trigger: 'CustomMessage' }],
    });
    const actions = roleStatements(template, 'IamRoleCustomResourcesLambdaExecution').flatMap(
      (statement) => (statement as { Action: string | string[] }).Action,
    );
    expect(actions.filter((action) => action.startsWith('kms:'))).toEqual([]);
    expect(roleStatements(template, 'CustomMessageRole')).toEqual([logStatement('custom-message')]);
    // No SMS role given: the attachment may pass none.
    expect(actions).not.toContain('iam:PassRole');
    expect(template.Outputs).toMatchObject({ UserPoolId: { Value: EXISTING_POOL_ID } });
  });
});

describe.each(Object.keys(VARIANTS) as Variant[])('the %s package', (variant) => {
  it('references only resources it creates, also under conditions that are false (CloudFormation checks those too)', () => {
    expect(danglingReferences(active(variant))).toEqual([]);
    expect(danglingReferences(packaged[variant].raw)).toEqual([]);
  });

  it('lets only the two sender roles use DynamoDB, and only on the idempotency table', () => {
    const template = active(variant);
    const dynamoDbStatements = (role: string) =>
      roleStatements(template, role).filter((statement) =>
        [(statement as { Action?: Json }).Action].flat().some((action) => String(action).startsWith('dynamodb:')),
      );
    const users = Object.keys(resourcesOfType(template, 'AWS::IAM::Role')).filter(
      (role) => dynamoDbStatements(role).length > 0,
    );
    expect(users).toEqual(variant.startsWith('sender') ? ['EmailSenderRole', 'SmsSenderRole'] : []);
    for (const role of users) expect(dynamoDbStatements(role), role).toEqual([tableStatement]);
  });

  it('has no Allow with a wildcard action', () => {
    const allows: Record<string, Json>[] = [];
    const walk = (node: Json) => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node === null || typeof node !== 'object') return;
      if (node.Effect === 'Allow' && ('Action' in node || 'NotAction' in node)) allows.push(node);
      for (const value of Object.values(node)) walk(value);
    };
    walk(active(variant).Resources as unknown as Json);
    expect(allows.length).toBeGreaterThan(0);
    for (const statement of allows) {
      expect(statement).not.toHaveProperty('NotAction');
      for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
    }
  });

  it('runs every function on nodejs22.x arm64 and keeps every log group for a stated time', () => {
    const template = active(variant);
    for (const fn of Object.values(resourcesOfType(template, 'AWS::Lambda::Function'))) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    }
    const groups = Object.values(resourcesOfType(template, 'AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) expect(group.Properties?.RetentionInDays).toBe(30);
  });

  it("zips each function as its one bundle and the template pack's files, under its budget", () => {
    const zips = Object.entries(packaged[variant].zips).filter(([name]) => name !== 'custom-resources.zip');
    const expected = variant.startsWith('message')
      ? ['customMessage.zip']
      : ['customEmailSender.zip', 'customSmsSender.zip'];
    expect(zips.map(([name]) => name).sort()).toEqual(expected);
    const packFiles = readdirSync(join(dist, PACK_FILES_DIR), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.json') || file.endsWith('.cjs'))
      .map((file) => `dist/${PACK_FILES_DIR}/${file}`);
    expect(packFiles.length).toBeGreaterThan(0);
    for (const [name, zip] of zips) {
      const fn = FUNCTION_OF[name] as FunctionName;
      expect([...zip.entries].sort(), name).toEqual([`dist/${fn}.js`, ...packFiles].sort());
      expect(zip.bytes, name).toBeLessThan(SIZE_BUDGETS[fn].zip);
    }
  });
});

it('refuses to attach to an existing pool without its id, naming the missing setting', () => {
  const { stdout, stderr } = (missingPoolIdError ?? {}) as { stdout?: string; stderr?: string };
  expect(`${stdout}${stderr}`).toContain(
    'existingPoolId is required with existingPool=true, pass --param existingPoolId=<the pool id>',
  );
});

it('refuses to package a mode other than message or sender', () => {
  const { stdout, stderr } = (unknownModeError ?? {}) as { stdout?: string; stderr?: string };
  expect(`${stdout}${stderr}`).toMatch(/Cannot resolve variable at "functions"/);
});

describe('what invitations name (SIGN_IN_ATTRIBUTES)', () => {
  const signInOf = (variant: Variant, id: string) =>
    (props(active(variant), id).Environment as { Variables: Record<string, Json> }).Variables.SIGN_IN_ATTRIBUTES;

  it("gives every function the created pool's UsernameAttributes", () => {
    const usernameAttributes = props(active('sender'), 'CognitoUserPoolUsers').UsernameAttributes as string[];
    expect(usernameAttributes).toEqual(['email']);
    for (const id of ['CustomEmailSenderLambdaFunction', 'CustomSmsSenderLambdaFunction']) {
      expect(signInOf('sender', id), id).toBe(usernameAttributes.join(','));
    }
    expect(signInOf('message', 'CustomMessageLambdaFunction')).toBe('email');
  });

  it('says username for an existing pool, unless signInAttributes names its attributes', () => {
    expect(signInOf('senderExisting', 'CustomSmsSenderLambdaFunction')).toBe('username');
    expect(signInOf('messageExisting', 'CustomMessageLambdaFunction')).toBe('username,email');
  });

  it('deploys values the runtime reads', () => {
    for (const variant of ['sender', 'senderExisting', 'messageExisting'] as const) {
      const id = variant === 'messageExisting' ? 'CustomMessageLambdaFunction' : 'CustomSmsSenderLambdaFunction';
      expect(() => readSignInAttributes({ SIGN_IN_ATTRIBUTES: String(signInOf(variant, id)) })).not.toThrow();
    }
  });
});

describe('replaying the failure queue (scripts/replay-failures.ts)', () => {
  const functionArn = (suffix: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${NAME}-${suffix}`;
  const target: ReplayTarget = {
    queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${NAME}-sender-failures`,
    emailSenderArn: functionArn('custom-email-sender'),
    smsSenderArn: functionArn('custom-sms-sender'),
    userPoolId: EXISTING_POOL_ID,
  };
  const event = senderEvent('CustomEmailSender_ForgotPassword', 'AA==');
  event.userPoolId = EXISTING_POOL_ID;
  const record = (context: Record<string, Json> = {}, payload: unknown = event) =>
    JSON.stringify({
      requestContext: {
        requestId: 'r1',
        functionArn: `${target.emailSenderArn}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
        ...context,
      },
      requestPayload: payload,
    });
  const replay = (bodies: string[], status = 202) => replayWithMocks(target, bodies, { status });

  it('reads the queue, the two sender ARNs and the pool id from the stack outputs', async () => {
    const cloudFormation = mockClient(CloudFormationClient);
    const outputs = {
      FailureQueueUrl: target.queueUrl,
      EmailSenderFunctionArn: target.emailSenderArn,
      SmsSenderFunctionArn: target.smsSenderArn,
      UserPoolId: target.userPoolId,
    };
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: NAME,
          CreationTime: new Date(0),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });
    expect(await readReplayTarget(new CloudFormationClient({}), NAME)).toEqual(target);
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: NAME, CreationTime: new Date(0), StackStatus: 'UPDATE_COMPLETE', Outputs: [] }],
    });
    await expect(readReplayTarget(new CloudFormationClient({}), NAME)).rejects.toThrow(
      /has no FailureQueueUrl, EmailSenderFunctionArn, SmsSenderFunctionArn, UserPoolId output/,
    );
    cloudFormation.restore();
  });

  it('re-invokes the original event asynchronously on the exact ARN and deletes the record once Lambda accepted it', async () => {
    const { summary, invokes, deletes } = await replay([record()]);
    expect(summary).toEqual({ replayed: 1, kept: 0 });
    expect(invokes[0]?.FunctionName).toBe(target.emailSenderArn);
    expect(invokes[0]?.InvocationType).toBe('Event');
    expect(JSON.parse(Buffer.from(invokes[0]?.Payload as Uint8Array).toString())).toEqual(event);
    expect(deletes).toEqual([{ QueueUrl: target.queueUrl, ReceiptHandle: 'h0' }]);
  });

  it('keeps a record whose replay Lambda did not accept', async () => {
    const { summary, deletes } = await replay([record()], 500);
    expect(summary).toEqual({ replayed: 0, kept: 1 });
    expect(deletes).toEqual([]);
  });

  it("keeps, and never invokes, a record for another stage's or team's function, or with a foreign event", async () => {
    const customMessage = { ...event, triggerSource: 'CustomMessage_ForgotPassword' };
    const otherPool = { ...event, userPoolId: `${REGION}_Other1234` };
    const smsEventOnEmailSender = { ...event, triggerSource: 'CustomSMSSender_ForgotPassword' };
    const forged = [
      record({ functionArn: target.emailSenderArn.replace(`-${STAGE}-`, '-prod-') }),
      record({ functionArn: target.emailSenderArn.replace('custom-email-sender', 'billing') }),
      record({ functionArn: target.emailSenderArn.replace(ACCOUNT, '999999999999') }),
      record({}, customMessage),
      record({}, otherPool),
      record({}, smsEventOnEmailSender),
      record({}, { ...event, request: 'mangled' }),
      record({}, { triggerSource: 'PreSignUp_SignUp' }),
      'not json',
    ];
    const { summary, invokes, deletes, lines } = await replay(forged);
    expect(summary).toEqual({ replayed: 0, kept: forged.length });
    expect(invokes).toEqual([]);
    expect(deletes).toEqual([]);
    expect(lines.join('\n')).toMatch(/not one of this stack's two sender functions/);
    expect(lines.join('\n')).toMatch(/not a CustomEmailSender event/);
    expect(lines.join('\n')).toMatch(/is for pool eu-west-1_Other1234/);
  });

  it('prints escape sequences from a record escaped, so they cannot forge a line', async () => {
    const hostile = record({}, { ...event, triggerSource: 'CustomEmailSender_X\u001b[2K\rreplayed m9 on everything' });
    const { lines } = await replay([hostile]);
    expect(lines.join('\n')).not.toContain('\u001b');
    expect(lines.join('\n')).toContain('\\u{1b}[2K\\u{d}replayed m9');
  });
});

describe('the brands\u2019 logos', () => {
  const environmentOf = (variant: Variant, id: string) =>
    (props(active(variant), id).Environment as { Variables: Record<string, Json> }).Variables;
  // CloudFormation's own ${…} references, not JavaScript's.
  const sub = (text: string) => ({ 'Fn::Sub': text.replace(/\{\{/g, '${').replace(/\}\}/g, '}') });
  const cloudFrontUrl = sub('https://{{LogoDistribution.DomainName}}');

  it('publishes them from a private, encrypted bucket that only the stack’s CloudFront distribution reads', () => {
    const template = active('sender');
    expect(Object.keys(resourcesOfType(template, 'AWS::S3::Bucket')).sort()).toEqual([
      'LogoBucket',
      'ServerlessDeploymentBucket',
    ]);
    expect(props(template, 'LogoBucket')).toEqual(PRIVATE_LOGO_BUCKET);
    const policy = props(template, 'LogoBucketPolicy').PolicyDocument as { Statement: Json[] };
    expect(policy.Statement[0]).toEqual({
      Sid: 'CloudFrontReadsLogos',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: sub('{{LogoBucket.Arn}}/*'),
      Condition: {
        StringEquals: {
          'AWS:SourceArn': sub(`arn:aws:cloudfront::${ACCOUNT}:distribution/{{LogoDistribution}}`),
        },
      },
    });
    expect(policy.Statement[1]).toMatchObject({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*' });
    const config = props(template, 'LogoDistribution').DistributionConfig as Record<string, Json>;
    expect(config.Origins).toEqual([
      {
        Id: 'logos',
        DomainName: { 'Fn::GetAtt': ['LogoBucket', 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': ['LogoOriginAccessControl', 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      },
    ]);
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD'],
    });
    expect(props(template, 'LogoOriginAccessControl').OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
    });
  });

  it('uploads every shipped logo file, under the names the emails load', () => {
    const template = active('message');
    const upload = props(template, 'BrandLogos');
    expect(upload.ServiceToken).toEqual({ 'Fn::GetAtt': ['LogoUploadFunction', 'Arn'] });
    expect(upload.Bucket).toEqual({ Ref: 'LogoBucket' });
    const objects = upload.Objects as Array<{ Key: string; ContentType: string; Body: string }>;
    const expected = [...embeddedPack.brands.values()].flatMap((brand) =>
      [brand.logoFiles?.light, brand.logoFiles?.dark].filter((key) => key !== undefined && key !== null),
    );
    expect(objects.map((object) => object.Key).sort()).toEqual(expected.sort());
    for (const object of objects) {
      expect(object.ContentType).toBe('image/png');
      const brand = object.Key.replace(/-logo-.*$/, '');
      const file = object.Key.includes('-logo-dark-') ? 'logo-dark.png' : 'logo.png';
      expect(Buffer.from(object.Body, 'base64')).toEqual(readFileSync(`templates/brands/${brand}/${file}`));
    }
    expect((props(template, 'LogoUploadFunction').Code as { ZipFile: string }).ZipFile).toBe(LOGO_UPLOAD_HANDLER);
    // It may write and remove logo files, and nothing else.
    expect(roleStatements(template, 'LogoUploadRole')).toContainEqual({
      Sid: 'PutAndRemoveLogos',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: sub('{{LogoBucket.Arn}}/*'),
    });
  });

  it('gives every function the distribution’s https address as LOGO_BASE_URL, and outputs it', () => {
    for (const [variant, id] of [
      ['message', 'CustomMessageLambdaFunction'],
      ['sender', 'CustomEmailSenderLambdaFunction'],
      ['sender', 'CustomSmsSenderLambdaFunction'],
    ] as const) {
      expect(environmentOf(variant, id).LOGO_BASE_URL, id).toEqual(cloudFrontUrl);
    }
    expect(active('sender').Outputs?.LogoBaseUrl?.Value).toEqual(cloudFrontUrl);
  });

  it('takes the team’s own https address instead, and then creates no bucket, distribution or upload', () => {
    const template = active('messageExisting');
    expect(environmentOf('messageExisting', 'CustomMessageLambdaFunction').LOGO_BASE_URL).toBe(OWN_LOGO_HOST);
    expect(Object.keys(resourcesOfType(template, 'AWS::S3::Bucket'))).toEqual(['ServerlessDeploymentBucket']);
    for (const id of ['LogoDistribution', 'LogoBucketPolicy', 'LogoUploadFunction', 'BrandLogos']) {
      expect(template.Resources[id], id).toBeUndefined();
    }
    expect(readMessageConfig({ LOGO_BASE_URL: OWN_LOGO_HOST }, embeddedPack).logoBaseUrl).toBe(OWN_LOGO_HOST);
  });
});
