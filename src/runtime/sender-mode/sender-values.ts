/**
 * What fills a sender's message: the decrypted code, the username an invited
 * user signs in with, the brand's links and the cleaned display name.
 */
import type { SenderRequest } from '../event/cognito-event.js';
import type { Channel } from '../event/message-kind.js';
import { VERIFYING_KINDS } from '../event/message-kind.js';
import type { MessageValues } from '../render/render.js';
import type { Brand } from '../target/brand.js';
import type { ResolvedTarget } from '../target/resolve-target.js';
import { invitationSignIn } from '../target/sign-in-name.js';
import { accountTakeOverDetails, oneClickLinkHosts } from './account-take-over.js';
import type { SenderConfig } from './sender-config.js';

/**
 * What fills a sender's message: the decrypted code, what an invited user
 * signs in with (by the pool's SIGN_IN_ATTRIBUTES), the brand's links, the
 * cleaned display name.
 */
export function senderValues(
  config: Pick<SenderConfig, 'accountTakeOverLinkHosts' | 'signInAttributes'>,
  request: SenderRequest,
  target: ResolvedTarget,
  code: string,
  channel: Channel,
): MessageValues {
  const { kind, brand } = target;
  const signIn =
    kind === 'adminCreateUser'
      ? invitationSignIn(config.signInAttributes, request.userAttributes, request.userName, channel)
      : null;
  return {
    code,
    username: signIn?.value ?? null,
    signInWith: signIn && signIn.attribute !== 'username' ? signIn.attribute : null,
    cognitoLink: null,
    verifyUrl: VERIFYING_KINDS.has(kind) ? verificationUrl(brand, target.linkOrigin, code, request.userName) : null,
    signInUrl: kind === 'adminCreateUser' ? (brand.links?.signInUrl ?? null) : null,
    name: target.name,
    accountTakeOver:
      kind === 'accountTakeOver'
        ? accountTakeOverDetails(request.userAttributes, target.locale, oneClickLinkHosts(config, request.userPoolId))
        : null,
  };
}

/**
 * The brand's verification link with code and username in the query. The
 * base always comes from the brand; `allowedOrigin` is clientMetadata.linkOrigin
 * once resolveTarget found it allow-listed (by the brand or the stage).
 */
export function verificationUrl(
  brand: Brand,
  allowedOrigin: string | undefined,
  code: string,
  username: string,
): string | null {
  const base = brand.links?.verifyUrl;
  if (!base) return null;
  const url = new URL(base);
  if (allowedOrigin !== undefined) {
    const origin = new URL(allowedOrigin);
    url.protocol = origin.protocol;
    url.host = origin.host;
  }
  url.searchParams.set('code', code);
  url.searchParams.set('username', username);
  return url.toString();
}
