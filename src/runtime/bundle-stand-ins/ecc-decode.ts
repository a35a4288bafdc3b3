/**
 * Stands in for the Encryption SDK's `material-management/ecc_decode` inside
 * the sender bundles. The SDK decompresses the message's ECDSA public key
 * with bn.js arithmetic in JavaScript on every decrypt (a quarter of a warm
 * sender's CPU, bench/profile.md); OpenSSL's own point decoding gives the
 * same uncompressed SEC 1 point and also refuses a prefix other than 02/03
 * and a point that is not on the curve, which the SDK's code does not check.
 * test/encryption-sdk-stand-ins.test.ts holds it to the SDK's output.
 */
import { ECDH } from 'node:crypto';

function decoder(curve: 'prime256v1' | 'secp384r1', coordinateBytes: number) {
  return function decode(compressedPoint: Uint8Array): Uint8Array {
    /* Precondition: compressedPoint must be the correct length. */
    if (compressedPoint.byteLength !== 1 + coordinateBytes) throw new Error('Compressed point length is not correct.');
    const prefix = compressedPoint[0];
    if (prefix !== 2 && prefix !== 3) throw new Error('Compressed point is not compressed.');
    return new Uint8Array(ECDH.convertKey(compressedPoint, curve, undefined, undefined, 'uncompressed') as Buffer);
  };
}

const prime256v1 = decoder('prime256v1', 32);
const secp384r1 = decoder('secp384r1', 48);

export const decodeNamedCurves = Object.freeze({ prime256v1, secp384r1, 'P-256': prime256v1, 'P-384': secp384r1 });
