/**
 * The local stack: cognito-local as the user pool, the built `dist/`
 * bundles behind a local Lambda Invoke endpoint, and moto for KMS, SES and
 * SNS, all on 127.0.0.1 and free ports (docs/cognito.md, "Local
 * stand-ins"). `npm run stack` runs it from the terminal; the end-to-end
 * tests and `npm run demo` call `startStack()`.
 *
 * Modes pick cognito-local's (server-wide) trigger:
 * - `message`: CustomMessage → custom-message; cognito-local puts the code in
 *   our response and "delivers" it to the outbox (cognito-local-host.ts).
 * - `sender`: CustomEmailSender → custom-email-sender; cognito-local encrypts
 *   the code with the moto key as Cognito does (suite 0x0378, `userpool-id`
 *   context, one data key; cognito-local-crypto.ts), the function decrypts it
 *   and sends through moto's SES.
 * The invoke endpoint serves all three functions in both modes, so
 * custom-sms-sender (which cognito-local never calls) can be invoked directly.
 * The two senders share an idempotency table in moto's DynamoDB, made as
 * serverless.yml makes it (IdempotencyTable: `pk` String, TTL on `expiresAt`),
 * so a repeated event sends once and the abuse limits count, as deployed.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteIdentityCommand, SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { FUNCTIONS, type FunctionName } from '../authoring/functions.js';
import { packageRoot } from '../authoring/package-root.js';
import { isRecord } from '../runtime/json-object.js';
import { emailText } from '../runtime/render/email-text.js';
import { cognitoKeyring, encryptAsCognito } from './cognito-ciphertext.js';
import { checkCognitoLocalVersion } from './cognito-local-crypto.js';
import type { OutboxEntry } from './cognito-local-host.js';
import type { InvocationRecord } from './lambda-invoke-server.js';
import { type FunctionDefinition, parseInvocationRecord, startInvokeServer } from './lambda-invoke-server.js';
import { type Moto, type SentEmail, type SentSms, startMoto } from './moto.js';
import { freePort, hostProcess, isRunning, stopChild } from './processes.js';
import { brandFromAddresses, defaultBrand, type ReceivedEmail } from './read-message.js';

export type { OutboxEntry } from './cognito-local-host.js';
export type { InvocationRecord } from './lambda-invoke-server.js';
export { MOTO_INSTALL_HINT, MotoNotInstalledError, type SentEmail, type SentSms } from './moto.js';
export type { ReceivedEmail } from './read-message.js';

export type StackMode = 'message' | 'sender';
export type { FunctionName } from '../authoring/functions.js';

export const REGION = 'us-east-1';
/** moto's account. */
export const ACCOUNT_ID = '123456789012';
/** The senders' EMAIL_FROM (the default brand sets no From of its own). */
export const DEFAULT_EMAIL_FROM = 'Acme <no-reply@example.com>';
/** The senders' IDEMPOTENCY_TABLE in moto's DynamoDB. */
export const IDEMPOTENCY_TABLE = 'cognito-trigger-pack-local-idempotency';

const root = packageRoot();
const cognitoLocalHost = hostProcess(import.meta.url, 'cognito-local-host');

export interface StackOptions {
  mode: StackMode;
  /** The functions' LOG_LEVEL (default `info`). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Extra environment per function (e.g. DEFAULT_LOCALE), on top of what the stack sets. */
  functionEnv?: Partial<Record<FunctionName, Record<string, string>>>;
  /** Folder holding the bundles (default `dist/`). */
  distDir?: string;
  /** The moto_server command (default `$MOTO_SERVER` or `moto_server` on PATH). */
  motoCommand?: string;
  /** Keep the work folder (logs, cognito-local state, outbox) after stop. */
  keepWorkDir?: boolean;
  /**
   * Where the senders reach SES and SNS (AWS_ENDPOINT_URL_SES, AWS_ENDPOINT_URL_SNS), given moto's URL;
   * by default moto itself. A test puts a proxy in front of moto here (the hardening suite's fault proxy).
   * KMS, DynamoDB and the stack's own clients always talk to moto.
   */
  sendEndpoint?: (motoUrl: string) => Promise<string>;
  /** Containers per function: concurrent invocations run side by side, as Lambda scales out (default 1). */
  concurrency?: number;
  onInvocation?: (record: InvocationRecord) => void;
}

export interface StackPids {
  moto: number;
  cognitoLocal: number;
  functions: Record<string, number | null>;
}

export interface InvokeResult {
  statusCode: number;
  /** `Unhandled` when the function threw. */
  functionError: string | null;
  payload: unknown;
}

