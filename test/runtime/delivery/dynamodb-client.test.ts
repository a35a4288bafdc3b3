import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DynamoDbError,
  dynamoDbClient,
  dynamoDbEndpoint,
  isConditionFailed,
} from '../../../src/runtime/delivery/dynamodb-client.js';
import { ConfigurationError } from '../../../src/runtime/errors.js';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-test', sessionToken: 'session-test' };

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Reply = (received: Received, res: ServerResponse) => void;

let server: Server;
let endpoint: URL;
let received: Received[] = [];
let replies: Reply[] = [];

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_received, res) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1', ...headers });
    res.end(JSON.stringify(body));
  };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(entry);
      const reply = replies.shift() ?? json(200, {});
      reply(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  replies = [];
});

const client = (overrides: { maxAttempts?: number; requestTimeoutMs?: number } = {}) =>
  dynamoDbClient({
    region: 'eu-west-3',
    endpoint,
    credentials,
    maxAttempts: overrides.maxAttempts ?? 2,
    connectionTimeoutMs: 500,
    requestTimeoutMs: overrides.requestTimeoutMs ?? 1_000,
  });

/** The error a PutItem through `through` ends with. */
const putFailure = (through: ReturnType<typeof client>) =>
  through.call('PutItem', { TableName: 't' }).then(
    () => undefined,
    (caught: unknown) => caught,
  );

/** Recomputes the SigV4 signature over what the server received: proves the request was signed as sent. */
async function expectValidSignature(entry: Received): Promise<void> {
  const authorization = String(entry.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(entry.headers[name])]));
  const request = new HttpRequest({
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: Number(endpoint.port),
    method: entry.method,
    path: entry.url,
    headers,
    body: entry.body,
  });
  const amzDate = String(entry.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({ service: 'dynamodb', region: 'eu-west-3', credentials, sha256: Sha256 });
  const expected = await signer.sign(request, { signingDate });
  expect(authorization).toBe(expected.headers.authorization);
}

