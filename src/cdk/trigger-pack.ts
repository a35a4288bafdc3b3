/**
 * The deployment serverless.yml makes, as a CDK construct: the mode's
 * functions (each with its own role, log group and, for the senders, two
 * retries into the failure queue), the code key in sender mode, and the
 * attachment to a pool, either one of the same app (`UserPool`, wired at
 * construction) or an imported one (`UserPool.fromUserPoolId`, set by a
 * custom resource that keeps the rest of the pool's configuration).
 */
import { Annotations, Aws, CfnOutput, CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName } from '../authoring/functions.js';
import { logoObjects } from '../authoring/logo-assets.js';
import { packSourceOf } from '../authoring/pack-source.js';
import { paramProblem } from '../operations/deploy-params.js';
import type { SignInAttribute } from '../runtime/target/sign-in-name.js';
import type { AttachProperties } from './attach-triggers.js';
import { type PackCode, packCode } from './bundles.js';
import { LogoHosting } from './logo-hosting.js';
import {
  type CognitoTriggerPackProps,
  checkProps,
  emailSenderEnv,
  messageEnv,
  type PackMode,
  sesIdentityOf,
  signInAttributesOf,
  smsSenderEnv,
} from './props.js';

/** What serverless.yml gives each function. */
interface FunctionSpec {
  id: string;
  trigger: 'CustomMessage' | 'CustomEmailSender' | 'CustomSMSSender';
  operation: cognito.UserPoolOperation;
  memorySize: number;
  timeout: number;
  description: string;
}

const FUNCTION_SPECS: Record<FunctionName, FunctionSpec> = {
  // 256 MB: the render is light; 3 s: Cognito waits 5 s and retries a slow trigger.
  'custom-message': {
    id: 'CustomMessage',
    trigger: 'CustomMessage',
    operation: cognito.UserPoolOperation.CUSTOM_MESSAGE,
    memorySize: 256,
    timeout: 3,
    description: 'Cognito CustomMessage trigger (branded, localized messages)',
  },
  // 512 MB: decrypting checks an ECDSA P-384 signature; 10 s: three SDK attempts of about 2 s.
  'custom-email-sender': {
    id: 'CustomEmailSender',
    trigger: 'CustomEmailSender',
    operation: cognito.UserPoolOperation.CUSTOM_EMAIL_SENDER,
    memorySize: 512,
    timeout: 10,
    description: 'Cognito CustomEmailSender trigger (decrypt, render, send through SES)',
  },
  'custom-sms-sender': {
    id: 'CustomSmsSender',
    trigger: 'CustomSMSSender',
    operation: cognito.UserPoolOperation.CUSTOM_SMS_SENDER,
    memorySize: 512,
    timeout: 10,
    description: 'Cognito CustomSMSSender trigger (decrypt, render, send through SNS)',
  },
};

const MODE_FUNCTIONS: Record<PackMode, FunctionName[]> = {
  message: ['custom-message'],
  sender: ['custom-email-sender', 'custom-sms-sender'],
};

const RUNTIME_REASON =
  'The bundles target Node 20 and run on nodejs22.x, the runtime serverless.yml deploys and the tests run against.';

export interface AttachOptions {
  /**
   * Imported pool only: the ARN of the pool's SMS role (its
   * `SmsConfiguration.SnsCallerArn`), which UpdateUserPool passes back to
   * Cognito; required when the pool sends SMS itself.
   */
  readonly poolSmsRoleArn?: string;
  /**
   * What the pool's users type to sign in, which each invitation names
   * (SIGN_IN_ATTRIBUTES). Default: the props' `signInAttributes`, else, for a
   * pool of this app, its `usernameAttributes` (or `username` with its
   * `aliasAttributes`), else `username`.
   */
  readonly signInAttributes?: readonly SignInAttribute[];
}

/** The pool settings the pack needs from the pool's construction: spread them into `UserPoolProps`. */
export interface PackUserPoolProps {
  /** Sender mode: the key Cognito encrypts codes with. */
  readonly customSenderKmsKey?: kms.IKey;
  /** Message mode: the pool sends through SES (DEVELOPER), the only way Cognito uses CustomMessage's email. */
  readonly email?: cognito.UserPoolEmail;
}

/** The pool's email as serverless.yml sets it in message mode: SES, the From, its identity, the configuration set. */
class PackPoolEmail extends cognito.UserPoolEmail {
  constructor(
    private readonly from: string,
    private readonly sourceArn: string,
    private readonly configurationSet: string | undefined,
  ) {
    super();
  }

