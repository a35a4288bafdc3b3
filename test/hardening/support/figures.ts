/**
 * The figures each hardening test file reports: how many cases it ran and
 * how many of them held. Each file writes its own JSON under
 * test-output/hardening/figures/; test/hardening/support/summary.ts adds them up
 * after vitest and prints the one summary block.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HARDENING_OUTPUT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'test-output',
  'hardening',
);
export const FIGURES_DIR = join(HARDENING_OUTPUT, 'figures');

export type FigureGroup = 'fuzz' | 'tamper' | 'faults' | 'concurrency' | 'burst';

export interface Figure {
  group: FigureGroup;
  /** What was exercised, e.g. "CustomEmailSender handler". */
  label: string;
  /** Cases run, variants tried, faults injected, invocations made. */
  cases: number;
  /** Of those, the ones whose every property held. */
  held: number;
  /** How the cases were made and what they met, one short line each. */
  notes: string[];
  /** The figures the summary prints under its group's line (the burst's). */
  headline?: string;
}

/** Collects the figures of one test file and writes them when asked (call it in afterAll). */
export function figureBook(file: string) {
  const figures: Figure[] = [];
  return {
    add(figure: Figure): void {
      figures.push(figure);
    },
    write(): void {
      mkdirSync(FIGURES_DIR, { recursive: true });
      writeFileSync(join(FIGURES_DIR, `${file}.json`), `${JSON.stringify(figures, null, 2)}\n`);
    },
  };
}

/** A count per name, for the notes ("delivered 8,104; InvalidEventError 2,311"). */
export class Tally {
  private readonly counts = new Map<string, number>();

  add(name: string, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  toString(): string {
    return [...this.counts]
      .sort(([, a], [, b]) => b - a)
      .map(([name, count]) => `${name} ${count.toLocaleString('en-US')}`)
      .join(', ');
  }
}
