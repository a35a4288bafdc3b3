/**
 * CustomMessage trigger (message mode): returns the localized, branded
 * subject, HTML body and SMS text; Cognito inserts the code and delivers.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */
import { createCustomMessageHandler } from '../src/runtime/message-mode/handler.js';
import { embeddedPack } from '../src/runtime/render/embedded-pack.js';

export const handler = createCustomMessageHandler(process.env, { pack: embeddedPack });
