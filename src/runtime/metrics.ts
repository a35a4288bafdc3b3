/**
 * Metrics in CloudWatch's embedded metric format: one JSON line per
 * invocation on the log writer, which CloudWatch Logs turns into metrics.
 * Dimensions are the trigger source (only a known one, else `unknown`) and
 * the transport; no code, address or number ever goes into a line.
 * `METRICS=off` turns them off.
 */
import { type Env, oneOf } from './config.js';
import { kindOfTriggerSource, type TriggerFamily } from './event/message-kind.js';
import type { LogWriter } from './log.js';

/** Who delivers: SES and SNS for the senders, Cognito itself for CustomMessage. */
export type Transport = 'ses' | 'sns' | 'cognito';

/** A sender invocation's metrics, one of them 1 per line. */
export const SENDER_METRICS = ['Sent', 'Duplicate', 'Refused', 'InProgress', 'Failed'] as const;
export type SenderMetric = (typeof SENDER_METRICS)[number];

/** A CustomMessage invocation's metrics: per channel, the pack's message or Cognito's default. */
export const CUSTOM_MESSAGE_METRICS = ['EmailRendered', 'EmailDefault', 'SmsRendered', 'SmsDefault'] as const;
export type CustomMessageMetric = (typeof CUSTOM_MESSAGE_METRICS)[number];

/** Reads `METRICS`: `on` (default) or `off`. */
export function readMetricsSwitch(env: Env): boolean {
  return oneOf(env, 'METRICS', ['on', 'off'] as const, 'on') === 'on';
}

/** Writes one metrics line: the trigger source as the event gave it, and the metrics that are 1. */
export type MetricsEmitter<Name extends string> = (triggerSource: unknown, ones: readonly Name[]) => void;

/** An emitter for one function; a no-op when metrics are off. The line is built as text: names and sources are plain words. */
export function metricsEmitter<Name extends string>(options: {
  enabled: boolean;
  family: TriggerFamily;
  transport: Transport;
  names: readonly Name[];
  write: LogWriter;
  now: () => number;
}): MetricsEmitter<Name> {
  const { family, transport, names, write, now } = options;
  if (!options.enabled) return () => {};
  const directives = JSON.stringify([
    {
      Namespace: 'CognitoTriggerPack',
      Dimensions: [['TriggerSource', 'Transport']],
      Metrics: names.map((Name) => ({ Name, Unit: 'Count' })),
    },
  ]);
  return (triggerSource, ones) => {
    // Only a trigger source of the family's own list: an event's text never becomes a dimension.
    const source =
      typeof triggerSource === 'string' && kindOfTriggerSource(family, triggerSource) ? triggerSource : 'unknown';
    const counts = names.map((name) => `,"${name}":${ones.includes(name) ? 1 : 0}`).join('');
    // Like a log line, a metric is never worth the outcome of the invocation.
    try {
      write(
        `{"_aws":{"Timestamp":${now()},"CloudWatchMetrics":${directives}},"TriggerSource":"${source}","Transport":"${transport}"${counts}}`,
      );
    } catch {
      // Nowhere left to report it.
    }
  };
}