  _bind(): cognito.UserPoolEmailConfig {
    return {
      emailSendingAccount: 'DEVELOPER',
      from: this.from,
      sourceArn: this.sourceArn,
      configurationSet: this.configurationSet,
    };
  }
}

/**
 * The pack's triggers for one pool:
 *
 * ```ts
 * const pack = new CognitoTriggerPack(this, 'Triggers', { mode: 'sender', emailFrom: 'Acme <no-reply@acme.com>' });
 * const pool = new UserPool(this, 'Users', { ...pack.userPoolProps, signInAliases: { email: true } });
 * pack.attachTo(pool);
 * ```
 */
export class CognitoTriggerPack extends Construct {
  readonly mode: PackMode;
  /** The functions of the mode, by their name in `handlers/`. */
  readonly functions: Partial<Record<FunctionName, lambda.Function>> = {};
  /** Sender mode: the key Cognito encrypts codes with (`kmsKey`, or the one created). */
  readonly key?: kms.IKey;
  /** Sender mode: where Lambda records a send that failed its retries (`replay-failures` reads it). */
  readonly failureQueue?: sqs.Queue;
  /** Sender mode: the claims and hourly counters that keep a message from going out twice (docs/idempotency.md). */
  readonly idempotencyTable?: dynamodb.Table;
  /** The brands' logo files behind CloudFront; absent when `logoBaseUrl` names the team's own host. */
  readonly logos?: LogoHosting;
  /** Where the emails load the logos from (LOGO_BASE_URL). */
  readonly logoBaseUrl: string;

  private readonly props: CognitoTriggerPackProps;
  private readonly code: PackCode;
  private readonly roles: Partial<Record<FunctionName, iam.Role>> = {};
  private readonly createdKey?: kms.Key;
  private pool?: cognito.IUserPool;

