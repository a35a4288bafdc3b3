/**
 * Preloaded into every benchmark process (`node -r instant-aws.js`): answers
 * KMS Decrypt, SES SendEmail, SNS Publish and the idempotency table's
 * DynamoDB PutItem, UpdateItem and DeleteItem instantly, in process, at the
 * point where @smithy/node-http-handler hands a request to Node's
 * `http.request`. Everything above that point runs for real: the SDK's
 * middleware, serialisation, SigV4 signing, response parsing, and the
 * Encryption SDK's checks on the data key KMS returns.
 *
 * Nothing may leave the process: `http.request` and `https.request` are
 * replaced the moment anything loads `http` or `https` (so a function that
 * never loads them, like CustomMessage, does not pay for loading them here),
 * AWS_ENDPOINT_URL points at a closed port, and every call is counted so the
 * runner can assert that each invocation made exactly the calls it should.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import Module from 'node:module';
import type { Readable as ReadableType } from 'node:stream';
import { type InstantAwsCanned, type InstantAwsStats, STATS_KEY } from './protocol.js';

let cannedAnswers: InstantAwsCanned | undefined;
function canned(): InstantAwsCanned {
  cannedAnswers ??= process.env.BENCH_INSTANT_AWS
    ? (JSON.parse(readFileSync(process.env.BENCH_INSTANT_AWS, 'utf8')) as InstantAwsCanned)
    : { keyArn: '', dataKeys: {} };
  return cannedAnswers;
}

const stats: InstantAwsStats = {
  kmsDecrypt: 0,
  sesSendEmail: 0,
  snsPublish: 0,
  dynamoPutItem: 0,
  dynamoUpdateItem: 0,
  dynamoDeleteItem: 0,
  unsigned: 0,
  unexpected: [],
  lastSendEmail: null,
  lastPublish: null,
};
(globalThis as Record<symbol, unknown>)[STATS_KEY] = stats;

type Headers = Record<string, string>;

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

const REQUEST_ID = '00000000-0000-4000-8000-000000000000';

/** A socket that is already connected, as a keep-alive socket from the agent's pool would be. */
class ConnectedSocket extends EventEmitter {
  readonly connecting = false;
  setKeepAlive(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  destroy(): this {
    return this;
  }
}

/** The part of `http.ClientRequest` that @smithy/node-http-handler uses. */
class InstantClientRequest extends EventEmitter {
  socket: ConnectedSocket | null = null;
  destroyed = false;
  private readonly chunks: Buffer[] = [];
  private readonly headers: Headers;

  constructor(options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void) {
    super();
    this.headers = lowerCaseHeaders(options.headers);
    if (callback) this.once('response', callback);
    process.nextTick(() => {
      this.socket = new ConnectedSocket();
      this.emit('socket', this.socket);
    });
  }

  setHeader(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }
  removeHeader(name: string): void {
    delete this.headers[name.toLowerCase()];
  }
  setTimeout(): this {
    return this;
  }
  setNoDelay(): void {}
  setSocketKeepAlive(): void {}
  flushHeaders(): void {}

  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return true;
  }

  end(chunk?: string | Uint8Array | (() => void)): this {
    if (chunk !== undefined && typeof chunk !== 'function') this.write(chunk);
    process.nextTick(() => this.respond());
    return this;
  }

  destroy(error?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (error) process.nextTick(() => this.emit('error', error));
    process.nextTick(() => this.emit('close'));
    return this;
  }

  abort(): void {
    this.destroy();
  }

  private respond(): void {
    if (this.destroyed) return;
    const answer = route(this.headers, Buffer.concat(this.chunks).toString('utf8'));
    const { Readable } = require('node:stream') as { Readable: typeof ReadableType };
    const response = Object.assign(new Readable({ read() {} }), {
      statusCode: answer.status,
      statusMessage: answer.status === 200 ? 'OK' : 'Bad Request',
      headers: { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) },
      complete: false,
    });
    response.once('end', () => {
      response.complete = true;
      process.nextTick(() => this.emit('close'));
    });
    response.push(answer.body);
    response.push(null);
    this.emit('response', response);
  }
}

