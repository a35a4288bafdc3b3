import { describe, expect, it } from 'vitest';
import { createCodeDecrypter } from '../../../src/runtime/sender-mode/decrypt-code.js';
import { encryptLikeCognito, FakeKms, KEY_ARN, OTHER_KEY_ARN } from '../../support/cognito-ciphertext.js';

const kms = new FakeKms();
const decrypter = createCodeDecrypter([OTHER_KEY_ARN, KEY_ARN], () => kms);

describe('createCodeDecrypter', () => {
  it('accepts any of several configured key ARNs', async () => {
    const ciphertext = await encryptLikeCognito(kms, '481516', { poolId: 'us-east-1_A', keyArn: KEY_ARN });
    await expect(decrypter.decrypt(ciphertext, 'us-east-1_A')).resolves.toBe('481516');
  });

  it('rejects a suite Cognito never sends before calling KMS', async () => {
    const before = kms.decryptCalls;
    const header = Buffer.from([0x01, 0x80, 0x00, 0x14, ...new Array(40).fill(0)]).toString('base64');
    await expect(decrypter.decrypt(header, 'us-east-1_A')).rejects.toMatchObject({ reason: 'unsupported-algorithm' });
    expect(kms.decryptCalls).toBe(before);
  });

  it('names the failure without quoting the plaintext', async () => {
    const ciphertext = await encryptLikeCognito(kms, '271828', { poolId: 'us-east-1_A' });
    const error = await decrypter.decrypt(ciphertext, 'us-east-1_B').catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'CodeDecryptionError', reason: 'wrong-pool' });
    expect(String((error as Error).message)).not.toContain('271828');
  });

  it('rejects a truncated message', async () => {
    const ciphertext = await encryptLikeCognito(kms, '161803', { poolId: 'us-east-1_A' });
    const truncated = Buffer.from(ciphertext, 'base64').subarray(0, 200).toString('base64');
    await expect(decrypter.decrypt(truncated, 'us-east-1_A')).rejects.toMatchObject({ name: 'CodeDecryptionError' });
  });

  it('rejects padding-free or oversized base64', async () => {
    await expect(decrypter.decrypt('abc', 'p')).rejects.toMatchObject({ reason: 'not-base64' });
    await expect(decrypter.decrypt('A'.repeat(20_000), 'p')).rejects.toMatchObject({ reason: 'not-base64' });
  });
});
