/**
 * Burst (issue 15): 2,000 sender events in about 10 s through the local
 * stack's Invoke endpoint, the built bundles with their idempotency table in
 * moto's DynamoDB, and SES and SNS behind the fault-injecting proxy
 * (support/fault-proxy.ts), which throttles each of them above 14 attempts
 * per second (SES's default sending rate).
 *
 * The driver plays Lambda's asynchronous invocation: an event whose
 * invocation fails is tried again after 1 and then 2 minutes, and after the
 * third failure it goes to the failure queue, from which `replay-failures`
 * invokes it again (with the same retries) 5 minutes later. Time is
 * compressed: a simulated minute of waiting is 100 ms. Lambda may deliver
 * one event more than once, so 100 of the events are also invoked a second
 * time, half at the same moment and half 2 s later.
 *
 * Each event is its own user's request, with its own address or number and
 * code, so every message in moto is told apart by its recipient. The hourly
 * per-address and per-number limits are off: a throttled send counts against
 * them (docs/idempotency.md, "What the limits do not count"), and this test
 * measures delivery, not the limits.
 *
 * Simulated time: each event's real time from its arrival to the invocation
 * that delivered it, with every compressed wait counted at its full length.
 * Real Lambda retries meet a send rate that has recovered meanwhile; here they
 * come back into the same congested second, so the attempt figures are, if
 * anything, worse than a deployment's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  getClient,
  getLocalCryptographicMaterialsCache,
  KMS,
  KmsKeyringNode,
  NodeCachingMaterialsManager,
} from '@aws-crypto/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SentEmail, type SentSms, type Stack, startStack } from '../../src/local-stack/start-stack.js';
import { EMAIL_SENDER_SOURCES, POOL_ID, SMS_SENDER_SOURCES, senderEvent } from '../support/events.js';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';
import { figureBook, HARDENING_OUTPUT, Tally } from './support/figures.js';

const EVENTS = 2_000;
const BURST_MS = 10_000;
/** SES's default sending rate, applied to SES and to SNS. */
const SEND_RATE = 14;
/** Events Lambda delivers twice. */
const REPEATS = 100;
/** Containers per sender (a reserved concurrency); the rest of the burst waits in Lambda's queue. */
const CONTAINERS = 8;
const MS_PER_SIMULATED_MINUTE = 100;
/** Lambda's waits before its two retries of a failed asynchronous invocation, in minutes. */
const LAMBDA_RETRY_WAITS = [1, 2] as const;
/** How long a failed event waits in the failure queue before it is replayed, in minutes. */
const REPLAY_AFTER = 5;
const MAX_REPLAYS = 20;
/** No invocation starts after this long; whatever is undelivered then is lost. */
const DEADLINE_MS = 150_000;
const book = figureBook('burst');

interface Message {
  index: number;
  family: 'email' | 'sms';
  recipient: string;
  code: string;
  body: string;
  arrivalMs: number;
  invocations: number;
  failureQueue: number;
  /** Simulated ms from the burst's start to the first successful invocation. */
  deliveredAtSimMs: number | null;
}

let stack: Stack;
let proxy: FaultProxy | undefined;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const messages: Message[] = [];
const errors = new Tally();
/** Each failed invocation's error type and message, digits left out. */
const errorMessages = new Tally();
let storeWarnings = 0;
let wallMs = 0;
let figures: Record<string, number> = {};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits `minutes` compressed; returns the simulated ms it stands for beyond the real wait. */
async function waitMinutes(minutes: number): Promise<number> {
  await sleep(minutes * MS_PER_SIMULATED_MINUTE);
  return minutes * 60_000 - minutes * MS_PER_SIMULATED_MINUTE;
}

interface InvokeError {
  type: string;
  message: string;
}

