/**
 * The floor: the cryptography a sender cannot avoid for one Cognito code,
 * done directly with node:crypto on the real message, loaded like a handler
 * so it is timed by the same harness. Per invocation it parses the Encryption
 * SDK message (format v1, framed, suite 0x0378) by hand, derives the message
 * key with HKDF-SHA384, checks the header's AES-256-GCM tag, decrypts the
 * one frame with AES-256-GCM, imports the message's ECDSA P-384 public key
 * from the encryption context and verifies the signature over the whole
 * message. The data key comes from the same canned KMS answer the mock gives
 * the handlers; the KMS call itself (and its SigV4 signing) is not counted.
 * https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/message-format.html
 */
import { createDecipheriv, createPublicKey, hkdfSync, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { InstantAwsCanned } from './protocol.js';

const canned = JSON.parse(readFileSync(process.env.BENCH_INSTANT_AWS ?? '', 'utf8')) as InstantAwsCanned;

const SUITE_0378 = 0x0378;
const FINAL_FRAME = Buffer.from('AWSKMSEncryptionClient Final Frame');
// DER SubjectPublicKeyInfo prefix for a compressed P-384 point (id-ecPublicKey, secp384r1, 49-byte bit string).
const SPKI_P384_COMPRESSED = Buffer.from('3046301006072a8648ce3d020106052b81040022033200', 'hex');

class Reader {
  offset = 0;
  constructor(readonly bytes: Buffer) {}
  u8(): number {
    return this.bytes.readUInt8(this.take(1));
  }
  u16(): number {
    return this.bytes.readUInt16BE(this.take(2));
  }
  u32(): number {
    return this.bytes.readUInt32BE(this.take(4));
  }
  slice(length: number): Buffer {
    const start = this.take(length);
    return this.bytes.subarray(start, start + length);
  }
  private take(length: number): number {
    const start = this.offset;
    if (start + length > this.bytes.length) throw new Error('floor: truncated message');
    this.offset += length;
    return start;
  }
}

/** Decrypts and verifies one Cognito code; returns the plaintext. */
export function floorDecrypt(ciphertextBase64: string): string {
  const message = Buffer.from(ciphertextBase64, 'base64');
  const r = new Reader(message);
  if (r.u8() !== 1 || r.u8() !== 0x80) throw new Error('floor: not a v1 message');
  const suite = r.u16();
  if (suite !== SUITE_0378) throw new Error('floor: not suite 0x0378');
  const messageId = r.slice(16);
  const context = new Map<string, string>();
  const aad = new Reader(r.slice(r.u16()));
  if (aad.bytes.length > 0) {
    for (let pairs = aad.u16(); pairs > 0; pairs -= 1) {
      const key = aad.slice(aad.u16()).toString('utf8');
      context.set(key, aad.slice(aad.u16()).toString('utf8'));
    }
  }
  const edkCount = r.u16();
  if (edkCount !== 1) throw new Error('floor: expected one encrypted data key');
  r.slice(r.u16()); // provider id
  r.slice(r.u16()); // provider info (the key ARN)
  const encryptedDataKey = r.slice(r.u16()).toString('base64');
  if (r.u8() !== 2) throw new Error('floor: not framed');
  r.u32(); // reserved
  const ivLength = r.u8();
  r.u32(); // frame length
  const header = message.subarray(0, r.offset);
  const headerIv = r.slice(ivLength);
  const headerTag = r.slice(16);

  const dataKey = canned.dataKeys[encryptedDataKey];
  if (!dataKey) throw new Error('floor: unknown data key');
  const info = Buffer.alloc(18);
  info.writeUInt16BE(suite, 0);
  messageId.copy(info, 2);
  const key = Buffer.from(hkdfSync('sha384', Buffer.from(dataKey.plaintext, 'base64'), Buffer.alloc(0), info, 32));

  const headerAuth = createDecipheriv('aes-256-gcm', key, headerIv);
  headerAuth.setAAD(header);
  headerAuth.setAuthTag(headerTag);
  headerAuth.final();

  if (r.u32() !== 0xffffffff) throw new Error('floor: expected a single final frame');
  const sequence = r.u32();
  const iv = r.slice(ivLength);
  const contentLength = r.u32();
  const content = r.slice(contentLength);
  const tag = r.slice(16);
  const bodyAad = Buffer.alloc(16 + FINAL_FRAME.length + 12);
  messageId.copy(bodyAad, 0);
  FINAL_FRAME.copy(bodyAad, 16);
  bodyAad.writeUInt32BE(sequence, 16 + FINAL_FRAME.length);
  bodyAad.writeBigUInt64BE(BigInt(contentLength), 20 + FINAL_FRAME.length);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(bodyAad);
  decipher.setAuthTag(tag);
  const plaintext = Buffer.concat([decipher.update(content), decipher.final()]);

  const signed = message.subarray(0, r.offset);
  const signature = r.slice(r.u16());
  const point = Buffer.from(context.get('aws-crypto-public-key') ?? '', 'base64');
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_P384_COMPRESSED, point]),
    format: 'der',
    type: 'spki',
  });
  if (!verify('sha384', signed, publicKey, signature)) throw new Error('floor: invalid signature');
  return plaintext.toString('utf8');
}

export const handler = async (event: { request?: { code?: string } }): Promise<string> =>
  floorDecrypt(event.request?.code ?? '');
