/**
 * fast-check arbitraries for Cognito trigger events: the shape Cognito sends
 * (docs/cognito.md), filled with what a hostile or unlucky caller can put
 * in it, then optionally broken (missing and null fields, wrong types,
 * foreign sources, garbage codes). Every event goes through JSON.stringify
 * and JSON.parse, as Lambda delivers it, so `__proto__` keys arrive as own
 * keys and nothing un-JSON-like (undefined, NaN, functions) reaches a handler.
 */
import fc from 'fast-check';
import { CLIENT_ID, CUSTOM_MESSAGE_SOURCES, EMAIL_SENDER_SOURCES, SMS_SENDER_SOURCES } from '../../support/events.js';
import { EVENT_POOLS, type PoolEntry } from './ciphertext-pool.js';

/** The tracer: user strings carry it so a test can see where they land. */
export const MARKER = 'x-fuzz';

/**
 * Raw substrings that must never appear in an HTML body: each means a user
 * string broke out of escaping (an element, an attribute, a backtick) or
 * brought a brace placeholder along.
 */
export const RAW_IN_HTML = ['<x-fuzz', '"x-fuzz', "'x-fuzz", '`x-fuzz', 'x-fuzz=', 'x-fuzz{'];

/** What a caller types to break HTML, Handlebars, Cognito placeholders or String.replace. */
export const INJECTIONS = [
  '<x-fuzz>',
  '</p><x-fuzz onmouseover=alert(1)>',
  '"x-fuzz="1',
  "'x-fuzz='1",
  '`x-fuzz`',
  '<script>x-fuzz()</script>',
  'x-fuzz{####}',
  'x-fuzz{##Click##}',
  'x-fuzz{username}',
  'x-fuzz{code}',
  'x-fuzz{{code}}',
  'x-fuzz{{{code}}}',
  'x-fuzz{{> layout}}',
  'x-fuzz{{#each this}}{{@key}}{{/each}}',
  'x-fuzz{{constructor.constructor "return process"}}',
  '&lt;x-fuzz&gt;',
  '&#60;x-fuzz&#62;',
  "x-fuzz$&$1$`$'",
  'javascript:alert("x-fuzz")',
  'https://evil.example/x-fuzz',
  'data:text/html,<x-fuzz>',
] as const;

const PATHS = [
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  'en/../../../templates/base',
  '%2e%2e%2fen',
  '/etc/passwd',
  'en\u0000.json',
  'northwind/../default',
  '.',
  '..',
] as const;

/** Characters that break naive text handling: bidi controls, combining marks, emoji, controls, invisibles, odd code points. */
const NASTY = [
  '\u200f',
  '\u200e',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u061c',
  '\u0301',
  '\u0336',
  '\u0489',
  '\u20dd',
  '😀',
  '👩‍👩‍👧‍👦',
  '🇵🇹',
  '👍🏽',
  '🏴󠁧󠁢󠁥󠁮󠁧󠁿',
  '\u0000',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\f',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u180e',
  '\u00a0',
  '\u2007',
  '\u202f',
  '\u3000',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udfff',
  '\ue000',
  '\uf8ff',
  '\u{f0000}',
  '\u0378',
  '\ufffe',
  '\uffff',
  '\u{10ffff}',
  'ا',
  'ש',
  'ܐ',
  '日本',
  'Ω',
  'ß',
  'İ',
  'ﬁ',
  '{',
  '}',
  '#',
  '<',
  '>',
  '&',
  '"',
  "'",
  '`',
  '=',
  '/',
  '\\',
  '%',
  '$&',
  '{{',
  '}}',
  '{####}',
  '{##',
  '##}',
] as const;

const textPiece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...NASTY), maxLength: 12 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  { weight: 3, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 2, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 1, arbitrary: fc.constantFrom(...PATHS) },
);

/** Untrusted display text: Unicode-heavy, markup, placeholders, occasionally at or far past the attribute limit. */
export const untrustedText: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.array(textPiece, { maxLength: 6 }).map((parts) => parts.join('')) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(textPiece, fc.constantFrom(61, 2047, 2048, 2049, 20_000, 100_000))
      .map(([seed, length]) =>
        (seed || 'x-fuzz\u0301').repeat(Math.ceil(length / (seed.length || 7))).slice(0, length),
      ),
  },
);

