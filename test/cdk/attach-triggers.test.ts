/**
 * The imported pool's custom resource (src/cdk/attach-triggers.ts): what it
 * sends to UpdateUserPool, checked against the SDK's own model of
 * DescribeUserPool's answer and UpdateUserPool's input, so that a setting
 * UpdateUserPool would reset cannot be left out unnoticed.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  type LambdaConfigType,
  LambdaConfigType$,
  UpdateUserPoolCommand,
  type UpdateUserPoolCommandInput,
  UpdateUserPoolRequest$,
  type UserPoolType,
  UserPoolType$,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  type AttachProperties,
  applyEvent,
  type CognitoSend,
  DESCRIBE_ONLY,
  handler,
  respond,
  updateInput,
  withoutTriggers,
  withTriggers,
} from '../../src/cdk/attach-triggers.js';

const POOL_ID = 'eu-west-1_AbCdEf123';
const fn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/other';
const SENDER_PROPERTIES: AttachProperties = {
  UserPoolId: POOL_ID,
  Triggers: { CustomEmailSender: fn('email-sender'), CustomSMSSender: fn('sms-sender') },
  KMSKeyID: KEY,
};

/** The member names of one of the SDK's structure schemas. */
const members = (schema: unknown): string[] => (schema as [unknown, unknown, unknown, unknown, string[]])[4];

/** A pool with every member DescribeUserPool can return set to a value of its own. */
function fullPool(): UserPoolType {
  const pool: Record<string, unknown> = Object.fromEntries(
    members(UserPoolType$).map((name) => [name, { kept: name }]),
  );
  pool.Id = POOL_ID;
  pool.Name = 'acme-users';
  pool.Policies = {
    PasswordPolicy: { MinimumLength: 12, RequireSymbols: false, TemporaryPasswordValidityDays: 3 },
    SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] },
  };
  pool.AdminCreateUserConfig = {
    AllowAdminCreateUserOnly: true,
    InviteMessageTemplate: { EmailSubject: 'Welcome' },
    UnusedAccountValidityDays: 3,
  };
  pool.LambdaConfig = Object.fromEntries(members(LambdaConfigType$).map((name) => [name, fn(`theirs-${name}`)]));
  return pool as UserPoolType;
}

/** A Cognito double that answers DescribeUserPool with `pool` and records each UpdateUserPool input. */
function cognitoWith(pool: UserPoolType | Error): { cognito: CognitoSend; updates: UpdateUserPoolCommandInput[] } {
  const updates: UpdateUserPoolCommandInput[] = [];
  const cognito = {
    async send(command: DescribeUserPoolCommand | UpdateUserPoolCommand) {
      if (command instanceof UpdateUserPoolCommand) {
        updates.push(command.input);
        return {};
      }
      if (pool instanceof Error) throw pool;
      return { UserPool: structuredClone(pool) };
    },
  } as CognitoSend;
  return { cognito, updates };
}

const event = (
  RequestType: 'Create' | 'Update' | 'Delete',
  properties: AttachProperties,
  old?: AttachProperties,
): CloudFormationCustomResourceEvent =>
  ({
    RequestType,
    ServiceToken: fn('attach'),
    ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/app/1',
    RequestId: 'r1',
    LogicalResourceId: 'Triggers',
    ResourceType: 'Custom::CognitoTriggerPackTriggers',
    ResourceProperties: { ServiceToken: fn('attach'), ...properties },
    ...(RequestType === 'Create' ? {} : { PhysicalResourceId: `cognito-trigger-pack:${POOL_ID}` }),
    ...(old === undefined ? {} : { OldResourceProperties: { ServiceToken: fn('attach'), ...old } }),
  }) as unknown as CloudFormationCustomResourceEvent;

