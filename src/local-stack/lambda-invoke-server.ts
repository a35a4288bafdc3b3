/**
 * A local Lambda Invoke endpoint for the built bundles: what cognito-local
 * calls for its triggers, and what a test calls directly for
 * CustomSMSSender. It implements the part of the Lambda data plane those
 * callers use, with Lambda's status codes, headers and error bodies:
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 *
 * - `POST /2015-03-31/functions/{name}/invocations`: 200 with the JSON result;
 *   a thrown error is 200 with `X-Amz-Function-Error: Unhandled` and
 *   `{errorType, errorMessage, trace}`; `X-Amz-Invocation-Type: Event` is 202
 *   (run in the background, no retries), `DryRun` 204; an unknown function is
 *   404 `ResourceNotFoundException`.
 * - `GET /local/invocations` (and `DELETE` to clear): what each invocation
 *   was and how it ended. The record never holds a code: `request.code` is
 *   redacted from the stored event and functions never log codes.
 * - `GET /local/functions/{name}/logs`: the function's log lines.
 *
 * Each function runs in its own long-lived child process (function-host.ts)
 * with its own environment, from a copy of its bundle, so a rebuild of
 * `dist/` cannot change a running stack. A function given a `concurrency`
 * above 1 gets that many such containers, as Lambda scales out: each runs one
 * invocation at a time, and an invocation goes to the least busy one.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, cpSync, createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { PACK_FILES_DIR } from '../authoring/functions.js';
import { hasLoopbackHost, isCrossSiteBrowserRequest } from '../authoring/preview/loopback-request.js';
import { printable } from '../operations/printable.js';
import { isRecord } from '../runtime/json-object.js';
import { type InvokeContext, type LambdaErrorPayload, parseHostMessage } from './function-protocol.js';
import { hostProcess } from './processes.js';

export interface FunctionDefinition {
  name: string;
  /** Path of the built bundle exporting `handler`. */
  bundle: string;
  /** The function's configured environment (Lambda's own variables are added). */
  env: Readonly<Record<string, string>>;
  timeoutSeconds?: number;
  memoryMB?: number;
  /** Containers of this function (default 1), each running one invocation at a time. */
  concurrency?: number;
}

export interface InvocationRecord {
  seq: number;
  requestId: string;
  functionName: string;
  invocationType: 'RequestResponse' | 'Event';
  triggerSource: string | null;
  userPoolId: string | null;
  /** The event as received, with `request.code` redacted. */
  event: unknown;
  startedAt: string;
  durationMs: number | null;
  status: 'running' | 'succeeded' | 'failed';
  errorType: string | null;
  errorMessage: string | null;
  /** What the handler returned (null for the senders). */
  result: unknown;
}

/**
 * The line `npm run stack` prints for an invocation. The trigger source and
 * the error text come from the event and the function: shown, never
 * interpreted by the terminal (an escape sequence could forge an "ok" line).
 */
export function invocationLine(record: InvocationRecord): string {
  const outcome = record.status === 'succeeded' ? 'ok' : `FAILED ${record.errorType}: ${record.errorMessage}`;
  return printable(
    `λ ${record.functionName} ${record.triggerSource ?? '(no triggerSource)'} ${outcome} (${record.durationMs} ms)`,
  );
}

export interface InvokeServerOptions {
  functions: readonly FunctionDefinition[];
  /** Task folders (bundle copies) and `<name>.log` files go here. */
  workDir: string;
  region: string;
  accountId: string;
  /** Called when an invocation ends. */
  onInvocation?: (record: InvocationRecord) => void;
}

export interface InvokeServer {
  url: string;
  /** The function hosts' process ids (null when a host is not running). */
  pids(): Record<string, number | null>;
  invocations(): InvocationRecord[];
  logs(functionName: string): string[];
  /** Starts every function host and waits for its cold start; returns the init errors by function. */
  warm(): Promise<Record<string, LambdaErrorPayload | null>>;
  stop(): Promise<void>;
}

