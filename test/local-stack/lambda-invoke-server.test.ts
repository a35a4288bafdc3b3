/**
 * The local stack's Lambda Invoke endpoint, as a web page in the developer's
 * browser would try to reach it: a rebound DNS name, a cross-site POST, huge
 * bodies, many invocations. It runs a tiny function of its own, on 127.0.0.1.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type InvokeServer,
  invocationLine,
  MAX_INVOCATION_RECORDS,
  startInvokeServer,
} from '../../src/local-stack/lambda-invoke-server.js';

let work: string;
let server: InvokeServer;
let port: number;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ctp-invoke-'));
  const bundle = join(work, 'echo.js');
  writeFileSync(bundle, 'exports.handler = async (event) => ({ echoed: event.n ?? null });\n');
  server = await startInvokeServer({
    functions: [{ name: 'echo', bundle, env: {} }],
    workDir: work,
    region: 'us-east-1',
    accountId: '123456789012',
  });
  port = Number(new URL(server.url).port);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** One raw HTTP request to the server (fetch would not let a test set Host). */
function send(
  headers: Record<string, string>,
  body: string | Buffer = '{"n":1}',
  path = '/2015-03-31/functions/echo/invocations',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ status: 0, body: '' }) : reject(error),
    );
    req.end(body);
  });
}

describe('the local Lambda Invoke endpoint', () => {
  it('runs a function for a loopback client', async () => {
    expect(await send({ host: `127.0.0.1:${port}` })).toEqual({ status: 200, body: '{"echoed":1}' });
  });

  it('refuses a foreign Host (DNS rebinding) and runs nothing', async () => {
    const before = server.invocations().length;
    const reply = await send({ host: `evil.example:${port}` });
    expect(reply.status).toBe(403);
    expect(server.invocations()).toHaveLength(before);
  });

  it('refuses a cross-site text/plain POST from a page in the browser', async () => {
    const before = server.invocations().length;
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example', 'content-type': 'text/plain' },
      { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' },
    ];
    for (const headers of crossSite) {
      expect((await send({ host: `localhost:${port}`, ...headers })).status).toBe(403);
    }
    expect(server.invocations()).toHaveLength(before);
  });

  it('refuses the content types a browser form or text/plain fetch can send, even without Origin', async () => {
    const before = server.invocations().length;
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect((await send({ host: `127.0.0.1:${port}`, 'content-type': type })).status).toBe(415);
    }
    expect(server.invocations()).toHaveLength(before);
  });

  it('answers 413 above Lambda’s 6 MiB without running the function', async () => {
    const before = server.invocations().length;
    const huge = Buffer.alloc(7 * 1024 * 1024, 0x20);
    const declared = await send({ host: `127.0.0.1:${port}`, 'content-length': String(huge.length) }, huge);
    expect([413, 0]).toContain(declared.status);
    const chunked = await send({ host: `127.0.0.1:${port}`, 'transfer-encoding': 'chunked' }, huge);
    expect([413, 0]).toContain(chunked.status);
    expect(declared.status === 413 || chunked.status === 413).toBe(true);
    expect(server.invocations()).toHaveLength(before);
  });

  it('prints an invocation line with the escape sequences of its event shown, not sent to the terminal', async () => {
    const forged = 'PreSignUp_SignUp\u001b[2K\r\u001b[32mλ echo CustomMessage_SignUp ok';
    expect((await send({ host: `127.0.0.1:${port}` }, JSON.stringify({ triggerSource: forged }))).status).toBe(200);
    const record = server.invocations().at(-1);
    if (!record) throw new Error('no invocation recorded');
    const line = invocationLine(record);
    expect([...line].filter((char) => (char.codePointAt(0) ?? 0) < 0x20)).toEqual([]);
    expect(line).toContain('\\u{1b}[2K\\u{d}');
  });

  it(`keeps only the last ${MAX_INVOCATION_RECORDS} invocation records`, async () => {
    for (let n = 0; n < MAX_INVOCATION_RECORDS + 20; n += 1) {
      expect((await send({ host: `127.0.0.1:${port}` }, JSON.stringify({ n }))).status).toBe(200);
    }
    const records = server.invocations();
    expect(records).toHaveLength(MAX_INVOCATION_RECORDS);
    expect(records.at(-1)?.event).toEqual({ n: MAX_INVOCATION_RECORDS + 19 });
  });

  it('records a near-6 MiB event by its size only, so large events never pile up in memory', async () => {
    const big = JSON.stringify({ n: 1, padding: 'x'.repeat(6 * 1024 * 1024 - 100) });
    for (let n = 0; n < 40; n += 1) expect((await send({ host: `127.0.0.1:${port}` }, big)).status).toBe(200);
    expect(server.invocations().at(-1)?.event).toEqual({ notRecorded: true, bytes: Buffer.byteLength(big) });
  }, 60_000);
});