describe('UpdateUserPool after DescribeUserPool', () => {
  it('sends back every setting UpdateUserPool takes exactly as described, and changes only LambdaConfig', async () => {
    const pool = fullPool();
    const { cognito, updates } = cognitoWith(pool);
    await applyEvent(event('Create', SENDER_PROPERTIES), cognito);
    const [input] = updates as unknown as [Record<string, unknown>];
    const accepted = members(UpdateUserPoolRequest$);
    expect(Object.keys(input).filter((name) => !accepted.includes(name))).toEqual([]);
    const described = pool as Record<string, unknown>;
    for (const name of accepted) {
      if (['UserPoolId', 'PoolName', 'LambdaConfig', 'AdminCreateUserConfig'].includes(name)) continue;
      expect(input[name], name).toEqual(described[name]);
    }
    expect(input.UserPoolId).toBe(POOL_ID);
    expect(input.PoolName).toBe('acme-users');
    const { UnusedAccountValidityDays: _moved, ...admin } = pool.AdminCreateUserConfig ?? {};
    expect(input.AdminCreateUserConfig).toEqual(admin);
    // Every trigger the pool had stays, but the two this pack sets.
    const config = input.LambdaConfig as Record<string, unknown>;
    for (const name of members(LambdaConfigType$)) {
      if (!['CustomEmailSender', 'CustomSMSSender', 'KMSKeyID'].includes(name)) {
        expect(config[name], name).toBe((pool.LambdaConfig as Record<string, unknown>)[name]);
      }
    }
    expect(config.CustomEmailSender).toEqual({ LambdaArn: fn('email-sender'), LambdaVersion: 'V1_0' });
    expect(config.CustomSMSSender).toEqual({ LambdaArn: fn('sms-sender'), LambdaVersion: 'V1_0' });
    expect(config.KMSKeyID).toBe(KEY);
  });

  it('knows every member DescribeUserPool returns: UpdateUserPool takes it, or it is read-only (Id and Name are renamed)', () => {
    const accepted = members(UpdateUserPoolRequest$);
    const unknown = members(UserPoolType$).filter(
      (name) => !accepted.includes(name) && !(DESCRIBE_ONLY as readonly string[]).includes(name),
    );
    expect(unknown).toEqual(['Id', 'Name']);
    expect(DESCRIBE_ONLY.filter((name) => accepted.includes(name))).toEqual([]);
  });

  it('moves the deprecated UnusedAccountValidityDays into the password policy when that has no value', () => {
    const pool: UserPoolType = {
      Id: POOL_ID,
      Name: 'acme-users',
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 5 },
    };
    expect(updateInput(pool, {})).toEqual({
      UserPoolId: POOL_ID,
      PoolName: 'acme-users',
      LambdaConfig: {},
      Policies: { PasswordPolicy: { MinimumLength: 12, TemporaryPasswordValidityDays: 5 } },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
    });
    expect(updateInput({ Id: POOL_ID, Name: 'p' }, {})).toEqual({
      UserPoolId: POOL_ID,
      PoolName: 'p',
      LambdaConfig: {},
    });
  });
});

describe('LambdaConfig', () => {
  const theirs: LambdaConfigType = {
    PreSignUp: fn('pre-sign-up'),
    PreTokenGenerationConfig: { LambdaArn: fn('tokens'), LambdaVersion: 'V2_0' },
  };

  it('sets the custom message trigger and leaves a pool without senders without a key', () => {
    const config = withTriggers(withoutTriggers(theirs, new Set([fn('message')])), {
      UserPoolId: POOL_ID,
      Triggers: { CustomMessage: fn('message') },
    });
    expect(config).toEqual({ ...theirs, CustomMessage: fn('message') });
  });

  it("removes only this pack's triggers, and the key only with the last custom sender it removed", () => {
    const attached = withTriggers(theirs, SENDER_PROPERTIES);
    expect(withoutTriggers(attached, new Set(Object.values(SENDER_PROPERTIES.Triggers)))).toEqual(theirs);
    const foreignSender: LambdaConfigType = {
      ...theirs,
      CustomSMSSender: { LambdaArn: fn('theirs'), LambdaVersion: 'V1_0' },
    };
    const withForeign = { ...foreignSender, KMSKeyID: OTHER_KEY };
    expect(withoutTriggers(withForeign, new Set([fn('email-sender')]))).toEqual(withForeign);
    expect(withoutTriggers({ ...theirs, KMSKeyID: OTHER_KEY }, new Set([fn('x')]))).toEqual({
      ...theirs,
      KMSKeyID: OTHER_KEY,
    });
    expect(withoutTriggers(undefined, new Set())).toEqual({});
  });
});

