/**
 * Fuzzing the CustomSMSSender handler: events shaped like Cognito's,
 * filled and broken by fast-check (support/arbitraries.ts), held to the
 * properties in support/sender-fuzz.ts.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { kmsDecryptClients } from '../../src/runtime/delivery/aws-clients.js';
import { embeddedPack } from '../../src/runtime/render/embedded-pack.js';
import { createCodeDecrypter } from '../../src/runtime/sender-mode/decrypt-code.js';
import { createSmsSenderHandler } from '../../src/runtime/sender-mode/handler.js';
import { kms, resetAwsMocks } from '../support/sender-harness.js';
import { senderCase } from './support/arbitraries.js';
import { ALLOWED_KEY_ARNS, buildCiphertextPool, type PoolEntry } from './support/ciphertext-pool.js';
import { figureBook, Tally } from './support/figures.js';
import { FUZZ_RUNS, fuzzSender, memoisedDecrypter, SAMPLE_RUNS } from './support/sender-fuzz.js';

const ENV = {
  KMS_KEY_ARN: ALLOWED_KEY_ARNS.join(','),
  EMAIL_FROM: 'Acme <no-reply@example.com>',
  BRAND_BY_CLIENT_ID: 'northwind-app-client:northwind',
  LOG_LEVEL: 'debug',
};
const book = figureBook('fuzz-sms-sender');
const logLines: string[] = [];
let pool: PoolEntry[] = [];

beforeAll(async () => {
  resetAwsMocks();
  pool = await buildCiphertextPool(kms);
});
afterAll(() => book.write());

describe('CustomSMSSender under fuzzing', () => {
  it(`holds every property over ${FUZZ_RUNS.toLocaleString('en-US')} generated events`, async () => {
    const decryptions = new Tally();
    const decrypter = memoisedDecrypter(createCodeDecrypter(ALLOWED_KEY_ARNS, kmsDecryptClients()), decryptions);
    const notes = [`decrypter: the real one behind a memo of (ciphertext, pool) outcomes`];
    await fuzzSender({
      family: 'sms',
      label: 'CustomSMSSender handler',
      handler: createSmsSenderHandler(ENV, { pack: embeddedPack, decrypter, writeLog: (line) => logLines.push(line) }),
      cases: senderCase('sms', pool),
      pool,
      runs: FUZZ_RUNS,
      logLines,
      notes,
      record: (figure) => {
        const shrunk = figure.held < figure.cases ? ' (including shrinking)' : '';
        figure.notes.push(`decryptions${shrunk}: ${decryptions}`);
        book.add(figure);
      },
    });
  });

  it(`holds every property over ${SAMPLE_RUNS.toLocaleString('en-US')} events with no memo in front of the decrypter`, async () => {
    await fuzzSender({
      family: 'sms',
      label: 'CustomSMSSender handler, unmodified (every code through the Encryption SDK)',
      handler: createSmsSenderHandler(ENV, { pack: embeddedPack, writeLog: (line) => logLines.push(line) }),
      cases: senderCase('sms', pool),
      pool,
      runs: SAMPLE_RUNS,
      logLines,
      notes: ['decrypter: the default one, KMS client mocked in front of FakeKms'],
      record: (figure) => book.add(figure),
    });
  });
});
