/**
 * The built sender bundles against a real moto server: a KMS key made at
 * start, codes encrypted as Cognito encrypts them, the bundles run in their
 * own process with AWS_ENDPOINT_URL pointing at moto, and the sent email and
 * SMS read back from moto.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  getClient,
  KMS,
  KmsKeyringNode,
} from '@aws-crypto/client-node';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Moto, startMoto } from '../../src/local-stack/moto.js';
import {
  ACCOUNT_TAKE_OVER_ATTRIBUTES,
  EMAIL_SENDER_SOURCES,
  POOL_ID,
  SMS_SENDER_SOURCES,
  senderEvent,
} from '../support/events.js';

const run = promisify(execFile);
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const region = 'us-east-1';
const workDir = mkdtempSync(join(tmpdir(), 'ctp-moto-'));
let moto: Moto;
let keyArn: string;

beforeAll(async () => {
  moto = await startMoto();
  const kms = new KMSClient({ region, endpoint: moto.url, credentials });
  keyArn = (await kms.send(new CreateKeyCommand({ Description: 'cognito-trigger-pack test' }))).KeyMetadata?.Arn ?? '';
  const ses = new SESClient({ region, endpoint: moto.url, credentials });
  for (const address of ['no-reply@example.com', 'no-reply@northwind.example']) {
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: address }));
  }
});

afterAll(async () => {
  await moto?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** Encrypts like Cognito: suite 0x0378, `userpool-id` context, one data key under the full key ARN, via moto's KMS. */
async function encryptAsCognito(code: string): Promise<string> {
  const { encrypt } = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
  const clientProvider = getClient(KMS, { credentials, endpoint: moto.url });
  const keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider });
  const { result } = await encrypt(keyring, code, {
    encryptionContext: { 'userpool-id': POOL_ID },
    suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
  });
  return Buffer.from(result).toString('base64');
}

interface Outcome {
  ok: boolean;
  error?: string;
}

/** Runs events through a dist bundle in a fresh process, as Lambda would, and returns each outcome. */
async function invokeBundle(bundle: string, events: unknown[], env: Record<string, string> = {}): Promise<Outcome[]> {
  const eventsFile = join(workDir, `events-${Date.now()}-${Math.random()}.json`);
  writeFileSync(eventsFile, JSON.stringify(events));
  const script = `
    const { handler } = require(${JSON.stringify(resolve('dist', bundle))});
    const events = require(${JSON.stringify(eventsFile)});
    (async () => {
      const outcomes = [];
      for (const event of events) {
        try { await handler(event, { awsRequestId: 'it' }); outcomes.push({ ok: true }); }
        catch (error) { outcomes.push({ ok: false, error: error.name + ': ' + error.message }); }
      }
      console.log('OUTCOMES' + JSON.stringify(outcomes));
    })();`;
  const { stdout } = await run(process.execPath, ['-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_ENDPOINT_URL: moto.url,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      KMS_KEY_ARN: keyArn,
      EMAIL_FROM: 'Acme <no-reply@example.com>',
      LOG_LEVEL: 'warn',
      ...env,
    },
    maxBuffer: 10 * 1024 * 1024,
  }).catch((error: { stderr?: string }) => {
    // The failing command line holds the whole script; only the process's own words matter.
    throw new Error(`${bundle} crashed: ${String(error.stderr ?? '').slice(-2000)}`);
  });
  return JSON.parse(stdout.slice(stdout.indexOf('OUTCOMES') + 'OUTCOMES'.length)) as Outcome[];
}

describe('dist sender bundles against moto', () => {
  it('delivers all eight email sources to the user, in the requested locale, with the exact code', async () => {
    const cases = await Promise.all(
      EMAIL_SENDER_SOURCES.map(async (source, index) => {
        const code = String(700000 + index);
        const locale = ['en', 'fr', 'de', 'es', 'pt-BR', 'ja', 'ar', 'fr'][index] ?? 'en';
        const email = `user${index}@example.com`;
        const event = senderEvent(source, await encryptAsCognito(code), { clientMetadata: { locale } });
        event.request.userAttributes = source.endsWith('AccountTakeOverNotification')
          ? { ...ACCOUNT_TAKE_OVER_ATTRIBUTES, email, locale }
          : { ...event.request.userAttributes, email };
        return { source, code, locale, email, event };
      }),
    );
    const outcomes = await invokeBundle(
      'custom-email-sender.js',
      cases.map((c) => c.event),
    );
    expect(outcomes.map((o) => o.error ?? 'ok')).toEqual(cases.map(() => 'ok'));

    const messages = await moto.sentEmails();
    expect(messages).toHaveLength(cases.length);
    for (const c of cases) {
      const sent = messages.find((m) => m.to[0] === c.email);
      expect(sent, c.source).toBeDefined();
      expect(sent?.source).toBe('Acme <no-reply@example.com>');
      expect(sent?.html).toContain(`<html lang="${c.locale}"`);
      if (!c.source.endsWith('AccountTakeOverNotification')) expect(sent?.html).toContain(`>${c.code}<`);
    }
    const subjects = new Set(messages.map((m) => m.subject));
    expect(subjects.size).toBe(cases.length);
  });

  it('delivers all seven SMS sources to the user with the exact code', async () => {
    await moto.reset();
    const kms = new KMSClient({ region, endpoint: moto.url, credentials });
    keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
    const cases = await Promise.all(
      SMS_SENDER_SOURCES.map(async (source, index) => {
        const code = source.endsWith('AdminCreateUser') ? 'Tq7#mZp2Rw9x' : String(810000 + index);
        const phone = `+1415555${String(index).padStart(4, '0')}`;
        const event = senderEvent(source, await encryptAsCognito(code), { clientMetadata: { locale: 'de' } });
        event.request.userAttributes = { ...event.request.userAttributes, phone_number: phone };
        return { source, code, phone, event };
      }),
    );
    const outcomes = await invokeBundle(
      'custom-sms-sender.js',
      cases.map((c) => c.event),
    );
    expect(outcomes.map((o) => o.error ?? 'ok')).toEqual(cases.map(() => 'ok'));
    const sms = await moto.sentSms();
    expect(sms).toHaveLength(cases.length);
    for (const c of cases) {
      const sent = sms.find((m) => m.phoneNumber === c.phone);
      expect(sent, c.source).toBeDefined();
      expect(sent?.message, c.source).toContain(c.code);
    }
  });

  it('fails the invocation and sends nothing when SES refuses the sender', async () => {
    await moto.reset();
    const kms = new KMSClient({ region, endpoint: moto.url, credentials });
    keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
    const event = senderEvent('CustomEmailSender_SignUp', await encryptAsCognito('246810'));
    const [outcome] = await invokeBundle('custom-email-sender.js', [event]);
    expect(outcome?.error).toMatch(/^DeliveryError: SES SendEmail failed: MessageRejected/);
    expect(await moto.sentEmails()).toHaveLength(0);
  });
});