describe('dynamoDbClient', () => {
  it('posts the operation as DynamoDB JSON 1.0, signed with SigV4 for the region and service', async () => {
    replies.push(json(200, { Attributes: { pk: { S: 'k' } } }));
    const output = await client().call('UpdateItem', { TableName: 't', Key: { pk: { S: 'k' } } });
    expect(output).toEqual({ Attributes: { pk: { S: 'k' } } });
    const [entry] = received;
    expect(entry?.method).toBe('POST');
    expect(entry?.url).toBe('/');
    expect(entry?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(entry?.headers['x-amz-target']).toBe('DynamoDB_20120810.UpdateItem');
    expect(entry?.headers['x-amz-security-token']).toBe('session-test');
    expect(entry?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-3\/dynamodb\/aws4_request, SignedHeaders=[^ ]*host[^ ]*x-amz-target/,
    );
    expect(JSON.parse(entry?.body ?? '')).toEqual({ TableName: 't', Key: { pk: { S: 'k' } } });
    await expectValidSignature(entry as Received);
  });

  it('answers {} for an empty 200 body', async () => {
    replies.push((_received, res) => res.writeHead(200).end());
    expect(await client().call('DeleteItem', { TableName: 't' })).toEqual({});
  });

  it('throws a condition failure with the returned item, and keeps no service message', async () => {
    replies.push(
      json(400, {
        __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
        message: 'The conditional request failed for message#secret',
        Item: { status: { S: 'done' } },
      }),
    );
    const error = await putFailure(client());
    expect(isConditionFailed(error)).toBe(true);
    expect(error).toBeInstanceOf(DynamoDbError);
    expect((error as DynamoDbError).Item).toEqual({ status: { S: 'done' } });
    expect((error as DynamoDbError).$metadata).toEqual({ httpStatusCode: 400, requestId: 'req-1' });
    expect((error as Error).message).toBe('DynamoDB PutItem failed: ConditionalCheckFailedException');
    expect(received).toHaveLength(1);
  });

  it('retries throttling and 5xx answers up to maxAttempts, then throws the last', async () => {
    replies.push(json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException' }), json(200, {}));
    expect(await client().call('PutItem', { TableName: 't' })).toEqual({});
    expect(received).toHaveLength(2);

    received = [];
    replies.push(json(500, {}), json(503, { __type: 'ServiceUnavailable' }));
    const error = await putFailure(client());
    expect((error as DynamoDbError).name).toBe('ServiceUnavailable');
    expect(received).toHaveLength(2);
  });

  it('does not retry a refusal that another attempt cannot change', async () => {
    replies.push(json(400, { __type: 'com.amazon.coral.validate#ValidationException', message: 'bad' }));
    const error = await putFailure(client());
    expect((error as DynamoDbError).name).toBe('ValidationException');
    expect(received).toHaveLength(1);
  });

  it('names an unreadable error answer by its HTTP status', async () => {
    replies.push((_received, res) => res.writeHead(403).end('<html>denied</html>'));
    const error = await putFailure(client({ maxAttempts: 1 }));
    expect((error as DynamoDbError).name).toBe('HTTP403');
  });

  it("gives up on a server that never answers after each attempt's timeout", async () => {
    replies.push(
      () => undefined,
      () => undefined,
    );
    const started = Date.now();
    const error = await putFailure(client({ requestTimeoutMs: 200 }));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(DynamoDbError);
    expect(received).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('dynamoDbEndpoint', () => {
  const at = (env: Record<string, string>) => dynamoDbEndpoint(env);

  it("is the regional endpoint of the region's partition", () => {
    expect(at({ AWS_REGION: 'us-east-1' })).toEqual({
      region: 'us-east-1',
      endpoint: new URL('https://dynamodb.us-east-1.amazonaws.com'),
    });
    expect(at({ AWS_DEFAULT_REGION: 'cn-north-1' }).endpoint.href).toBe(
      'https://dynamodb.cn-north-1.amazonaws.com.cn/',
    );
    expect(at({ AWS_REGION: 'us-gov-west-1' }).endpoint.host).toBe('dynamodb.us-gov-west-1.amazonaws.com');
    expect(at({ AWS_REGION: 'us-isob-east-1' }).endpoint.host).toBe('dynamodb.us-isob-east-1.sc2s.sgov.gov');
  });

  it('honours FIPS and dual-stack as the SDK does', () => {
    expect(at({ AWS_REGION: 'us-east-1', AWS_USE_FIPS_ENDPOINT: 'true' }).endpoint.host).toBe(
      'dynamodb-fips.us-east-1.amazonaws.com',
    );
    expect(at({ AWS_REGION: 'eu-west-1', AWS_USE_DUALSTACK_ENDPOINT: 'TRUE' }).endpoint.host).toBe(
      'dynamodb.eu-west-1.api.aws',
    );
    expect(at({ AWS_REGION: 'cn-north-1', AWS_USE_DUALSTACK_ENDPOINT: 'true' }).endpoint.host).toBe(
      'dynamodb.cn-north-1.amazonaws.com.cn',
    );
  });

  it('takes AWS_ENDPOINT_URL_DYNAMODB before AWS_ENDPOINT_URL', () => {
    expect(at({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }).endpoint.href).toBe(
      'http://127.0.0.1:4566/',
    );
    expect(
      at({
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:2',
      }).endpoint.port,
    ).toBe('2');
  });

  it("refuses a missing or malformed region and a bad endpoint URL with the variable's name", () => {
    expect(() => at({})).toThrow(
      new ConfigurationError(
        'Environment variable AWS_REGION is required with IDEMPOTENCY_TABLE: Lambda sets it; set it when you run the handler elsewhere',
      ),
    );
    expect(() => at({ AWS_REGION: 'evil.example.com/x' })).toThrow(ConfigurationError);
    expect(() => at({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'ftp://x' })).toThrow(
      /AWS_ENDPOINT_URL is "ftp:\/\/x"/,
    );
    expect(() => at({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_DYNAMODB: 'not a url' })).toThrow(ConfigurationError);
    expect(() => at({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'https://u:p@host' })).toThrow(/without credentials/);
  });
});