/** A username Cognito accepts: 1–128 of [\p{L}\p{M}\p{S}\p{N}\p{P}] (Cognito API model). */
const USERNAME_CHARS = [...'abcxyzABC019._-@+!#$%&\'*/=?^`{|}~<>"()[]ßéİΩжשا日本😀\u0301\u0336'];
export const cognitoUsername: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('alice', 'bob.smith', 'ünïcødé', '用户', 'o\u0301scar', 'a<b>&"c\'', 'x{{y}}z', '$&$1'),
  fc.string({ unit: fc.constantFrom(...USERNAME_CHARS), minLength: 1, maxLength: 128 }),
  fc.string({ unit: fc.constantFrom(...USERNAME_CHARS), minLength: 60, maxLength: 128, size: 'max' }),
  fc.uuid(),
);

/** An address the senders must accept (RFC 5322 atext local part, LDH domain). */
export const validEmail: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.stringMatching(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,12}$/), { minLength: 1, maxLength: 3 }),
    fc.constantFrom('mail-fuzz.example', 'sub.mail-fuzz.example', 'xn--bcher-kva.example', 'a-1.mail-fuzz.example'),
  )
  .map(([parts, domain]) => `${parts.join('.')}@${domain}`);

/** An E.164 number the SMS sender must accept. */
export const validPhone: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{6,14}$/))
  .map(([first, rest]) => `+${first}${rest}`);

const badEmails = [
  'alice@example.com, mallory@evil.example',
  'alice@example.com\r\nBcc: mallory@evil.example',
  '<x-fuzz>@example.com',
  'alice@localhost',
  'alice',
  '@example.com',
  'alice@@example.com',
  'ålice@example.com',
  'alice@exam_ple.com',
  'a..b@example.com',
  '',
  ' alice@example.com',
  `${'a'.repeat(250)}@example.com`,
];
const badPhones = [
  '+0123456789',
  '14155550123',
  '+1 415 555 0123',
  '+١٤١٥٥٥٥٠١٢٣',
  '+1',
  `+${'1'.repeat(16)}`,
  '',
  'x-fuzz',
];

const LOCALE_VALUES = [
  'en',
  'es',
  'fr',
  'de',
  'pt-BR',
  'ja',
  'ar',
  'pt',
  'pt_br',
  'PT-br',
  'fr-CA',
  'ja-JP',
  'ar-EG',
  'zh',
  'xx',
  'en-US-u-ca-buddhist',
  'i-klingon',
  'x-private',
  'de-DE-1996',
  ' en ',
  'en\u0000',
  `${'a'.repeat(8)}-${'b'.repeat(8)}-${'c'.repeat(8)}-${'d'.repeat(8)}`,
] as const;
const BRAND_VALUES = [
  'default',
  'northwind',
  'NorthWind',
  ' northwind ',
  'unknown',
  '__proto__',
  'constructor',
] as const;
const ORIGIN_VALUES = [
  'https://app.northwind.example',
  'https://staging.northwind.example',
  'https://evil.example',
  'https://app.northwind.example.evil.example',
  'https://app.northwind.example@evil.example',
  'http://app.northwind.example',
  'javascript:alert(1)',
  '//evil.example',
] as const;

/** A hostile metadata or attribute key: prototype names, near-misses of the real keys, anything. */
const hostileKey = fc.oneof(
  fc.constantFrom(
    'locale',
    'brand',
    'linkOrigin',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '__defineGetter__',
    'Locale',
    'BRAND',
    'locale ',
  ),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(...INJECTIONS),
);

/** Any JSON value a buggy or hostile caller could send where a string belongs. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant([]),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.constant({}),
  fc.constant('{"__proto__":{"polluted":"x-fuzz"},"locale":"ja"}').map((text) => JSON.parse(text) as unknown),
  untrustedText,
);

const metadataValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<string>(...LOCALE_VALUES, ...BRAND_VALUES, ...ORIGIN_VALUES) },
  { weight: 3, arbitrary: untrustedText },
  { weight: 1, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 1, arbitrary: junkValue },
);

/**
 * An object whose keys are own data properties even when they are
 * `__proto__`: built with JSON.parse, as Lambda builds the event.
 */
