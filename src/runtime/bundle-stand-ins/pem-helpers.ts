/**
 * Stands in for the Encryption SDK's `material-management/pem_helpers` inside
 * the sender bundles. The SDK builds the verification key's PEM with asn1.js
 * (and bn.js) on every decrypt; the DER is fixed apart from the key bytes, so
 * it is written directly, byte for byte what asn1.js produces
 * (test/encryption-sdk-stand-ins.test.ts), and asn1.js leaves the bundle.
 */
const CURVE_OIDS = {
  prime256v1: '06082a8648ce3d030107',
  secp384r1: '06052b81040022',
} as const;
const EC_PUBLIC_KEY_OID = '06072a8648ce3d0201';

type Curve = keyof typeof CURVE_OIDS;

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const length =
    body.length < 0x80
      ? Buffer.from([body.length])
      : body.length < 0x100
        ? Buffer.from([0x81, body.length])
        : Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

function curveOid(curve: string): Buffer {
  if (!Object.hasOwn(CURVE_OIDS, curve)) throw new Error(`Unsupported curve ${curve}`);
  return Buffer.from(CURVE_OIDS[curve as Curve], 'hex');
}

function pem(label: string, body: Buffer): string {
  return [`-----BEGIN ${label}-----`, ...chunk64(body), `-----END ${label}-----`, ''].join('\n');
}

/** SubjectPublicKeyInfo (RFC 5480) of a SEC 1 point. */
export function publicKeyPem(curve: string, publicKey: Uint8Array): string {
  const algorithm = der(0x30, Buffer.from(EC_PUBLIC_KEY_OID, 'hex'), curveOid(curve));
  return pem('PUBLIC KEY', der(0x30, algorithm, der(0x03, Buffer.from([0]), Buffer.from(publicKey))));
}

/** ECPrivateKey (RFC 5915) with the curve and the public key. */
export function privateKeyPem(curve: string, privateKey: Uint8Array, publicKey: Uint8Array): string {
  return pem(
    'EC PRIVATE KEY',
    der(
      0x30,
      der(0x02, Buffer.from([1])),
      der(0x04, Buffer.from(privateKey)),
      der(0xa0, curveOid(curve)),
      der(0xa1, der(0x03, Buffer.from([0]), Buffer.from(publicKey))),
    ),
  );
}

export function chunk64(buff: Buffer): string[] {
  const text = buff.toString('base64');
  const chunks: string[] = [];
  for (let offset = 0; offset < text.length; offset += 64) chunks.push(text.slice(offset, offset + 64));
  return chunks;
}
