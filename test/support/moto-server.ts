/**
 * Starts a real moto server on 127.0.0.1 for integration tests, and stops it.
 * moto stands in for KMS, SES and SNS (docs/cognito.md, "Local stand-ins").
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../src/local-stack/processes.js';

export interface MotoServer {
  endpoint: string;
  /** Everything moto recorded (`/moto-api/data.json`). */
  data(): Promise<MotoData>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface MotoData {
  ses?: {
    Message?: Array<{ source: string; destinations: { ToAddresses?: string[] }; subject: string; body: string }>;
  };
  sns?: { SMS?: Array<[string, string, string]> | Array<Record<string, unknown>> };
}

export const MOTO_INSTALL_HINT =
  'moto_server is not installed. Install it with: pip install "moto[server]" (it provides the moto_server command).';

/** Starts moto_server on a free loopback port and waits until it answers. */
export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(MOTO_INSTALL_HINT) : error),
    ),
  );
  const deadline = Date.now() + 30_000;
  const ready = (async () => {
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${endpoint}/moto-api/data.json`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`moto_server did not answer on ${endpoint} within 30 s`);
  })();
  try {
    await Promise.race([ready, spawnError]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    data: async () => (await (await fetch(`${endpoint}/moto-api/data.json`)).json()) as MotoData,
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}
