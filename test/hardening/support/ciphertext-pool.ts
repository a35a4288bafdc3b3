/**
 * Cognito-format ciphertexts made once per test file and shared by every
 * fuzz case: encrypting costs an ECDSA P-384 signature (a few ms here), so
 * the arbitraries pick among these instead of encrypting per case. Some are
 * valid for their pool under an allowed key; the others are made wrong on
 * purpose (another key, two data keys, no pool in the context, an empty or
 * oversized code) and must be refused whatever event carries them.
 */
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { encryptLikeCognito, type FakeKms, KEY_ARN, OTHER_KEY_ARN } from '../../support/cognito-ciphertext.js';
import { POOL_ID } from '../../support/events.js';

/** A second allowed key: KMS_KEY_ARN lists both while keys are rotated. */
export const SECOND_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/22222222-3333-4444-8555-666666666666';
export const ALLOWED_KEY_ARNS = [KEY_ARN, SECOND_KEY_ARN] as const;
export const POOL_B = 'eu-west-1_Example2';
/** Pools the fuzzed events claim to come from; ciphertexts exist for the first two. */
export const EVENT_POOLS = [POOL_ID, POOL_B, 'us-east-1_Unrelated'] as const;

/**
 * Codes as Cognito encrypts them: six digits, or an AdminCreateUser temporary
 * password HTML-escaped (docs/cognito.md). The passwords hold the symbols
 * that break naive code: Handlebars braces, `$&` (a String.replace pattern),
 * quotes, `=` and backticks.
 */
export const CODES = [
  '739152',
  '046813',
  '581920',
  'Tq7&lt;mZ&amp;p2R',
  'Ab3{{x}}9#kP',
  'Zx8&quot;q$&amp;1',
  "Kp2'=`/Rw9",
];

export interface PoolEntry {
  ciphertext: string;
  /** What was encrypted. */
  plaintext: string;
  /** The pool in its encryption context, if it is the one a decrypter checks. */
  poolId: string | null;
  /** True when a decrypter configured with ALLOWED_KEY_ARNS must accept it for `poolId`. */
  valid: boolean;
  what: string;
}

/** Every ciphertext the fuzzers draw from; about forty, built in well under a second. */
export async function buildCiphertextPool(kms: FakeKms): Promise<PoolEntry[]> {
  const entries: PoolEntry[] = [];
  const add = async (
    plaintext: string,
    what: string,
    valid: boolean,
    options: Parameters<typeof encryptLikeCognito>[2],
  ): Promise<void> => {
    const ciphertext = await encryptLikeCognito(kms, plaintext, options);
    const context = options.encryptionContext;
    const poolId = context === undefined ? options.poolId : (context['userpool-id'] ?? null);
    entries.push({ ciphertext, plaintext, poolId, valid, what });
  };
  for (const poolId of [POOL_ID, POOL_B]) {
    for (const keyArn of ALLOWED_KEY_ARNS) {
      for (const code of CODES) await add(code, 'valid', true, { poolId, keyArn });
    }
    for (const code of CODES.slice(0, 2))
      await add(code, 'valid, committing suite', true, { poolId, committing: true });
  }
  await add('918273', 'another KMS key', false, { poolId: POOL_ID, keyArn: OTHER_KEY_ARN });
  await add('Yy6&lt;x', 'another KMS key', false, { poolId: POOL_B, keyArn: OTHER_KEY_ARN });
  await add('827364', 'two data keys', false, { poolId: POOL_ID, extraKeyArns: [SECOND_KEY_ARN] });
  await add('736455', 'two data keys', false, { poolId: POOL_ID, extraKeyArns: [OTHER_KEY_ARN] });
  await add('645546', 'no encryption context', false, { poolId: POOL_ID, encryptionContext: {} });
  await add('554637', 'pool under another context key', false, {
    poolId: POOL_ID,
    encryptionContext: { userpool: POOL_ID },
  });
  await add('463728', 'another pool', false, { poolId: 'us-east-1_Foreign' });
  await add('', 'empty code', false, { poolId: POOL_ID });
  await add('9'.repeat(300), 'oversized code', false, { poolId: POOL_ID });
  await add('372819', 'unsupported (unsigned) suite', false, { poolId: POOL_ID });
  const unsigned = entries.at(-1) as PoolEntry;
  unsigned.ciphertext = await encryptUnsigned(kms, unsigned.plaintext, POOL_ID);
  return entries;
}

/** The same message under suite 0x0178 (no signature), which Cognito never sends. */
async function encryptUnsigned(kms: FakeKms, code: string, poolId: string): Promise<string> {
  const { encrypt } = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
  const keyring = new KmsKeyringNode({ generatorKeyId: KEY_ARN, clientProvider: () => kms });
  const { result } = await encrypt(keyring, code, {
    encryptionContext: { 'userpool-id': poolId },
    suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA256,
  });
  return Buffer.from(result).toString('base64');
}

/** The code a sender must show for `entry` under `triggerSource` (Cognito escapes temporary passwords). */
export function expectedCode(entry: PoolEntry, triggerSource: string): string {
  return triggerSource.endsWith('_AdminCreateUser') ? unescapeBasic(entry.plaintext) : entry.plaintext;
}

/** The test's own unescape of the entities CODES use, independent of the code under test. */
function unescapeBasic(value: string): string {
  return value.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
}

/** Every plaintext, escaped and unescaped, that must never reach a log line or an error message. */
export function secretsOf(entries: readonly PoolEntry[]): string[] {
  const secrets = new Set<string>();
  for (const { plaintext } of entries) {
    for (const value of [plaintext, unescapeBasic(plaintext)]) if (value.length >= 6) secrets.add(value);
  }
  return [...secrets];
}
