/**
 * A code encrypted as Cognito encrypts it for a custom sender (docs/cognito.md,
 * "How the code is encrypted"): an AWS Encryption SDK message with the
 * non-committing signed suite 0x0378, the pool as the `userpool-id`
 * encryption context, and one data key generated under the full key ARN.
 * cognito-local (through cognito-local-crypto.ts), the local stack and the
 * moto-backed tests all encrypt through here.
 */
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  getClient,
  KMS,
  KmsKeyringNode,
} from '@aws-crypto/client-node';

/** Non-committing: a committing policy refuses to encrypt with Cognito's suite. */
const { encrypt } = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);

/** The keyring Cognito encrypts with: one data key under `keyArn`, KMS reached with `kmsConfig`. */
export function cognitoKeyring(keyArn: string, kmsConfig: ConstructorParameters<typeof KMS>[0]): KmsKeyringNode {
  return new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: getClient(KMS, kmsConfig) });
}

/** Base64 of `code` encrypted for the pool `userPoolId`, as a custom sender event's `request.code` carries it. */
export async function encryptAsCognito(keyring: KmsKeyringNode, code: string, userPoolId: string): Promise<string> {
  const { result } = await encrypt(keyring, code, {
    suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
    encryptionContext: { 'userpool-id': userPoolId },
  });
  return Buffer.from(result).toString('base64');
}