/** One RequestResponse invocation through the endpoint: null when it succeeded, else its error. */
function invokeOnce(functionName: string, body: string): Promise<InvokeError | null> {
  return new Promise((resolve) => {
    const call = request(
      `${stack.endpoints.lambda}/2015-03-31/functions/${functionName}/invocations`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 200 && !response.headers['x-amz-function-error']) return resolve(null);
          const http = { type: `HTTP ${response.statusCode}`, message: '' };
          try {
            const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
            const { errorType, errorMessage } = payload;
            resolve(
              typeof errorType === 'string'
                ? { type: errorType, message: typeof errorMessage === 'string' ? errorMessage : '' }
                : http,
            );
          } catch {
            resolve(http);
          }
        });
        response.on('error', () => resolve({ type: 'ResponseError', message: '' }));
      },
    );
    call.setTimeout(60_000, () => call.destroy(new Error('no answer within 60 s')));
    call.on('error', (error) => resolve({ type: 'InvokeTransportError', message: error.message }));
    call.end(body);
  });
}

/** Lambda's asynchronous handling of one delivery of `message`'s event, starting now. */
async function deliverAsynchronously(message: Message, startedAt: number): Promise<void> {
  const functionName = message.family === 'email' ? 'custom-email-sender' : 'custom-sms-sender';
  let extraSimMs = 0;
  for (let replay = 0; replay <= MAX_REPLAYS; replay += 1) {
    if (replay > 0) extraSimMs += await waitMinutes(REPLAY_AFTER);
    for (let attempt = 0; attempt <= LAMBDA_RETRY_WAITS.length; attempt += 1) {
      if (attempt > 0) extraSimMs += await waitMinutes(LAMBDA_RETRY_WAITS[attempt - 1] as number);
      if (performance.now() - startedAt > DEADLINE_MS) return;
      message.invocations += 1;
      const error = await invokeOnce(functionName, message.body);
      if (error === null) {
        const simMs = performance.now() - startedAt + extraSimMs;
        message.deliveredAtSimMs = Math.min(message.deliveredAtSimMs ?? simMs, simMs);
        return;
      }
      errors.add(error.type);
      errorMessages.add(`${error.type}: ${error.message.replace(/\d+/g, 'N')}`);
    }
    message.failureQueue += 1;
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const minutes = (ms: number) => `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

beforeAll(async () => {
  stack = await startStack({
    mode: 'sender',
    logLevel: 'warn',
    concurrency: CONTAINERS,
    functionEnv: {
      'custom-email-sender': { EMAIL_LIMIT_PER_ADDRESS_PER_HOUR: 'off' },
      'custom-sms-sender': { SMS_LIMIT_PER_NUMBER_PER_HOUR: 'off' },
    },
    sendEndpoint: async (motoUrl) => {
      proxy = await startFaultProxy(motoUrl, [
        { service: 'ses', fault: 'throttling', times: Number.POSITIVE_INFINITY, abovePerSecond: SEND_RATE },
        { service: 'sns', fault: 'throttling', times: Number.POSITIVE_INFINITY, abovePerSecond: SEND_RATE },
      ]);
      return proxy.endpoint;
    },
  });
  const emailSources = EMAIL_SENDER_SOURCES.filter((s) => !/_(AccountTakeOverNotification|AdminCreateUser)$/.test(s));
  const smsSources = SMS_SENDER_SOURCES.filter((s) => !s.endsWith('_AdminCreateUser'));
  const made: Message[] = Array.from({ length: EVENTS }, (_, index) => {
    const family = index % 2 === 0 ? 'email' : 'sms';
    return {
      index,
      family,
      recipient:
        family === 'email' ? `burst-${index}@example.com` : `+1555${String(1_000_000 + index).padStart(7, '0')}`,
      code: String(100_000 + ((index * 7_919) % 900_000)),
      body: '',
      arrivalMs: (index * BURST_MS) / EVENTS,
      invocations: 0,
      failureQueue: 0,
      deliveredAtSimMs: null,
    };
  });
  // As Cognito encrypts (suite 0x0378, `userpool-id`, one data key under the stack's key), before the burst.
  // One data key serves them all (a caching materials manager), so each costs a signature, not a KMS call.
  const { encrypt } = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
  const materials = new NodeCachingMaterialsManager({
    backingMaterials: new KmsKeyringNode({
      generatorKeyId: stack.kmsKeyArn,
      clientProvider: getClient(KMS, {
        endpoint: stack.endpoints.moto,
        region: stack.region,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      }),
    }),
    cache: getLocalCryptographicMaterialsCache(10),
    maxAge: 10 * 60_000,
    maxMessagesEncrypted: EVENTS,
  });
  const encryptLikeCognito = async (code: string) => {
    const { result } = await encrypt(materials, code, {
      suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
      encryptionContext: { 'userpool-id': POOL_ID },
    });
    return Buffer.from(result).toString('base64');
  };
  for (let start = 0; start < made.length; start += 16) {
    await Promise.all(
      made.slice(start, start + 16).map(async (message) => {
        const sources = message.family === 'email' ? emailSources : smsSources;
        const source = sources[message.index % sources.length] as string;
        const ciphertext = await encryptLikeCognito(message.code);
        const attributes: Record<string, string> =
          message.family === 'email'
            ? { sub: `burst-sub-${message.index}`, email: message.recipient, email_verified: 'true' }
            : { sub: `burst-sub-${message.index}`, phone_number: message.recipient, phone_number_verified: 'true' };
        message.body = JSON.stringify(
          senderEvent(source, ciphertext, { userAttributes: attributes, userName: `burst-user-${message.index}` }),
        );
      }),
    );
  }
  messages.push(...made);
}, 120_000);

afterAll(async () => {
  for (const name of stack ? (['custom-email-sender', 'custom-sms-sender'] as const) : []) {
    storeWarnings += (await stack.functionLogs(name)).filter((line) => line.includes('"store":"unavailable"')).length;
  }
  await stack?.stop();
  await proxy?.close();
  agent.destroy();
  const once = figures.deliveredOnce ?? 0;
  book.add({
    group: 'burst',
    label: 'burst through the local stack (SES and SNS throttled above 14/s)',
    cases: messages.length,
    held: once,
    headline: `delivered once ${once.toLocaleString('en-US')}, duplicates ${figures.duplicates ?? 0}, lost ${figures.lost ?? 0}, attempts per message max ${figures.attemptsMax ?? 0} p99 ${figures.attemptsP99 ?? 0}, last delivery at ${minutes(figures.lastDeliverySimMs ?? 0)} simulated`,
    notes: [
      `${messages.length.toLocaleString('en-US')} events (half email, half SMS, each its own user, address or number and code) over ${BURST_MS / 1000} s, ${REPEATS} of them delivered twice by "Lambda" (half at once, half 2 s later); ${CONTAINERS} containers per sender`,
      `delivered exactly once ${once.toLocaleString('en-US')}, duplicates ${figures.duplicates ?? 0}, lost ${figures.lost ?? 0}`,
      `invocations per message: max ${figures.attemptsMax ?? 0}, p99 ${figures.attemptsP99 ?? 0}, mean ${(figures.attemptsMean ?? 0).toFixed(2)}; ${figures.failureQueued ?? 0} events reached the failure queue and were replayed`,
      `simulated time until the last delivery: ${minutes(figures.lastDeliverySimMs ?? 0)} (p99 ${minutes(figures.p99DeliverySimMs ?? 0)}; Lambda's retries after 1 and 2 min, a replay 5 min after the failure queue, 1 min = ${MS_PER_SIMULATED_MINUTE} ms); wall time ${(wallMs / 1000).toFixed(1)} s`,
      `SES attempts ${proxy?.attempts.ses ?? 0} (forwarded ${proxy?.forwarded.ses ?? 0}, at most ${proxy?.peakPerSecond.ses ?? 0} in a second), SNS attempts ${proxy?.attempts.sns ?? 0} (forwarded ${proxy?.forwarded.sns ?? 0}, at most ${proxy?.peakPerSecond.sns ?? 0} in a second)`,
      `failed invocations: ${errors.toString() || 'none'}; idempotency table warnings in the senders' logs: ${storeWarnings}`,
    ],
  });
  book.write();
  mkdirSync(HARDENING_OUTPUT, { recursive: true });
  writeFileSync(
    join(HARDENING_OUTPUT, 'burst.json'),
    `${JSON.stringify({ figures, wallMs, errors: errorMessages.toString(), storeWarnings }, null, 2)}\n`,
  );
});