export function jsonObject(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const body = entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',');
  return JSON.parse(`{${body}}`) as Record<string, unknown>;
}

/** clientMetadata: absent, null, or a map of hostile keys to hostile values (the real keys included often). */
export const clientMetadata: fc.Arbitrary<Record<string, unknown> | null | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc
    .record(
      {
        locale: fc.constantFrom<unknown>(...LOCALE_VALUES),
        brand: fc.constantFrom<unknown>(...BRAND_VALUES),
        linkOrigin: fc.constantFrom<unknown>(...ORIGIN_VALUES),
        extra: fc.array(fc.tuple(hostileKey, metadataValue), { maxLength: 5 }),
      },
      { requiredKeys: ['extra'] },
    )
    .map(({ extra, ...known }) => jsonObject([...extra, ...Object.entries(known)])),
);

// Dots a host can hide behind, and letters a host can be spelled with.
const LOOK_ALIKE_DOTS = ['.', '\u2024', '\u3002', '\uff0e', '\uff61', '\ufe52', ' . ', '.\u200b'] as const;
const HOST_WORDS = ['evil', 'examp1e', 'paypaI', 'аpple', 'ｅｖｉｌ', 'x-fuzz', 'login', 'secure-acme'] as const;
const TLDS = ['example', 'com', 'co', 'io', 'ｃｏｍ', 'рф'] as const;
const BAIT = ['ACCOUNT LOCKED!', 'Restore now:', 'Verify at', 'Call', 'Your account is suspended, visit', ''] as const;

const lookAlikeHost = fc
  .tuple(fc.constantFrom(...HOST_WORDS), fc.constantFrom(...LOOK_ALIKE_DOTS), fc.constantFrom(...TLDS))
  .map(([word, dot, tld]) => `${word}${dot}${tld}`);

/**
 * A display name that carries an attack instead of a name: a URL, a bare or
 * look-alike host (full-width letters, Cyrillic, dots that are not dots), an
 * address, a phone number, inside a bait sentence or alone.
 */
export const phishingName: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...BAIT),
    fc.oneof(
      lookAlikeHost,
      lookAlikeHost.map((host) => `https://${host}/r`),
      lookAlikeHost.map((host) => `www.${host}`),
      lookAlikeHost.map((host) => `support@${host}`),
      lookAlikeHost.map((host) => `hxxps：//${host}`),
      fc.integer({ min: 1_000_000, max: 9_999_999_999 }).map((n) => `+1 ${n}`),
    ),
  )
  .map(([bait, payload]) => `${bait} ${payload}`.trim());

/** The optional attributes every user may carry, fuzzed; the recipient attributes are added by the case. */
const displayAttributes = fc.record(
  {
    given_name: fc.oneof({ weight: 3, arbitrary: untrustedText }, { weight: 1, arbitrary: phishingName }),
    name: fc.oneof({ weight: 3, arbitrary: untrustedText }, { weight: 1, arbitrary: phishingName }),
    family_name: untrustedText,
    locale: fc.oneof(fc.constantFrom<string>(...LOCALE_VALUES), untrustedText),
    extra: fc.array(fc.tuple(hostileKey, fc.oneof(untrustedText, junkValue)), { maxLength: 4 }),
  },
  { requiredKeys: ['extra'] },
);

const loginTime = fc.oneof(
  fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.integer({ min: 1_000_000_000, max: 9_999_999_999 }).map(String),
  fc.integer({ min: 1_000_000_000_000, max: 9_999_999_999_999 }).map(String),
);

/**
 * Account take-over attributes as Cognito sends them. Cognito makes the ids,
 * links and times itself; the place names come from its geolocation; the
 * device name comes from the sign-in's user agent, which the attacker
 * chooses, so it gets the hostile text. Any field can still be replaced by a
 * (non-benign) mutation.
 */
