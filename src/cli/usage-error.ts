/**
 * A mistake by the person running a command (a template author or a
 * deployer): a wrong option, a missing file, a template that fails its
 * checks. The command line prints the message alone, one plain sentence
 * naming the file, line and fix where there is one, and exits 1: never a
 * stack trace.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
