/**
 * Experiment entry (bundled like a handler, run with instant-aws preloaded):
 * times the parts of a warm sender invocation one by one, in one process,
 * so a change to one part shows what it gains. Writes medians to the file
 * named on the command line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { kmsDecryptClients, SDK_RETRY_POLICY } from '../../src/runtime/delivery/aws-clients.js';
import { sesDelivery } from '../../src/runtime/delivery/ses-delivery.js';
import { snsDelivery } from '../../src/runtime/delivery/sns-delivery.js';
import { parseSenderEvent } from '../../src/runtime/event/cognito-event.js';
import { createLogger } from '../../src/runtime/log.js';
import { embeddedPack } from '../../src/runtime/render/embedded-pack.js';
import { prepareEmail, prepareSms } from '../../src/runtime/sender-mode/compose-message.js';
import { createCodeDecrypter, type KmsDecryptClient } from '../../src/runtime/sender-mode/decrypt-code.js';
import { createEmailSenderHandler, createSmsSenderHandler } from '../../src/runtime/sender-mode/handler.js';
import { readSenderConfig } from '../../src/runtime/sender-mode/sender-config.js';
import { resolveTarget } from '../../src/runtime/target/resolve-target.js';
import { floorDecrypt } from '../harness/floor.js';
import type { InstantAwsCanned } from '../harness/protocol.js';

interface BreakdownJob {
  emailEvents: unknown[];
  smsEvents: unknown[];
  warmup: number;
  iterations: number;
  out: string;
}

const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as BreakdownJob;
const canned = JSON.parse(readFileSync(process.env.BENCH_INSTANT_AWS ?? '', 'utf8')) as InstantAwsCanned;
const silent = { writeLog: () => {} };

type Part = (i: number) => Promise<unknown> | unknown;

/**
 * Medians per part. The parts run in turn, a batch of each per round, so
 * drift on a shared machine hits all of them alike.
 */
async function timeParts(parts: ReadonlyArray<[string, Part]>): Promise<Record<string, number>> {
  const batch = 25;
  const samples = new Map<string, number[]>(parts.map(([name]) => [name, []]));
  for (const [, run] of parts) for (let i = 0; i < job.warmup; i += 1) await run(i);
  for (let round = 0; round * batch < job.iterations; round += 1) {
    for (const [name, run] of parts) {
      const list = samples.get(name) ?? [];
      for (let i = 0; i < batch; i += 1) {
        const start = process.hrtime.bigint();
        await run(round * batch + i);
        list.push(Number(process.hrtime.bigint() - start) / 1_000);
      }
    }
  }
  const medians: Record<string, number> = {};
  for (const [name, list] of samples) {
    list.sort((a, b) => a - b);
    medians[name] = list[Math.floor(list.length / 2)] ?? Number.NaN;
  }
  return medians;
}

async function main(): Promise<void> {
  const env = process.env;
  const config = readSenderConfig(env, embeddedPack, 'email');
  const emailRequests = job.emailEvents.map((event) => parseSenderEvent(event, 'customEmailSenderRequestV1'));
  const smsRequests = job.smsEvents.map((event) => parseSenderEvent(event, 'customSMSSenderRequestV1'));
  const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

  // KMS answered from memory: the Encryption SDK's own work, without the AWS SDK call.
  const inMemoryKms: KmsDecryptClient = {
    decrypt: async (input) => {
      const key = canned.dataKeys[Buffer.from(input.CiphertextBlob ?? new Uint8Array()).toString('base64')];
      if (!key) throw new Error('unknown data key');
      return {
        KeyId: canned.keyArn,
        Plaintext: new Uint8Array(Buffer.from(key.plaintext, 'base64')),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        $metadata: {},
      };
    },
  };
  const esdkOnly = createCodeDecrypter(config.kmsKeyArns, () => inMemoryKms);
  const decrypter = createCodeDecrypter(config.kmsKeyArns, kmsDecryptClients());
  const kms = new KMSClient({ region: 'us-east-1', ...SDK_RETRY_POLICY });
  const [firstKey, firstData] = Object.entries(canned.dataKeys)[0] ?? [];
  const ses = sesDelivery();
  const sns = snsDelivery();
  const log = createLogger({ minLevel: 'error', write: () => {} });
  const email = prepareEmail(
    { pack: embeddedPack, config },
    pick(emailRequests, 0),
    resolveTarget(embeddedPack, config, pick(emailRequests, 0), 'signUp'),
    '123456',
    'alice@example.com',
  );
  const emailHandler = createEmailSenderHandler(env, { ...silent, pack: embeddedPack });
  const smsHandler = createSmsSenderHandler(env, { ...silent, pack: embeddedPack });

  const decryptWith = (with_: { decrypt: typeof decrypter.decrypt }) => (i: number) => {
    const request = pick(emailRequests, i);
    return with_.decrypt(request.code ?? '', request.userPoolId);
  };
  const parts: Array<[string, Part]> = [
    ['email handler', (i) => emailHandler(pick(job.emailEvents, i))],
    ['sms handler', (i) => smsHandler(pick(job.smsEvents, i))],
    ['decrypt (Encryption SDK + KMS call)', decryptWith(decrypter)],
    ['decrypt, Encryption SDK only (KMS from memory)', decryptWith(esdkOnly)],
    [
      'decrypt, keyring and KMS client built per call',
      (i) => decryptWith(createCodeDecrypter(config.kmsKeyArns, kmsDecryptClients()))(i),
    ],
    ['floor: node:crypto on the same message', (i) => floorDecrypt(pick(emailRequests, i).code ?? '')],
    [
      'KMS Decrypt call (AWS SDK)',
      () =>
        kms.send(
          new DecryptCommand({
            CiphertextBlob: Buffer.from(firstKey ?? '', 'base64'),
            KeyId: canned.keyArn,
            EncryptionContext: firstData?.encryptionContext,
          }),
        ),
    ],
    ['SES SendEmail call (AWS SDK)', () => ses.send(email)],
    [
      'SNS Publish call (AWS SDK)',
      () =>
        sns.send({
          phoneNumber: '+14155550123',
          text: 'Acme: 123456 is your code.',
          senderId: null,
          originationNumber: null,
        }),
    ],
    [
      'render + check email',
      (i) => {
        const request = pick(emailRequests, i);
        const target = resolveTarget(embeddedPack, config, request, 'signUp');
        return prepareEmail({ pack: embeddedPack, config }, request, target, '123456', 'alice@example.com');
      },
    ],
    [
      'render + check SMS',
      (i) => {
        const request = pick(smsRequests, i);
        const target = resolveTarget(embeddedPack, config, request, 'signUp');
        return prepareSms({ pack: embeddedPack, config }, request, target, '123456', '+14155550123', log);
      },
    ],
  ];
  const results = await timeParts(parts);
  writeFileSync(job.out, JSON.stringify(results));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
