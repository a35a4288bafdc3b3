/**
 * Tampered and foreign ciphertexts. One Cognito-format code (suite 0x0378,
 * `userpool-id` context, one data key) has each of its bits flipped in turn,
 * and every variant goes through the full sender handler: real Encryption SDK
 * decrypter, KMS answered by FakeKms behind aws-sdk-client-mock. Each must be
 * refused with one of our typed errors and send nothing. Then the foreign
 * shapes: another key, another pool, two data keys, cut short, empty.
 */
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeDecryptionError, TriggerPackError } from '../../src/runtime/errors.js';
import { embeddedPack } from '../../src/runtime/render/embedded-pack.js';
import {
  createEmailSenderHandler,
  createSmsSenderHandler,
  type SenderHandler,
} from '../../src/runtime/sender-mode/handler.js';
import { encryptLikeCognito, KEY_ARN, OTHER_KEY_ARN } from '../support/cognito-ciphertext.js';
import { POOL_ID, senderEvent } from '../support/events.js';
import { kms, resetAwsMocks, sesMock, snsMock } from '../support/sender-harness.js';
import { ALLOWED_KEY_ARNS, buildCiphertextPool, SECOND_KEY_ARN } from './support/ciphertext-pool.js';
import { figureBook, Tally } from './support/figures.js';
import { leakedSecret } from './support/oracles.js';
import { eventLoopBreather } from './support/sender-fuzz.js';

const CODE = '468024';
const ENV = { KMS_KEY_ARN: ALLOWED_KEY_ARNS.join(','), EMAIL_FROM: 'Acme <no-reply@example.com>', LOG_LEVEL: 'debug' };
const logLines: string[] = [];
const email = createEmailSenderHandler(ENV, { pack: embeddedPack, writeLog: (line) => logLines.push(line) });
const sms = createSmsSenderHandler(ENV, { pack: embeddedPack, writeLog: (line) => logLines.push(line) });
const book = figureBook('tamper');
let original = '';

beforeAll(async () => {
  resetAwsMocks();
  original = await encryptLikeCognito(kms, CODE, { poolId: POOL_ID });
});
afterAll(() => book.write());

function sentCount(): number {
  return sesMock.commandCalls(SendEmailCommand).length + snsMock.commandCalls(PublishCommand).length;
}

/** Runs one event; returns why it was refused, or a description of what went wrong. */
async function refusal(handler: SenderHandler, event: unknown): Promise<{ ok: boolean; reason: string }> {
  sesMock.resetHistory();
  snsMock.resetHistory();
  try {
    await handler(event, { awsRequestId: 'tamper' });
    return { ok: false, reason: `accepted; ${sentCount()} sent` };
  } catch (error) {
    if (!(error instanceof TriggerPackError)) return { ok: false, reason: `escaped ${String(error)}` };
    if (sentCount() > 0) return { ok: false, reason: `threw ${error.name} after sending` };
    const reason = error instanceof CodeDecryptionError ? `${error.name}/${error.reason}` : error.name;
    return { ok: true, reason };
  }
}

