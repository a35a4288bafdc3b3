/**
 * Makes ciphertexts the way Cognito makes them for the custom senders:
 * an AWS Encryption SDK message, suite 0x0378, encryption context
 * `{"userpool-id": …}`, one data key from `aws-kms` naming the full key ARN
 * (docs/cognito.md). KMS itself is an in-memory fake that wraps data keys
 * with AES-GCM under a per-key secret, so a wrong key really fails.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';

export const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/11111111-2222-4333-8444-555555555555';
export const OTHER_KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/99999999-8888-4777-8666-555555555555';

function canonicalContext(context: Record<string, string>): Buffer {
  return Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))));
}

type DecryptInput = { CiphertextBlob?: Uint8Array; KeyId?: string; EncryptionContext?: Record<string, string> };

/** An in-memory KMS: GenerateDataKey / Encrypt / Decrypt with authenticated wrapping per key ARN. */
export class FakeKms {
  decryptCalls = 0;

  private secret(keyId: string): Buffer {
    return createHash('sha256').update(`fake-kms:${keyId}`).digest();
  }

  private wrap(keyId: string, plaintext: Uint8Array, context: Record<string, string> = {}): Uint8Array {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.secret(keyId), iv);
    cipher.setAAD(canonicalContext(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(keyId);
    return Buffer.concat([Buffer.from([id.length]), id, iv, cipher.getAuthTag(), body]);
  }

  async generateDataKey(input: { KeyId?: string; NumberOfBytes?: number; EncryptionContext?: Record<string, string> }) {
    const keyId = input.KeyId ?? '';
    const plaintext = randomBytes(input.NumberOfBytes ?? 32);
    return { KeyId: keyId, Plaintext: plaintext, CiphertextBlob: this.wrap(keyId, plaintext, input.EncryptionContext) };
  }

  async encrypt(input: { KeyId?: string; Plaintext?: Uint8Array; EncryptionContext?: Record<string, string> }) {
    const keyId = input.KeyId ?? '';
    return {
      KeyId: keyId,
      CiphertextBlob: this.wrap(keyId, input.Plaintext ?? new Uint8Array(), input.EncryptionContext),
    };
  }

  async decrypt(input: DecryptInput) {
    this.decryptCalls += 1;
    const blob = Buffer.from(input.CiphertextBlob ?? new Uint8Array());
    const idLength = blob[0] ?? 0;
    const keyId = blob.subarray(1, 1 + idLength).toString();
    if (input.KeyId && input.KeyId !== keyId)
      throw Object.assign(new Error('IncorrectKeyException'), { name: 'IncorrectKeyException' });
    const rest = blob.subarray(1 + idLength);
    const decipher = createDecipheriv('aes-256-gcm', this.secret(keyId), rest.subarray(0, 12));
    decipher.setAAD(canonicalContext(input.EncryptionContext ?? {}));
    decipher.setAuthTag(rest.subarray(12, 28));
    const plaintext = Buffer.concat([decipher.update(rest.subarray(28)), decipher.final()]);
    return { KeyId: keyId, Plaintext: new Uint8Array(plaintext), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  }
}

export interface CognitoCiphertextOptions {
  poolId: string;
  keyArn?: string;
  /** Extra key ARNs: one more encrypted data key each (as cognito-local does). */
  extraKeyArns?: string[];
  /** 0x0378 as Cognito, or 0x0578 (committing) as cognito-local. */
  committing?: boolean;
  /** Replace the encryption context entirely (e.g. none, as cognito-local). */
  encryptionContext?: Record<string, string>;
}

/** Base64 of an Encryption SDK message carrying `code`, made as Cognito makes it. */
export async function encryptLikeCognito(
  kms: FakeKms,
  code: string,
  options: CognitoCiphertextOptions,
): Promise<string> {
  const committing = options.committing ?? false;
  const { encrypt } = buildClient(
    committing ? CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT,
  );
  const keyring = new KmsKeyringNode({
    generatorKeyId: options.keyArn ?? KEY_ARN,
    keyIds: options.extraKeyArns ?? [],
    clientProvider: () => kms,
  });
  const { result } = await encrypt(keyring, code, {
    encryptionContext: options.encryptionContext ?? { 'userpool-id': options.poolId },
    suiteId: committing
      ? AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
      : AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
  });
  return Buffer.from(result).toString('base64');
}
