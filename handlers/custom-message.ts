/**
 * CustomMessage trigger (message mode): returns the localized, branded
 * subject, HTML body and SMS text; Cognito inserts the code and delivers.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { parseCustomMessageEvent } from '../src/cognito-event.js';
import { readMessageConfig } from '../src/config.js';
import { composeCustomMessage } from '../src/custom-message.js';
import { embeddedPack } from '../src/embedded-pack.js';
import { createLogger } from '../src/log.js';

const config = readMessageConfig(process.env, embeddedPack);
const log = createLogger({ minLevel: config.logLevel });

export const handler = async (
  event: CustomMessageTriggerEvent,
  context?: { awsRequestId?: string },
): Promise<CustomMessageTriggerEvent> => {
  const request = parseCustomMessageEvent(event);
  const fields = composeCustomMessage(
    request,
    embeddedPack,
    config,
    log.child({
      triggerSource: request.triggerSource,
      userPoolId: request.userPoolId,
      requestId: context?.awsRequestId,
    }),
  );
  return { ...event, response: { ...event.response, ...fields } };
};