const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const INIT_TIMEOUT_MS = 10_000;
const MAX_LOG_LINES = 5_000;
/** Invocation records kept for GET /local/invocations, newest last (each with its event, up to MAX_RECORDED_EVENT_BYTES). */
export const MAX_INVOCATION_RECORDS = 100;
/** Events above this size are recorded by size only. */
export const MAX_RECORDED_EVENT_BYTES = 64 * 1024;
const FUNCTION_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const LOGS_PATH = /^\/local\/functions\/([^/]+)\/logs$/;
// A name, a name:qualifier, a partial ARN (account:function:name) or a full ARN.
const FUNCTION_NAME =
  /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?([A-Za-z0-9_-]{1,140})(?::([$A-Za-z0-9_-]+))?$/;

const functionHost = hostProcess(import.meta.url, 'function-host');

type Outcome = { ok: true; payload: string } | { ok: false; error: LambdaErrorPayload };

/** Most containers one function may have. */
const MAX_CONCURRENCY = 32;

/** One function's container: a child process started on demand and restarted after a crash or timeout. */
class FunctionContainer {
  private child: ChildProcess | null = null;
  private starting: Promise<LambdaErrorPayload | null> | null = null;
  private readonly pending = new Map<string, (outcome: Outcome) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Invocations queued or running here. */
  inFlight = 0;

  constructor(
    readonly definition: FunctionDefinition,
    readonly arn: string,
    private readonly taskBundle: string,
    private readonly env: Record<string, string>,
    private readonly appendLog: (line: string) => void,
  ) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get timeoutMs(): number {
    return (this.definition.timeoutSeconds ?? 10) * 1000;
  }

  /** Starts the host if needed; resolves to null once the bundle is loaded, or to the init error. */
  start(): Promise<LambdaErrorPayload | null> {
    if (this.starting) return this.starting;
    const child = fork(functionHost.script, [this.taskBundle], {
      cwd: dirname(this.taskBundle),
      env: this.env,
      execArgv: [...functionHost.execArgv, '--enable-source-maps'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.appendLog(line));
    }
    const starting = new Promise<LambdaErrorPayload | null>((resolve) => {
      const timer = setTimeout(() => {
        resolve(runtimeError('Runtime.InitTimeout', `init did not finish within ${INIT_TIMEOUT_MS / 1000} s`));
        child.kill('SIGKILL');
      }, INIT_TIMEOUT_MS);
      child.on('message', (raw: unknown) => {
        const message = parseHostMessage(raw);
        if (message?.type === 'ready') {
          clearTimeout(timer);
          resolve(null);
        } else if (message?.type === 'init-error') {
          clearTimeout(timer);
          resolve(message.error);
        } else if (message?.type === 'result') {
          this.pending.get(message.id)?.({ ok: true, payload: message.payload });
        } else if (message?.type === 'error') {
          this.pending.get(message.id)?.({ ok: false, error: message.error });
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        resolve(runtimeError('Runtime.StartError', error.message));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        const exit = runtimeError(
          'Runtime.ExitError',
          `Runtime exited ${signal ? `with signal: ${signal}` : `with error: exit status ${code}`}`,
        );
        resolve(exit);
        for (const settle of [...this.pending.values()]) settle({ ok: false, error: exit });
        if (this.child === child) {
          this.child = null;
          this.starting = null;
        }
      });
    });
    this.starting = starting;
    return starting;
  }

  /** Runs one invocation after the ones before it, as one Lambda container does. */
  invoke(payload: string, requestId: string): Promise<Outcome> {
    this.inFlight += 1;
    const run = this.queue
      .then(() => this.runOne(payload, requestId))
      .finally(() => {
        this.inFlight -= 1;
      });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runOne(payload: string, requestId: string): Promise<Outcome> {
    const initError = await this.start();
    const child = this.child;
    if (initError || !child) return { ok: false, error: initError ?? runtimeError('Runtime.ExitError', 'not running') };
    const context: InvokeContext = {
      awsRequestId: requestId,
      functionName: this.definition.name,
      invokedFunctionArn: this.arn,
      memoryLimitInMB: String(this.definition.memoryMB ?? 256),
      deadlineMs: Date.now() + this.timeoutMs,
    };
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        settle({
          ok: false,
          error: runtimeError(
            'Sandbox.Timedout',
            `${new Date().toISOString()} ${requestId} Task timed out after ${(this.timeoutMs / 1000).toFixed(2)} seconds`,
          ),
        });
        child.kill('SIGKILL'); // the container is discarded; the next invocation starts cold
      }, this.timeoutMs);
      const settle = (outcome: Outcome) => {
        clearTimeout(timer);
        this.pending.delete(requestId);
        resolve(outcome);
      };
      this.pending.set(requestId, settle);
      child.send({ type: 'invoke', id: requestId, payload, context });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(force);
    }
  }
}

