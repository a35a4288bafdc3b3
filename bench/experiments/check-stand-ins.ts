/**
 * The `esdkNodeCrypto` stand-ins must give exactly what the Encryption SDK's
 * own modules give, or the experiment measures something else: checked on
 * fresh random keys of both curves before the variant is measured.
 */
import { createECDH } from 'node:crypto';
import { decodeNamedCurves as sdkDecode } from '@aws-crypto/material-management/build/main/src/ecc_decode.js';
import {
  privateKeyPem as sdkPrivateKeyPem,
  publicKeyPem as sdkPublicKeyPem,
} from '@aws-crypto/material-management/build/main/src/pem_helpers.js';
import { decodeNamedCurves } from './stand-ins/ecc-decode.js';
import { privateKeyPem, publicKeyPem } from './stand-ins/pem-helpers.js';

/** Throws unless both stand-ins agree with the SDK's modules byte for byte on `keys` keys per curve. */
export function checkStandIns(keys = 200): void {
  for (const curve of ['prime256v1', 'secp384r1'] as const) {
    for (let i = 0; i < keys; i += 1) {
      const ecdh = createECDH(curve);
      ecdh.generateKeys();
      const compressed = ecdh.getPublicKey(undefined, 'compressed');
      const uncompressed = ecdh.getPublicKey();
      const privateKey = ecdh.getPrivateKey();
      const ours = decodeNamedCurves[curve](compressed);
      if (Buffer.compare(Buffer.from(ours), Buffer.from(sdkDecode[curve](compressed))) !== 0) {
        throw new Error(`ecc-decode stand-in differs from the SDK on ${curve}`);
      }
      if (Buffer.compare(Buffer.from(ours), uncompressed) !== 0) {
        throw new Error(`ecc-decode stand-in does not restore the ${curve} point`);
      }
      if (publicKeyPem(curve, uncompressed) !== sdkPublicKeyPem(curve, uncompressed)) {
        throw new Error(`publicKeyPem stand-in differs from the SDK on ${curve}`);
      }
      if (privateKeyPem(curve, privateKey, compressed) !== sdkPrivateKeyPem(curve, privateKey, compressed)) {
        throw new Error(`privateKeyPem stand-in differs from the SDK on ${curve}`);
      }
    }
  }
}