  constructor(scope: Construct, id: string, props: CognitoTriggerPackProps) {
    super(scope, id);
    this.props = props;
    this.mode = props.mode;
    this.code = packCode(props.templates ?? 'templates');
    checkProps(props, this.code.pack);
    if (props.logoBaseUrl === undefined) {
      this.logos = new LogoHosting(this, 'Logos', {
        objects: logoObjects(packSourceOf(this.code.pack) ?? { brandFiles: new Map() }),
        retention: this.retention(),
        runtimeReason: RUNTIME_REASON,
      });
    }
    this.logoBaseUrl = props.logoBaseUrl ?? this.logos?.baseUrl ?? '';
    if (this.mode === 'sender') {
      this.createdKey = props.kmsKey === undefined ? this.createKey() : undefined;
      this.key = props.kmsKey ?? this.createdKey;
      this.failureQueue = new sqs.Queue(this, 'FailureQueue', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        // 14 days, SQS's maximum: time to notice, fix and replay.
        retentionPeriod: Duration.days(14),
      });
      Validations.of(this.failureQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          "This queue is the senders' on-failure destination, the end of the line: nothing consumes it but replay-failures.",
      });
      this.idempotencyTable = this.createIdempotencyTable();
    }
    for (const name of MODE_FUNCTIONS[this.mode]) this.addFunction(name);
    if (this.failureQueue !== undefined) {
      this.restrictFailureQueue(this.failureQueue);
      this.addAlarms(this.failureQueue);
    }
    this.node.addValidation({
      validate: () =>
        this.pool === undefined ? [`${this.node.path} is attached to no pool: call attachTo(pool) once`] : [],
    });
  }

  /** Spread into the pool's props: the key (sender mode) or the SES email (message mode). */
  get userPoolProps(): PackUserPoolProps {
    if (this.mode === 'sender') return { customSenderKmsKey: this.key };
    const { emailFrom, sesSourceArn, sesConfigurationSet } = this.props;
    if (emailFrom === undefined) {
      throw new Error(
        'cognito-trigger-pack: userPoolProps needs prop emailFrom in message mode (the pool sends as it)',
      );
    }
    return { email: new PackPoolEmail(emailFrom, sesSourceArn ?? this.identityArn(), sesConfigurationSet) };
  }

  /** Sets the mode's triggers on `pool` and scopes decryption and the key to it. Call once. */
  attachTo(pool: cognito.IUserPool, options: AttachOptions = {}): void {
    if (this.pool !== undefined) throw new Error(`cognito-trigger-pack: ${this.node.path} is already attached`);
    const inApp = pool instanceof cognito.UserPool;
    if (inApp) this.checkPoolInApp(pool);
    const smsRole = options.poolSmsRoleArn;
    if (smsRole !== undefined) {
      const use = inApp ? 'it only for an imported pool' : paramProblem('poolSmsRoleArn', smsRole);
      if (use !== undefined) throw new Error(`cognito-trigger-pack: poolSmsRoleArn is "${smsRole}"; use ${use}`);
    }
    this.pool = pool;
    const signIn = signInAttributesOf(pool, options.signInAttributes ?? this.props.signInAttributes);
    for (const [, fn] of this.modeFunctions()) fn.addEnvironment('SIGN_IN_ATTRIBUTES', signIn);
    if (this.mode === 'sender') this.scopeKeyTo(pool, inApp);
    if (inApp) {
      for (const [name, fn] of this.modeFunctions()) pool.addTrigger(FUNCTION_SPECS[name].operation, fn);
    } else {
      this.attachToImportedPool(pool, options);
    }
    this.addOutputs(pool);
  }

  private createKey(): kms.Key {
    return new kms.Key(this, 'CodeKey', {
      description: 'Cognito custom sender codes (cognito-trigger-pack)',
      keySpec: kms.KeySpec.SYMMETRIC_DEFAULT,
      keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.DESTROY,
      policy: new iam.PolicyDocument({
        statements: [
          // The account administers the key (through IAM); using it is granted only by attachTo's statements.
          new iam.PolicyStatement({
            sid: 'AccountAdministersKey',
            principals: [new iam.AccountRootPrincipal()],
            actions: [
              'kms:CancelKeyDeletion',
              'kms:DeleteAlias',
              'kms:DescribeKey',
              'kms:DisableKey',
              'kms:DisableKeyRotation',
              'kms:EnableKey',
              'kms:EnableKeyRotation',
              'kms:GetKeyPolicy',
              'kms:GetKeyRotationStatus',
              'kms:ListGrants',
              'kms:ListKeyRotations',
              'kms:ListResourceTags',
              'kms:PutKeyPolicy',
              'kms:RetireGrant',
              'kms:RevokeGrant',
              'kms:RotateKeyOnDemand',
              'kms:ScheduleKeyDeletion',
              'kms:TagResource',
              'kms:UntagResource',
              'kms:UpdateAlias',
              'kms:UpdateKeyDescription',
            ],
            resources: ['*'],
          }),
        ],
      }),
    });
  }

  /** One function: its log group, its role (only the statements serverless.yml gives it) and, for a sender, its async settings. */
  private addFunction(name: FunctionName): void {
    const spec = FUNCTION_SPECS[name];
    const logGroup = new logs.LogGroup(this, `${spec.id}Logs`, {
      retention: this.retention(),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const statements = [this.logStatement(logGroup), ...this.deliveryStatements(name)];
    const role = new iam.Role(this, `${spec.id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: { [name]: new iam.PolicyDocument({ statements }) },
    });
    const made = { keyArn: this.key?.keyArn ?? '', tableName: this.idempotencyTable?.tableName ?? '' };
    const environment = {
      ...messageEnv(this.props),
      LOGO_BASE_URL: this.logoBaseUrl,
      ...(name === 'custom-email-sender' ? emailSenderEnv(this.props, made) : {}),
      ...(name === 'custom-sms-sender' ? smsSenderEnv(this.props, made) : {}),
    };
    const fn = new lambda.Function(this, spec.id, {
      code: lambda.Code.fromAsset(this.code.functions[name]),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memorySize,
      timeout: Duration.seconds(spec.timeout),
      description: spec.description,
      // Its own statements only: grants made elsewhere must not widen it.
      role: role.withoutPolicyUpdates(),
      logGroup,
      environment,
    });
    Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: RUNTIME_REASON });
    if (this.failureQueue !== undefined) {
      // Cognito invokes the senders asynchronously: two retries within an hour, then the queue.
      const queueArn = this.failureQueue.queueArn;
      new lambda.EventInvokeConfig(this, `${spec.id}AsyncInvoke`, {
        function: fn,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        // The role already holds sqs:SendMessage on the queue; no grant is added.
        onFailure: { bind: () => ({ destination: queueArn }) },
      });
    }
    this.functions[name] = fn;
    this.roles[name] = role;
  }

  /**
   * One item per message and one counter per limit and hour, each with
   * `expiresAt` for the TTL; keys are hashes. No point-in-time recovery: a
   * restore would bring back expired claims and the hashed addresses.
   */
  private createIdempotencyTable(): dynamodb.Table {
    const table = new dynamodb.Table(this, 'IdempotencyTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
      // Nothing here outlives its expiry: the table goes with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'No point-in-time recovery, as serverless.yml: a restore would bring back expired claims and counters, and keep hashed addresses and numbers 35 days past their TTL.',
    });
    return table;
  }

  /** serverless.yml's alarms, per 5 minutes: a record waiting in the queue, each sender's errors and throttles. */
  private addAlarms(queue: sqs.Queue): void {
    const period = Duration.minutes(5);
    const alarms: Array<[string, cloudwatch.IMetric, string]> = [
      [
        'FailureQueueAlarm',
        queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period }),
        'A message was not delivered after Lambda\'s retries and waits in the failure queue; fix the cause, then replay it (docs/deployment.md "Nothing lost").',
      ],
    ];
    for (const [name, channel] of [
      ['custom-email-sender', 'email'],
      ['custom-sms-sender', 'SMS'],
    ] as const) {
      const fn = this.functions[name] as lambda.Function;
      const id = FUNCTION_SPECS[name].id;
      alarms.push(
        [
          `${id}ErrorsAlarm`,
          fn.metricErrors({ statistic: 'Sum', period }),
          `The ${channel} sender failed an invocation (a send failed, a limit refused it, or another invocation held it); Lambda retries it, then records it in the failure queue.`,
        ],
        [
          `${id}ThrottlesAlarm`,
          fn.metricThrottles({ statistic: 'Sum', period }),
          `Lambda throttled the ${channel} sender (the account's or function's concurrency is used up); throttled events are retried for up to the maximum event age.`,
        ],
      );
    }
    const topicArn = this.props.alarmTopicArn;
    const action =
      topicArn === undefined ? undefined : new SnsAction(sns.Topic.fromTopicArn(this, 'AlarmTopic', topicArn));
    for (const [id, metric, alarmDescription] of alarms) {
      const alarm = new cloudwatch.Alarm(this, id, {
        metric,
        alarmDescription,
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      if (action !== undefined) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  private retention(): logs.RetentionDays {
    return (this.props.logRetentionInDays ?? 30) as logs.RetentionDays;
  }

  /** Writing to its own log group only (CloudFormation creates the group). */
  private logStatement(logGroup: logs.ILogGroup): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    });
  }

  private deliveryStatements(name: FunctionName): iam.PolicyStatement[] {
    const queue = this.failureQueue;
    const table = this.idempotencyTable;
    if (queue === undefined || table === undefined) return [];
    const record = [
      new iam.PolicyStatement({
        sid: 'RecordFailedInvocations',
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
      }),
      // A conditional PutItem claims, UpdateItem marks done and counts, DeleteItem releases; nothing reads.
      new iam.PolicyStatement({
        sid: 'ClaimAndCountInIdempotencyTable',
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
      }),
    ];
    if (name === 'custom-email-sender') {
      // SES authorizes SendEmail against the From identity and the configuration set named: exactly these.
      const set = this.props.sesConfigurationSet;
      const resources = [
        this.props.sesSourceArn ?? this.identityArn(),
        ...(this.props.sesExtraIdentityArns ?? []),
        ...(set === undefined ? [] : [this.sesArn('configuration-set', set)]),
      ];
      return [
        new iam.PolicyStatement({ sid: 'SendThroughConfiguredIdentities', actions: ['ses:SendEmail'], resources }),
        ...record,
      ];
    }
    // SNS authorizes a direct-to-phone Publish against "*"; NotResource keeps every topic out.
    const publish = new iam.PolicyStatement({
      sid: 'PublishSmsToPhoneNumbersOnly',
      actions: ['sns:Publish'],
      notResources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
    });
    return [publish, ...record];
  }

  private identityArn(): string {
    const identity = sesIdentityOf(this.props);
    if (identity === undefined) {
      throw new Error(
        this.props.emailFrom === undefined
          ? "cognito-trigger-pack: prop emailFrom or sesIdentity is required (the From's SES identity)"
          : 'cognito-trigger-pack: prop sesIdentity is required: emailFrom is known only at deploy',
      );
    }
    return this.sesArn('identity', identity);
  }

  private sesArn(resource: string, resourceName: string): string {
    return Stack.of(this).formatArn({ service: 'ses', resource, resourceName });
  }

  /** Only the two sender roles write to the queue, and only over HTTPS. */
  private restrictFailureQueue(queue: sqs.Queue): void {
    const senders = this.senderRoles().map((role) => role.roleArn);
    const anyone = [new iam.StarPrincipal()];
    const statements: iam.PolicyStatementProps[] = [
      // Lambda's destination writes with the function's role; anyone else could forge a record to replay.
      {
        sid: 'OnlyTheSendersRecordFailures',
        effect: iam.Effect.DENY,
        principals: anyone,
        actions: ['sqs:SendMessage'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': senders } },
      },
      {
        sid: 'SendersRecordFailures',
        principals: senders.map((arn) => new iam.ArnPrincipal(arn)),
        actions: ['sqs:SendMessage'],
      },
      {
        sid: 'DenyPlainHttp',
        effect: iam.Effect.DENY,
        principals: anyone,
        actions: ['sqs:*'],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ];
    for (const statement of statements) {
      queue.addToResourcePolicy(new iam.PolicyStatement({ ...statement, resources: [queue.queueArn] }));
    }
  }

  private senderRoles(): iam.Role[] {
    return MODE_FUNCTIONS.sender.map((name) => this.roles[name]).filter((role) => role !== undefined);
  }

  /** Cognito's grant on the key, with the caller's rights, and nothing else. */
  private grantCondition(poolIdCondition: string): Record<string, Record<string, string>> {
    return {
      Bool: { 'kms:GrantIsForAWSResource': 'true' },
      StringEquals: { 'kms:ViaService': `cognito-idp.${Stack.of(this).region}.amazonaws.com` },
      StringLike: { 'kms:EncryptionContext:userpool-id': poolIdCondition },
    };
  }

  /**
   * Decrypt only the pool's codes: the senders' policy names the pool id; the
   * created key's policy names it too for an imported pool, and any pool of
   * the region for one of the app (the pool names the key: a cycle).
   */
  private scopeKeyTo(pool: cognito.IUserPool, inApp: boolean): void {
    const key = this.key as kms.IKey;
    new iam.Policy(this, 'SendersDecryptPolicy', {
      policyName: 'decrypt-cognito-codes',
      roles: this.senderRoles(),
      statements: [
        new iam.PolicyStatement({
          sid: 'DecryptCodesOfThisPool',
          actions: ['kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringLike: { 'kms:EncryptionContext:userpool-id': pool.userPoolId } },
        }),
      ],
    });
    if (this.createdKey === undefined) return;
    const keyPoolCondition = inApp ? `${Stack.of(this).region}_*` : pool.userPoolId;
    this.createdKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PoolWriterMakesCognitoGrant',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: this.grantCondition(keyPoolCondition),
      }),
    );
    this.createdKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SendersDecryptCodes',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': this.senderRoles().map((role) => role.roleArn) },
          StringLike: { 'kms:EncryptionContext:userpool-id': keyPoolCondition },
        },
      }),
    );
  }

  /** A pool of this app takes the key only at construction: it must have this pack's (sender mode), and send through SES (message mode). */
  private checkPoolInApp(pool: cognito.UserPool): void {
    const cfnPool = pool.node.defaultChild as cognito.CfnUserPool;
    const stack = Stack.of(pool);
    if (this.mode === 'sender') {
      const config = stack.resolve(cfnPool.lambdaConfig) as { kmsKeyId?: unknown } | undefined;
      const wanted = JSON.stringify(stack.resolve(this.key?.keyArn));
      if (config?.kmsKeyId === undefined || JSON.stringify(config.kmsKeyId) !== wanted) {
        throw new Error(
          `cognito-trigger-pack: the pool ${pool.node.path} was constructed without this pack's key; Cognito takes the key only when the pool is made: new UserPool(scope, id, { ...pack.userPoolProps, ... }) (or customSenderKmsKey: pack.key)`,
        );
      }
    } else {
      const email = stack.resolve(cfnPool.emailConfiguration) as { emailSendingAccount?: unknown } | undefined;
      if (email?.emailSendingAccount !== 'DEVELOPER') {
        Annotations.of(pool).addWarningV2(
          'cognito-trigger-pack:message-mode-email',
          "Cognito uses CustomMessage's email subject and body only when the pool sends through SES: construct it with { ...pack.userPoolProps }",
        );
      }
    }
  }

  /**
   * An imported pool: a Lambda permission per function naming the pool, and
   * the custom resource that sets the triggers (attach-triggers.ts), with a
   * role narrowed to that pool, the pool's SMS role and Cognito's grant.
   */
  private attachToImportedPool(pool: cognito.IUserPool, options: AttachOptions): void {
    const permissions = this.modeFunctions().map(
      ([name, fn]) =>
        new lambda.CfnPermission(this, `${FUNCTION_SPECS[name].id}InvokedByPool`, {
          functionName: fn.functionArn,
          action: 'lambda:InvokeFunction',
          principal: 'cognito-idp.amazonaws.com',
          sourceArn: pool.userPoolArn,
        }),
    );
    const logGroup = new logs.LogGroup(this, 'AttachTriggersLogs', {
      retention: this.retention(),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const statements = [
      this.logStatement(logGroup),
      new iam.PolicyStatement({
        sid: 'SetTriggersOfThePool',
        actions: ['cognito-idp:DescribeUserPool', 'cognito-idp:UpdateUserPool'],
        resources: [pool.userPoolArn],
      }),
    ];
    if (options.poolSmsRoleArn !== undefined) {
      // UpdateUserPool re-sends the pool's own SMS role: exactly that role, to Cognito only.
      statements.push(
        new iam.PolicyStatement({
          sid: 'KeepThePoolsSmsRole',
          actions: ['iam:PassRole'],
          resources: [options.poolSmsRoleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'cognito-idp.amazonaws.com' } },
        }),
      );
    }
    if (this.key !== undefined) {
      // Setting KMSKeyID makes Cognito's one-time grant with the caller's rights.
      statements.push(
        new iam.PolicyStatement({
          sid: 'MakeCognitoGrant',
          actions: ['kms:CreateGrant'],
          resources: [this.key.keyArn],
          conditions: this.grantCondition(pool.userPoolId),
        }),
      );
    }
    const role = new iam.Role(this, 'AttachTriggersRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: { 'attach-triggers-to-existing-pool': new iam.PolicyDocument({ statements }) },
    });
    const handler = new lambda.Function(this, 'AttachTriggers', {
      code: lambda.Code.fromAsset(this.code.attachTriggers),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(1),
      description: "Sets cognito-trigger-pack's triggers on an existing pool, keeping its other settings",
      role: role.withoutPolicyUpdates(),
      logGroup,
    });
    Validations.of(handler).acknowledge({ id: 'AwsSolutions-L1', reason: RUNTIME_REASON });
    const properties: AttachProperties = {
      UserPoolId: pool.userPoolId,
      Triggers: Object.fromEntries(
        this.modeFunctions().map(([name, fn]) => [FUNCTION_SPECS[name].trigger, fn.functionArn]),
      ),
      ...(this.key === undefined ? {} : { KMSKeyID: this.key.keyArn }),
    };
    const attachment = new CustomResource(this, 'Triggers', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::CognitoTriggerPackTriggers',
      properties: { ...properties },
    });
    // The pool may invoke the functions before it is told to.
    for (const permission of permissions) attachment.node.addDependency(permission);
  }

  private modeFunctions(): Array<[FunctionName, lambda.Function]> {
    return MODE_FUNCTIONS[this.mode].map((name) => [name, this.functions[name] as lambda.Function]);
  }

  /** The outputs `replay-failures --stack` reads, under serverless.yml's names. */
  private addOutputs(pool: cognito.IUserPool): void {
    const outputs: Record<string, string> = { UserPoolId: pool.userPoolId };
    const { 'custom-email-sender': email, 'custom-sms-sender': sms } = this.functions;
    if (email !== undefined && sms !== undefined && this.key && this.failureQueue && this.idempotencyTable) {
      outputs.EmailSenderFunctionArn = email.functionArn;
      outputs.SmsSenderFunctionArn = sms.functionArn;
      outputs.CodeKeyArn = this.key.keyArn;
      outputs.FailureQueueUrl = this.failureQueue.queueUrl;
      outputs.IdempotencyTableName = this.idempotencyTable.tableName;
    }
    for (const [id, value] of Object.entries(outputs)) new CfnOutput(this, id, { value }).overrideLogicalId(id);
  }
}