/** A function's containers, one log between them. */
class FunctionPool {
  readonly logLines: string[] = [];
  private readonly log: WriteStream;
  private readonly containers: FunctionContainer[];

  constructor(
    readonly definition: FunctionDefinition,
    arn: string,
    taskBundle: string,
    env: Record<string, string>,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
    const appendLog = (line: string) => {
      this.log.write(`${line}\n`);
      this.logLines.push(line);
      if (this.logLines.length > MAX_LOG_LINES) this.logLines.shift();
    };
    this.containers = Array.from(
      { length: definition.concurrency ?? 1 },
      () => new FunctionContainer(definition, arn, taskBundle, env, appendLog),
    );
  }

  /** Process ids by container: the function's name, then `<name>#2`, `<name>#3` … */
  pids(): Array<[string, number | null]> {
    return this.containers.map((container, index) => [
      index === 0 ? this.definition.name : `${this.definition.name}#${index + 1}`,
      container.pid,
    ]);
  }

  /** Starts every container; resolves to the first init error, or null. */
  async start(): Promise<LambdaErrorPayload | null> {
    const errors = await Promise.all(this.containers.map((container) => container.start()));
    return errors.find((error) => error !== null) ?? null;
  }

  /** Runs the invocation on the least busy container (the first of them on a tie). */
  invoke(payload: string, requestId: string): Promise<Outcome> {
    let chosen = this.containers[0] as FunctionContainer;
    for (const container of this.containers) if (container.inFlight < chosen.inFlight) chosen = container;
    return chosen.invoke(payload, requestId);
  }

  async stop(): Promise<void> {
    await Promise.all(this.containers.map((container) => container.stop()));
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}

function runtimeError(errorType: string, errorMessage: string): LambdaErrorPayload {
  return { errorType, errorMessage, trace: [] };
}

/** The event as stored in a record: the (encrypted) code is left out. */
function redactEvent(event: unknown): unknown {
  if (!isRecord(event) || !isRecord(event.request) || !('code' in event.request)) return event;
  const code = event.request.code;
  return { ...event, request: { ...event.request, code: typeof code === 'string' ? '[redacted]' : code } };
}

function stringField(event: unknown, field: string): string | null {
  return isRecord(event) && typeof event[field] === 'string' ? event[field] : null;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Lambda's error shape for a request it refuses (the SDKs read the type from the header). */
function sendServiceError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { Type: 'User', Message: message }, { 'x-amzn-errortype': type });
}

