/**
 * CustomSMSSender trigger (sender mode): decrypts the code with KMS,
 * renders the localized, branded SMS and publishes it through SNS.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html
 */

import { embeddedPack } from '../src/runtime/render/embedded-pack.js';
import { createSmsSenderHandler } from '../src/runtime/sender-mode/handler.js';

export const handler = createSmsSenderHandler(process.env, { pack: embeddedPack });
