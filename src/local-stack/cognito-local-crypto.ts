/**
 * Makes cognito-local 5.3.0 encrypt CustomEmailSender codes as Cognito does
 * (docs/cognito.md, "How the code is encrypted"): the non-committing signed
 * suite 0x0378, the encryption context `{"userpool-id": <pool>}`, and exactly
 * one encrypted data key, under the key ARN of `KMSConfig.KMSKeyId`. As
 * published it uses the committing suite 0x0578, no context and two data keys
 * (`KMSKeyAlias` and `KMSKeyId`), which our senders rightly refuse.
 *
 * The cognito-local host calls `encryptCodesLikeCognito()` before cognito-local
 * makes its services, so nothing is patched on disk. It replaces two methods of
 * `CryptoService` and wraps `MessagesService.prototype.customDelivery`, the one
 * place that knows the pool while the code is encrypted. They are pinned to
 * cognito-local 5.3.0: any other version or shape is refused with
 * `UnsupportedCognitoLocalError` before anything is replaced.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type { KMS, KmsKeyringNode } from '@aws-crypto/client-node';
import { cognitoKeyring, encryptAsCognito } from './cognito-ciphertext.js';

export const SUPPORTED_COGNITO_LOCAL_VERSION = '5.3.0';

/** The installed cognito-local is not the version (or shape) the replacement is written for. */
export class UnsupportedCognitoLocalError extends Error {
  constructor(installed: string) {
    super(`The local stack supports cognito-local ${SUPPORTED_COGNITO_LOCAL_VERSION} only (installed: ${installed}).`);
    this.name = 'UnsupportedCognitoLocalError';
  }
}

/** The cognito-local modules the replacement touches, as loaded (untyped: their shape is checked). */
export interface CognitoLocalModules {
  version: unknown;
  /** `cognito-local/lib/services/crypto.js` */
  crypto: unknown;
  /** `cognito-local/lib/services/messages.js` */
  messages: unknown;
}

const require = createRequire(import.meta.url);

/** cognito-local's version from its package.json; loads none of its code (nor aws-sdk v2). */
export function installedCognitoLocalVersion(): unknown {
  const manifest: unknown = require('cognito-local/package.json');
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
}

/** Throws UnsupportedCognitoLocalError unless the installed cognito-local is the supported version. */
export function checkCognitoLocalVersion(): void {
  requireSupportedVersion(installedCognitoLocalVersion());
}

function requireSupportedVersion(version: unknown): void {
  if (version !== SUPPORTED_COGNITO_LOCAL_VERSION) {
    throw new UnsupportedCognitoLocalError(typeof version === 'string' ? version : 'an unknown version');
  }
}

/** Loads the installed modules, the same instances cognito-local itself requires. */
export function loadCognitoLocalModules(): CognitoLocalModules {
  return {
    version: installedCognitoLocalVersion(),
    crypto: require('cognito-local/lib/services/crypto.js'),
    messages: require('cognito-local/lib/services/messages.js'),
  };
}

type Method = (this: unknown, ...args: unknown[]) => Promise<unknown>;

/** The pool of the CustomEmailSender delivery under way, set by the wrapped `customDelivery`. */
const deliveryPool = new AsyncLocalStorage<string>();

/** What the replaced methods use of a CryptoService: its `KMSConfig` (from config.json) and the cached keyring. */
interface CryptoServiceState {
  config?: Record<string, unknown>;
  _keyringNode?: KmsKeyringNode;
}

/**
 * The replacement `keyringNode` getter: one data key, generated under the key ARN (what the pool's
 * `LambdaConfig.KMSKeyID` names); `KMSKeyAlias` is accepted and not used. The rest of `KMSConfig`
 * configures the KMS client (endpoint, region, credentials).
 */
function keyringNode(this: CryptoServiceState): KmsKeyringNode {
  if (this._keyringNode) return this._keyringNode;
  const { KMSKeyId, KMSKeyAlias: _alias, ...clientConfig } = this.config ?? {};
  if (typeof KMSKeyId !== 'string' || KMSKeyId === '') {
    throw new Error('KMSConfig.KMSKeyId (the full key ARN) is required when using a CustomEmailSender trigger.');
  }
  this._keyringNode = cognitoKeyring(KMSKeyId, clientConfig as ConstructorParameters<typeof KMS>[0]);
  return this._keyringNode;
}

/** The replacement `encrypt(ctx, plaintext)`: base64 of a 0x0378 message with the delivery's pool as context. */
async function encryptCode(this: { keyringNode: KmsKeyringNode }, _ctx: unknown, plaintext: string): Promise<string> {
  const userPoolId = deliveryPool.getStore();
  if (userPoolId === undefined) throw new Error('cognito-local encrypted a code outside a CustomEmailSender delivery');
  return encryptAsCognito(this.keyringNode, plaintext, userPoolId);
}

/**
 * Makes cognito-local encrypt codes as Cognito does. Throws UnsupportedCognitoLocalError, replacing
 * nothing, unless `modules` are cognito-local 5.3.0's.
 */
export function encryptCodesLikeCognito(modules: CognitoLocalModules = loadCognitoLocalModules()): void {
  requireSupportedVersion(modules.version);
  const cryptoService = prototypeOf(modules.crypto, 'CryptoService');
  const messagesService = prototypeOf(modules.messages, 'MessagesService');
  const differences = [
    // encrypt(ctx, plaintext), and keyringNode a getter
    !isMethod(cryptoService?.encrypt, 2) && 'CryptoService.prototype.encrypt',
    !hasGetter(cryptoService, 'keyringNode') && 'CryptoService.prototype.keyringNode',
    // customDelivery(ctx, source, clientId, userPoolId, user, code, clientMetadata)
    !isMethod(messagesService?.customDelivery, 7) && 'MessagesService.prototype.customDelivery',
  ].filter((name) => typeof name === 'string');
  if (!cryptoService || !messagesService || differences.length > 0) {
    throw new UnsupportedCognitoLocalError(
      `${SUPPORTED_COGNITO_LOCAL_VERSION} with a different ${differences.join(' and ')}`,
    );
  }

  Object.defineProperty(cryptoService, 'keyringNode', { get: keyringNode, configurable: true });
  cryptoService.encrypt = encryptCode;
  const customDelivery = messagesService.customDelivery as Method;
  messagesService.customDelivery = function deliverForPool(
    this: unknown,
    ctx: unknown,
    source: unknown,
    clientId: unknown,
    userPoolId: unknown,
    user: unknown,
    code: unknown,
    clientMetadata: unknown,
  ): Promise<unknown> {
    const args = [ctx, source, clientId, userPoolId, user, code, clientMetadata];
    return deliveryPool.run(String(userPoolId), () => customDelivery.apply(this, args));
  };
}

/** The prototype of the class `name` that `module` exports, if it exports one. */
function prototypeOf(module: unknown, name: string): Record<string, unknown> | null {
  if (typeof module !== 'object' || module === null) return null;
  const exported: unknown = (module as Record<string, unknown>)[name];
  return typeof exported === 'function' ? (exported.prototype as Record<string, unknown>) : null;
}

function hasGetter(prototype: object | null, name: string): boolean {
  return typeof (prototype && Object.getOwnPropertyDescriptor(prototype, name))?.get === 'function';
}

function isMethod(value: unknown, parameters: number): boolean {
  return typeof value === 'function' && value.length === parameters;
}
