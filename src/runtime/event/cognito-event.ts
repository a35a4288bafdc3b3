/**
 * Parsers from the raw Lambda event (unknown) to the typed values the core
 * works on. Shapes: docs/cognito.md, "CustomMessage" and
 * "CustomEmailSender and CustomSMSSender triggers".
 */
import { InvalidEventError } from '../errors.js';
import { isRecord } from '../json-object.js';

export interface CognitoEnvelope {
  triggerSource: string;
  userPoolId: string;
  userName: string;
  clientId: string | undefined;
  /** String-valued attributes only; anything else Cognito would never send is dropped. */
  userAttributes: Readonly<Record<string, string>>;
  clientMetadata: unknown;
}

export interface CustomMessageRequest extends CognitoEnvelope {
  codeParameter: string | null;
  usernameParameter: string | null;
  linkParameter: string | null;
}

export interface SenderRequest extends CognitoEnvelope {
  type: 'customEmailSenderRequestV1' | 'customSMSSenderRequestV1';
  /** Base64 Encryption SDK message, or null (account take-over notices). */
  code: string | null;
}

const MAX_ATTRIBUTES = 100;
const MAX_ATTRIBUTE_LENGTH = 2048;

/** Parses a CustomMessage event; throws InvalidEventError when it is not one. */
export function parseCustomMessageEvent(raw: unknown): CustomMessageRequest {
  const { envelope, request } = parseEnvelope(raw);
  return {
    ...envelope,
    codeParameter: optionalString(request.codeParameter),
    usernameParameter: optionalString(request.usernameParameter),
    linkParameter: optionalString(request.linkParameter),
  };
}

/** Parses a CustomEmailSender / CustomSMSSender event; throws InvalidEventError when it is not one. */
export function parseSenderEvent(raw: unknown, type: SenderRequest['type']): SenderRequest {
  const { envelope, request } = parseEnvelope(raw);
  if (request.type !== undefined && request.type !== type) {
    throw new InvalidEventError(`request.type is ${JSON.stringify(request.type)}; this function handles ${type}`);
  }
  if (request.code !== undefined && request.code !== null && typeof request.code !== 'string') {
    throw new InvalidEventError('request.code must be a string or null');
  }
  return { ...envelope, type, code: (request.code as string | null | undefined) ?? null };
}

function parseEnvelope(raw: unknown): { envelope: CognitoEnvelope; request: Record<string, unknown> } {
  if (!isRecord(raw)) throw new InvalidEventError('the event must be a JSON object');
  const triggerSource = requiredString(raw, 'triggerSource', 100);
  const userPoolId = requiredString(raw, 'userPoolId', 55);
  const userName = requiredString(raw, 'userName', 512);
  if (!isRecord(raw.request)) throw new InvalidEventError('event.request must be an object');
  const request = raw.request;
  const callerContext = isRecord(raw.callerContext) ? raw.callerContext : {};
  const clientId = typeof callerContext.clientId === 'string' ? callerContext.clientId : undefined;
  return {
    envelope: {
      triggerSource,
      userPoolId,
      userName,
      clientId,
      userAttributes: parseAttributes(request.userAttributes),
      clientMetadata: request.clientMetadata ?? null,
    },
    request,
  };
}

function parseAttributes(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw new InvalidEventError('event.request.userAttributes must be an object');
  const attributes: Record<string, string> = Object.create(null);
  let count = 0;
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'string' || value.length > MAX_ATTRIBUTE_LENGTH) continue;
    if (++count > MAX_ATTRIBUTES) break;
    attributes[name] = value;
  }
  return attributes;
}

function requiredString(source: Record<string, unknown>, key: string, maxLength: number): string {
  const value = source[key];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new InvalidEventError(`event.${key} must be a non-empty string of at most ${maxLength} characters`);
  }
  return value;
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