/** The body, or null as soon as it passes Lambda's 6 MiB: nothing more is read or kept. */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_PAYLOAD_BYTES) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) {
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function nullableString(value: unknown): string | null | undefined {
  return value === null || typeof value === 'string' ? value : undefined;
}

/** Reads one record back from `GET /local/invocations`; null when it is not one. */
export function parseInvocationRecord(value: unknown): InvocationRecord | null {
  if (!isRecord(value)) return null;
  const { seq, requestId, functionName, invocationType, startedAt, durationMs, status } = value;
  const triggerSource = nullableString(value.triggerSource);
  const userPoolId = nullableString(value.userPoolId);
  const errorType = nullableString(value.errorType);
  const errorMessage = nullableString(value.errorMessage);
  if (
    typeof seq !== 'number' ||
    typeof requestId !== 'string' ||
    typeof functionName !== 'string' ||
    (invocationType !== 'RequestResponse' && invocationType !== 'Event') ||
    typeof startedAt !== 'string' ||
    (durationMs !== null && typeof durationMs !== 'number') ||
    (status !== 'running' && status !== 'succeeded' && status !== 'failed') ||
    triggerSource === undefined ||
    userPoolId === undefined ||
    errorType === undefined ||
    errorMessage === undefined
  ) {
    return null;
  }
  return {
    seq,
    requestId,
    functionName,
    invocationType,
    triggerSource,
    userPoolId,
    event: value.event,
    startedAt,
    durationMs,
    status,
    errorType,
    errorMessage,
    result: value.result,
  };
}

/** Starts the endpoint on 127.0.0.1 (a free port); call `warm()` to start the functions before the first call. */
export async function startInvokeServer(options: InvokeServerOptions): Promise<InvokeServer> {
  for (const { name, concurrency = 1 } of options.functions) {
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new Error(`${name}: concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`);
    }
  }
  const containers = new Map<string, FunctionPool>();
  for (const definition of options.functions) {
    if (!existsSync(definition.bundle)) {
      throw new Error(`${definition.bundle} does not exist; run \`npm run build\` first`);
    }
    const taskDir = join(options.workDir, 'functions', definition.name);
    mkdirSync(taskDir, { recursive: true });
    const taskBundle = join(taskDir, basename(definition.bundle));
    copyFileSync(definition.bundle, taskBundle);
    if (existsSync(`${definition.bundle}.map`)) copyFileSync(`${definition.bundle}.map`, `${taskBundle}.map`);
    // The pack's bundles read the template pack's files beside them, as in their deployed zip.
    const packFiles = join(dirname(definition.bundle), PACK_FILES_DIR);
    if (existsSync(packFiles)) cpSync(packFiles, join(taskDir, PACK_FILES_DIR), { recursive: true });
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: 'UTC',
      LAMBDA_TASK_ROOT: taskDir,
      AWS_REGION: options.region,
      AWS_DEFAULT_REGION: options.region,
      AWS_LAMBDA_FUNCTION_NAME: definition.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memoryMB ?? 256),
      ...definition.env,
    };
    const arn = `arn:aws:lambda:${options.region}:${options.accountId}:function:${definition.name}`;
    containers.set(
      definition.name,
      new FunctionPool(definition, arn, taskBundle, env, join(options.workDir, `${definition.name}.log`)),
    );
  }

  const records: InvocationRecord[] = [];
  // Set once listening; requests arrive only after that.
  let port = 0;
  let seq = 0;

  function beginRecord(
    container: FunctionPool,
    event: unknown,
    invocationType: InvocationRecord['invocationType'],
    payloadBytes: number,
  ): InvocationRecord {
    const record: InvocationRecord = {
      seq: ++seq,
      requestId: randomUUID(),
      functionName: container.definition.name,
      invocationType,
      triggerSource: stringField(event, 'triggerSource'),
      userPoolId: stringField(event, 'userPoolId'),
      // A Cognito event is a few KiB; a larger one is kept as its size, so the ring stays small.
      event: payloadBytes <= MAX_RECORDED_EVENT_BYTES ? redactEvent(event) : { notRecorded: true, bytes: payloadBytes },
      startedAt: new Date().toISOString(),
      durationMs: null,
      status: 'running',
      errorType: null,
      errorMessage: null,
      result: null,
    };
    records.push(record);
    if (records.length > MAX_INVOCATION_RECORDS) records.splice(0, records.length - MAX_INVOCATION_RECORDS);
    return record;
  }

  async function run(container: FunctionPool, record: InvocationRecord, payload: string): Promise<Outcome> {
    const started = performance.now();
    const outcome = await container.invoke(payload, record.requestId);
    record.durationMs = Math.round(performance.now() - started);
    if (outcome.ok) {
      record.status = 'succeeded';
      record.result = JSON.parse(outcome.payload);
    } else {
      record.status = 'failed';
      record.errorType = outcome.error.errorType;
      record.errorMessage = outcome.error.errorMessage;
    }
    options.onInvocation?.(record);
    return outcome;
  }

  async function handleInvoke(req: IncomingMessage, res: ServerResponse, rawName: string, url: URL): Promise<void> {
    const parsed = FUNCTION_NAME.exec(rawName);
    const qualifier = url.searchParams.get('Qualifier') ?? parsed?.[2] ?? '$LATEST';
    const container = parsed?.[1] ? containers.get(parsed[1]) : undefined;
    if (!container || qualifier !== '$LATEST') {
      const arn = `arn:aws:lambda:${options.region}:${options.accountId}:function:${parsed?.[1] ?? rawName}`;
      sendServiceError(res, 404, 'ResourceNotFoundException', `Function not found: ${arn}:${qualifier}`);
      return;
    }
    const invocationType = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (invocationType !== 'RequestResponse' && invocationType !== 'Event' && invocationType !== 'DryRun') {
      sendServiceError(res, 400, 'InvalidParameterValueException', `Unsupported InvocationType: ${invocationType}`);
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      res.setHeader('connection', 'close');
      sendServiceError(res, 413, 'RequestTooLargeException', 'Request must be smaller than 6291456 bytes');
      res.on('finish', () => req.destroy());
      return;
    }
    const payload = body.length === 0 ? '{}' : body.toString('utf8');
    let event: unknown;
    try {
      event = JSON.parse(payload);
    } catch {
      sendServiceError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
      return;
    }
    if (invocationType === 'DryRun') {
      res.writeHead(204).end();
      return;
    }
    const record = beginRecord(container, event, invocationType, body.length);
    if (invocationType === 'Event') {
      // Lambda queues the event and answers at once; this endpoint runs it now and does not retry a failure.
      res.writeHead(202, { 'x-amzn-requestid': record.requestId }).end();
      await run(container, record, payload);
      return;
    }
    const outcome = await run(container, record, payload);
    const headers: Record<string, string> = {
      'x-amzn-requestid': record.requestId,
      'x-amz-executed-version': '$LATEST',
    };
    if (outcome.ok) {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(outcome.payload);
    } else {
      sendJson(res, 200, outcome.error, { ...headers, 'x-amz-function-error': 'Unhandled' });
    }
  }

  const server = createServer((req, res) => {
    if (!hasLoopbackHost(req, port) || isCrossSiteBrowserRequest(req, port)) {
      res.setHeader('connection', 'close');
      sendServiceError(
        res,
        403,
        'AccessDeniedException',
        'only loopback clients of this machine may call this endpoint',
      );
      return;
    }
    // The three content types a browser may POST to another site without asking
    // first (a form, a text/plain fetch). The AWS SDKs send their payload as
    // application/octet-stream or JSON, never one of these.
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'].includes(contentType)) {
      res.setHeader('connection', 'close');
      sendServiceError(res, 415, 'UnsupportedMediaTypeException', `content type ${contentType} is not accepted`);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const invokeMatch = FUNCTION_PATH.exec(url.pathname);
    const logsMatch = LOGS_PATH.exec(url.pathname);
    const handled = (async () => {
      if (req.method === 'POST' && invokeMatch?.[1]) {
        await handleInvoke(req, res, decodeURIComponent(invokeMatch[1]), url);
      } else if (req.method === 'GET' && url.pathname === '/local/health') {
        sendJson(res, 200, { ok: true, functions: [...containers.keys()] });
      } else if (req.method === 'GET' && url.pathname === '/local/invocations') {
        sendJson(res, 200, records);
      } else if (req.method === 'DELETE' && url.pathname === '/local/invocations') {
        records.length = 0;
        res.writeHead(204).end();
      } else if (req.method === 'GET' && logsMatch?.[1] && containers.has(decodeURIComponent(logsMatch[1]))) {
        sendJson(res, 200, containers.get(decodeURIComponent(logsMatch[1]))?.logLines ?? []);
      } else {
        sendServiceError(res, 404, 'UnknownOperationException', `Unknown operation ${req.method} ${url.pathname}`);
      }
    })();
    handled.catch((error: unknown) => {
      if (!res.headersSent) sendServiceError(res, 500, 'ServiceException', String(error));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the invoke server has no TCP address');
  port = address.port;

  return {
    url: `http://127.0.0.1:${address.port}`,
    pids: () => Object.fromEntries([...containers.values()].flatMap((pool) => pool.pids())),
    invocations: () => [...records],
    logs: (name) => [...(containers.get(name)?.logLines ?? [])],
    warm: async () =>
      Object.fromEntries(
        await Promise.all([...containers].map(async ([name, container]) => [name, await container.start()] as const)),
      ),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...containers.values()].map((container) => container.stop()));
    },
  };
}