const takeOverAttributes = fc.record(
  {
    EVENT_ID: fc.uuid(),
    USER_NAME: cognitoUsername,
    IP_ADDRESS: fc.oneof(fc.ipV4(), fc.ipV6()),
    ACCOUNT_TAKE_OVER_ACTION: fc.constantFrom('BLOCK', 'MFA_IF_CONFIGURED', 'MFA_REQUIRED', 'NO_ACTION'),
    ONE_CLICK_LINK_VALID: fc.webUrl({ validSchemes: ['https'], withQueryParameters: true }),
    ONE_CLICK_LINK_INVALID: fc.webUrl({ validSchemes: ['https'], withQueryParameters: true }),
    LOGIN_TIME: loginTime,
    FEEDBACK_TOKEN: fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
    CITY: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
    COUNTRY: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
    DEVICE_NAME: untrustedText,
  },
  { requiredKeys: ['EVENT_ID', 'IP_ADDRESS', 'ACCOUNT_TAKE_OVER_ACTION', 'LOGIN_TIME'] },
);

const TAKE_OVER_KEYS = [
  'EVENT_ID',
  'USER_NAME',
  'IP_ADDRESS',
  'ACCOUNT_TAKE_OVER_ACTION',
  'ONE_CLICK_LINK_VALID',
  'ONE_CLICK_LINK_INVALID',
  'LOGIN_TIME',
  'FEEDBACK_TOKEN',
  'CITY',
  'COUNTRY',
] as const;

/** A change that turns a well-formed event into a strange one; `benign` ones must not stop delivery. */
export interface Mutation {
  name: string;
  benign: boolean;
  apply(event: MutableEvent): void;
}

export type MutableEvent = Record<string, unknown>;

