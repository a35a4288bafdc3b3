/**
 * Fuzzing the CustomMessage handler as Lambda loads it (handlers/custom-message.ts,
 * configuration from the environment, logs on stdout, captured here). Every
 * response must pass the pack's validator and Cognito's own API-model
 * patterns, or leave the channel null; nothing but an InvalidEventError for
 * a malformed event may escape; user text never lands raw in the HTML.
 */
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../../handlers/custom-message.js';
import { checkEmail, checkSms, type RequiredToken } from '../../src/runtime/check/cognito-rules.js';
import { InvalidEventError } from '../../src/runtime/errors.js';
import { type CustomMessageCase, customMessageCase, RAW_IN_HTML } from './support/arbitraries.js';
import { figureBook, Tally } from './support/figures.js';
import {
  cognitoModelEmailViolations,
  cognitoModelSmsViolations,
  escapeHtml,
  field,
  prototypePollution,
  rawMarkers,
} from './support/oracles.js';
import { eventLoopBreather, FUZZ_RUNS, fuzzParameters } from './support/sender-fuzz.js';

const book = figureBook('fuzz-custom-message');
afterAll(() => book.write());

const FIELDS = ['emailSubject', 'emailMessage', 'smsMessage'] as const;
/** Sources whose message may verify by link (the senders' LINK_KINDS); no other email may carry `{##…##}`. */
const LINK_SOURCES: ReadonlySet<string> = new Set([
  'CustomMessage_SignUp',
  'CustomMessage_ResendCode',
  'CustomMessage_UpdateUserAttribute',
  'CustomMessage_VerifyUserAttribute',
]);

/** Calls the handler with its stdout captured; returns the response or the error, and the log lines. */
async function invoke(
  event: unknown,
): Promise<{ result?: CustomMessageTriggerEvent; error?: unknown; lines: string[] }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    return { result: await handler(event as CustomMessageTriggerEvent), lines };
  } catch (error) {
    return { error, lines };
  } finally {
    spy.mockRestore();
  }
}

