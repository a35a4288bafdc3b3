/**
 * CustomEmailSender trigger (sender mode): decrypts the code with KMS,
 * renders the localized, branded email and sends it through SES.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-email-sender.html
 */

import { embeddedPack } from '../src/runtime/render/embedded-pack.js';
import { createEmailSenderHandler } from '../src/runtime/sender-mode/handler.js';

export const handler = createEmailSenderHandler(process.env, { pack: embeddedPack });
