/** Number formatting for the benchmark's markdown. KB and MB are 1,000 and 1,000,000 bytes. */
import type { Spread } from './stats.js';

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return Math.abs(value) >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

/** A duration given in microseconds, shown in µs below 1 ms. */
export function us(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 1_000) return `${(value / 1_000).toFixed(2)} ms`;
  return value >= 100 ? `${value.toFixed(0)} µs` : `${value.toFixed(1)} µs`;
}

export function bytes(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(2)} MB`;
  return `${(value / 1_000).toFixed(1)} KB`;
}

export function mib(kib: number): string {
  return Number.isFinite(kib) ? `${(kib / 1024).toFixed(1)} MiB` : '—';
}

/** A ratio to three significant digits, for checking a target near its threshold. */
export function preciseRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toPrecision(3)}×` : '—';
}

export function ratio(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 10) return `${value.toFixed(0)}×`;
  return value >= 1 ? `${value.toFixed(1)}×` : `${value.toPrecision(2)}×`;
}

/** `12.3 ms (11.9–13.0; 10.8)`: median, interquartile range and the best run. */
export function msSpread(value: Spread, best: number): string {
  return `${ms(value.median)} (${value.p25.toFixed(1)}–${value.p75.toFixed(1)}; ${best.toFixed(1)})`;
}
