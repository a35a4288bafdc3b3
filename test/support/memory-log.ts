import { createLogger, type Logger } from '../../src/runtime/log.js';

/** A logger that keeps its JSON lines, for asserting what was (and was not) logged. */
export function memoryLogger(): { log: Logger; lines: string[]; entries: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const log = createLogger({ minLevel: 'debug', write: (line) => lines.push(line) });
  return { log, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