function lowerCaseHeaders(headers: http.OutgoingHttpHeaders | readonly string[] | undefined): Headers {
  const out: Headers = {};
  if (!headers || Array.isArray(headers)) return out;
  for (const [name, value] of Object.entries(headers as http.OutgoingHttpHeaders)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

function route(headers: Headers, body: string): Answer {
  if (!headers.authorization?.startsWith('AWS4-HMAC-SHA256 Credential=')) stats.unsigned += 1;
  const target = headers['x-amz-target'];
  if (target === 'TrentService.Decrypt') return kmsDecrypt(body);
  if (target?.startsWith('DynamoDB_20120810.')) return dynamoDb(target.slice('DynamoDB_20120810.'.length), body);
  if (headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
    const params = Object.fromEntries(new URLSearchParams(body));
    if (params.Action === 'SendEmail') {
      stats.sesSendEmail += 1;
      stats.lastSendEmail = params;
      return xml(
        `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>bench-ses-message</MessageId></SendEmailResult><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></SendEmailResponse>`,
      );
    }
    if (params.Action === 'Publish') {
      stats.snsPublish += 1;
      stats.lastPublish = params;
      return xml(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>bench-sns-message</MessageId></PublishResult><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    }
    return unexpected(`query action ${params.Action ?? '(none)'}`);
  }
  return unexpected(`request with target ${target ?? '(none)'}`);
}

/** KMS Decrypt of a data key the fixtures made, checked as KMS would: key ARN and encryption context. */
function kmsDecrypt(body: string): Answer {
  const input = JSON.parse(body) as { CiphertextBlob?: string; KeyId?: string; EncryptionContext?: Headers };
  const { keyArn, dataKeys } = canned();
  const dataKey = input.CiphertextBlob === undefined ? undefined : dataKeys[input.CiphertextBlob];
  if (!dataKey || input.KeyId !== keyArn) return unexpected('KMS Decrypt of an unknown data key or key id');
  if (canonical(input.EncryptionContext ?? {}) !== canonical(dataKey.encryptionContext)) {
    return unexpected('KMS Decrypt with the wrong encryption context');
  }
  stats.kmsDecrypt += 1;
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': REQUEST_ID },
    body: JSON.stringify({
      KeyId: keyArn,
      Plaintext: dataKey.plaintext,
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    }),
  };
}

/**
 * The idempotency table with no state: every conditional write succeeds, as
 * for a message never seen and a counter below its limit, so each
 * invocation takes the full path (claim, counters, send, done mark).
 */
function dynamoDb(operation: string, body: string): Answer {
  // A look at the body, not a parse: this stand-in's own time counts in every warm sample.
  if (!body.includes('"TableName":"')) return unexpected(`DynamoDB ${operation} without a table`);
  if (operation === 'PutItem' && body.includes('"Item":{')) stats.dynamoPutItem += 1;
  else if (operation === 'UpdateItem' && body.includes('"Key":{')) stats.dynamoUpdateItem += 1;
  else if (operation === 'DeleteItem' && body.includes('"Key":{')) stats.dynamoDeleteItem += 1;
  else return unexpected(`DynamoDB ${operation}`);
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': REQUEST_ID },
    body: '{}',
  };
}

function canonical(context: Headers): string {
  return JSON.stringify(Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function xml(body: string): Answer {
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': REQUEST_ID }, body };
}

function unexpected(what: string): Answer {
  stats.unexpected.push(what);
  return {
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': REQUEST_ID },
    body: JSON.stringify({ __type: 'ValidationException', message: `instant-aws: unexpected ${what}` }),
  };
}

function instantRequest(
  first: string | URL | http.RequestOptions,
  second?: http.RequestOptions | ((res: http.IncomingMessage) => void),
  third?: (res: http.IncomingMessage) => void,
): InstantClientRequest {
  if (typeof first === 'string' || first instanceof URL) {
    stats.unexpected.push('http.request with a URL');
    const callback = typeof second === 'function' ? second : third;
    return new InstantClientRequest({ headers: {} }, callback);
  }
  return new InstantClientRequest(first, typeof second === 'function' ? second : third);
}

const replacement = instantRequest as unknown as typeof http.request;
const HTTP_MODULES = new Set(['http', 'node:http', 'https', 'node:https']);

interface ModuleLoader {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
}
const loader = Module as unknown as ModuleLoader;
const load = loader._load;
let installed = false;
// The AWS SDK's ESM build reaches `http` through a dynamic import(), which no
// require hook sees; it always loads `https` with require first, and that is
// when both modules are patched (https has loaded http's internals by then).
loader._load = function loadWithInstantAws(request, parent, isMain) {
  const loaded = load.call(this, request, parent, isMain);
  if (!installed && HTTP_MODULES.has(request)) {
    installed = true;
    for (const name of ['node:http', 'node:https']) {
      (load.call(this, name, parent, false) as { request: typeof http.request }).request = replacement;
    }
  }
  return loaded;
};
