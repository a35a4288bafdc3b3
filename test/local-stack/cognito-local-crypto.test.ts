/**
 * The run-time replacement of cognito-local's code encryption: what it
 * refuses (another version or shape, with one sentence), that the installed
 * cognito-local has the shape it is written for, and, on stand-ins of
 * cognito-local 5.3.0's two classes, the message it makes. The local stack's
 * sender-mode tests prove it end to end.
 */
import { KmsKeyringNode } from '@aws-crypto/client-node';
import { describe, expect, it, vi } from 'vitest';
import {
  type CognitoLocalModules,
  checkCognitoLocalVersion,
  encryptCodesLikeCognito,
  loadCognitoLocalModules,
  UnsupportedCognitoLocalError,
} from '../../src/local-stack/cognito-local-crypto.js';
import { CodeDecryptionError } from '../../src/runtime/errors.js';
import { createCodeDecrypter } from '../../src/runtime/sender-mode/decrypt-code.js';
import { FakeKms, KEY_ARN } from '../support/cognito-ciphertext.js';

const POOL_ID = 'us-east-1_Local0001';

/** Classes of the shape of cognito-local 5.3.0's CryptoService and MessagesService, still unreplaced. */
function standIns() {
  class CryptoService {
    _keyringNode?: KmsKeyringNode;
    constructor(readonly config?: Record<string, unknown>) {}
    get keyringNode(): KmsKeyringNode {
      throw new Error('the published keyring: two data keys');
    }
    async encrypt(_ctx: unknown, _plaintext: string): Promise<string> {
      throw new Error('the published encrypt: suite 0x0578, no context');
    }
  }
  class MessagesService {
    constructor(readonly crypto: CryptoService) {}
    /** As in cognito-local, the CustomEmailSender trigger encrypts the code without the pool. */
    async customDelivery(
      ctx: unknown,
      _source: string,
      _clientId: string,
      _userPoolId: string,
      _user: unknown,
      code: string,
      _clientMetadata: unknown,
    ): Promise<string> {
      return this.crypto.encrypt(ctx, code);
    }
  }
  const modules: CognitoLocalModules = { version: '5.3.0', crypto: { CryptoService }, messages: { MessagesService } };
  return { CryptoService, MessagesService, modules };
}

describe('encryptCodesLikeCognito refuses what it is not written for', () => {
  it.each([
    ['5.4.0', '5.4.0'],
    [undefined, 'an unknown version'],
  ])('another version (%s), with one sentence naming 5.3.0', (version, installed) => {
    const { CryptoService, modules } = standIns();
    const published = CryptoService.prototype.encrypt;
    const message = `The local stack supports cognito-local 5.3.0 only (installed: ${installed}).`;
    expect(() => encryptCodesLikeCognito({ ...modules, version })).toThrow(new UnsupportedCognitoLocalError(installed));
    expect(new UnsupportedCognitoLocalError(installed).message).toBe(message);
    expect(CryptoService.prototype.encrypt).toBe(published);
  });

  it.each([
    ['no CryptoService', { crypto: {} }, 'CryptoService.prototype.encrypt and CryptoService.prototype.keyringNode'],
    [
      'an encrypt that takes the context',
      {
        crypto: {
          CryptoService: class {
            encrypt(_ctx: unknown, _plaintext: string, _context: unknown) {}
            get keyringNode() {
              return null;
            }
          },
        },
      },
      'CryptoService.prototype.encrypt',
    ],
    ['no customDelivery', { messages: { MessagesService: class {} } }, 'MessagesService.prototype.customDelivery'],
    ['no messages module', { messages: null }, 'MessagesService.prototype.customDelivery'],
  ])('a 5.3.0 with %s, naming what differs and replacing nothing', (_case, change, what) => {
    const { CryptoService, MessagesService, modules } = standIns();
    const published = [CryptoService.prototype.encrypt, MessagesService.prototype.customDelivery];
    expect(() => encryptCodesLikeCognito({ ...modules, ...change })).toThrow(
      `The local stack supports cognito-local 5.3.0 only (installed: 5.3.0 with a different ${what}).`,
    );
    expect([CryptoService.prototype.encrypt, MessagesService.prototype.customDelivery]).toEqual(published);
  });
});

describe('the installed cognito-local', () => {
  it('is the version and has the shape the replacement is written for', () => {
    // Loading cognito-local loads aws-sdk v2, which otherwise prints its end-of-support notice (on a timer,
    // so the variable stays set for the rest of this file).
    vi.stubEnv('AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE', '1');
    expect(() => checkCognitoLocalVersion()).not.toThrow();
    expect(() => encryptCodesLikeCognito(loadCognitoLocalModules())).not.toThrow();
  });
});

describe('cognito-local after encryptCodesLikeCognito', () => {
  const kms = new FakeKms();

  function replaced() {
    const { CryptoService, MessagesService, modules } = standIns();
    encryptCodesLikeCognito(modules);
    return { CryptoService, MessagesService };
  }

  it('keeps one data key, generated under the key ARN; the alias is not used', () => {
    const { CryptoService } = replaced();
    const crypto = new CryptoService({ KMSKeyId: KEY_ARN, KMSKeyAlias: 'alias/codes', region: 'us-east-1' });
    expect(crypto.keyringNode).toMatchObject({ generatorKeyId: KEY_ARN, keyIds: [] });
    expect(crypto.keyringNode).toBe(crypto.keyringNode);
    expect(() => new CryptoService({ KMSKeyAlias: 'alias/codes' }).keyringNode).toThrow(
      'KMSConfig.KMSKeyId (the full key ARN) is required when using a CustomEmailSender trigger.',
    );
  });

  it("encrypts a delivery's code with suite 0x0378 and the pool as context, which our sender decrypts", async () => {
    const { CryptoService, MessagesService } = replaced();
    const crypto = new CryptoService({ KMSKeyId: KEY_ARN });
    crypto._keyringNode = new KmsKeyringNode({ generatorKeyId: KEY_ARN, clientProvider: () => kms });
    const messages = new MessagesService(crypto);

    const ciphertext = await messages.customDelivery({}, 'SignUp', 'client', POOL_ID, {}, '123456', undefined);
    const header = Buffer.from(ciphertext, 'base64');
    expect([header[0], header[1], header.readUInt16BE(2)]).toEqual([0x01, 0x80, 0x0378]);
    const decrypter = createCodeDecrypter([KEY_ARN], () => kms);
    await expect(decrypter.decrypt(ciphertext, POOL_ID)).resolves.toBe('123456');
    await expect(decrypter.decrypt(ciphertext, 'us-east-1_Other')).rejects.toBeInstanceOf(CodeDecryptionError);
  });

  it('refuses to encrypt a code outside a delivery, where no pool is known', async () => {
    const { CryptoService } = replaced();
    const crypto = new CryptoService({ KMSKeyId: KEY_ARN });
    await expect(crypto.encrypt({}, '123456')).rejects.toThrow(
      'cognito-local encrypted a code outside a CustomEmailSender delivery',
    );
  });
});
