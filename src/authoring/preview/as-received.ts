/**
 * What the reader of a CustomMessage email or SMS receives: Cognito puts the
 * code, the username and the verification link in place of its placeholders
 * after the trigger returns. The preview shows these samples, marked as
 * samples, so a product person sees the message and not `{####}`; the
 * placeholders themselves are one switch away.
 */
import { escapeHtml } from './html.js';
import { COGNITO_PLACEHOLDERS, SAMPLE_CODES, SAMPLE_USER } from './samples.js';

export const SAMPLE_NOTE = 'Sample: Cognito puts the real value here';

const LINK_PLACEHOLDER = /\{##([\s\S]*?)##\}/g;
const TAG_OR_TEXT = /(<[^>]*>)|([^<]+)/g;

/** The sample Cognito's `{####}` stands for: a temporary password in an invitation, else a code. */
function sampleCode(kind: string): string {
  return kind === 'adminCreateUser' ? SAMPLE_CODES.temporaryPassword : SAMPLE_CODES.code;
}

function marked(text: string): string {
  return `<mark class="sample" title="${escapeHtml(SAMPLE_NOTE)}" style="background-color:#fef08a;color:#111827;border-radius:3px;padding:0 2px;">${text}</mark>`;
}

/**
 * The email HTML with samples in place of Cognito's placeholders, each in a
 * yellow `<mark>`. Only text between tags changes; an attribute gets the bare sample.
 */
export function emailAsReceived(html: string, kind: string): string {
  const code = escapeHtml(sampleCode(kind));
  const username = escapeHtml(SAMPLE_USER.email);
  return html.replace(TAG_OR_TEXT, (whole, tag: string | undefined) => {
    if (tag !== undefined) {
      return tag
        .split(COGNITO_PLACEHOLDERS.code)
        .join(code)
        .split(COGNITO_PLACEHOLDERS.username)
        .join(username)
        .replace(LINK_PLACEHOLDER, '$1');
    }
    return whole
      .split(COGNITO_PLACEHOLDERS.code)
      .join(marked(code))
      .split(COGNITO_PLACEHOLDERS.username)
      .join(marked(username))
      .replace(
        LINK_PLACEHOLDER,
        (_, text: string) =>
          `<a href="#" title="${escapeHtml(SAMPLE_NOTE)}" style="color:inherit;"><mark class="sample" style="background-color:#fef08a;color:#111827;border-radius:3px;padding:0 2px;">${text}</mark></a>`,
      );
  });
}

/** The SMS text with samples in place of the placeholders, as HTML with each sample marked. */
export function smsAsReceived(text: string, kind: string): string {
  return escapeHtml(text)
    .split(escapeHtml(COGNITO_PLACEHOLDERS.code))
    .join(marked(escapeHtml(sampleCode(kind))))
    .split(escapeHtml(COGNITO_PLACEHOLDERS.username))
    .join(marked(escapeHtml(SAMPLE_USER.email)));
}
