/**
 * Decrypts the code Cognito hands a custom sender: base64 of an AWS
 * Encryption SDK message under the pool's KMS key (docs/cognito.md, "How
 * the code is encrypted"). Everything about the message is pinned: the key
 * ARNs, one encrypted data key, the two algorithm suites Cognito and
 * cognito-local use, and the `userpool-id` encryption context.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html
 */
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { KmsKeyringNode, type KmsNodeClientSupplier } from '@aws-crypto/kms-keyring-node';
import { CommitmentPolicy } from '@aws-crypto/material-management-node';
import { CodeDecryptionError } from '../errors.js';

type EsdkKmsClient = Exclude<ReturnType<KmsNodeClientSupplier>, false>;

/** What the keyring needs of KMS: Decrypt only (the client is built once per container by the caller). */
export type KmsDecryptClient = Pick<EsdkKmsClient, 'decrypt'>;

// 0x0378: AES-256-GCM, HKDF-SHA384, ECDSA P-384 (what Cognito sends, non-committing).
// 0x0578: the committing counterpart (what cognito-local sends).
const ALLOWED_SUITES = new Set([0x0378, 0x0578]);
const MAX_CIPHERTEXT_CHARS = 16_384;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface CodeDecrypter {
  /** Returns the plaintext code, or throws CodeDecryptionError; never includes the plaintext in an error. */
  decrypt(ciphertextBase64: string, userPoolId: string): Promise<string>;
}

/**
 * Builds the decrypter once per container: the keyring accepts only
 * `keyArns`, and `clientFor(region)` returns the KMS client for a key's region.
 */
export function createCodeDecrypter(
  keyArns: readonly string[],
  clientFor: (region: string) => KmsDecryptClient,
): CodeDecrypter {
  // Cognito sends the non-committing suite 0x0378, which the default policy refuses to decrypt.
  const { decrypt } = buildDecrypt({
    commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
    maxEncryptedDataKeys: 1,
  });
  const keyring = new KmsKeyringNode({
    keyIds: [...keyArns],
    clientProvider: (region: string) => withUnusedOperations(clientFor(region)),
  });

  return {
    async decrypt(ciphertextBase64, userPoolId) {
      const bytes = decodeBase64(ciphertextBase64);
      checkHeaderPrefix(bytes);
      let result: Awaited<ReturnType<typeof decrypt>>;
      try {
        result = await decrypt(keyring, bytes);
      } catch (error) {
        throw classify(error);
      }
      const pool = result.messageHeader.encryptionContext['userpool-id'];
      if (pool !== userPoolId) {
        throw new CodeDecryptionError(
          'wrong-pool',
          `the code was encrypted for user pool ${pool === undefined ? '(none)' : JSON.stringify(pool)}, not ${userPoolId}`,
        );
      }
      return result.plaintext.toString('utf8');
    },
  };
}

function decodeBase64(value: string): Buffer {
  if (value.length === 0 || value.length > MAX_CIPHERTEXT_CHARS || value.length % 4 !== 0 || !BASE64.test(value)) {
    throw new CodeDecryptionError('not-base64', 'request.code is not base64 of an Encryption SDK message');
  }
  return Buffer.from(value, 'base64');
}

/** Rejects anything that is not an Encryption SDK message of an allowed suite before any KMS call. */
function checkHeaderPrefix(bytes: Buffer): void {
  const version = bytes[0];
  let suite: number | undefined;
  if (version === 0x01 && bytes.length >= 4 && bytes[1] === 0x80) suite = bytes.readUInt16BE(2);
  else if (version === 0x02 && bytes.length >= 3) suite = bytes.readUInt16BE(1);
  if (suite === undefined) {
    throw new CodeDecryptionError('not-encryption-sdk-message', 'request.code is not an AWS Encryption SDK message');
  }
  if (!ALLOWED_SUITES.has(suite)) {
    throw new CodeDecryptionError(
      'unsupported-algorithm',
      `request.code uses algorithm suite 0x${suite.toString(16).padStart(4, '0')}; Cognito uses 0x0378 (or 0x0578)`,
    );
  }
}

function classify(error: unknown): CodeDecryptionError {
  const message = error instanceof Error ? error.message : String(error);
  if (
    /Unable to decrypt data key|unencryptedDataKey has not been set|not one of the key ids|no valid keyring|discovery|maxEncryptedDataKeys|KMS/i.test(
      message,
    )
  ) {
    return new CodeDecryptionError('key-not-allowed', `no allowed KMS key could decrypt request.code: ${message}`, {
      cause: error,
    });
  }
  if (/Unsupported algorithm|suite/i.test(message)) {
    return new CodeDecryptionError('unsupported-algorithm', `request.code uses an unsupported algorithm: ${message}`, {
      cause: error,
    });
  }
  return new CodeDecryptionError('integrity', `request.code failed the Encryption SDK's checks: ${message}`, {
    cause: error,
  });
}

/** The keyring's client type also names Encrypt and GenerateDataKey, which decryption never calls. */
function withUnusedOperations(client: KmsDecryptClient): EsdkKmsClient {
  const unused = () => Promise.reject(new Error('this function only decrypts'));
  return { decrypt: client.decrypt.bind(client), encrypt: unused, generateDataKey: unused };
}
