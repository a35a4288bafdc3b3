/**
 * The property every fuzzed sender invocation must satisfy, and the loop
 * that runs it. Shared by the email and SMS fuzz files.
 *
 * Wiring: the real handler from createEmailSenderHandler /
 * createSmsSenderHandler, the real SES/SNS adapters and KMS clients with
 * aws-sdk-client-mock answering (KMS through FakeKms, real authenticated
 * wrapping). Decryption is the real Encryption SDK decrypter; in the main
 * run it sits behind a memo, so each distinct (ciphertext, pool) pair is
 * decrypted by the SDK once and repeats replay its outcome (the ECDSA
 * verify costs ~5 ms here); the sample run has no memo at all.
 */
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { PublishCommand } from '@aws-sdk/client-sns';
import fc from 'fast-check';
import { TriggerPackError } from '../../../src/runtime/errors.js';
import type { CodeDecrypter } from '../../../src/runtime/sender-mode/decrypt-code.js';
import { sesMock, snsMock } from '../../support/sender-harness.js';
import { RAW_IN_HTML, type SenderCase } from './arbitraries.js';
import { expectedCode, type PoolEntry, secretsOf } from './ciphertext-pool.js';
import { type Figure, Tally } from './figures.js';
import { escapeHtml, field, leakedSecret, leftoverPlaceholder, prototypePollution, rawMarkers } from './oracles.js';

export type Family = 'email' | 'sms';
export type Handler = (event: unknown, context?: { awsRequestId?: string }) => Promise<void>;

/** Default 20,000 cases per handler; FUZZ_RUNS sets another count (the summary refuses fewer than 20,000). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS) || 20_000;
/** Cases run through the handler with no memo in front of the decrypter. */
export const SAMPLE_RUNS = Number(process.env.FUZZ_SAMPLE_RUNS) || 1_000;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const VERBOSE = Number(process.env.FUZZ_VERBOSE) || 0;

/**
 * Lets the event loop turn every `every` calls. A fuzz run whose mocks all
 * resolve at once is one long chain of microtasks; vitest's worker then
 * cannot read the main process's answer to its progress report, and after
 * 60 s reports "Timeout calling onTaskUpdate" although every case held.
 */