describe('the custom resource events', () => {
  const attachedPool = (): UserPoolType => ({
    Id: POOL_ID,
    Name: 'acme-users',
    LambdaConfig: withTriggers({ PreSignUp: fn('pre-sign-up') }, SENDER_PROPERTIES),
  });

  it('on Update of the same pool drops the triggers the previous properties set (a mode switch)', async () => {
    const { cognito, updates } = cognitoWith(attachedPool());
    const message: AttachProperties = { UserPoolId: POOL_ID, Triggers: { CustomMessage: fn('message') } };
    await applyEvent(event('Update', message, SENDER_PROPERTIES), cognito);
    expect(updates[0]?.LambdaConfig).toEqual({ PreSignUp: fn('pre-sign-up'), CustomMessage: fn('message') });
  });

  it('on Update to another pool leaves the old one to the Delete CloudFormation sends it', async () => {
    const { cognito, updates } = cognitoWith({ Id: 'eu-west-1_Other', Name: 'other', LambdaConfig: {} });
    const moved = { ...SENDER_PROPERTIES, UserPoolId: 'eu-west-1_Other' };
    await applyEvent(event('Update', moved, SENDER_PROPERTIES), cognito);
    expect(updates[0]?.UserPoolId).toBe('eu-west-1_Other');
    const answer = await respond(event('Update', moved, SENDER_PROPERTIES), cognito);
    expect(answer.PhysicalResourceId).toBe('cognito-trigger-pack:eu-west-1_Other');
  });

  it("on Delete removes this pack's triggers and key, and succeeds when the pool is gone", async () => {
    const { cognito, updates } = cognitoWith(attachedPool());
    await applyEvent(event('Delete', SENDER_PROPERTIES), cognito);
    expect(updates[0]?.LambdaConfig).toEqual({ PreSignUp: fn('pre-sign-up') });
    const gone = Object.assign(new Error('User pool does not exist'), { name: 'ResourceNotFoundException' });
    expect((await respond(event('Delete', SENDER_PROPERTIES), cognitoWith(gone).cognito)).Status).toBe('SUCCESS');
  });

  it('answers FAILED with the reason, keeping the physical id, when Cognito refuses', async () => {
    const denied = Object.assign(new Error('not authorized to perform cognito-idp:UpdateUserPool'), {
      name: 'AccessDeniedException',
    });
    const answer = await respond(event('Update', SENDER_PROPERTIES, SENDER_PROPERTIES), cognitoWith(denied).cognito);
    expect(answer).toMatchObject({
      Status: 'FAILED',
      Reason: 'AccessDeniedException: not authorized to perform cognito-idp:UpdateUserPool',
      PhysicalResourceId: `cognito-trigger-pack:${POOL_ID}`,
      RequestId: 'r1',
      LogicalResourceId: 'Triggers',
    });
    const { cognito } = cognitoWith({ Id: POOL_ID });
    const empty = {
      async send() {
        return {};
      },
    } as unknown as CognitoSend;
    expect((await respond(event('Create', SENDER_PROPERTIES), empty)).Reason).toMatch(/returned no pool/);
    expect((await respond(event('Create', SENDER_PROPERTIES), cognito)).Status).toBe('SUCCESS');
  });

  it('PUTs the answer to the response URL as JSON, with no Content-Type (the URL is signed without one)', async () => {
    const received: Array<{ method?: string; headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ method: request.method, headers: request.headers, body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const cognito = mockClient(CognitoIdentityProviderClient);
    cognito.on(DescribeUserPoolCommand).resolves({ UserPool: { Id: POOL_ID, Name: 'acme-users', LambdaConfig: {} } });
    cognito.on(UpdateUserPoolCommand).resolves({});
    const logged = console.log;
    console.log = () => undefined;
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
      await handler({ ...event('Create', SENDER_PROPERTIES), ResponseURL: url });
      const failing = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gone`;
      server.removeAllListeners('request');
      server.on('request', (_request, response) => {
        response.statusCode = 403;
        response.end();
      });
      await expect(handler({ ...event('Create', SENDER_PROPERTIES), ResponseURL: failing })).rejects.toThrow(/403/);
    } finally {
      console.log = logged;
      cognito.restore();
      server.close();
    }
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe('PUT');
    expect(received[0]?.headers['content-type']).toBeUndefined();
    expect(JSON.parse(received[0]?.body ?? '')).toMatchObject({ Status: 'SUCCESS', RequestId: 'r1' });
  });
});
