/**
 * The details of an AccountTakeOverNotification (docs/cognito.md): the
 * sign-in's time, place and device, cleaned for display, and the one-click
 * links, kept only when they point at an allowed host.
 */
import type { SenderRequest } from '../event/cognito-event.js';
import type { Logger } from '../log.js';
import type { AccountTakeOverDetails } from '../render/render.js';
import { cleanDisplayText } from '../render/untrusted-text.js';
import type { SenderConfig } from './sender-config.js';

const ACTION_KEYS: Readonly<Record<string, AccountTakeOverDetails['actionKey']>> = {
  BLOCK: 'actionBlock',
  MFA_IF_CONFIGURED: 'actionMfaIfConfigured',
  MFA_REQUIRED: 'actionMfaRequired',
  NO_ACTION: 'actionNoAction',
};

/**
 * The hosts a one-click link of an AccountTakeOverNotification may point at:
 * ACCOUNT_TAKEOVER_LINK_HOSTS when set, else Cognito's own endpoint in the
 * pool's region. AWS does not document the links' host (docs/security.md), so
 * a link elsewhere is left out and logged rather than trusted: a forged event
 * must not put a button to any host into a branded email.
 */
export function oneClickLinkHosts(
  config: Pick<SenderConfig, 'accountTakeOverLinkHosts'>,
  userPoolId: string,
): readonly string[] {
  if (config.accountTakeOverLinkHosts.length > 0) return config.accountTakeOverLinkHosts;
  const region = userPoolId.slice(0, Math.max(userPoolId.indexOf('_'), 0));
  return region ? [`cognito-idp.${region}.amazonaws.com`, `cognito-idp.${region}.amazonaws.com.cn`] : [];
}

/** The sign-in details of an AccountTakeOverNotification, cleaned for display; links only to `linkHosts` over https. */
export function accountTakeOverDetails(
  attributes: Readonly<Record<string, string>>,
  locale: string,
  linkHosts: readonly string[],
): AccountTakeOverDetails {
  const action = attributes.ACCOUNT_TAKE_OVER_ACTION?.toUpperCase() ?? '';
  const location = [attributes.CITY, attributes.COUNTRY].map((part) => cleanDisplayText(part, 60)).filter(Boolean);
  return {
    actionKey: Object.hasOwn(ACTION_KEYS, action) ? (ACTION_KEYS[action] ?? null) : null,
    time: formatLoginTime(attributes.LOGIN_TIME, locale),
    ip: cleanDisplayText(attributes.IP_ADDRESS, 45),
    location: location.length > 0 ? location.join(', ') : null,
    device: cleanDisplayText(attributes.DEVICE_NAME, 80),
    confirmUrl: oneClickLink(attributes.ONE_CLICK_LINK_VALID, linkHosts),
    denyUrl: oneClickLink(attributes.ONE_CLICK_LINK_INVALID, linkHosts),
  };
}

function formatLoginTime(value: string | undefined, locale: string): string | null {
  if (!value) return null;
  const millis = /^\d{10,13}$/.test(value) ? Number(value) * (value.length === 10 ? 1000 : 1) : Date.parse(value);
  if (Number.isNaN(millis)) return cleanDisplayText(value, 60);
  const formatted = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(
    millis,
  );
  return cleanDisplayText(`${formatted} UTC`, 80);
}

/** `value` when it is an https URL on one of `hosts` (no credentials, default port), else null. */
export function oneClickLink(value: string | undefined, hosts: readonly string[]): string | null {
  if (!value || value.length > 2048) return null;
  try {
    const url = new URL(value);
    const plain = url.protocol === 'https:' && url.port === '' && url.username === '' && url.password === '';
    return plain && hosts.includes(url.hostname) ? value : null;
  } catch {
    return null;
  }
}

/** Logs the one-click links that an event carried and the email left out. */
export function noteForeignOneClickLinks(log: Logger, request: SenderRequest, config: SenderConfig): void {
  const hosts = oneClickLinkHosts(config, request.userPoolId);
  const left = ['ONE_CLICK_LINK_VALID', 'ONE_CLICK_LINK_INVALID'].filter(
    (key) => request.userAttributes[key] !== undefined && oneClickLink(request.userAttributes[key], hosts) === null,
  );
  if (left.length > 0) {
    log.warn('one-click links outside the allowed hosts were left out of the email', {
      attributes: left,
      allowedHosts: hosts,
    });
  }
}
