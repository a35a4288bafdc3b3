/**
 * 10,000 interleaved warm invocations in one process: the three handlers,
 * each created once (as in a warm container), called for thousands of
 * different users at the same time, with random latencies on every KMS,
 * SES and SNS call (aws-sdk-client-mock callsFake + setTimeout) so the
 * invocations overlap at every await.
 *
 * Each user has their own code, address, name, locale and brand. Every
 * message is compared with a reference rendered alone beforehand for the
 * same source, locale and brand, after replacing the user's own values with
 * placeholders: a code, address, name, locale or brand from anyone else
 * makes it differ. Log lines are checked per request id the same way.
 *
 * Decryption: 1,000 of the sender invocations carry real Cognito-format
 * ciphertexts through the real Encryption SDK decrypter (KMS mocked in front
 * of FakeKms); the others carry table tokens that a stand-in decrypter
 * resolves after a random delay, so the run stays within seconds.
 */
import { DecryptCommand } from '@aws-sdk/client-kms';
import { SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-ses';
import { PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { kmsDecryptClients } from '../../src/runtime/delivery/aws-clients.js';
import { CodeDecryptionError } from '../../src/runtime/errors.js';
import { embeddedPack } from '../../src/runtime/render/embedded-pack.js';
import { type CodeDecrypter, createCodeDecrypter } from '../../src/runtime/sender-mode/decrypt-code.js';
import { createEmailSenderHandler, createSmsSenderHandler } from '../../src/runtime/sender-mode/handler.js';
import { encryptLikeCognito, KEY_ARN } from '../support/cognito-ciphertext.js';
import {
  CUSTOM_MESSAGE_SOURCES,
  customMessageEvent,
  EMAIL_SENDER_SOURCES,
  POOL_ID,
  SMS_SENDER_SOURCES,
  senderEvent,
} from '../support/events.js';
import { kms, kmsMock, sesMock, snsMock } from '../support/sender-harness.js';
import { figureBook } from './support/figures.js';
import { prototypePollution } from './support/oracles.js';

const TOTAL = 10_000;
const REAL_DECRYPTIONS = 1_000;
const NORTHWIND_CLIENT = 'northwind-app-client';
const book = figureBook('concurrency');

/** A small deterministic PRNG (mulberry32), so a failing interleaving can be replayed with CONCURRENCY_SEED. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = Number(process.env.CONCURRENCY_SEED) || Date.now() % 1_000_000;
const random = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = () => sleep(Math.floor(random() * 6));

type Family = 'email' | 'sms' | 'message';

/** How the user's locale reaches the handler, and the shipped locale it must resolve to. */
const LOCALE_CHOICES = [
  { via: 'metadata', value: 'en', expected: 'en' },
  { via: 'metadata', value: 'es', expected: 'es' },
  { via: 'metadata', value: 'de', expected: 'de' },
  { via: 'metadata', value: 'pt_br', expected: 'pt-BR' },
  { via: 'metadata', value: 'ja', expected: 'ja' },
  { via: 'attribute', value: 'fr-CA', expected: 'fr' },
  { via: 'attribute', value: 'ar-EG', expected: 'ar' },
  { via: 'attribute', value: 'pt', expected: 'pt-BR' },
  { via: 'attribute', value: 'ja-JP', expected: 'ja' },
] as const;
/** How the brand is chosen, and the brand it must resolve to. */
const BRAND_CHOICES = [
  { via: 'metadata', expected: 'northwind' },
  { via: 'client', expected: 'northwind' },
  { via: 'none', expected: 'default' },
] as const;

interface User {
  index: number;
  family: Family;
  source: string;
  requestId: string;
  userName: string;
  email: string;
  phone: string;
  name: string;
  code: string;
  locale: (typeof LOCALE_CHOICES)[number];
  brand: (typeof BRAND_CHOICES)[number];
  real: boolean;
}

/** Letters only, so a user's name and address never contain another user's digits (codes are digits). */
function tag(index: number): string {
  let text = '';
  let rest = index;
  for (let i = 0; i < 4; i += 1) {
    text = String.fromCharCode(97 + (rest % 26)) + text;
    rest = Math.floor(rest / 26);
  }
  return text;
}

function makeUser(index: number, family: Family, real: boolean): User {
  const sources =
    family === 'email' ? EMAIL_SENDER_SOURCES : family === 'sms' ? SMS_SENDER_SOURCES : CUSTOM_MESSAGE_SOURCES;
  const source = pick(sources);
  const t = tag(index);
  return {
    index,
    family,
    source,
    requestId: `req-${t}`,
    userName: `user-${t}`,
    email: `${t}@conc.example`,
    phone: `+1555${String(1_000_000 + index)}`,
    name: `Name${t}`,
    // Digits only; invitations carry an alphanumeric temporary password instead.
    code: source.endsWith('_AdminCreateUser') ? `Pw${String(80_000_000 + index)}` : String(70_000_000 + index),
    locale: pick(LOCALE_CHOICES),
    brand: pick(BRAND_CHOICES),
    real,
  };
}

function eventFor(user: User, ciphertext: string): unknown {
  const metadata: Record<string, string> = {};
  if (user.locale.via === 'metadata') metadata.locale = user.locale.value;
  if (user.brand.via === 'metadata') metadata.brand = 'northwind';
  const attributes: Record<string, string> = { sub: `sub-${user.index}`, given_name: user.name };
  if (user.locale.via === 'attribute') attributes.locale = user.locale.value;
  const clientId = user.brand.via === 'client' ? NORTHWIND_CLIENT : 'other-client';
  if (user.family === 'message') {
    const event = customMessageEvent(user.source as (typeof CUSTOM_MESSAGE_SOURCES)[number], {
      userAttributes: { ...attributes, email: user.email, phone_number: user.phone },
      clientMetadata: metadata,
      clientId,
    });
    event.userName = user.userName;
    return event;
  }
  const takeOver = user.source.endsWith('_AccountTakeOverNotification');
  const event = senderEvent(user.source, ciphertext, {
    userName: user.userName,
    clientMetadata: metadata,
    userAttributes: takeOver
      ? {
          IP_ADDRESS: '203.0.113.7',
          ACCOUNT_TAKE_OVER_ACTION: 'BLOCK',
          LOGIN_TIME: '2026-11-20T08:15:00Z',
          ...attributes,
          email: user.email,
        }
      : { ...attributes, email: user.email, phone_number: user.phone },
  });
  event.callerContext.clientId = clientId;
  if (takeOver) {
    // Cognito sends no clientMetadata with take-over notices: the locale comes from the attribute, the brand from the client.
    if (user.locale.via === 'metadata')
      event.request.userAttributes = { ...event.request.userAttributes, locale: user.locale.value };
    if (user.brand.via === 'metadata') event.callerContext.clientId = NORTHWIND_CLIENT;
  }
  return event;
}

/** The user's own values replaced by placeholders, so two users' messages of one shape compare equal. */
function normalise(text: string, user: User): string {
  return text
    .split(user.code)
    .join('«code»')
    .split(user.email)
    .join('«email»')
    .split(user.phone)
    .join('«phone»')
    .split(user.userName)
    .join('«user»')
    .split(user.name)
    .join('«name»');
}

const familyCount = (family: Family) => users.filter((u) => u.family === family).length.toLocaleString('en-US');
const shapeOf = (user: User) => `${user.source}|${user.locale.expected}|${user.brand.expected}`;

// The stand-in decrypter: table tokens resolve after a random delay; real ciphertexts go to the real one.
const table = new Map<string, { code: string; pool: string }>();
let realDecrypter: CodeDecrypter;
const decrypter: CodeDecrypter = {
  async decrypt(ciphertext, userPoolId) {
    const entry = table.get(ciphertext);
    if (!entry) return realDecrypter.decrypt(ciphertext, userPoolId);
    await jitter();
    if (entry.pool !== userPoolId) throw new CodeDecryptionError('wrong-pool', 'wrong pool');
    return entry.code;
  },
};

const ENV = {
  KMS_KEY_ARN: KEY_ARN,
  EMAIL_FROM: 'Acme <no-reply@example.com>',
  BRAND_BY_CLIENT_ID: `${NORTHWIND_CLIENT}:northwind`,
  SMS_SENDER_ID: 'AcmeAuth',
  LOG_LEVEL: 'info',
};
const senderLines: string[] = [];
const stdoutLines: string[] = [];
let emailHandler: ReturnType<typeof createEmailSenderHandler>;
let smsHandler: ReturnType<typeof createSmsSenderHandler>;
let messageHandler: (
  event: CustomMessageTriggerEvent,
  context?: { awsRequestId?: string },
) => Promise<CustomMessageTriggerEvent>;
const ciphertexts = new Map<number, string>();
let users: User[] = [];

beforeAll(async () => {
  vi.stubEnv('BRAND_BY_CLIENT_ID', ENV.BRAND_BY_CLIENT_ID);
  vi.stubEnv('LOG_LEVEL', 'info');
  messageHandler = (await import('../../handlers/custom-message.js')).handler;
  kmsMock.reset();
  sesMock.reset();
  snsMock.reset();
  let messageIds = 0;
  kmsMock.on(DecryptCommand).callsFake(async (input) => {
    await jitter();
    return kms.decrypt(input);
  });
  sesMock.on(SendEmailCommand).callsFake(async () => {
    await jitter();
    messageIds += 1;
    return { MessageId: `ses-${messageIds}` };
  });
  snsMock.on(PublishCommand).callsFake(async () => {
    await jitter();
    messageIds += 1;
    return { MessageId: `sns-${messageIds}` };
  });
  realDecrypter = createCodeDecrypter([KEY_ARN], kmsDecryptClients());
  emailHandler = createEmailSenderHandler(ENV, {
    pack: embeddedPack,
    decrypter,
    writeLog: (line) => senderLines.push(line),
  });
  smsHandler = createSmsSenderHandler(ENV, {
    pack: embeddedPack,
    decrypter,
    writeLog: (line) => senderLines.push(line),
  });

  const families: Family[] = [];
  for (let i = 0; i < TOTAL; i += 1) families.push(i % 10 < 4 ? 'email' : i % 10 < 7 ? 'sms' : 'message');
  let real = 0;
  users = families.map((family, index) => {
    const isReal = family !== 'message' && real < REAL_DECRYPTIONS && index % 7 === 0;
    if (isReal) real += 1;
    return makeUser(index, family, isReal);
  });
  for (const user of users) {
    if (user.family === 'message') continue;
    if (user.real) {
      ciphertexts.set(user.index, await encryptLikeCognito(kms, user.code, { poolId: POOL_ID }));
    } else {
      const token = Buffer.from(`table-token-${user.index}-${Math.random()}`).toString('base64');
      table.set(token, { code: user.code, pool: POOL_ID });
      ciphertexts.set(user.index, token);
    }
  }
}, 120_000);

/** Runs one user's invocation; returns what it produced (for CustomMessage, the response). */
async function invoke(user: User): Promise<string | undefined> {
  const event = eventFor(user, ciphertexts.get(user.index) ?? '');
  if (user.family === 'email') await emailHandler(event, { awsRequestId: user.requestId });
  else if (user.family === 'sms') await smsHandler(event, { awsRequestId: user.requestId });
  else
    return JSON.stringify(
      (await messageHandler(event as CustomMessageTriggerEvent, { awsRequestId: user.requestId })).response,
    );
  return undefined;
}

function sentEmailFor(address: string, inputs: SendEmailCommandInput[]): SendEmailCommandInput[] {
  return inputs.filter((input) => input.Destination?.ToAddresses?.includes(address));
}

/** Renders each user's shape alone, in order, with no other invocation in flight: the references. */
async function references(shapeUsers: User[]): Promise<Map<string, string>> {
  const refs = new Map<string, string>();
  for (const user of shapeUsers) {
    sesMock.resetHistory();
    snsMock.resetHistory();
    const response = await invoke(user);
    refs.set(shapeOf(user), normalise(producedText(user, response), user));
  }
  return refs;
}

/** What an invocation produced, as one comparable string. */
function producedText(user: User, response: string | undefined): string {
  if (user.family === 'message') return response ?? '';
  if (user.family === 'email') {
    const sent = sentEmailFor(
      user.email,
      sesMock.commandCalls(SendEmailCommand).map((c) => c.args[0].input),
    );
    return JSON.stringify(sent);
  }
  const sent = snsMock
    .commandCalls(PublishCommand)
    .map((c) => c.args[0].input)
    .filter((input: PublishCommandInput) => input.PhoneNumber === user.phone);
  return JSON.stringify(sent);
}

const captured = new Map<number, string>();

afterAll(() => book.write());

describe('10,000 interleaved warm invocations', () => {
  it('give every user their own code, address, locale and brand, with nothing crossed or left behind', async () => {
    // One reference user per shape (source × locale × brand), rendered alone first.
    const byShape = new Map<string, User>();
    for (const family of ['email', 'sms', 'message'] as const) {
      const sources =
        family === 'email' ? EMAIL_SENDER_SOURCES : family === 'sms' ? SMS_SENDER_SOURCES : CUSTOM_MESSAGE_SOURCES;
      for (const source of sources) {
        for (const locale of LOCALE_CHOICES) {
          for (const brand of BRAND_CHOICES) {
            const n = byShape.size;
            const user = { ...makeUser(TOTAL + n, family, false), source, locale, brand };
            user.code = source.endsWith('_AdminCreateUser') ? `Pw${String(90_000_000 + n)}` : String(60_000_000 + n);
            if (byShape.has(shapeOf(user))) continue;
            byShape.set(shapeOf(user), user);
            if (family !== 'message') {
              const token = Buffer.from(`reference-token-${n}`).toString('base64');
              table.set(token, { code: user.code, pool: POOL_ID });
              ciphertexts.set(user.index, token);
            }
          }
        }
      }
    }
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdoutLines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    let refs: Map<string, string>;
    let refsAfter: Map<string, string>;
    const problems: string[] = [];
    const started = performance.now();
    try {
      refs = await references([...byShape.values()]);
      sesMock.resetHistory();
      snsMock.resetHistory();
      senderLines.length = 0;
      stdoutLines.length = 0;

      // The interleaved run: every invocation starts after a random delay and all are in flight together.
      const order = [...users].sort(() => random() - 0.5);
      const outcomes = await Promise.allSettled(
        order.map(async (user) => {
          await sleep(Math.floor(random() * 20));
          const response = await invoke(user);
          if (user.family === 'message') captured.set(user.index, response ?? '');
        }),
      );
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'rejected') problems.push(`${order[i]?.requestId} failed: ${String(outcome.reason)}`);
      });

      const emails = sesMock.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
      const sms = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
      const emailsByAddress = new Map<string, SendEmailCommandInput[]>();
      for (const input of emails) {
        for (const address of input.Destination?.ToAddresses ?? []) {
          emailsByAddress.set(address, [...(emailsByAddress.get(address) ?? []), input]);
        }
      }
      const smsByPhone = new Map<string, PublishCommandInput[]>();
      for (const input of sms)
        smsByPhone.set(input.PhoneNumber ?? '', [...(smsByPhone.get(input.PhoneNumber ?? '') ?? []), input]);
      const expectedEmails = users.filter((u) => u.family === 'email').length;
      const expectedSms = users.filter((u) => u.family === 'sms').length;
      if (emails.length !== expectedEmails)
        problems.push(`${emails.length} emails sent for ${expectedEmails} email invocations`);
      if (sms.length !== expectedSms) problems.push(`${sms.length} SMS sent for ${expectedSms} SMS invocations`);

      const sentLines = new Map<string, Record<string, unknown>>();
      for (const line of [...senderLines, ...stdoutLines]) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.outcome === 'sent' || entry.outcome === 'rendered') sentLines.set(String(entry.requestId), entry);
      }

      for (const user of users) {
        const produced =
          user.family === 'message'
            ? (captured.get(user.index) ?? '')
            : JSON.stringify(
                user.family === 'email' ? (emailsByAddress.get(user.email) ?? []) : (smsByPhone.get(user.phone) ?? []),
              );
        const expected = refs.get(shapeOf(user));
        if (normalise(produced, user) !== expected) {
          problems.push(`${user.requestId} (${shapeOf(user)}) differs from its reference`);
        }
        const line = sentLines.get(user.requestId);
        if (!line) problems.push(`${user.requestId}: no outcome log line`);
        else if (
          line.locale !== user.locale.expected ||
          line.brand !== user.brand.expected ||
          line.triggerSource !== user.source
        ) {
          problems.push(
            `${user.requestId}: log line names ${String(line.triggerSource)} ${String(line.locale)}/${String(line.brand)}`,
          );
        }
      }
      const allLogs = [...senderLines, ...stdoutLines].join('\n');
      for (const user of users) {
        if (user.family !== 'message' && allLogs.includes(user.code))
          problems.push(`${user.requestId}: code in a log line`);
      }

      // Nothing left behind: the references render the same after the storm, and no prototype was touched.
      sesMock.resetHistory();
      snsMock.resetHistory();
      refsAfter = await references([...byShape.values()]);
    } finally {
      stdout.mockRestore();
    }
    for (const [shape, text] of refs)
      if (refsAfter.get(shape) !== text) problems.push(`${shape} renders differently after the run`);
    problems.push(...prototypePollution().map((key) => `Object.prototype gained ${key}`));
    const seconds = (performance.now() - started) / 1000;

    const crossed = new Set(problems.map((p) => p.split(' ')[0]));
    book.add({
      group: 'concurrency',
      label: 'interleaved warm invocations',
      cases: users.length,
      held: users.length - crossed.size,
      notes: [
        `${familyCount('email')} CustomEmailSender, ${familyCount('sms')} CustomSMSSender, ${familyCount('message')} CustomMessage, all in flight together; ${byShape.size} reference shapes`,
        `${users.filter((u) => u.real).length.toLocaleString('en-US')} decrypted by the real Encryption SDK decrypter, the rest by a token table; 0–5 ms random latency on every KMS/SES/SNS call`,
        `${seconds.toFixed(1)} s, seed ${SEED}`,
      ],
    });
    expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
  });
});
