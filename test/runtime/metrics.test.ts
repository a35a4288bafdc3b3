import { describe, expect, it } from 'vitest';
import { metricsEmitter, readMetricsSwitch, SENDER_METRICS } from '../../src/runtime/metrics.js';

describe('readMetricsSwitch', () => {
  it('is on unless METRICS says off, case-insensitively', () => {
    expect(readMetricsSwitch({})).toBe(true);
    expect(readMetricsSwitch({ METRICS: 'ON' })).toBe(true);
    expect(readMetricsSwitch({ METRICS: ' Off ' })).toBe(false);
    expect(() => readMetricsSwitch({ METRICS: 'false' })).toThrow(
      'Environment variable METRICS is "false"; use on, off',
    );
  });
});

describe('metricsEmitter', () => {
  const emitter = (write: (line: string) => void, enabled = true) =>
    metricsEmitter({
      enabled,
      family: 'CustomSMSSender',
      transport: 'sns',
      names: SENDER_METRICS,
      write,
      now: () => 5,
    });

  it('keeps only a trigger source of its own family as a dimension', () => {
    const lines: string[] = [];
    const emit = emitter((line) => lines.push(line));
    emit('CustomSMSSender_SignUp', ['Sent']);
    emit('CustomEmailSender_SignUp', ['Failed']);
    emit('+14155550123', ['Failed']);
    emit(42, ['Failed']);
    expect(lines.map((line) => JSON.parse(line).TriggerSource)).toEqual([
      'CustomSMSSender_SignUp',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });

  it('never throws when the writer does', () => {
    const emit = emitter(() => {
      throw new Error('EPIPE');
    });
    expect(() => emit('CustomSMSSender_SignUp', ['Sent'])).not.toThrow();
  });

  it('writes nothing when off', () => {
    const lines: string[] = [];
    emitter((line) => lines.push(line), false)('CustomSMSSender_SignUp', ['Sent']);
    expect(lines).toEqual([]);
  });
});
