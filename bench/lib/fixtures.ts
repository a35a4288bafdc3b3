/**
 * The events the benchmark invokes, with sender codes encrypted the way
 * Cognito encrypts them (suite 0x0378, `userpool-id` context, one data key),
 * and the canned KMS answers the in-process mock gives for their data keys.
 */
import { writeFileSync } from 'node:fs';
import { encryptLikeCognito, FakeKms, KEY_ARN } from '../../test/support/cognito-ciphertext.js';
import { customMessageEvent, POOL_ID, senderEvent } from '../../test/support/events.js';
import type { InstantAwsCanned } from '../harness/protocol.js';

/** Remembers every data key it hands out, so the mock can answer Decrypt for it. */
class RecordingKms extends FakeKms {
  readonly canned: InstantAwsCanned = { keyArn: KEY_ARN, dataKeys: {} };

  override async generateDataKey(input: {
    KeyId?: string;
    NumberOfBytes?: number;
    EncryptionContext?: Record<string, string>;
  }) {
    const output = await super.generateDataKey(input);
    this.canned.dataKeys[Buffer.from(output.CiphertextBlob).toString('base64')] = {
      plaintext: Buffer.from(output.Plaintext).toString('base64'),
      encryptionContext: input.EncryptionContext ?? {},
    };
    return output;
  }
}

export interface SenderFixture {
  events: ReturnType<typeof senderEvent>[];
  codes: string[];
}

export interface Fixtures {
  customMessage: ReturnType<typeof customMessageEvent>[];
  /** CustomMessage events that each render a different message (distinct display names). */
  customMessageDistinct: ReturnType<typeof customMessageEvent>[];
  email: SenderFixture;
  sms: SenderFixture;
  keyArn: string;
  poolId: string;
}

/** Makes `count` encrypted codes per sender and writes the mock's canned answers to `cannedPath`. */
export async function makeFixtures(cannedPath: string, count: number, distinct: number): Promise<Fixtures> {
  const kms = new RecordingKms();
  const sender = async (source: string): Promise<SenderFixture> => {
    const codes = Array.from({ length: count }, (_, i) => String(271_828 + i * 7_919).slice(-6));
    const events = [];
    for (const code of codes)
      events.push(senderEvent(source, await encryptLikeCognito(kms, code, { poolId: POOL_ID })));
    return { events, codes };
  };
  const email = await sender('CustomEmailSender_SignUp');
  const sms = await sender('CustomSMSSender_SignUp');
  writeFileSync(cannedPath, JSON.stringify(kms.canned));
  const customMessageDistinct = Array.from({ length: distinct }, (_, i) =>
    customMessageEvent('CustomMessage_SignUp', {
      userAttributes: { sub: `7d3e5b1a-0000-4000-8000-${String(i).padStart(12, '0')}`, given_name: `Alice ${i}` },
    }),
  );
  return {
    customMessage: [customMessageEvent('CustomMessage_SignUp')],
    customMessageDistinct,
    email,
    sms,
    keyArn: KEY_ARN,
    poolId: POOL_ID,
  };
}
