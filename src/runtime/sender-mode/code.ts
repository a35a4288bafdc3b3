/**
 * The code a sender sends: decrypted from the event (decrypt-code.ts) and,
 * for an invitation, with Cognito's HTML escaping of the temporary password
 * undone, so the user reads the password they must type.
 */
import { InvalidEventError } from '../errors.js';
import type { SenderRequest } from '../event/cognito-event.js';
import type { MessageKind } from '../event/message-kind.js';
import { decodeHtmlEntities } from '../render/html-entities.js';
import type { CodeDecrypter } from './decrypt-code.js';

/** The code (or temporary password) a sender puts in its message, decrypted from the event. */
export async function decryptCode(
  request: SenderRequest,
  kind: MessageKind,
  decrypter: CodeDecrypter,
): Promise<string> {
  if (!request.code) throw new InvalidEventError('request.code is empty; there is no code to send');
  const plaintext = await decrypter.decrypt(request.code, request.userPoolId);
  // Cognito HTML-escapes the AdminCreateUser temporary password (docs/cognito.md).
  const code = kind === 'adminCreateUser' ? decodeHtmlEntities(plaintext) : plaintext;
  if (code.length === 0 || code.length > 256) throw new InvalidEventError('the decrypted code is empty or too long');
  return code;
}
