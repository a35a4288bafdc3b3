/**
 * Idempotent delivery (docs/idempotency.md): a message is claimed in the
 * idempotency table before it is sent and marked done after, so a repeat of
 * the same Cognito request (Lambda's duplicates and retries, a failure-queue
 * replay) sends nothing. The table never blocks a code unless told to: when
 * DynamoDB fails, the message is sent anyway and the failure logged.
 */
import { randomUUID } from 'node:crypto';
import { type Env, optionalEnv } from '../config.js';
import type { DeliveryStore } from '../delivery/dynamodb-store.js';
import { ConfigurationError, DeliveryError, DeliveryInProgressError, IdempotencyStoreError } from '../errors.js';
import type { SenderRequest } from '../event/cognito-event.js';
import { describeError, type Logger } from '../log.js';
import { deliverOnce } from './delivery-log.js';
import { countAgainstLimits, hash, type Recipient, type SendLimits, takeBackCounts } from './send-limits.js';

export type StoreFailurePolicy = 'send' | 'fail';

export interface IdempotencySettings {
  tableName: string;
  /** What a DynamoDB failure does: send without the table (default), or fail the invocation. */
  storeFailure: StoreFailurePolicy;
  /** How long a claim holds others off when the invocation does not say: the function's timeout. */
  claimSeconds: number;
}

/** A done record outlives the failure queue's 14 days, so a replay finds it. */
export const DONE_RECORD_SECONDS = 15 * 24 * 3600;
/** The senders' timeout in serverless.yml and the CDK construct, when Lambda does not say. */
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 10;

/** Reads `IDEMPOTENCY_TABLE`, `IDEMPOTENCY_STORE_FAILURE` and `AWS_LAMBDA_FUNCTION_TIMEOUT`; null without a table. */
export function readIdempotencySettings(env: Env): IdempotencySettings | null {
  const failure = (optionalEnv(env, 'IDEMPOTENCY_STORE_FAILURE') ?? 'send').toLowerCase();
  if (failure !== 'send' && failure !== 'fail') {
    throw new ConfigurationError(`Environment variable IDEMPOTENCY_STORE_FAILURE is "${failure}"; use send, fail`);
  }
  const timeout = optionalEnv(env, 'AWS_LAMBDA_FUNCTION_TIMEOUT');
  if (timeout !== undefined && !/^[1-9]\d{0,3}$/.test(timeout)) {
    throw new ConfigurationError(
      `Environment variable AWS_LAMBDA_FUNCTION_TIMEOUT is "${timeout}"; it must be the function's timeout in seconds`,
    );
  }
  const tableName = optionalEnv(env, 'IDEMPOTENCY_TABLE');
  if (tableName === undefined) return null;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new ConfigurationError(
      `Environment variable IDEMPOTENCY_TABLE is "${tableName}"; it must be a DynamoDB table name`,
    );
  }
  return {
    tableName,
    storeFailure: failure,
    claimSeconds: timeout === undefined ? DEFAULT_FUNCTION_TIMEOUT_SECONDS : Number(timeout),
  };
}

/**
 * The message's key: what every repeat of one Cognito request shares and a
 * new request does not (Cognito encrypts each code afresh). An account
 * take-over notice has no code; its EVENT_ID takes the code's place.
 */
export function messageKey(request: SenderRequest): string {
  const once = request.code ?? `event:${request.userAttributes.EVENT_ID ?? ''}`;
  return `message#${hash(JSON.stringify([request.triggerSource, request.userPoolId, request.userName, once]))}`;
}

export interface Idempotency {
  store: DeliveryStore;
  settings: IdempotencySettings;
  limits: SendLimits;
  now: () => number;
}

export interface DeliveryAttempt {
  request: SenderRequest;
  /** Whom the limits count; null: a message no limit applies to (the account take-over notice). */
  recipient: Recipient | null;
  log: Logger;
  /** Milliseconds the invocation has left, when Lambda says. */
  remainingMs: number | undefined;
  send: () => Promise<{ messageId: string }>;
}

/** Sends once per Cognito request: claim, count against the limits, send, mark done (or release). */
export async function deliverIdempotently(
  idempotency: Idempotency,
  attempt: DeliveryAttempt,
): Promise<'sent' | 'duplicate'> {
  const { store, settings, limits, now } = idempotency;
  const { log } = attempt;
  const key = messageKey(attempt.request);
  const owner = randomUUID();
  const nowMs = now();
  const claimMs = attempt.remainingMs ?? settings.claimSeconds * 1000;
  const unavailable = storeUnavailable(settings, log);

  const claim = await store.claim({ key, owner, nowMs, inProgressUntilMs: nowMs + claimMs }).catch(unavailable);
  if (claim && !claim.claimed) {
    if (claim.status === 'done') {
      log.info('duplicate: this message was already sent; nothing sent', {
        outcome: 'duplicate',
        messageId: claim.messageId,
      });
      return 'duplicate';
    }
    throw new DeliveryInProgressError('another invocation is sending this message; retry later');
  }
  let counted: string[] = [];
  // Nothing went out: give the claim and the counts back, so the retry sends and counts once.
  const release = async () => {
    if (!claim) return;
    await store.release(key, owner).catch((error) => logStoreError(log, 'release', error));
    await takeBackCounts(store, counted).catch((error) => logStoreError(log, 'count take-back', error));
  };

  // A table that just failed the claim is not asked again for the counters.
  if (claim && attempt.recipient) {
    try {
      counted = (await countAgainstLimits(store, limits, attempt.recipient, nowMs).catch(unavailable)) ?? [];
    } catch (error) {
      await release();
      throw error;
    }
  }

  let messageId: string;
  try {
    messageId = await deliverOnce(log, attempt.send);
  } catch (error) {
    // Outcome unknown: the claim and the counts stay, the claim until it expires (docs/idempotency.md).
    if (error instanceof DeliveryError && error.nothingSent) await release();
    throw error;
  }
  if (claim) {
    const expiresAt = Math.floor(now() / 1000) + DONE_RECORD_SECONDS;
    // The message is out: a failed mark must not fail the invocation, or Lambda's retry would send it again.
    await store.markDone(key, messageId, expiresAt).catch((error) => logStoreError(log, 'done mark', error));
  }
  return 'sent';
}

/** What a failed claim or count does: fail under `fail`, else log and go on as if there were no table. */
function storeUnavailable(settings: IdempotencySettings, log: Logger) {
  return (error: unknown): undefined => {
    if (!(error instanceof IdempotencyStoreError)) throw error;
    if (settings.storeFailure === 'fail') throw error;
    log.warn('idempotency table unavailable; sending without it (IDEMPOTENCY_STORE_FAILURE=send)', {
      store: 'unavailable',
      ...describeError(error),
    });
    return undefined;
  };
}

function logStoreError(log: Logger, step: string, error: unknown): void {
  log.warn(`idempotency table ${step} failed`, { store: 'unavailable', ...describeError(error) });
}