describe('cognito-local as the local stack hosts it', () => {
  it('refuses a foreign Host (DNS rebinding) and answers a loopback one', async () => {
    const state = mkdtempSync(join(tmpdir(), 'ctp-cognito-'));
    const child = fork('src/local-stack/cognito-local-host.ts', [state, join(state, 'outbox.jsonl')], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.once('message', (message: { url: string }) => resolve(message.url));
        child.once('exit', (code) => reject(new Error(`cognito-local-host exited with ${code}`)));
      });
      port = Number(new URL(url).port);
      const target = { 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools' };
      const foreign = await send({ host: `evil.example:${port}`, ...target }, '{"MaxResults":1}', '/');
      expect(foreign.status).toBe(421);
      const loopback = await send({ host: `127.0.0.1:${port}`, ...target }, '{"MaxResults":1}', '/');
      expect(loopback).toEqual({ status: 200, body: '{"UserPools":[]}' });
    } finally {
      child.kill('SIGTERM');
      rmSync(state, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a function with several containers', () => {
  it('runs concurrent invocations side by side, each container one at a time, and stops them all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctp-invoke-pool-'));
    const bundle = join(dir, 'slow.js');
    writeFileSync(
      bundle,
      'exports.handler = async () => { const start = Date.now(); await new Promise((r) => setTimeout(r, 300)); return { pid: process.pid, start, end: Date.now() }; };\n',
    );
    const pool = await startInvokeServer({
      functions: [{ name: 'slow', bundle, env: {}, concurrency: 3 }],
      workDir: dir,
      region: 'us-east-1',
      accountId: '123456789012',
    });
    try {
      await pool.warm();
      const pids = pool.pids();
      expect(Object.keys(pids)).toEqual(['slow', 'slow#2', 'slow#3']);
      const invoke = () =>
        fetch(`${pool.url}/2015-03-31/functions/slow/invocations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }).then((response) => response.json() as Promise<{ pid: number; start: number; end: number }>);
      const answered = await Promise.all(Array.from({ length: 6 }, invoke));
      // Each container ran two of the six, one after the other; the containers ran side by side.
      expect(new Set(answered.map((a) => a.pid))).toEqual(new Set(Object.values(pids)));
      for (const pid of Object.values(pids)) {
        const [first, second] = answered.filter((a) => a.pid === pid).sort((a, b) => a.start - b.start);
        expect(second?.start).toBeGreaterThanOrEqual(first?.end ?? Number.POSITIVE_INFINITY);
      }
      const overlapping = answered.some((a) =>
        answered.some((b) => a.pid !== b.pid && a.start < b.end && b.start < a.end),
      );
      expect(overlapping).toBe(true);
    } finally {
      await pool.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(Object.values(pool.pids()).filter((pid) => pid !== null && isAlive(pid))).toEqual([]);
  });

  it('refuses a concurrency that is not a whole number from 1 to 32', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctp-invoke-pool-'));
    writeFileSync(join(dir, 'f.js'), 'exports.handler = async () => null;\n');
    try {
      await expect(
        startInvokeServer({
          functions: [{ name: 'f', bundle: join(dir, 'f.js'), env: {}, concurrency: 0 }],
          workDir: dir,
          region: 'us-east-1',
          accountId: '123456789012',
        }),
      ).rejects.toThrow('f: concurrency must be a whole number from 1 to 32');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
