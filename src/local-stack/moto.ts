/**
 * moto server, the local stand-in for KMS, SES and SNS (docs/cognito.md,
 * "Local stand-ins"), for the stack, the integration and the hardening
 * tests alike. What it "sent" is read back from its state dump,
 * `GET /moto-api/data.json`: SES keeps the subject and the HTML part of each
 * email, SNS the text of each SMS. It listens on 127.0.0.1 only, and whoever
 * starts it stops it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { isRecord } from '../runtime/json-object.js';
import { findExecutable, freePort, stopChild, waitForHttp } from './processes.js';

/** .ci/run prints the same sentence inside double quotes, so it holds no `$`, backtick, `"` or backslash. */
export const MOTO_INSTALL_HINT =
  "moto_server was not found on PATH. The local stack runs KMS, SES and SNS in moto: install it with pip install 'moto[server]' (Python 3.9+), or set MOTO_SERVER to the moto_server executable.";

/** moto_server is not installed: the stack cannot start (and the end-to-end tests fail, they do not skip). */
export class MotoNotInstalledError extends Error {
  constructor() {
    super(MOTO_INSTALL_HINT);
    this.name = 'MotoNotInstalledError';
  }
}

export interface SentEmail {
  id: string;
  /** The From, as the function gave it (`Name <address>`). */
  source: string;
  to: string[];
  subject: string;
  /** moto keeps only the HTML part of the body. */
  html: string;
}

export interface SentSms {
  messageId: string;
  phoneNumber: string;
  message: string;
}

export interface Moto {
  /** The endpoint for the AWS clients (`AWS_ENDPOINT_URL`). */
  url: string;
  pid: number;
  sentEmails(): Promise<SentEmail[]>;
  sentSms(): Promise<SentSms[]>;
  /** Forgets every key, identity and sent message (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

function list(value: unknown, ...path: string[]): unknown[] {
  let node = value;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return Array.isArray(node) ? node : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The SES emails in a moto state dump, oldest first. */
export function parseSentEmails(data: unknown): SentEmail[] {
  return list(data, 'ses', 'Message')
    .filter(isRecord)
    .map((message) => ({
      id: text(message.id),
      source: text(message.source),
      to: list(message, 'destinations', 'ToAddresses').map(text),
      subject: text(message.subject),
      html: text(message.body),
    }));
}

/** The SNS text messages in a moto state dump, oldest first. */
export function parseSentSms(data: unknown): SentSms[] {
  return list(data, 'sns', 'SMS')
    .filter(isRecord)
    .map((sms) => ({
      messageId: text(sms.message_id),
      phoneNumber: text(sms.phone_number),
      message: text(sms.message),
    }));
}

/**
 * Starts moto_server (`command`, else `$MOTO_SERVER`, else `moto_server` on PATH) on a free loopback port;
 * its output goes to `logFile`, or nowhere. Rejects with MotoNotInstalledError when there is no such executable.
 */
export async function startMoto(options: { logFile?: string; command?: string } = {}): Promise<Moto> {
  const executable = findExecutable(options.command ?? process.env.MOTO_SERVER ?? 'moto_server');
  if (!executable) throw new MotoNotInstalledError();
  let lastError: unknown;
  // The port is free when picked but could be taken before moto binds it: try again with another.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const log = options.logFile === undefined ? 'ignore' : openSync(options.logFile, 'a');
    const child: ChildProcess = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', log, log],
    });
    if (typeof log === 'number') closeSync(log);
    // A spawn that fails also sets the exit code, which waitForHttp reports; without a listener it would crash.
    let spawnFailed = false;
    child.on('error', () => {
      spawnFailed = true;
    });
    try {
      await waitForHttp(`${url}/moto-api/`, child, 30_000, 'moto_server');
    } catch (error) {
      await stopChild(child);
      // Another port helps only when moto started and lost the port; an executable that cannot run fails the same way.
      if (spawnFailed) throw error;
      lastError = error;
      continue;
    }
    const api = async (path: string, init?: RequestInit): Promise<Response> => {
      const response = await fetch(`${url}/moto-api/${path}`, init);
      if (!response.ok) throw new Error(`moto ${path} answered ${response.status}`);
      return response;
    };
    const data = async (): Promise<unknown> => (await api('data.json')).json();
    return {
      url,
      pid: child.pid ?? -1,
      sentEmails: async () => parseSentEmails(await data()),
      sentSms: async () => parseSentSms(await data()),
      reset: async () => {
        await api('reset', { method: 'POST' });
      },
      stop: () => stopChild(child),
    };
  }
  throw lastError;
}
