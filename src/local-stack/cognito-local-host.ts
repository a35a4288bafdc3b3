/**
 * Runs cognito-local in this (child) process for the local stack.
 *
 * argv: <state dir> <outbox file>. cognito-local keeps its configuration
 * and users in `<cwd>/.cognito`, so the process moves into the state dir
 * first; the parent writes `.cognito/config.json` there and sets HOST and
 * PORT (cognito-local reads them when it loads).
 *
 * Its console "delivery" (what it does with a message in place of SES) is
 * replaced by an outbox: one JSON line per message, with the subject and
 * body exactly as cognito-local would send them (our CustomMessage response
 * with the code put in). The code is not written separately, and nothing is
 * printed: a test reads the code from the text, as a user would.
 *
 * Before cognito-local makes its services, its code encryption is made
 * Cognito's (cognito-local-crypto.ts); an unsupported cognito-local stops
 * the host with one sentence in the log.
 *
 * It reports `{type: 'ready', url}` over IPC once listening and ends when
 * the parent goes away or sends SIGTERM.
 */
import { appendFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createDefaultServer } from 'cognito-local';
import { ConsoleMessageSender } from 'cognito-local/lib/services/messageDelivery/consoleMessageSender';
// cognito-local's own logger (one of its dependencies): createDefaultServer needs a pino instance.
import pino from 'pino';
import { hasLoopbackHost } from '../authoring/preview/loopback-request.js';
import { encryptCodesLikeCognito, UnsupportedCognitoLocalError } from './cognito-local-crypto.js';

export interface OutboxEntry {
  at: string;
  channel: 'email' | 'sms';
  /** cognito-local's Username: the user's `sub` in a pool that signs in by email. */
  username: string;
  destination: string;
  emailSubject: string | null;
  emailMessage: string | null;
  smsMessage: string | null;
}

async function main(): Promise<void> {
  const [stateDir, outbox] = process.argv.slice(2);
  if (!stateDir || !outbox) throw new Error('usage: cognito-local-host.ts <state dir> <outbox file>');
  process.chdir(stateDir);
  process.on('disconnect', () => process.exit(0));
  encryptCodesLikeCognito();

  const deliver = (channel: OutboxEntry['channel']) =>
    async function toOutbox(
      ...[, user, destination, message]: Parameters<ConsoleMessageSender['sendEmail']>
    ): Promise<void> {
      const entry: OutboxEntry = {
        at: new Date().toISOString(),
        channel,
        username: user.Username,
        destination,
        emailSubject: message.emailSubject || null,
        emailMessage: message.emailMessage || null,
        smsMessage: message.smsMessage || null,
      };
      appendFileSync(outbox, `${JSON.stringify(entry)}\n`);
    };
  ConsoleMessageSender.prototype.sendEmail = deliver('email');
  ConsoleMessageSender.prototype.sendSms = deliver('sms');

  const server = await (await createDefaultServer(pino({ level: 'info' }))).start();
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('cognito-local has no TCP address');
  // cognito-local answers any Host; a page in the browser could reach it by
  // rebinding its own DNS name to 127.0.0.1. Its handlers run only for a
  // loopback Host with this port (Origin stays open: browser apps may use it).
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!hasLoopbackHost(req, address.port)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request: use 127.0.0.1 or localhost\n');
      return;
    }
    for (const handler of handlers) handler.call(server, req, res);
  });
  process.send?.({ type: 'ready', url: `http://${address.address}:${address.port}` });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof UnsupportedCognitoLocalError ? error.message : error);
  process.exit(1);
});
