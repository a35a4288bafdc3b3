/**
 * The custom resource that sets this pack's triggers on a pool the stack does
 * not own (`UserPool.fromUserPoolId`), as the Serverless Framework's
 * existing-pool resource does: DescribeUserPool, then UpdateUserPool with
 * every setting as described and only LambdaConfig changed, because
 * UpdateUserPool resets whatever it is not given. It runs in Lambda
 * (nodejs22.x, whose AWS SDK it uses) and is bundled at synth.
 */
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  type LambdaConfigType,
  UpdateUserPoolCommand,
  type UpdateUserPoolCommandInput,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';

/** The resource's properties, as the construct sets them. */
export interface AttachProperties {
  UserPoolId: string;
  /** Trigger (`CustomMessage`, `CustomEmailSender`, `CustomSMSSender`) → the function ARN it invokes. */
  Triggers: Record<string, string>;
  /** Sender mode: the key Cognito encrypts codes with. */
  KMSKeyID?: string;
}

/** What the handler needs of the Cognito client (a test passes a double). */
export interface CognitoSend {
  send(command: DescribeUserPoolCommand): Promise<{ UserPool?: UserPoolType }>;
  send(command: UpdateUserPoolCommand): Promise<unknown>;
}

const CUSTOM_SENDERS = ['CustomEmailSender', 'CustomSMSSender'];

/**
 * Members DescribeUserPool returns and UpdateUserPool does not take (read-only
 * or set only at creation). Id and Name are passed on as UserPoolId and PoolName.
 */
export const DESCRIBE_ONLY = [
  'Status',
  'LastModifiedDate',
  'CreationDate',
  'SchemaAttributes',
  'AliasAttributes',
  'UsernameAttributes',
  'EstimatedNumberOfUsers',
  'SmsConfigurationFailure',
  'EmailConfigurationFailure',
  'Domain',
  'CustomDomain',
  'UsernameConfiguration',
  'Arn',
] as const;

/** The function a LambdaConfig entry invokes: an ARN, or `{ LambdaArn }` (custom senders, V2 token generation). */
function invoked(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { LambdaArn?: unknown }).LambdaArn : value;
}

/**
 * The LambdaConfig without the triggers that invoke one of `arns`; the key
 * goes with the last custom sender removed.
 */
export function withoutTriggers(config: LambdaConfigType | undefined, arns: ReadonlySet<string>): LambdaConfigType {
  const entries = Object.entries(config ?? {});
  const kept = Object.fromEntries(entries.filter(([, value]) => !arns.has(invoked(value) as string)));
  const removedSender = CUSTOM_SENDERS.some((sender) => sender in (config ?? {}) && !(sender in kept));
  if (removedSender && !CUSTOM_SENDERS.some((sender) => sender in kept)) delete kept.KMSKeyID;
  return kept as LambdaConfigType;
}

/** The LambdaConfig with this pack's triggers set (custom senders at V1_0) and its key, the rest as it was. */
export function withTriggers(config: LambdaConfigType, properties: AttachProperties): LambdaConfigType {
  const next: Record<string, unknown> = { ...config };
  for (const [trigger, arn] of Object.entries(properties.Triggers)) {
    next[trigger] = CUSTOM_SENDERS.includes(trigger) ? { LambdaArn: arn, LambdaVersion: 'V1_0' } : arn;
  }
  if (properties.KMSKeyID) next.KMSKeyID = properties.KMSKeyID;
  return next as LambdaConfigType;
}

/**
 * UpdateUserPool's input for `pool` as DescribeUserPool returned it, with
 * `lambdaConfig`: every other setting goes back unchanged. One value moves:
 * the deprecated AdminCreateUserConfig.UnusedAccountValidityDays becomes
 * PasswordPolicy.TemporaryPasswordValidityDays when that has none (the
 * Serverless Framework's resource moves it too).
 */