/** Every property one case breaks. */
async function violations(c: CustomMessageCase, outcomes: Tally): Promise<string[]> {
  const before = JSON.stringify(c.event);
  const first = await invoke(c.event);
  const problems: string[] = [];
  if (first.error !== undefined) {
    outcomes.add(first.error instanceof Error ? first.error.name : 'non-error');
    if (!(first.error instanceof InvalidEventError)) {
      problems.push(
        `escaped: ${first.error instanceof Error ? `${first.error.name}: ${first.error.message}` : String(first.error)}`,
      );
    }
    if (c.canonical) problems.push('a well-formed event was refused');
  }
  const response = first.result?.response as Record<string, unknown> | undefined;
  if (first.result !== undefined) {
    const subject = response?.emailSubject;
    const email = response?.emailMessage;
    const sms = response?.smsMessage;
    outcomes.add(
      email === null && sms === null
        ? 'all null (Cognito default)'
        : email === null || sms === null
          ? 'one channel null'
          : 'both channels rendered',
    );
    for (const name of FIELDS) {
      const value = response?.[name];
      if (value !== null && typeof value !== 'string') problems.push(`${name} is ${typeof value}`);
    }
    if ((subject === null) !== (email === null))
      problems.push('emailSubject and emailMessage are not both set or both null');

    const source = field(c.event, 'triggerSource');
    const codeParameter = field(c.event, 'request', 'codeParameter');
    const usernameParameter = field(c.event, 'request', 'usernameParameter');
    const linkParameter = field(c.event, 'request', 'linkParameter');
    const required: RequiredToken[] = [];
    if (typeof codeParameter === 'string') required.push({ label: 'code placeholder', value: codeParameter });
    if (
      source === 'CustomMessage_AdminCreateUser' &&
      typeof usernameParameter === 'string' &&
      usernameParameter !== ''
    ) {
      required.push({ label: 'username', value: usernameParameter });
    }
    const withLink = LINK_SOURCES.has(String(source)) && typeof linkParameter === 'string' && linkParameter !== '';
    const cognitoPlaceholders = codeParameter === '{####}';

    if (typeof subject === 'string' && typeof email === 'string') {
      // The HTML carries each placeholder as HTML-escaped text (identity for Cognito's own `{####}`).
      const inHtml = required.map((token) => ({ ...token, value: escapeHtml(token.value) }));
      problems.push(...checkEmail(subject, email, inHtml, { cognitoLink: withLink }).map((v) => `validator: ${v}`));
      if (cognitoPlaceholders) {
        problems.push(...cognitoModelEmailViolations(subject, email, withLink).map((v) => `model: ${v}`));
      }
      // Cognito's own placeholders are not user text: take them out before looking for the tracer.
      const placeholders = [codeParameter, usernameParameter, linkParameter].filter(
        (p): p is string => typeof p === 'string' && p !== '',
      );
      const userPart = placeholders.reduce((text, p) => text.split(escapeHtml(p)).join(' ').split(p).join(' '), email);
      if (!LINK_SOURCES.has(String(source)) && /\{##[^{}#]/.test(userPart)) {
        problems.push(`a ${String(source)} email carries a verification-link placeholder`);
      }
      const raw = rawMarkers(userPart, RAW_IN_HTML);
      if (raw.length > 0) problems.push(`emailMessage carries user text unescaped: ${JSON.stringify(raw)}`);
      if (subject.includes('x-fuzz{')) problems.push('emailSubject carries a user-supplied placeholder');
    }
    if (typeof sms === 'string') {
      problems.push(...checkSms(sms, required).map((v) => `validator: ${v}`));
      if (cognitoPlaceholders) problems.push(...cognitoModelSmsViolations(sms).map((v) => `model: ${v}`));
      const userPart = [codeParameter, usernameParameter].reduce<string>(
        (text, p) => (typeof p === 'string' && p !== '' ? text.split(p).join(' ') : text),
        sms,
      );
      if (userPart.includes('x-fuzz{')) problems.push('smsMessage carries a user-supplied placeholder');
    }
    if (c.canonical && (email === null || sms === null)) {
      problems.push(
        `a well-formed event got ${email === null ? 'no email' : 'no SMS'}: Cognito falls back to its default`,
      );
    }
    const again = await invoke(c.event);
    if (JSON.stringify(again.result?.response) !== JSON.stringify(response)) {
      problems.push('the same event rendered differently the second time (warm cache)');
    }
  }
  const email = field(c.event, 'request', 'userAttributes', 'email');
  for (const line of first.lines) {
    try {
      JSON.parse(line);
    } catch {
      problems.push(`a log line is not JSON: ${line.slice(0, 80)}`);
    }
    if (typeof email === 'string' && email.length >= 8 && line.includes(email))
      problems.push('a log line carries the unmasked email');
  }
  if (JSON.stringify(c.event) !== before) problems.push('the handler changed the event it was given');
  const polluted = prototypePollution();
  if (polluted.length > 0) problems.push(`Object.prototype polluted: ${polluted.join(', ')}`);
  return problems;
}

describe('CustomMessage under fuzzing', () => {
  it(`holds every property over ${FUZZ_RUNS.toLocaleString('en-US')} generated events`, async () => {
    const outcomes = new Tally();
    let canonical = 0;
    // Tallies stop at the first failure: what follows is fast-check shrinking it.
    let shrinking = false;
    const started = performance.now();
    const breathe = eventLoopBreather();
    const details = await fc.check(
      fc.asyncProperty(customMessageCase, async (c) => {
        await breathe();
        if (c.canonical && !shrinking) canonical += 1;
        const problems = await violations(c, shrinking ? new Tally() : outcomes);
        if (problems.length > 0) {
          shrinking = true;
          throw new Error(problems.join('\n'));
        }
      }),
      fuzzParameters(FUZZ_RUNS),
    );
    book.add({
      group: 'fuzz',
      label: 'CustomMessage handler',
      cases: details.numRuns,
      held: details.failed ? details.numRuns - 1 : details.numRuns,
      notes: [
        'the handler module as Lambda loads it; each event invoked twice (cold render, then warm cache)',
        `${canonical.toLocaleString('en-US')} well-formed (both channels must render); outcomes: ${outcomes}`,
        `${((performance.now() - started) / 1000).toFixed(1)} s, seed ${details.seed}`,
      ],
    });
    if (details.failed) expect.fail((await fc.asyncDefaultReportMessage(details)) ?? 'property failed');
  });
});