export interface Stack {
  mode: StackMode;
  endpoints: { cognito: string; lambda: string; moto: string };
  region: string;
  /** The full ARN of the moto KMS key (the pool's KMSKeyID and the senders' KMS_KEY_ARN). */
  kmsKeyArn: string;
  /** The senders' IDEMPOTENCY_TABLE, in moto's DynamoDB. */
  idempotencyTable: string;
  /** Logs, cognito-local's state and its outbox. */
  workDir: string;
  /** A Cognito client for cognito-local. */
  cognito: CognitoIdentityProviderClient;
  pids(): StackPids;
  /** A pool as these triggers need it: email as username, email auto-verified (else no message is sent). */
  createPool(name?: string): Promise<{ poolId: string; clientId: string }>;
  /** Every invocation the endpoint has seen, oldest first. */
  invocations(): Promise<InvocationRecord[]>;
  functionLogs(name: FunctionName): Promise<string[]>;
  /** What cognito-local delivered itself (message mode), oldest first. */
  outbox(): OutboxEntry[];
  /** What the senders sent through moto, oldest first. */
  sentEmails(): Promise<SentEmail[]>;
  /**
   * Every email delivered so far, oldest first, as its recipient sees it: in message mode what
   * cognito-local delivered, in sender mode what moto's SES accepted.
   */
  receivedEmails(): Promise<ReceivedEmail[]>;
  sentSms(): Promise<SentSms[]>;
  /** The SES identities the stack verified at start (From addresses of EMAIL_FROM and every brand). */
  verifiedIdentities: readonly string[];
  verifyEmailIdentity(address: string): Promise<void>;
  deleteIdentity(address: string): Promise<void>;
  /** Base64 ciphertext of `code` made as Cognito makes it for the custom senders, under the stack's key. */
  encryptLikeCognito(code: string, userPoolId: string): Promise<string>;
  /** Invokes a function through the endpoint with the AWS SDK's Lambda client. */
  invoke(name: string, event: unknown, invocationType?: 'RequestResponse' | 'Event'): Promise<InvokeResult>;
  stop(): Promise<void>;
}

/** Fresh each time: SDK v3 clients mutate the credentials object they are given. */
function localCredentials() {
  return { accessKeyId: 'testing', secretAccessKey: 'testing' };
}

function addressOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
}

function parseOutboxLine(line: string): OutboxEntry | null {
  const value: unknown = JSON.parse(line);
  if (!isRecord(value)) return null;
  const optional = (field: unknown) => (typeof field === 'string' ? field : null);
  const { at, channel, username, destination } = value;
  if (typeof at !== 'string' || typeof username !== 'string' || typeof destination !== 'string') return null;
  if (channel !== 'email' && channel !== 'sms') return null;
  return {
    at,
    channel,
    username,
    destination,
    emailSubject: optional(value.emailSubject),
    emailMessage: optional(value.emailMessage),
    smsMessage: optional(value.smsMessage),
  };
}

function parseInvocations(value: unknown): InvocationRecord[] {
  const records = Array.isArray(value) ? value.map(parseInvocationRecord) : [null];
  if (records.some((record) => record === null)) throw new Error('the invoke endpoint returned malformed records');
  return records.filter((record): record is InvocationRecord => record !== null);
}

async function startCognitoLocal(options: {
  workDir: string;
  config: (url: string, port: number) => Record<string, unknown>;
  outbox: string;
  logFile: string;
}): Promise<{ url: string; child: ChildProcess }> {
  let lastError: unknown;
  // The port is free when picked but could be taken before cognito-local binds it: try again with another.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const stateDir = join(options.workDir, 'cognito-local');
    mkdirSync(join(stateDir, '.cognito'), { recursive: true });
    writeFileSync(join(stateDir, '.cognito', 'config.json'), JSON.stringify(options.config(url, port), null, 2));
    const log = openSync(options.logFile, 'a');
    const child = fork(cognitoLocalHost.script, [stateDir, options.outbox], {
      cwd: stateDir,
      // No CODE: cognito-local makes random codes, so a test must read each one from the message.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOST: '127.0.0.1', PORT: String(port) },
      execArgv: cognitoLocalHost.execArgv,
      stdio: ['ignore', log, log, 'ipc'],
      serialization: 'json',
    });
    closeSync(log);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('cognito-local did not start within 20 s')), 20_000);
        child.on('message', (message: unknown) => {
          if (isRecord(message) && message.type === 'ready') {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`cognito-local exited with status ${code} while starting; see ${options.logFile}`));
        });
      });
      return { url, child };
    } catch (error) {
      lastError = error;
      await stopChild(child);
    }
  }
  throw lastError;
}

/**
 * The senders' table, as serverless.yml's IdempotencyTable makes it: partition key `pk` (String), no sort key,
 * on-demand, TTL on `expiresAt` (src/runtime/delivery/dynamodb-store.ts, docs/idempotency.md "The table").
 */
