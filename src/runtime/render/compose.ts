/**
 * Render, then check: the step every consumer of the templates shares (the
 * CustomMessage handler, both senders, the preview and `npm run check`).
 * Returns the violations instead of throwing, so each caller decides what a
 * violation means for it (fall back to Cognito's default, refuse to send, or
 * show it to the person editing the template).
 */

import Handlebars from 'handlebars/runtime';
import { checkEmail, checkSms, type RequiredToken, type SmsDeliveredBy } from '../check/cognito-rules.js';
import { measureSms, type SmsSize, transliterateToGsm7, usesLatinScript } from '../check/sms-encoding.js';
import {
  type MessageValues,
  type RenderedEmail,
  type RenderedSms,
  type RenderTarget,
  renderEmail,
  renderSms,
} from './render.js';
import type { TemplatePack } from './template-pack.js';

export interface ComposedEmail extends RenderedEmail {
  violations: string[];
}

export interface ComposedSms extends RenderedSms {
  size: SmsSize;
  violations: string[];
  /** Set when the text needs more segments than the brand allows. */
  segmentViolation: string | null;
}

/** The tokens a message must carry: the code (or its placeholder) and, for invitations, the username. */
export function requiredTokens(values: MessageValues, codeLabel = 'code placeholder'): RequiredToken[] {
  const tokens: RequiredToken[] = [];
  if (values.accountTakeOver === null) tokens.push({ label: codeLabel, value: values.code, secret: true });
  if (values.username !== null) tokens.push({ label: 'username', value: values.username });
  return tokens;
}

/** Renders and checks an email. Throws TemplateRenderError only when the templates cannot render at all. */
export function composeEmail(
  pack: TemplatePack,
  target: RenderTarget,
  values: MessageValues,
  required: readonly RequiredToken[],
): ComposedEmail {
  const email = renderEmail(pack, target, values);
  // The HTML carries each token as Handlebars escaped it (a temporary password may hold `<` or `&`).
  const inHtml = required.map((token) => ({ ...token, value: Handlebars.escapeExpression(token.value) }));
  const violations = checkEmail(email.subject, email.html, inHtml, { cognitoLink: values.cognitoLink !== null });
  return { ...email, violations };
}

/**
 * Renders and checks an SMS, and measures it against the brand's segment
 * budget. `deliveredBy` says who sends it: Cognito (a CustomMessage response,
 * 140 characters at most) or SNS (the SMS sender, 1,600): see SMS_LENGTH.
 * `finish` shapes the rendered line before it is checked.
 */
export function composeSms(
  pack: TemplatePack,
  target: RenderTarget,
  values: MessageValues,
  required: readonly RequiredToken[],
  deliveredBy: SmsDeliveredBy = 'cognito',
  finish: (text: string) => string = (text) => text,
): ComposedSms {
  const rendered = renderSms(pack, target, values);
  const written =
    target.brand.sms.gsm7Transliteration && usesLatinScript(target.locale)
      ? transliterateToGsm7(rendered.text, [values.code, values.username, values.account])
      : rendered.text;
  // What the deliverer adds to the rendered line (the SMS sender: bidi isolates), checked and measured with it.
  const sms = { ...rendered, text: finish(written) };
  const size = measureSms(sms.text);
  const max = target.brand.sms.maxSegments;
  const segmentViolation =
    size.segments > max
      ? `SMS needs ${size.segments} ${size.encoding} segments (${size.units} units${describeNonGsm(sms.text, values)}); the brand allows ${max}`
      : null;
  return { ...sms, size, violations: checkSms(sms.text, required, deliveredBy), segmentViolation };
}

/**
 * The template's own characters that force UCS-2. Characters of the code
 * (a temporary password), the username or the name are never listed: this
 * text reaches logs. It only says that one of them forced UCS-2.
 */
function describeNonGsm(text: string, values: MessageValues): string {
  let own = text;
  for (const value of [values.code, values.username, values.name]) if (value) own = own.split(value).join('');
  const listed = measureSms(own).nonGsmCharacters;
  const fromValues = measureSms(text).nonGsmCharacters.length > listed.length;
  const parts = [
    listed.length > 0 ? `non-GSM in the template: ${listed.join(' ')}` : '',
    fromValues ? 'the code, username or name has non-GSM characters' : '',
  ].filter(Boolean);
  return parts.length > 0 ? `; ${parts.join('; ')}` : '';
}