/** The object at `owner[key]`, or null once a mutation has replaced it with something else. */
function recordAt(owner: Record<string, unknown> | null, key: string): Record<string, unknown> | null {
  const value = owner?.[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * Sets (a copy of) `value` or, for undefined, deletes `key` of `target`, if
 * the target is still an object. The copy matters: fast-check hands out the
 * same constant objects again, and an event must never alias one.
 */
function assign(target: Record<string, unknown> | null, key: string, value: unknown): void {
  if (!target) return;
  if (value === undefined) delete target[key];
  else Object.defineProperty(target, key, { value: copy(value), enumerable: true, configurable: true, writable: true });
}

function copy(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
}

const mutation = (name: string, benign: boolean, apply: (event: MutableEvent) => void): Mutation => ({
  name,
  benign,
  apply,
});

const setTop = (key: string, values: fc.Arbitrary<unknown>, benign: boolean) =>
  values.map((value) => mutation(`${key} = ${brief(value)}`, benign, (event) => assign(event, key, value)));

const setRequest = (key: string, values: fc.Arbitrary<unknown>, benign: boolean) =>
  values.map((value) =>
    mutation(`request.${key} = ${brief(value)}`, benign, (event) => assign(recordAt(event, 'request'), key, value)),
  );

const absentOrJunk = fc.oneof(fc.constant<unknown>(undefined), junkValue);

/** Breaks the envelope every trigger shares. */
const envelopeMutation = (foreignSources: readonly string[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    setTop(
      'triggerSource',
      fc.oneof(
        fc.constantFrom(...foreignSources),
        fc.constantFrom(
          'CustomMessage_Unknown',
          'CustomEmailSender_signup',
          'CustomSMSSender_SignUp ',
          'PreSignUp_SignUp',
          'CustomEmailSender_',
          'CustomEmailSender___proto__',
          'CustomSMSSender_constructor',
        ),
        absentOrJunk,
      ),
      false,
    ),
    setTop('userPoolId', fc.oneof(fc.constantFrom<unknown>(...EVENT_POOLS, '', 'x'.repeat(56)), absentOrJunk), false),
    setTop('userName', fc.oneof(fc.constantFrom<unknown>('', 'x'.repeat(513)), absentOrJunk), false),
    setTop('request', absentOrJunk, false),
    setTop('callerContext', fc.oneof(absentOrJunk, fc.record({ clientId: junkValue })), true),
    setTop('response', fc.oneof(absentOrJunk, untrustedText), true),
    setTop('version', absentOrJunk, true),
    fc
      .tuple(hostileKey, junkValue)
      .filter(([key]) => !['triggerSource', 'userPoolId', 'userName', 'request', 'callerContext'].includes(key))
      .map(([key, value]) =>
        mutation(`extra top-level ${JSON.stringify(key)}`, true, (event) => assign(event, key, value)),
      ),
    setRequest('clientMetadata', junkValue, true),
    setRequest('userAttributes', fc.constantFrom<unknown>(null, [], 'x-fuzz', 42), false),
  );

/** Breaks the recipient attribute the sender reads. */
const recipientMutation = (attribute: 'email' | 'phone_number'): fc.Arbitrary<Mutation> =>
  fc
    .oneof(
      fc.constant<unknown>(undefined),
      fc.constantFrom<unknown>(...(attribute === 'email' ? badEmails : badPhones)),
      junkValue,
      fc.constant<unknown>('x'.repeat(2049)),
    )
    .map((value) =>
      mutation(`userAttributes.${attribute} = ${brief(value)}`, false, (event) =>
        assign(recordAt(recordAt(event, 'request'), 'userAttributes'), attribute, value),
      ),
    );

/** Pads userAttributes past the 100 the parser reads, so the recipient may be cut off. */
const crowdedAttributes = fc.integer({ min: 95, max: 160 }).map((count) =>
  mutation(`${count} extra attributes first`, false, (event) => {
    const request = recordAt(event, 'request');
    const attributes = recordAt(request, 'userAttributes');
    if (!request || !attributes) return;
    const crowd = Array.from({ length: count }, (_, i) => [`custom:a${i}`, 'v'] as const);
    request.userAttributes = jsonObject([...crowd, ...Object.entries(attributes)]);
  }),
);

/** Replaces one Cognito-made take-over attribute with something Cognito would not send. */
const takeOverMutation = fc
  .tuple(
    fc.constantFrom(...TAKE_OVER_KEYS),
    fc.oneof(
      untrustedText,
      fc.constantFrom<unknown>('javascript:alert(1)', 'http://evil.example', '__proto__', 'block', 'x'.repeat(3000)),
      junkValue,
    ),
  )
  .map(([key, value]) =>
    mutation(`userAttributes.${key} = ${brief(value)}`, false, (event) =>
      assign(recordAt(recordAt(event, 'request'), 'userAttributes'), key, value),
    ),
  );

/** A base64 code that is not a valid Cognito ciphertext for the event: garbage, foreign, tampered or cut. */
export function foreignCode(pool: readonly PoolEntry[]): fc.Arbitrary<{ code: unknown; label: string }> {
  const valid = pool.filter((entry) => entry.valid);
  const invalid = pool.filter((entry) => !entry.valid);
  const bytesOf = (entry: PoolEntry) => Buffer.from(entry.ciphertext, 'base64');
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(...invalid).map((entry) => ({ code: entry.ciphertext, label: entry.what })),
    },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(...valid)
        .map((entry) => ({ code: entry.ciphertext, label: `valid for ${entry.poolId}` })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([entry, bit]) => {
        const bytes = bytesOf(entry);
        const at = bit % (bytes.length * 8);
        bytes[at >> 3] = (bytes[at >> 3] ?? 0) ^ (1 << (at & 7));
        return { code: bytes.toString('base64'), label: `bit ${at} flipped` };
      }),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([entry, cut]) => {
        const bytes = bytesOf(entry);
        return {
          code: bytes.subarray(0, cut % bytes.length).toString('base64'),
          label: `cut to ${cut % bytes.length} bytes`,
        };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...valid), fc.uint8Array({ minLength: 1, maxLength: 64 }))
        .map(([entry, tail]) => ({
          code: Buffer.concat([bytesOf(entry), tail]).toString('base64'),
          label: `${tail.length} bytes appended`,
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...valid)
        .chain((entry) =>
          fc.constantFrom(
            { code: entry.ciphertext.replace(/=+$/, ''), label: 'padding removed' },
            { code: ` ${entry.ciphertext}\n`, label: 'whitespace around' },
            { code: entry.ciphertext.replaceAll('+', '-').replaceAll('/', '_'), label: 'base64url alphabet' },
            { code: `${entry.ciphertext.slice(0, 40)}\n${entry.ciphertext.slice(40)}`, label: 'line break inside' },
          ),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom([0x01, 0x80, 0x03, 0x78], [0x02, 0x05, 0x78], [0x01, 0x80, 0x00, 0x14], []),
          fc.uint8Array({ maxLength: 300 }),
        )
        .map(([prefix, rest]) => ({
          code: Buffer.from([...prefix, ...rest]).toString('base64'),
          label: 'random bytes',
        })),
    },
    { weight: 1, arbitrary: fc.base64String({ maxLength: 120 }).map((code) => ({ code, label: 'random base64' })) },
    { weight: 1, arbitrary: untrustedText.map((code) => ({ code, label: 'text' })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<unknown>('', null, 'A'.repeat(16_388), 123456, [], {}, true)
        .map((code) => ({ code, label: `literal ${brief(code)}` })),
    },
  );
}

export interface SenderCase {
  event: unknown;
  /** Well formed (only benign mutations): the sender must deliver exactly one message. */
  mustDeliver: boolean;
  mutations: string[];
}

/** Sender events for `family`, about half well formed (a valid code for the event's pool) and half broken. */
export function senderCase(family: 'email' | 'sms', pool: readonly PoolEntry[]): fc.Arbitrary<SenderCase> {
  const sources: readonly string[] = family === 'email' ? EMAIL_SENDER_SOURCES : SMS_SENDER_SOURCES;
  const foreignSources = [
    ...(family === 'email' ? SMS_SENDER_SOURCES : EMAIL_SENDER_SOURCES),
    ...CUSTOM_MESSAGE_SOURCES,
  ];
  const valid = pool.filter((entry) => entry.valid);
  const codeMutation = foreignCode(pool).map(({ code, label }) =>
    mutation(`request.code = ${label}`, false, (event) => assign(recordAt(event, 'request'), 'code', code)),
  );
  const typeMutation = fc
    .oneof(
      fc.constant<unknown>(family === 'email' ? 'customSMSSenderRequestV1' : 'customEmailSenderRequestV1'),
      fc.constant<unknown>(undefined),
      junkValue,
    )
    .map((value) =>
      mutation(`request.type = ${brief(value)}`, value === undefined, (event) =>
        assign(recordAt(event, 'request'), 'type', value),
      ),
    );
  const anyMutation = fc.oneof(
    { weight: 4, arbitrary: codeMutation },
    { weight: 4, arbitrary: envelopeMutation(foreignSources) },
    { weight: 2, arbitrary: recipientMutation(family === 'email' ? 'email' : 'phone_number') },
    { weight: 1, arbitrary: typeMutation },
    { weight: 1, arbitrary: crowdedAttributes },
    { weight: family === 'email' ? 2 : 0, arbitrary: takeOverMutation },
  );
  return fc
    .record({
      source: fc.constantFrom(...sources),
      entry: fc.constantFrom(...valid),
      userName: cognitoUsername,
      userNameIsSub: fc.boolean(),
      sub: fc.uuid(),
      email: validEmail,
      phone: validPhone,
      display: displayAttributes,
      takeOver: takeOverAttributes,
      clientMetadata,
      clientId: fc.constantFrom(CLIENT_ID, 'northwind-app-client', 'x-fuzz'),
      mutations: fc.oneof(fc.constant<Mutation[]>([]), fc.array(anyMutation, { minLength: 1, maxLength: 3 })),
    })
    .map((c) => {
      const takeOver = c.source.endsWith('_AccountTakeOverNotification');
      const { extra, ...display } = c.display;
      const attributes = takeOver
        ? jsonObject([...Object.entries(c.takeOver), ['email', c.email]])
        : jsonObject([
            ...extra,
            ['sub', c.sub],
            ...Object.entries(display),
            family === 'email' ? ['email', c.email] : ['phone_number', c.phone],
            ['email_verified', 'true'],
          ]);
      const event: MutableEvent = {
        version: '1',
        triggerSource: c.source,
        region: 'us-east-1',
        userPoolId: c.entry.poolId,
        userName: c.userNameIsSub ? c.sub : c.userName,
        callerContext: { awsSdkVersion: 'aws-sdk-js-3.600.0', clientId: c.clientId },
        request: {
          type: family === 'email' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1',
          code: takeOver ? null : c.entry.ciphertext,
          clientMetadata: takeOver ? null : c.clientMetadata,
          userAttributes: attributes,
        },
        response: {},
      };
      if (c.clientMetadata === undefined) assign(recordAt(event, 'request'), 'clientMetadata', undefined);
      for (const m of c.mutations) m.apply(event);
      return {
        event: JSON.parse(JSON.stringify(event)) as unknown,
        mustDeliver: c.mutations.every((m) => m.benign),
        mutations: c.mutations.map((m) => m.name),
      };
    });
}

export interface CustomMessageCase {
  event: unknown;
  /** A known source with Cognito's own placeholders and only benign mutations: both channels must render. */
  canonical: boolean;
  mutations: string[];
}

/**
 * What Cognito might put in codeParameter / usernameParameter / linkParameter
 * if it ever changed them. Cognito, not the user, writes these, so they never
 * carry the user tracer (which would make the tracer checks meaningless).
 */
const placeholderValue = fc
  .oneof(
    fc.constant<unknown>(undefined),
    fc.constantFrom<unknown>(null, '', '{####}', '{###}', '{##Click Here##}', '{username}', '{##', '##}', '{{code}}'),
    fc.constantFrom(...INJECTIONS),
    untrustedText,
    junkValue,
  )
  .map((value) => (typeof value === 'string' ? value.replaceAll(MARKER, 'cognito') : value));

/** CustomMessage events: every source, Cognito's placeholders, fuzzed users and metadata; often broken. */
export const customMessageCase: fc.Arbitrary<CustomMessageCase> = fc
  .record({
    source: fc.constantFrom(...CUSTOM_MESSAGE_SOURCES),
    withLink: fc.boolean(),
    // Any non-empty name up to the parser's 512: message mode never renders it (an invalid one is a mutation).
    userName: fc.oneof(
      cognitoUsername,
      untrustedText.map((text) => text.slice(0, 512) || 'x-fuzz'),
    ),
    sub: fc.uuid(),
    email: validEmail,
    phone: validPhone,
    display: displayAttributes,
    clientMetadata,
    clientId: fc.constantFrom(CLIENT_ID, 'northwind-app-client', 'x-fuzz'),
    mutations: fc.oneof(
      fc.constant<Mutation[]>([]),
      fc.array(
        fc.oneof(
          { weight: 3, arbitrary: envelopeMutation([...EMAIL_SENDER_SOURCES, ...SMS_SENDER_SOURCES]) },
          { weight: 2, arbitrary: setRequest('codeParameter', placeholderValue, false) },
          { weight: 1, arbitrary: setRequest('usernameParameter', placeholderValue, false) },
          { weight: 2, arbitrary: setRequest('linkParameter', placeholderValue, false) },
          { weight: 1, arbitrary: crowdedAttributes },
        ),
        { minLength: 1, maxLength: 3 },
      ),
    ),
  })
  .map((c) => {
    const { extra, ...display } = c.display;
    const event: MutableEvent = {
      version: '1',
      triggerSource: c.source,
      region: 'us-east-1',
      userPoolId: EVENT_POOLS[0],
      userName: c.userName,
      callerContext: { awsSdkVersion: 'aws-sdk-js-3.600.0', clientId: c.clientId },
      request: {
        userAttributes: jsonObject([
          ...extra,
          ['sub', c.sub],
          ...Object.entries(display),
          ['email', c.email],
          ['phone_number', c.phone],
        ]),
        codeParameter: '{####}',
        usernameParameter: c.source === 'CustomMessage_AdminCreateUser' ? '{username}' : null,
        linkParameter: c.withLink ? '{##Click Here##}' : null,
        clientMetadata: c.clientMetadata,
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    };
    if (c.clientMetadata === undefined) assign(recordAt(event, 'request'), 'clientMetadata', undefined);
    for (const m of c.mutations) m.apply(event);
    return {
      event: JSON.parse(JSON.stringify(event)) as unknown,
      canonical: c.mutations.every((m) => m.benign),
      mutations: c.mutations.map((m) => m.name),
    };
  });

/** A short, printable description of a fuzzed value for mutation names. */
function brief(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…(${text.length})` : text;
}