export function eventLoopBreather(every = 250): () => Promise<void> {
  let calls = 0;
  return async () => {
    calls += 1;
    if (calls % every === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  };
}

/** fast-check parameters shared by every fuzz property: seed and verbosity from the environment. */
export function fuzzParameters(numRuns: number): fc.Parameters<unknown> {
  return { numRuns, verbose: VERBOSE, includeErrorInReport: true, ...(SEED === undefined ? {} : { seed: SEED }) };
}

/** Puts a memo in front of a decrypter and counts what the Encryption SDK really did. */
export function memoisedDecrypter(inner: CodeDecrypter, tally: Tally): CodeDecrypter {
  type Outcome = { ok: true; value: string } | { ok: false; error: unknown };
  const memo = new Map<string, Outcome>();
  return {
    async decrypt(ciphertext, userPoolId) {
      const key = `${userPoolId}\u0000${ciphertext}`;
      const known = memo.get(key);
      if (known) {
        tally.add('replayed from the memo');
        if (known.ok) return known.value;
        throw known.error;
      }
      tally.add('decrypted by the Encryption SDK');
      let outcome: Outcome;
      try {
        outcome = { ok: true, value: await inner.decrypt(ciphertext, userPoolId) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      if (ciphertext.length < 20_000) memo.set(key, outcome);
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    },
  };
}

interface SentMessage {
  to: string | undefined;
  /** Plain texts (email text body, SMS) and HTML bodies, named for messages. */
  texts: Array<{ name: string; value: string; html: boolean }>;
}

function sentMessages(family: Family): SentMessage[] {
  if (family === 'email') {
    return sesMock.commandCalls(SendEmailCommand).map(({ args }) => {
      const input = args[0].input;
      return {
        to:
          input.Destination?.ToAddresses?.length === 1
            ? input.Destination.ToAddresses[0]
            : String(input.Destination?.ToAddresses),
        texts: [
          { name: 'Subject', value: input.Message?.Subject?.Data ?? '', html: false },
          { name: 'Html', value: input.Message?.Body?.Html?.Data ?? '', html: true },
          { name: 'Text', value: input.Message?.Body?.Text?.Data ?? '', html: false },
        ],
      };
    });
  }
  return snsMock.commandCalls(PublishCommand).map(({ args }) => ({
    to: args[0].input.PhoneNumber,
    texts: [{ name: 'Message', value: args[0].input.Message ?? '', html: false }],
  }));
}

/** Runs one case and returns every property it breaks (empty when it holds). */
export async function senderViolations(
  family: Family,
  handler: Handler,
  c: SenderCase,
  pool: ReadonlyMap<string, PoolEntry>,
  secrets: readonly string[],
  logLines: string[],
  outcomes: Tally,
): Promise<string[]> {
  const before = JSON.stringify(c.event);
  logLines.length = 0;
  sesMock.resetHistory();
  snsMock.resetHistory();
  let error: unknown = null;
  try {
    await handler(c.event, { awsRequestId: 'fuzz-request' });
  } catch (caught) {
    error = caught ?? new Error(`threw ${String(caught)}`);
  }
  const problems: string[] = [];
  const sent = sentMessages(family);
  outcomes.add(error === null ? 'delivered' : error instanceof Error ? error.name : typeof error);

  if (error !== null && !(error instanceof TriggerPackError)) {
    problems.push(`a non-pack error escaped: ${describeError(error)}`);
  }
  if (sent.length > 1) problems.push(`${sent.length} messages sent in one invocation`);
  if (error === null && sent.length !== 1) problems.push(`resolved with ${sent.length} messages sent`);
  if (error !== null && sent.length > 0) problems.push(`threw ${describeError(error)} after sending`);
  if (c.mustDeliver && error !== null) problems.push(`a well-formed event was not delivered: ${describeError(error)}`);

  const source = field(c.event, 'triggerSource');
  const userPoolId = field(c.event, 'userPoolId');
  const recipientAttribute = family === 'email' ? 'email' : 'phone_number';
  const recipient = field(c.event, 'request', 'userAttributes', recipientAttribute);
  const takeOver = source === 'CustomEmailSender_AccountTakeOverNotification';
  const code = field(c.event, 'request', 'code');
  const entry = typeof code === 'string' ? pool.get(code) : undefined;
  const usable = entry?.valid === true && entry.poolId === userPoolId ? entry : undefined;

  for (const message of sent) {
    if (typeof recipient !== 'string' || message.to !== recipient) {
      problems.push(`sent to ${JSON.stringify(message.to)}, not the user's own ${recipientAttribute}`);
    }
    const legitimate: string[] = [];
    if (!takeOver) {
      if (!usable) {
        problems.push('sent a message although request.code is not a valid ciphertext for this pool');
      } else {
        const plain = expectedCode(usable, String(source));
        legitimate.push(plain);
        if (plain.length === 0) problems.push('sent an empty code');
        for (const text of message.texts) {
          if (text.name === 'Subject') continue;
          const expected = text.html ? escapeHtml(plain) : plain;
          if (!text.value.includes(expected)) problems.push(`${text.name} lacks the code`);
        }
      }
    }
    if (String(source).endsWith('_AdminCreateUser')) {
      const userName = field(c.event, 'userName');
      if (typeof userName === 'string') legitimate.push(userName);
      if (typeof recipient === 'string') legitimate.push(recipient);
    }
    for (const text of message.texts) {
      const leftover = leftoverPlaceholder(text.value, legitimate);
      if (leftover) problems.push(`${text.name} contains an unrendered ${JSON.stringify(leftover)}`);
      if (text.html) {
        const raw = rawMarkers(text.value, RAW_IN_HTML);
        if (raw.length > 0) problems.push(`${text.name} carries user text unescaped: ${JSON.stringify(raw)}`);
      }
    }
  }

  for (const line of logLines) {
    try {
      JSON.parse(line);
    } catch {
      problems.push(`a log line is not JSON: ${line.slice(0, 80)}`);
    }
  }
  const errorText = error instanceof Error ? `${error.name}: ${error.message}` : '';
  const leak = leakedSecret([...logLines, errorText], secrets);
  if (leak) problems.push(`a code leaked into a log line or the error: ${leak}`);
  if (typeof recipient === 'string' && recipient.length >= 8 && logLines.some((line) => line.includes(recipient))) {
    problems.push(`a log line carries the unmasked ${recipientAttribute}`);
  }
  if (JSON.stringify(c.event) !== before) problems.push('the handler changed the event it was given');
  const polluted = prototypePollution();
  if (polluted.length > 0) problems.push(`Object.prototype polluted: ${polluted.join(', ')}`);
  return problems;
}

/** Runs `runs` fuzz cases through `handler`, records the figure, and throws fast-check's report on a failure. */
export async function fuzzSender(options: {
  family: Family;
  label: string;
  handler: Handler;
  cases: fc.Arbitrary<SenderCase>;
  pool: readonly PoolEntry[];
  runs: number;
  logLines: string[];
  notes: string[];
  record: (figure: Figure) => void;
}): Promise<void> {
  const byCiphertext = new Map(options.pool.map((entry) => [entry.ciphertext, entry]));
  const secrets = secretsOf(options.pool);
  let wellFormed = 0;
  // Tallies stop at the first failure: what follows is fast-check shrinking it.
  let shrinking = false;
  const outcomes = new Tally();
  const started = performance.now();
  const breathe = eventLoopBreather();
  const details = await fc.check(
    fc.asyncProperty(options.cases, async (c) => {
      await breathe();
      if (c.mustDeliver && !shrinking) wellFormed += 1;
      const problems = await senderViolations(
        options.family,
        options.handler,
        c,
        byCiphertext,
        secrets,
        options.logLines,
        shrinking ? new Tally() : outcomes,
      );
      if (problems.length > 0) {
        shrinking = true;
        throw new Error(problems.join('\n'));
      }
    }),
    fuzzParameters(options.runs),
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const figure: Figure = {
    group: 'fuzz',
    label: options.label,
    cases: details.numRuns,
    held: details.failed ? details.numRuns - 1 : details.numRuns,
    notes: [
      ...options.notes,
      `${wellFormed.toLocaleString('en-US')} well-formed (must deliver); outcomes: ${outcomes}`,
      `${seconds} s, seed ${details.seed}`,
    ],
  };
  options.record(figure);
  if (details.failed) throw new Error((await fc.asyncDefaultReportMessage(details)) ?? 'property failed');
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error);
}