describe('tampered Cognito ciphertexts', () => {
  it('refuses every single-bit flip of the message, through the full handler, sending nothing', async () => {
    const bytes = Buffer.from(original, 'base64');
    // The sanity check that makes the flips mean something: the untouched message is delivered.
    expect(await refusal(email, senderEvent('CustomEmailSender_SignUp', original))).toEqual({
      ok: false,
      reason: 'accepted; 1 sent',
    });
    const reasons = new Tally();
    const accepted: string[] = [];
    const started = performance.now();
    const total = bytes.length * 8;
    const breathe = eventLoopBreather();
    for (let bit = 0; bit < total; bit += 1) {
      await breathe();
      const variant = Buffer.from(bytes);
      variant[bit >> 3] = (variant[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      const code = variant.toString('base64');
      // Alternate the two senders: both share the decrypter, each has its own handler wiring.
      const outcome =
        bit % 2 === 0
          ? await refusal(email, senderEvent('CustomEmailSender_SignUp', code))
          : await refusal(sms, senderEvent('CustomSMSSender_SignUp', code));
      if (outcome.ok) reasons.add(outcome.reason);
      else accepted.push(`bit ${bit} (byte ${bit >> 3}): ${outcome.reason}`);
    }
    const seconds = (performance.now() - started) / 1000;
    book.add({
      group: 'tamper',
      label: `single-bit flips of a ${bytes.length}-byte Cognito ciphertext`,
      cases: total,
      held: total - accepted.length,
      notes: [
        `every variant through the full handler (even bits: CustomEmailSender, odd: CustomSMSSender), real Encryption SDK decrypter`,
        `refused as: ${reasons}`,
        `${seconds.toFixed(1)} s (${((seconds * 1000) / total).toFixed(2)} ms per variant)`,
      ],
    });
    expect(accepted).toEqual([]);
    expect(leakedSecret(logLines, [CODE])).toBeNull();
  });

  it('refuses foreign, doubled, cut and empty codes, sending nothing', async () => {
    const bytes = Buffer.from(original, 'base64');
    const cut = (length: number) => bytes.subarray(0, length).toString('base64');
    const pool = await buildCiphertextPool(kms);
    const unsigned = pool.find((entry) => entry.what === 'unsupported (unsigned) suite')?.ciphertext ?? '';
    const cases: Array<[string, string | null, RegExp]> = [
      [
        'under another KMS key',
        await encryptLikeCognito(kms, CODE, { poolId: POOL_ID, keyArn: OTHER_KEY_ARN }),
        /key-not-allowed/,
      ],
      ['for another user pool', await encryptLikeCognito(kms, CODE, { poolId: 'us-east-1_Other' }), /wrong-pool/],
      [
        'with no userpool-id in its context',
        await encryptLikeCognito(kms, CODE, { poolId: POOL_ID, encryptionContext: {} }),
        /wrong-pool/,
      ],
      [
        'with two data keys, one foreign',
        await encryptLikeCognito(kms, CODE, { poolId: POOL_ID, extraKeyArns: [OTHER_KEY_ARN] }),
        /CodeDecryptionError/,
      ],
      [
        'with two data keys, both allowed',
        await encryptLikeCognito(kms, CODE, { poolId: POOL_ID, keyArn: KEY_ARN, extraKeyArns: [SECOND_KEY_ARN] }),
        /CodeDecryptionError/,
      ],
      [
        'committing suite for another pool',
        await encryptLikeCognito(kms, CODE, { poolId: 'us-east-1_Other', committing: true }),
        /wrong-pool/,
      ],
      ['under an unsigned suite (0x0178)', unsigned, /unsupported-algorithm/],
      ['empty', '', /InvalidEventError/],
      ['null', null, /InvalidEventError/],
      ['not base64', `${original.slice(0, 20)}!${original.slice(21)}`, /not-base64/],
      ...[
        1,
        3,
        4,
        20,
        100,
        200,
        Math.floor(bytes.length / 2),
        bytes.length - 104,
        bytes.length - 50,
        bytes.length - 1,
      ].map((length): [string, string, RegExp] => [
        `cut to ${length} of ${bytes.length} bytes`,
        cut(length),
        /CodeDecryptionError/,
      ]),
      ['with 16 bytes appended', Buffer.concat([bytes, Buffer.alloc(16, 7)]).toString('base64'), /CodeDecryptionError/],
      ['twice over', Buffer.concat([bytes, bytes]).toString('base64'), /CodeDecryptionError/],
    ];
    const reasons = new Tally();
    const problems: string[] = [];
    let tried = 0;
    for (const [name, code, expected] of cases) {
      for (const [handler, source] of [
        [email, 'CustomEmailSender_SignUp'],
        [sms, 'CustomSMSSender_ForgotPassword'],
      ] as const) {
        tried += 1;
        const outcome = await refusal(handler, senderEvent(source, code));
        if (!outcome.ok || !expected.test(outcome.reason)) problems.push(`${name} (${source}): ${outcome.reason}`);
        else reasons.add(outcome.reason);
      }
    }
    book.add({
      group: 'tamper',
      label: 'foreign, doubled, cut and empty codes',
      cases: tried,
      held: tried - problems.length,
      notes: [`${cases.length} shapes through both senders; refused as: ${reasons}`],
    });
    expect(problems).toEqual([]);
    expect(leakedSecret(logLines, [CODE])).toBeNull();
  });
});
