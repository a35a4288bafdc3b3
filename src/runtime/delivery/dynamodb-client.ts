/**
 * The idempotency table's DynamoDB calls, made over DynamoDB's JSON protocol
 * (docs/idempotency.md, "The DynamoDB client") with the parts of the AWS SDK
 * that matter: SigV4 signing (`@smithy/signature-v4`), the keep-alive HTTP
 * handler with its timeouts (`@smithy/node-http-handler`) and the default
 * credential chain (`@aws-sdk/credential-provider-node`).
 *
 * Why not `@aws-sdk/client-dynamodb`: its per-call middleware (schema
 * serde, the sensitive-log filter, endpoint rules, user agent) cost about
 * 0.3 ms of CPU a call in `npm run bench`, so the claim and the done mark
 * took a warm send 0.8 ms over its budget of 0.6 ms. The four calls here are
 * plain JSON, so this path costs about a quarter of that.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { type Env, optionalEnv } from '../config.js';
import { ConfigurationError } from '../errors.js';

export type DynamoDbOperation = 'PutItem' | 'UpdateItem' | 'DeleteItem';

/** One DynamoDB call: the operation and its JSON input; resolves to the JSON output. */
export interface DynamoDbClient {
  call(operation: DynamoDbOperation, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/**
 * A failed call, shaped like the SDK's service errors (`name`, `$metadata`)
 * so awsErrorFacts reads it. The service's message is not kept: it can quote
 * the request.
 */
export class DynamoDbError extends Error {
  readonly $metadata: { httpStatusCode?: number; requestId?: string };
  /** The item DynamoDB returned with a ConditionalCheckFailedException (ReturnValuesOnConditionCheckFailure). */
  readonly Item: Record<string, { S?: string; N?: string }> | undefined;

  constructor(
    name: string,
    operation: DynamoDbOperation,
    metadata: { httpStatusCode?: number; requestId?: string },
    item?: Record<string, { S?: string; N?: string }>,
    options?: ErrorOptions,
  ) {
    super(`DynamoDB ${operation} failed: ${name}`, options);
    this.name = name;
    this.$metadata = metadata;
    this.Item = item;
  }
}

export function isConditionFailed(error: unknown): error is DynamoDbError {
  return error instanceof DynamoDbError && error.name === 'ConditionalCheckFailedException';
}

export interface DynamoDbClientSettings {
  region: string;
  /** `https://dynamodb.<region>.<partition's domain>`, or `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL`. */
  endpoint: URL;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Attempts per call (at least 1). */
  maxAttempts: number;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

/** Error codes DynamoDB answers when another attempt may succeed; 5xx answers and lost connections too. */
const RETRYABLE = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'LimitExceededException',
]);

/** DNS suffix of each partition, by region prefix (the AWS partitions file); every other region is `aws`. */
const PARTITION_DOMAINS: ReadonlyArray<readonly [prefix: string, domain: string]> = [
  ['cn-', 'amazonaws.com.cn'],
  ['us-isob-', 'sc2s.sgov.gov'],
  ['us-iso-', 'c2s.ic.gov'],
  ['eu-isoe-', 'cloud.adc-e.uk'],
  ['us-isof-', 'csp.hci.ic.gov'],
];

/**
 * Where the table's calls go, from the Lambda environment: `AWS_REGION`
 * (or `AWS_DEFAULT_REGION`), an endpoint override as the SDK reads it
 * (`AWS_ENDPOINT_URL_DYNAMODB`, then `AWS_ENDPOINT_URL`), and
 * `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`.
 */
export function dynamoDbEndpoint(env: Env): { region: string; endpoint: URL } {
  const region = optionalEnv(env, 'AWS_REGION') ?? optionalEnv(env, 'AWS_DEFAULT_REGION');
  if (region === undefined) {
    throw new ConfigurationError(
      'Environment variable AWS_REGION is required with IDEMPOTENCY_TABLE: Lambda sets it; set it when you run the handler elsewhere',
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) {
    throw new ConfigurationError(
      `Environment variable AWS_REGION is "${region}"; it must be an AWS Region such as us-east-1`,
    );
  }
  for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL']) {
    const value = optionalEnv(env, name);
    if (value !== undefined) return { region, endpoint: endpointUrl(name, value) };
  }
  const domain = PARTITION_DOMAINS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'amazonaws.com';
  const fips = optionalEnv(env, 'AWS_USE_FIPS_ENDPOINT')?.toLowerCase() === 'true';
  const dualStack = optionalEnv(env, 'AWS_USE_DUALSTACK_ENDPOINT')?.toLowerCase() === 'true';
  const service = fips ? 'dynamodb-fips' : 'dynamodb';
  // Dual-stack endpoints live under api.aws in the aws partition, and under the partition's own domain elsewhere.
  const host = dualStack
    ? `${service}.${region}.${domain === 'amazonaws.com' ? 'api.aws' : domain}`
    : `${service}.${region}.${domain}`;
  return { region, endpoint: new URL(`https://${host}`) };
}

function endpointUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`Environment variable ${name} is "${value}"; it must be an http or https URL`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search) {
    throw new ConfigurationError(
      `Environment variable ${name} is "${value}"; it must be an http or https URL without credentials or query`,
    );
  }
  return url;
}