describe('a sign-up burst through the local stack', () => {
  it('delivers each of 2,000 messages exactly once under SES and SNS throttling, with Lambda retries and repeats', async () => {
    const startedAt = performance.now();
    const deliveries: Array<Promise<void>> = [];
    for (const message of messages) {
      const due = startedAt + message.arrivalMs;
      const ahead = due - performance.now();
      if (ahead > 0) await sleep(ahead);
      deliveries.push(deliverAsynchronously(message, startedAt));
      // Every 20th event is delivered twice: at once, or 2 s later.
      if (message.index % (EVENTS / REPEATS) === 0) {
        const later = message.index % (2 * (EVENTS / REPEATS)) === 0 ? 0 : 2_000;
        deliveries.push(sleep(later).then(() => deliverAsynchronously(message, startedAt)));
      }
    }
    await Promise.all(deliveries);
    wallMs = performance.now() - startedAt;

    const [emails, sms]: [SentEmail[], SentSms[]] = [await stack.sentEmails(), await stack.sentSms()];
    const received = new Map<string, string[]>();
    for (const email of emails) {
      for (const to of email.to) received.set(to, [...(received.get(to) ?? []), email.html]);
    }
    for (const text of sms) received.set(text.phoneNumber, [...(received.get(text.phoneNumber) ?? []), text.message]);

    let deliveredOnce = 0;
    let duplicates = 0;
    let lost = 0;
    const wrong: string[] = [];
    for (const message of messages) {
      const bodies = received.get(message.recipient) ?? [];
      if (bodies.length === 0) lost += 1;
      duplicates += Math.max(0, bodies.length - 1);
      if (bodies.length === 1 && bodies[0]?.includes(message.code)) deliveredOnce += 1;
      else if (bodies.length === 1) wrong.push(`${message.recipient}: its message lacks its own code`);
    }
    const strangers = [...received.keys()].filter((to) => !messages.some((m) => m.recipient === to));
    const attempts = messages.map((m) => m.invocations);
    const delivered = messages.flatMap((m) => (m.deliveredAtSimMs === null ? [] : [m.deliveredAtSimMs]));
    figures = {
      deliveredOnce,
      duplicates,
      lost,
      attemptsMax: Math.max(...attempts),
      attemptsP99: percentile(attempts, 99),
      attemptsMean: attempts.reduce((a, b) => a + b, 0) / attempts.length,
      failureQueued: messages.filter((m) => m.failureQueue > 0).length,
      lastDeliverySimMs: Math.max(0, ...delivered),
      p99DeliverySimMs: percentile(delivered, 99),
    };

    expect(wrong).toEqual([]);
    expect(strangers).toEqual([]);
    expect({ duplicates, lost }).toEqual({ duplicates: 0, lost: 0 });
    expect(deliveredOnce).toBe(EVENTS);
    // The proxy held both services to the rate: the throttling was real.
    expect(proxy?.peakPerSecond.ses).toBeLessThanOrEqual(SEND_RATE);
    expect(proxy?.peakPerSecond.sns).toBeLessThanOrEqual(SEND_RATE);
    expect((proxy?.attempts.ses ?? 0) + (proxy?.attempts.sns ?? 0)).toBeGreaterThan(EVENTS);
  }, 240_000);
});
