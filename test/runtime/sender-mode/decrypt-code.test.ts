import { describe, expect, it } from 'vitest';
import { readMessageConfig } from '../../../src/runtime/config.js';
import { parseSenderEvent } from '../../../src/runtime/event/cognito-event.js';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import { createCodeDecrypter } from '../../../src/runtime/sender-mode/decrypt-code.js';
import { unescapeHtml, verificationUrl } from '../../../src/runtime/sender-mode/sender.js';
import { resolveTarget } from '../../../src/runtime/target/resolve-target.js';
import { encryptLikeCognito, FakeKms, KEY_ARN, OTHER_KEY_ARN } from '../../support/cognito-ciphertext.js';
import { senderEvent } from '../../support/events.js';

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

describe('unescapeHtml', () => {
  it('reverses the escaping Cognito applies to temporary passwords', () => {
    expect(unescapeHtml('a&lt;b&gt;c&amp;d&quot;e&#39;f&#x27;g&apos;')).toBe(`a<b>c&d"e'f'g'`);
  });

  it('leaves unknown or out-of-range references alone', () => {
    expect(unescapeHtml('&nbsp;&#0;&#x110000;&foo;')).toBe('&nbsp;&#0;&#x110000;&foo;');
    // A lone surrogate would be unprintable: the reference stays as written.
    expect(unescapeHtml('x&#xD800;y')).toBe('x&#xD800;y');
  });
});

describe('verificationUrl', () => {
  const northwind = embeddedPack.brands.get('northwind');
  const acme = embeddedPack.brands.get('default');
  if (!northwind || !acme) throw new Error('brands missing');

  it('is null for a brand without a link base', () => {
    expect(verificationUrl(acme, undefined, '123456', 'alice')).toBeNull();
  });

  it('puts the allowed origin in front of the brand path', () => {
    expect(verificationUrl(northwind, 'https://pr-7.northwind.example', '1', 'u')).toBe(
      'https://pr-7.northwind.example/verify?code=1&username=u',
    );
  });
});

describe('resolveTarget: the link origin', () => {
  const config = readMessageConfig({ EXTRA_LINK_ORIGINS: 'northwind=https://staging.northwind.example' }, embeddedPack);
  const origin = (linkOrigin: string, brand = 'northwind') =>
    resolveTarget(
      embeddedPack,
      config,
      parseSenderEvent(
        senderEvent('CustomEmailSender_SignUp', 'AA==', { clientMetadata: { brand, linkOrigin } }),
        'customEmailSenderRequestV1',
      ),
      'signUp',
    ).linkOrigin;

  it('ignores an origin neither the brand nor the stage allow-lists, however it is written', () => {
    for (const hostile of [
      'https://evil.example',
      'https://app.northwind.example.evil.example',
      'http://app.northwind.example',
      'javascript:alert(1)',
    ]) {
      expect(origin(hostile)).toBeUndefined();
    }
  });

  it("takes the brand's origins and the stage's extra ones, each for its own brand only", () => {
    expect(origin('https://app.northwind.example')).toBe('https://app.northwind.example');
    expect(origin('https://staging.northwind.example')).toBe('https://staging.northwind.example');
    expect(origin('https://staging.northwind.example', 'default')).toBeUndefined();
  });
});
