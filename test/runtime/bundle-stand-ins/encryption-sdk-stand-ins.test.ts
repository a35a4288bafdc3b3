/**
 * The sender bundles replace two Encryption SDK modules (src/authoring/build.ts,
 * encryptionSdkNodeCrypto). The stand-ins must give byte for byte what the
 * SDK's own modules give on every key, and refuse what cannot be a key.
 */
import { createECDH } from 'node:crypto';
import { decodeNamedCurves as sdkDecode } from '@aws-crypto/material-management/build/main/src/ecc_decode.js';
import {
  privateKeyPem as sdkPrivateKeyPem,
  publicKeyPem as sdkPublicKeyPem,
} from '@aws-crypto/material-management/build/main/src/pem_helpers.js';
import { describe, expect, it } from 'vitest';
import { decodeNamedCurves } from '../../../src/runtime/bundle-stand-ins/ecc-decode.js';
import { privateKeyPem, publicKeyPem } from '../../../src/runtime/bundle-stand-ins/pem-helpers.js';

const CURVES = [
  ['prime256v1', 'P-256', 32],
  ['secp384r1', 'P-384', 48],
] as const;

describe.each(CURVES)('Encryption SDK stand-ins on %s', (curve, webName, coordinateBytes) => {
  it('decode compressed points and write PEM keys exactly as the SDK does, on 300 fresh keys', () => {
    for (let i = 0; i < 300; i += 1) {
      const ecdh = createECDH(curve);
      ecdh.generateKeys();
      const compressed = ecdh.getPublicKey(undefined, 'compressed');
      const uncompressed = ecdh.getPublicKey();
      const ours = decodeNamedCurves[curve](compressed);
      expect(Buffer.from(ours).equals(Buffer.from(sdkDecode[curve](compressed)))).toBe(true);
      expect(Buffer.from(ours).equals(uncompressed)).toBe(true);
      expect(Buffer.from(decodeNamedCurves[webName](compressed)).equals(uncompressed)).toBe(true);
      expect(publicKeyPem(curve, uncompressed)).toBe(sdkPublicKeyPem(curve, uncompressed));
      expect(privateKeyPem(curve, ecdh.getPrivateKey(), compressed)).toBe(
        sdkPrivateKeyPem(curve, ecdh.getPrivateKey(), compressed),
      );
    }
  });

  it('refuses a point of the wrong length, as the SDK does', () => {
    const ecdh = createECDH(curve);
    ecdh.generateKeys();
    const compressed = ecdh.getPublicKey(undefined, 'compressed');
    expect(() => decodeNamedCurves[curve](compressed.subarray(0, -1))).toThrow(/length is not correct/);
    expect(() => sdkDecode[curve](compressed.subarray(0, -1))).toThrow(/length is not correct/);
  });

  it('refuses a prefix other than 02 or 03, which the SDK would decode into some point', () => {
    const ecdh = createECDH(curve);
    ecdh.generateKeys();
    const point = Buffer.from(ecdh.getPublicKey(undefined, 'compressed'));
    point[0] = 0x04;
    expect(() => decodeNamedCurves[curve](point)).toThrow(/not compressed/);
  });

  it('refuses an x coordinate with no point on the curve', () => {
    // Walk x upwards from 1 until OpenSSL finds no square root: about every other x.
    let refused = 0;
    for (let x = 1; x < 64 && refused === 0; x += 1) {
      const point = Buffer.alloc(1 + coordinateBytes);
      point[0] = 0x02;
      point[coordinateBytes] = x;
      try {
        decodeNamedCurves[curve](point);
      } catch {
        refused += 1;
      }
    }
    expect(refused).toBe(1);
  });
});
