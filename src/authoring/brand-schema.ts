/**
 * The strict schema of `brand.json`. Used when a pack is built or loaded from
 * disk (never in a handler bundle), so a typo in a brand fails the build
 * instead of being ignored.
 */
import { dirname } from 'node:path';
import { z } from 'zod';
import { WEB_OTP_DOMAIN } from '../runtime/check/cognito-rules.js';
import { APP_CLIENT_ID, E164, SES_CONFIGURATION_SET, SMS_SENDER_ID } from '../runtime/delivery/delivery-formats.js';
import type { Brand } from '../runtime/target/brand.js';
import { readShippedLogo } from './brand-logo-file.js';
import { type JsonFile, jsonPlace } from './json-source.js';
import { problemAt, problemIn, TemplateFileError } from './template-errors.js';

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb');
const httpsUrl = z.url({ protocol: /^https$/ });
const origin = httpsUrl.refine(
  (value) => new URL(value).origin === value,
  'an origin has no path, e.g. https://app.example.com',
);

export const brandFileSchema = z.strictObject({
  productName: z.string().min(1).max(40),
  logoUrl: httpsUrl.nullable(),
  logoDarkUrl: httpsUrl.nullable().default(null),
  // The display size of a logo given by URL (a shipped logo.png is measured instead).
  logoSize: z
    .strictObject({ width: z.number().int().min(16).max(280), height: z.number().int().min(16).max(64) })
    .nullable()
    .default(null),
  colors: z.strictObject({ primary: hexColour, buttonText: hexColour, text: hexColour, background: hexColour }),
  supportUrl: httpsUrl.nullable(),
  supportEmail: z.email().nullable(),
  email: z.strictObject({
    from: z.string().min(3).max(320).nullable(),
    replyTo: z.array(z.email()).max(5),
    configurationSet: z.string().regex(SES_CONFIGURATION_SET).nullable(),
  }),
  sms: z.strictObject({
    senderId: z
      .string()
      .regex(SMS_SENDER_ID, 'an SMS sender id is 3–11 letters or digits with at least one letter')
      .nullable(),
    originationNumber: z.string().regex(E164, 'an origination number is E.164').nullable(),
    maxSegments: z.number().int().min(1).max(10),
    webOtpDomain: z
      .string()
      .regex(
        WEB_OTP_DOMAIN,
        'a WebOTP domain is a lower-case host name such as app.example.com, without https:// or a path',
      )
      .nullable()
      .default(null),
    gsm7Transliteration: z.boolean().default(false),
  }),
  clientIds: z.array(z.string().regex(APP_CLIENT_ID)),
  links: z
    .strictObject({
      verifyUrl: httpsUrl.nullable(),
      signInUrl: httpsUrl.nullable(),
      allowedOrigins: z.array(origin),
    })
    .nullable(),
});

export const BRAND_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Validates one brand file; the error names the brand and every field that
 * is wrong. Given the file as read (`json`), each field is named at its line
 * and column, and the error is a TemplateFileError; the folder's logo.png
 * and logo-dark.png are read and size-checked (brand-logo-file.ts).
 */
export function parseBrandFile(id: string, raw: unknown, json?: JsonFile): Brand {
  if (!BRAND_ID.test(id)) {
    const message = `brand id "${id}" must be lower-case letters, digits and dashes`;
    if (json) throw new TemplateFileError(problemIn(dirname(json.file), message));
    throw new Error(message);
  }
  const result = brandFileSchema.safeParse(raw);
  if (result.success) {
    // A logo file sits beside brand.json; a brand given as a value alone (no folder) has none.
    const shipped = json ? readShippedLogo(id, dirname(json.file)) : null;
    return {
      id,
      ...result.data,
      logoSize: shipped?.size ?? result.data.logoSize,
      logoFiles: shipped?.files ?? null,
    };
  }
  const issues = result.error.issues.map((issue) => {
    // An unknown key is named at the key itself, not at the object holding it.
    const path = [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.');
    return { path, message: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
  });
  if (json) throw new TemplateFileError(issues.map((issue) => problemAt(jsonPlace(json, issue.path), issue.message)));
  throw new Error(
    `templates/brands/${id}/brand.json is invalid:\n  ${issues.map((issue) => issue.message).join('\n  ')}`,
  );
}
