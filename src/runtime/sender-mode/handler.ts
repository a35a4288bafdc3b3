/**
 * Builds the two sender handlers: configuration, logger, decrypter and
 * delivery client are created once per container, here, and reused by every
 * invocation. Each invocation logs one outcome line and one metrics line
 * (metrics.ts) and, on any failure, throws, so Lambda's asynchronous retries
 * and the on-failure destination keep the message.
 */

import type { Env } from '../config.js';
import { kmsDecryptClients, STORE_CLIENT_LIMITS } from '../delivery/aws-clients.js';
import { dynamoDbClient, dynamoDbEndpoint } from '../delivery/dynamodb-client.js';
import { type DeliveryStore, dynamoDbStore } from '../delivery/dynamodb-store.js';
import { type EmailDelivery, sesDelivery } from '../delivery/ses-delivery.js';
import { type SmsDelivery, snsDelivery } from '../delivery/sns-delivery.js';
import { DeliveryInProgressError, SendLimitError } from '../errors.js';
import { parseSenderEvent } from '../event/cognito-event.js';
import { type Channel, SENDER_FAMILIES } from '../event/message-kind.js';
import { isRecord } from '../json-object.js';
import { createLogger, describeError, type LogFields, type LogWriter, stdoutWriter } from '../log.js';
import { metricsEmitter, readMetricsSwitch, SENDER_METRICS, type SenderMetric } from '../metrics.js';
import type { TemplatePack } from '../render/template-pack.js';
import { type CodeDecrypter, createCodeDecrypter } from './decrypt-code.js';
import { handleEmailSenderEvent, handleSmsSenderEvent, type SenderContext, type SendOutcome } from './send-message.js';
import { readSenderConfig } from './sender-config.js';

export interface SenderParts<Delivery> {
  /** The templates, built: the bundles embed theirs (render/embedded-pack.ts). */
  pack: TemplatePack;
  delivery?: Delivery;
  decrypter?: CodeDecrypter;
  writeLog?: LogWriter;
  /** Replaces the DynamoDB idempotency table (used only with `IDEMPOTENCY_TABLE` set). */
  store?: DeliveryStore;
  /** The clock, in epoch milliseconds (tests). */
  now?: () => number;
}

/** What the senders read from Lambda's context object. */
export interface SenderInvocationContext {
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
}

export type SenderHandler = (event: unknown, context?: SenderInvocationContext) => Promise<void>;

/** The CustomEmailSender handler for `env`. */
export function createEmailSenderHandler(env: Env, parts: SenderParts<EmailDelivery>): SenderHandler {
  const delivery = parts.delivery ?? sesDelivery();
  return createSenderHandler(env, 'email', parts, (request, ctx) => handleEmailSenderEvent(request, ctx, delivery));
}

/** The CustomSMSSender handler for `env`. */
export function createSmsSenderHandler(env: Env, parts: SenderParts<SmsDelivery>): SenderHandler {
  const delivery = parts.delivery ?? snsDelivery();
  return createSenderHandler(env, 'sms', parts, (request, ctx) => handleSmsSenderEvent(request, ctx, delivery));
}

function createSenderHandler(
  env: Env,
  channel: Channel,
  parts: SenderParts<unknown>,
  handle: (request: ReturnType<typeof parseSenderEvent>, ctx: SenderContext) => Promise<SendOutcome>,
): SenderHandler {
  const { pack } = parts;
  const config = readSenderConfig(env, pack, channel);
  const write = parts.writeLog ?? stdoutWriter;
  const log = createLogger({ minLevel: config.logLevel, write });
  const now = parts.now ?? Date.now;
  const metrics = metricsEmitter<SenderMetric>({
    enabled: readMetricsSwitch(env),
    family: SENDER_FAMILIES[channel],
    transport: channel === 'email' ? 'ses' : 'sns',
    names: SENDER_METRICS,
    write,
    now,
  });
  const decrypter = parts.decrypter ?? createCodeDecrypter(config.kmsKeyArns, kmsDecryptClients());
  const type = channel === 'email' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1';
  const { idempotency: settings, sendLimits: limits } = config;
  const idempotency = settings && {
    store:
      parts.store ??
      // The SDK's own variables (AWS_REGION, AWS_ENDPOINT_URL…) come from the process, as the SES, SNS and KMS clients read them.
      dynamoDbStore(
        settings.tableName,
        dynamoDbClient({ ...dynamoDbEndpoint({ ...process.env, ...env }), ...STORE_CLIENT_LIMITS }),
      ),
    settings,
    limits,
    now,
  };

  return async (event, context) => {
    const envelope = isRecord(event) ? event : {};
    const requestLog = log.child({
      triggerSource: typeof envelope.triggerSource === 'string' ? envelope.triggerSource.slice(0, 100) : null,
      userPoolId: typeof envelope.userPoolId === 'string' ? envelope.userPoolId.slice(0, 55) : null,
      requestId: context?.awsRequestId ?? null,
    });
    try {
      const remainingMs = context?.getRemainingTimeInMillis?.();
      const outcome = await handle(parseSenderEvent(event, type), {
        pack,
        config,
        decrypter,
        log: requestLog,
        idempotency,
        remainingMs,
      });
      metrics(envelope.triggerSource, [outcome === 'sent' ? 'Sent' : 'Duplicate']);
    } catch (error) {
      const failure = failureOutcome(error);
      requestLog.error(`${channel} not sent; the invocation fails so Lambda retries it`, {
        ...failure.fields,
        ...describeError(error),
      });
      metrics(envelope.triggerSource, [failure.metric]);
      throw error;
    }
  };
}

/** A failed invocation's outcome field and metric: refused by a limit, held by another invocation, or failed. */
function failureOutcome(error: unknown): { fields: LogFields; metric: SenderMetric } {
  if (error instanceof SendLimitError) return { fields: { outcome: 'refused', rule: error.rule }, metric: 'Refused' };
  if (error instanceof DeliveryInProgressError) return { fields: { outcome: 'in-progress' }, metric: 'InProgress' };
  return { fields: { outcome: 'failed' }, metric: 'Failed' };
}
