/**
 * The idempotency table in moto, as serverless.yml and the CDK construct make
 * it (partition key `pk`, on demand, TTL on `expiresAt`), and the sender
 * handlers run in this process against moto's DynamoDB, KMS, SES and SNS,
 * with a clock and the SES client open to a test.
 */
import { CreateTableCommand, DynamoDBClient, ScanCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { SESClient } from '@aws-sdk/client-ses';
import { SNSClient } from '@aws-sdk/client-sns';
import { STORE_CLIENT_LIMITS, sendClientConfig } from '../../src/runtime/delivery/aws-clients.js';
import { type DynamoDbClient, dynamoDbClient } from '../../src/runtime/delivery/dynamodb-client.js';
import { type DeliveryStore, dynamoDbStore } from '../../src/runtime/delivery/dynamodb-store.js';
import { sesDelivery } from '../../src/runtime/delivery/ses-delivery.js';
import { snsDelivery } from '../../src/runtime/delivery/sns-delivery.js';
import { embeddedPack } from '../../src/runtime/render/embedded-pack.js';
import { createCodeDecrypter } from '../../src/runtime/sender-mode/decrypt-code.js';
import {
  createEmailSenderHandler,
  createSmsSenderHandler,
  type SenderHandler,
} from '../../src/runtime/sender-mode/handler.js';
import { MOTO_CREDENTIALS, MOTO_REGION, type MotoBundles } from './moto-bundles.js';

let tables = 0;

/** Creates a fresh idempotency table in moto and returns its name. */
export async function createIdempotencyTable(url: string): Promise<string> {
  tables += 1;
  const tableName = `ctp-idempotency-${process.pid}-${tables}`;
  const client = motoDynamoDb(url);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    }),
  );
  return tableName;
}

/** Every item in the table, as DynamoDB returns it. */
export async function tableItems(url: string, tableName: string) {
  const { Items } = await motoDynamoDb(url).send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return Items ?? [];
}

/** The SDK's client on moto: creates and reads tables for the tests. */
export function motoDynamoDb(url: string): DynamoDBClient {
  return new DynamoDBClient(motoConfig(url));
}

/** The senders' own DynamoDB client (runtime/delivery/dynamodb-client.ts) on moto, with the senders' limits. */
export function motoStoreClient(url: string): DynamoDbClient {
  return dynamoDbClient({
    ...STORE_CLIENT_LIMITS,
    region: MOTO_REGION,
    endpoint: new URL(url),
    credentials: MOTO_CREDENTIALS,
  });
}

function motoConfig(url: string) {
  return { region: MOTO_REGION, endpoint: url, credentials: MOTO_CREDENTIALS };
}

export interface InProcessOptions {
  tableName: string;
  env?: Record<string, string>;
  /** Replaces the table (a wrapper over `store`, say). */
  store?: (store: DeliveryStore) => DeliveryStore;
  /** The SES client, to add a middleware to it. */
  ses?: SESClient;
  now?: () => number;
  logLines?: string[];
}

/** The SES client the in-process email sender uses by default: moto, with the senders' retry rules. */
export function motoSes(url: string): SESClient {
  return new SESClient({ ...sendClientConfig(), ...motoConfig(url) });
}

function parts(bundles: MotoBundles, options: InProcessOptions) {
  const url = bundles.moto.url;
  const kms = new KMSClient(motoConfig(url));
  const store = dynamoDbStore(options.tableName, motoStoreClient(url));
  return {
    env: {
      KMS_KEY_ARN: bundles.keyArn,
      EMAIL_FROM: 'Acme <no-reply@example.com>',
      LOG_LEVEL: 'debug',
      IDEMPOTENCY_TABLE: options.tableName,
      ...options.env,
    },
    common: {
      pack: embeddedPack,
      decrypter: createCodeDecrypter([bundles.keyArn], () => ({
        decrypt: (input) => kms.send(new DecryptCommand(input)),
      })),
      store: options.store ? options.store(store) : store,
      now: options.now,
      writeLog: (line: string) => options.logLines?.push(line),
    },
  };
}

/** The email sender in this process against moto. */
export function inProcessEmailSender(bundles: MotoBundles, options: InProcessOptions): SenderHandler {
  const { env, common } = parts(bundles, options);
  return createEmailSenderHandler(env, {
    ...common,
    delivery: sesDelivery(options.ses ?? motoSes(bundles.moto.url)),
  });
}

/** The SMS sender in this process against moto. */
export function inProcessSmsSender(bundles: MotoBundles, options: InProcessOptions): SenderHandler {
  const { env, common } = parts(bundles, options);
  return createSmsSenderHandler(env, {
    ...common,
    delivery: snsDelivery(new SNSClient({ ...sendClientConfig(), ...motoConfig(bundles.moto.url) })),
  });
}

/** Runs a handler; the error's `name: message`, or 'ok'. */
export async function outcomeOf(handler: SenderHandler, event: unknown): Promise<string> {
  try {
    await handler(event, { awsRequestId: 'it' });
    return 'ok';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}
