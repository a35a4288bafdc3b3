/**
 * Builds the CustomMessage handler: configuration and logger are created once
 * per container, here, and reused by every invocation. The handler returns
 * the event with the composed response; a template problem leaves a field
 * null (Cognito's default), never throws (custom-message.ts).
 */
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { type Env, readMessageConfig } from '../config.js';
import { parseCustomMessageEvent } from '../event/cognito-event.js';
import { createLogger, type LogWriter } from '../log.js';
import type { TemplatePack } from '../render/template-pack.js';
import { composeCustomMessage } from './custom-message.js';

export interface CustomMessageParts {
  /** The templates, built: the bundles embed theirs (render/embedded-pack.ts). */
  pack: TemplatePack;
  writeLog?: LogWriter;
}

export type CustomMessageHandler = (
  event: CustomMessageTriggerEvent,
  context?: { awsRequestId?: string },
) => Promise<CustomMessageTriggerEvent>;

/** The CustomMessage handler for `env`; a bad configuration throws ConfigurationError here, at cold start. */
export function createCustomMessageHandler(env: Env, parts: CustomMessageParts): CustomMessageHandler {
  const { pack } = parts;
  const config = readMessageConfig(env, pack);
  const log = createLogger({ minLevel: config.logLevel, write: parts.writeLog });
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
    return { ...event, response: { ...event.response, ...fields } };
  };
}
