/** What a CustomMessage render is filled with: Cognito's code placeholder and nothing else. */
import type { MessageValues } from '../../src/runtime/render/render.js';

export const PLACEHOLDER_VALUES: MessageValues = {
  code: '{####}',
  username: null,
  cognitoLink: null,
  verifyUrl: null,
  signInUrl: null,
  name: null,
  accountTakeOver: null,
};