export function updateInput(pool: UserPoolType, lambdaConfig: LambdaConfigType): UpdateUserPoolCommandInput {
  const { Id, Name, LambdaConfig: _replaced, AdminCreateUserConfig, Policies, ...rest } = pool;
  const kept: Record<string, unknown> = { ...rest };
  for (const member of DESCRIBE_ONLY) delete kept[member];
  const { UnusedAccountValidityDays, ...admin } = AdminCreateUserConfig ?? {};
  const password = Policies?.PasswordPolicy;
  const days = password?.TemporaryPasswordValidityDays ?? UnusedAccountValidityDays;
  const policies =
    password !== undefined && days !== undefined
      ? { ...Policies, PasswordPolicy: { ...password, TemporaryPasswordValidityDays: days } }
      : Policies;
  return {
    ...kept,
    UserPoolId: Id,
    PoolName: Name,
    LambdaConfig: lambdaConfig,
    ...(AdminCreateUserConfig === undefined ? {} : { AdminCreateUserConfig: admin }),
    ...(policies === undefined ? {} : { Policies: policies }),
  };
}

/** Reads the pool, changes its LambdaConfig, writes it back. */
async function changeTriggers(
  cognito: CognitoSend,
  poolId: string,
  change: (config: LambdaConfigType | undefined) => LambdaConfigType,
): Promise<void> {
  const { UserPool: pool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  if (pool === undefined) throw new Error(`DescribeUserPool returned no pool for ${poolId}`);
  await cognito.send(new UpdateUserPoolCommand(updateInput(pool, change(pool.LambdaConfig))));
}

/**
 * Create and Update set the triggers (dropping, on the same pool, any the
 * previous properties set); Delete removes those that still invoke this
 * pack's functions, and succeeds when the pool is gone.
 */
export async function applyEvent(event: CloudFormationCustomResourceEvent, cognito: CognitoSend): Promise<void> {
  const properties = event.ResourceProperties as unknown as AttachProperties;
  const ours = new Set(Object.values(properties.Triggers));
  if (event.RequestType === 'Delete') {
    try {
      await changeTriggers(cognito, properties.UserPoolId, (config) => withoutTriggers(config, ours));
    } catch (error) {
      if ((error as { name?: unknown }).name !== 'ResourceNotFoundException') throw error;
    }
    return;
  }
  const previous = event.RequestType === 'Update' ? (event.OldResourceProperties as unknown as AttachProperties) : null;
  if (previous?.UserPoolId === properties.UserPoolId) {
    for (const arn of Object.values(previous.Triggers)) ours.add(arn);
  }
  await changeTriggers(cognito, properties.UserPoolId, (config) =>
    withTriggers(withoutTriggers(config, ours), properties),
  );
}

/** The response CloudFormation reads from the pre-signed URL. The physical id changes with the pool. */
export async function respond(
  event: CloudFormationCustomResourceEvent,
  cognito: CognitoSend,
): Promise<CloudFormationCustomResourceResponse> {
  const properties = event.ResourceProperties as unknown as AttachProperties;
  const common = {
    PhysicalResourceId: `cognito-trigger-pack:${properties.UserPoolId}`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  try {
    await applyEvent(event, cognito);
    return { ...common, Status: 'SUCCESS' };
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const physical = 'PhysicalResourceId' in event ? event.PhysicalResourceId : common.PhysicalResourceId;
    return { ...common, PhysicalResourceId: physical, Status: 'FAILED', Reason: reason.slice(0, 1000) };
  }
}

/** PUTs the response; a bytes body gets no Content-Type, which the pre-signed URL was signed without. */
export async function sendResponse(url: string, response: CloudFormationCustomResourceResponse): Promise<void> {
  const result = await fetch(url, { method: 'PUT', body: Buffer.from(JSON.stringify(response)) });
  if (!result.ok) throw new Error(`CloudFormation's response URL answered ${result.status}`);
}

/** The Lambda entry point. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<void> {
  const response = await respond(event, new CognitoIdentityProviderClient({}));
  console.log(JSON.stringify({ requestType: event.RequestType, status: response.Status, reason: response.Reason }));
  await sendResponse(event.ResponseURL, response);
}
