/**
 * The one send of an invocation and its outcome line. A failure is logged and
 * rethrown, never swallowed, so Lambda retries the invocation and the
 * on-failure destination keeps it.
 */
import { describeError, type Logger } from '../log.js';

/** One send per invocation, resolving to its message id; the outcome is logged either way and a failure rethrown. */
export async function deliverOnce(log: Logger, send: () => Promise<{ messageId: string }>): Promise<string> {
  try {
    const { messageId } = await send();
    log.info('message sent', { outcome: 'sent', messageId });
    return messageId;
  } catch (error) {
    log.error('delivery failed; the invocation fails so Lambda retries it', {
      outcome: 'failed',
      ...describeError(error),
    });
    throw error;
  }
}