/** A client for `settings`; one per container, since its HTTP handler keeps connections alive. */
export function dynamoDbClient(settings: DynamoDbClientSettings): DynamoDbClient {
  const { endpoint } = settings;
  const signer = new SignatureV4({
    service: 'dynamodb',
    region: settings.region,
    credentials: settings.credentials ?? defaultProvider(),
    sha256: Sha256,
  });
  const http = new NodeHttpHandler({
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    throwOnRequestTimeout: true,
  });
  const path = endpoint.pathname === '' ? '/' : endpoint.pathname;

  const attempt = async (operation: DynamoDbOperation, body: string): Promise<Record<string, unknown>> => {
    const request = new HttpRequest({
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port === '' ? undefined : Number(endpoint.port),
      method: 'POST',
      path,
      headers: {
        host: endpoint.host,
        'content-type': 'application/x-amz-json-1.0',
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-target': `DynamoDB_20120810.${operation}`,
      },
      body,
    });
    const { response } = await http.handle((await signer.sign(request)) as HttpRequest);
    const text = await readBody(response.body);
    const status = response.statusCode;
    if (status === 200) return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    const answer = parseErrorBody(text);
    const requestId = response.headers['x-amzn-requestid'];
    throw new DynamoDbError(
      answer.name ?? (status >= 500 ? 'InternalServerError' : `HTTP${status}`),
      operation,
      { httpStatusCode: status, requestId },
      answer.item,
    );
  };

  return {
    async call(operation, input) {
      const body = JSON.stringify(input);
      for (let tried = 1; ; tried += 1) {
        try {
          return await attempt(operation, body);
        } catch (error) {
          if (tried >= settings.maxAttempts || !retryable(error)) throw error;
          // Full jitter on a 50 ms base, as the SDK's standard strategy does on its own base.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** (tried - 1)));
        }
      }
    },
  };
}

function retryable(error: unknown): boolean {
  if (!(error instanceof DynamoDbError)) return true; // no answer: a lost connection or a timeout
  return RETRYABLE.has(error.name) || (error.$metadata.httpStatusCode ?? 0) >= 500;
}

async function readBody(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The error's short name (`…#ConditionalCheckFailedException`) and the item it returned, if any. */
function parseErrorBody(text: string): { name?: string; item?: Record<string, { S?: string; N?: string }> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { __type: type, Item: item } = parsed as { __type?: unknown; Item?: unknown };
  const name = typeof type === 'string' ? type.slice(type.lastIndexOf('#') + 1) : '';
  return {
    name: /^[A-Za-z][\w.]{0,127}$/.test(name) ? name : undefined,
    item: typeof item === 'object' && item !== null ? (item as Record<string, { S?: string; N?: string }>) : undefined,
  };
}