async function createIdempotencyTable(aws: { endpoint: string; region: string }): Promise<void> {
  const dynamodb = new DynamoDBClient({ ...aws, credentials: localCredentials() });
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: IDEMPOTENCY_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: IDEMPOTENCY_TABLE,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
  } finally {
    dynamodb.destroy();
  }
}

/** Starts moto, the invoke endpoint with the three functions, and cognito-local for `mode`. */
export async function startStack(options: StackOptions): Promise<Stack> {
  // cognito-local's host makes it encrypt codes as Cognito does, written for 5.3.0 (cognito-local-crypto.ts):
  // another version fails here, at once, with one sentence naming the supported one.
  checkCognitoLocalVersion();
  const distDir = options.distDir ?? join(root, 'dist');
  for (const name of FUNCTIONS) {
    if (!existsSync(join(distDir, `${name}.js`))) {
      throw new Error(`${join(distDir, `${name}.js`)} is missing: run \`npm run build\` first`);
    }
  }
  const workDir = mkdtempSync(join(tmpdir(), 'ctp-stack-'));
  const cleanups: Array<() => Promise<void>> = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const cleanup of cleanups.reverse()) await cleanup();
    if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  };

  try {
    const moto: Moto = await startMoto({ logFile: join(workDir, 'moto.log'), command: options.motoCommand });
    cleanups.push(() => moto.stop());
    const aws = { endpoint: moto.url, region: REGION };

    const kms = new KMSClient({ ...aws, credentials: localCredentials() });
    const key = await kms.send(
      new CreateKeyCommand({
        Description: 'cognito-trigger-pack local stack: custom sender codes',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
      }),
    );
    kms.destroy();
    const kmsKeyArn = key.KeyMetadata?.Arn;
    if (!kmsKeyArn) throw new Error('moto returned no key ARN');

    const ses = new SESClient({ ...aws, credentials: localCredentials() });
    cleanups.push(async () => ses.destroy());
    const verifiedIdentities = [...new Set([DEFAULT_EMAIL_FROM, ...brandFromAddresses()].map(addressOf))];
    for (const address of verifiedIdentities) await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: address }));

    await createIdempotencyTable(aws);

    const logLevel = options.logLevel ?? 'info';
    const awsEnv = {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: moto.url,
      IDEMPOTENCY_TABLE,
    };
    if (options.sendEndpoint) {
      const sendEndpoint = await options.sendEndpoint(moto.url);
      Object.assign(awsEnv, { AWS_ENDPOINT_URL_SES: sendEndpoint, AWS_ENDPOINT_URL_SNS: sendEndpoint });
    }
    // The folder's `default` brand, else its first: a team's folder need not have one named default.
    const common = { LOG_LEVEL: logLevel, DEFAULT_BRAND: defaultBrand() };
    const functionEnv: Record<FunctionName, Record<string, string>> = {
      'custom-message': common,
      'custom-email-sender': { ...common, ...awsEnv, KMS_KEY_ARN: kmsKeyArn, EMAIL_FROM: DEFAULT_EMAIL_FROM },
      'custom-sms-sender': { ...common, ...awsEnv, KMS_KEY_ARN: kmsKeyArn },
    };
    const functions: FunctionDefinition[] = FUNCTIONS.map((name) => ({
      name,
      bundle: join(distDir, `${name}.js`),
      env: { ...functionEnv[name], ...options.functionEnv?.[name] },
      concurrency: options.concurrency,
    }));
    const invokeServer = await startInvokeServer({
      functions,
      workDir,
      region: REGION,
      accountId: ACCOUNT_ID,
      onInvocation: options.onInvocation,
    });
    cleanups.push(() => invokeServer.stop());
    // The functions' cold starts overlap cognito-local's start.
    const warming = invokeServer.warm();

    const outboxFile = join(workDir, 'outbox.jsonl');
    const cognitoLocal = await startCognitoLocal({
      workDir,
      outbox: outboxFile,
      logFile: join(workDir, 'cognito-local.log'),
      config: (url, port) => ({
        LambdaClient: { endpoint: invokeServer.url, region: REGION, credentials: localCredentials() },
        KMSConfig: { endpoint: moto.url, region: REGION, credentials: localCredentials(), KMSKeyId: kmsKeyArn },
        UserPoolDefaults: { UsernameAttributes: ['email'] },
        TriggerFunctions:
          options.mode === 'message'
            ? { CustomMessage: 'custom-message' }
            : { CustomEmailSender: 'custom-email-sender' },
        TokenConfig: { IssuerDomain: url },
        ServerConfig: { hostname: '127.0.0.1', port },
      }),
    });
    cleanups.push(() => stopChild(cognitoLocal.child));
    for (const [name, initError] of Object.entries(await warming)) {
      if (initError) throw new Error(`${name} failed to load: ${initError.errorType}: ${initError.errorMessage}`);
    }

    const cognito = new CognitoIdentityProviderClient({
      endpoint: cognitoLocal.url,
      region: REGION,
      credentials: localCredentials(),
    });
    cleanups.push(async () => cognito.destroy());
    const lambda = new LambdaClient({
      endpoint: invokeServer.url,
      region: REGION,
      credentials: localCredentials(),
      maxAttempts: 1,
    });
    cleanups.push(async () => lambda.destroy());
    const keyring = cognitoKeyring(kmsKeyArn, { ...aws, credentials: localCredentials() });

    const getJson = async (path: string): Promise<unknown> => {
      const response = await fetch(`${invokeServer.url}${path}`);
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
      return response.json();
    };

    const outbox = (): OutboxEntry[] =>
      existsSync(outboxFile)
        ? readFileSync(outboxFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map(parseOutboxLine)
            .filter((entry): entry is OutboxEntry => entry !== null)
        : [];

    return {
      mode: options.mode,
      endpoints: { cognito: cognitoLocal.url, lambda: invokeServer.url, moto: moto.url },
      region: REGION,
      kmsKeyArn,
      idempotencyTable: IDEMPOTENCY_TABLE,
      workDir,
      cognito,
      verifiedIdentities,
      pids: () => ({ moto: moto.pid, cognitoLocal: cognitoLocal.child.pid ?? -1, functions: invokeServer.pids() }),
      async createPool(name = `pool-${randomUUID().slice(0, 8)}`) {
        const pool = await cognito.send(
          new CreateUserPoolCommand({
            PoolName: name,
            AutoVerifiedAttributes: ['email'],
            UsernameAttributes: ['email'],
            // What a real pool in sender mode carries; cognito-local itself takes its triggers from config.json.
            LambdaConfig:
              options.mode === 'sender'
                ? {
                    KMSKeyID: kmsKeyArn,
                    CustomEmailSender: {
                      LambdaArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:custom-email-sender`,
                      LambdaVersion: 'V1_0',
                    },
                  }
                : { CustomMessage: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:custom-message` },
          }),
        );
        const poolId = pool.UserPool?.Id;
        if (!poolId) throw new Error('CreateUserPool returned no pool id');
        const client = await cognito.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: `${name}-app`,
            ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          }),
        );
        const clientId = client.UserPoolClient?.ClientId;
        if (!clientId) throw new Error('CreateUserPoolClient returned no client id');
        return { poolId, clientId };
      },
      invocations: async () => parseInvocations(await getJson('/local/invocations')),
      functionLogs: async (name) => {
        const lines = await getJson(`/local/functions/${name}/logs`);
        return Array.isArray(lines) ? lines.filter((line): line is string => typeof line === 'string') : [];
      },
      outbox,
      sentEmails: () => moto.sentEmails(),
      async receivedEmails() {
        if (options.mode === 'message') {
          return outbox()
            .filter((entry) => entry.channel === 'email')
            .map((entry) => ({
              to: entry.destination,
              from: null,
              subject: entry.emailSubject ?? '',
              html: entry.emailMessage ?? '',
              text: emailText(entry.emailMessage ?? ''),
            }));
        }
        return (await moto.sentEmails()).map((email) => ({
          to: email.to.join(', '),
          from: email.source,
          subject: email.subject,
          html: email.html,
          text: emailText(email.html),
        }));
      },
      sentSms: () => moto.sentSms(),
      async verifyEmailIdentity(address) {
        await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: address }));
      },
      async deleteIdentity(address) {
        await ses.send(new DeleteIdentityCommand({ Identity: address }));
      },
      encryptLikeCognito: (code, userPoolId) => encryptAsCognito(keyring, code, userPoolId),
      async invoke(name, event, invocationType = 'RequestResponse') {
        const output = await lambda.send(
          new InvokeCommand({
            FunctionName: name,
            InvocationType: invocationType,
            Payload: new TextEncoder().encode(JSON.stringify(event)),
          }),
        );
        const body = output.Payload ? new TextDecoder().decode(output.Payload) : '';
        return {
          statusCode: output.StatusCode ?? 0,
          functionError: output.FunctionError ?? null,
          payload: body === '' ? null : JSON.parse(body),
        };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The stack's processes that are still running (empty after a clean stop). */
export function runningPids(pids: StackPids): number[] {
  return [pids.moto, pids.cognitoLocal, ...Object.values(pids.functions)].filter(
    (pid): pid is number => pid !== null && pid > 0 && isRunning(pid),
  );
}
