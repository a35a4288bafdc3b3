/**
 * Structured JSON logs, one object per line. Fields are chosen by the caller;
 * codes and passwords are never passed in, and addresses go through the
 * masks below first.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;
export type LogWriter = (line: string) => void;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** One line on stdout, where Lambda's log stream reads it. */
export const stdoutWriter: LogWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Creates a logger writing JSON lines at or above `minLevel`. */
export function createLogger(options: { minLevel?: LogLevel; write?: LogWriter; fields?: LogFields } = {}): Logger {
  const min = LEVELS[options.minLevel ?? 'info'];
  const write = options.write ?? stdoutWriter;
  const base = options.fields ?? {};
  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (LEVELS[level] < min) return;
    // A log line is never worth the outcome: a writer that fails (a closed
    // stream, EPIPE) after SES or SNS took the message must not fail the
    // invocation, or Lambda would retry it and send the message again.
    try {
      write(JSON.stringify({ level, time: new Date().toISOString(), message, ...base, ...fields }));
    } catch {
      // Nowhere left to report it.
    }
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger({ minLevel: options.minLevel, write, fields: { ...base, ...fields } }),
  };
}

/** `alice@example.com` → `a***@e***.com`: enough to tell addresses apart in support, not to harvest them. */
export function maskEmail(email: string | undefined | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${email[0]}***@${domain[0] ?? ''}***${tld}`;
}

/** `+14155550123` → `+*******0123`. */
export function maskPhone(phone: string | undefined | null): string | null {
  if (!phone) return null;
  if (phone.length <= 4) return '***';
  return `${phone.startsWith('+') ? '+' : ''}${'*'.repeat(Math.max(phone.length - 5, 3))}${phone.slice(-4)}`;
}

/** An error's class and message for a log line (our errors never carry secrets). */
export function describeError(error: unknown): LogFields {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message };
  return { errorName: typeof error, errorMessage: String(error) };
}
