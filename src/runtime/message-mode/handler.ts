/**
 * Builds the CustomMessage handler: configuration and logger are created once
 * per container, here, and reused by every invocation. The handler returns
 * the event with the composed response; a template problem leaves a field
 * null (Cognito's default), never throws (custom-message.ts). Each invocation
 * writes one metrics line: per channel, rendered or Cognito's default.
 */
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { type Env, readMessageConfig } from '../config.js';
import { parseCustomMessageEvent } from '../event/cognito-event.js';
import { createLogger, type LogWriter, stdoutWriter } from '../log.js';
import { CUSTOM_MESSAGE_METRICS, type CustomMessageMetric, metricsEmitter, readMetricsSwitch } from '../metrics.js';
import type { TemplatePack } from '../render/template-pack.js';
import { composeCustomMessage } from './custom-message.js';

export interface CustomMessageParts {
  /** The templates, built: the bundles embed theirs (render/embedded-pack.ts). */
  pack: TemplatePack;
  writeLog?: LogWriter;
  /** The clock of the metrics lines, in epoch milliseconds (tests). */
  now?: () => number;
}

export type CustomMessageHandler = (
  event: CustomMessageTriggerEvent,
  context?: { awsRequestId?: string },
) => Promise<CustomMessageTriggerEvent>;

/** The CustomMessage handler for `env`; a bad configuration throws ConfigurationError here, at cold start. */
export function createCustomMessageHandler(env: Env, parts: CustomMessageParts): CustomMessageHandler {
  const { pack } = parts;
  const config = readMessageConfig(env, pack);
  const write = parts.writeLog ?? stdoutWriter;
  const log = createLogger({ minLevel: config.logLevel, write });
  const metrics = metricsEmitter<CustomMessageMetric>({
    enabled: readMetricsSwitch(env),
    family: 'CustomMessage',
    transport: 'cognito',
    names: CUSTOM_MESSAGE_METRICS,
    write,
    now: parts.now ?? Date.now,
  });
  return async (event, context) => {
    const request = parseCustomMessageEvent(event);
    const fields = composeCustomMessage(
      request,
      pack,
      config,
      log.child({
        triggerSource: request.triggerSource,
        userPoolId: request.userPoolId,
        requestId: context?.awsRequestId,
      }),
    );
    // EmailRendered or EmailDefault, SmsRendered or SmsDefault.
    const [emailRendered, emailDefault, smsRendered, smsDefault] = CUSTOM_MESSAGE_METRICS;
    metrics(request.triggerSource, [
      fields.emailMessage === null ? emailDefault : emailRendered,
      fields.smsMessage === null ? smsDefault : smsRendered,
    ]);
    return { ...event, response: { ...event.response, ...fields } };
  };
}
