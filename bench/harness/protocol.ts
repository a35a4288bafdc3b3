/** What the benchmark runner and its child processes exchange, as JSON files. */

/** Where the preloaded mock keeps its counters, so the invoking harness can read them. */
export const STATS_KEY = Symbol.for('cognito-trigger-pack.bench.instant-aws');

/** The mock's canned KMS answers: each data key the fixtures encrypted, by its encrypted form (base64). */
export interface InstantAwsCanned {
  keyArn: string;
  dataKeys: Record<string, { plaintext: string; encryptionContext: Record<string, string> }>;
}

export interface InstantAwsStats {
  kmsDecrypt: number;
  sesSendEmail: number;
  snsPublish: number;
  /** DynamoDB calls on the idempotency table (claim, counters, done mark, release). */
  dynamoPutItem: number;
  dynamoUpdateItem: number;
  dynamoDeleteItem: number;
  /** Requests without a SigV4 Authorization header. */
  unsigned: number;
  /** Anything the mock did not expect; a correct run has none. */
  unexpected: string[];
  /** The form parameters of the last SendEmail / Publish, so messages can be compared. */
  lastSendEmail: Record<string, string> | null;
  lastPublish: Record<string, string> | null;
}

export interface InvokeJob {
  /** cold: load and invoke once, then exit. warm: invoke `warmup + iterations` more times. */
  mode: 'cold' | 'warm';
  /** Absolute path of a module exporting `handler`, or null to measure the harness alone. */
  module: string | null;
  /** Events, used in turn. */
  events: unknown[];
  warmup: number;
  iterations: number;
  /** Write a V8 CPU profile of the timed invocations here (warm only). */
  profile: string | null;
  out: string;
}

export interface InvokeResult {
  /** Milliseconds from process start to the end of the first invocation, by the child's own clock. */
  firstInvocationDoneMs: number;
  /** process.resourceUsage().maxRSS after the first invocation, in KiB. */
  maxRssKib: number;
  /** What the first invocation returned. */
  firstResult: unknown;
  /** Per-invocation durations of the timed invocations, in microseconds (warm only). */
  samplesUs: number[];
  /** CPU time (user + system) over the timed invocations, per invocation, in µs: what a busy machine's waiting leaves out. */
  cpuUsPerInvocation: number | null;
  /** Invocations made, including the first. */
  invocations: number;
  stats: InstantAwsStats;
  /** Every CommonJS module file the process loaded (for the baseline's size). */
  loadedFiles: string[];
}
