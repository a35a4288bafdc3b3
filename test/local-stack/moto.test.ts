/**
 * The moto launcher without moto: the install hint it fails with, the same
 * sentence in .ci/run, and the state dump it reads sent messages from.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MOTO_INSTALL_HINT,
  MotoNotInstalledError,
  parseSentEmails,
  parseSentSms,
  startMoto,
} from '../../src/local-stack/moto.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the moto install hint', () => {
  it('is what startMoto rejects with when MOTO_SERVER names nothing', async () => {
    vi.stubEnv('MOTO_SERVER', '/nonexistent/moto_server');
    const failure = startMoto();
    await expect(failure).rejects.toBeInstanceOf(MotoNotInstalledError);
    await expect(failure).rejects.toThrow(MOTO_INSTALL_HINT);
  });

  it('is what startMoto rejects with when moto_server is not on PATH', async () => {
    vi.stubEnv('MOTO_SERVER', undefined);
    vi.stubEnv('PATH', '');
    await expect(startMoto()).rejects.toStrictEqual(new MotoNotInstalledError());
    expect(new MotoNotInstalledError().message).toBe(MOTO_INSTALL_HINT);
  });

  it('is the sentence .ci/run prints, inside double quotes that leave it as it is', () => {
    const ciRun = readFileSync(fileURLToPath(new URL('../../.ci/run', import.meta.url)), 'utf8');
    expect(ciRun).toContain(`echo "error: ${MOTO_INSTALL_HINT}" >&2`);
    expect(MOTO_INSTALL_HINT).not.toMatch(/[$`"\\]/);
  });
});

describe('startMoto', () => {
  it('rejects, and does not crash the process, when the command cannot be run', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ctp-not-moto-'));
    try {
      await expect(startMoto({ command: directory })).rejects.toThrow(/moto_server exited/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe("moto's state dump", () => {
  const dump = {
    ses: {
      Message: [
        {
          id: 'm1',
          source: 'Acme <no-reply@example.com>',
          destinations: { ToAddresses: ['user@example.com'] },
          subject: 'Your code',
          body: '<p>123456</p>',
        },
      ],
    },
    sns: { SMS: [{ message_id: 's1', phone_number: '+14155550000', message: 'Code 123456' }] },
  };

  it('gives the emails SES sent', () => {
    expect(parseSentEmails(dump)).toEqual([
      {
        id: 'm1',
        source: 'Acme <no-reply@example.com>',
        to: ['user@example.com'],
        subject: 'Your code',
        html: '<p>123456</p>',
      },
    ]);
  });

  it('gives the text messages SNS sent', () => {
    expect(parseSentSms(dump)).toEqual([{ messageId: 's1', phoneNumber: '+14155550000', message: 'Code 123456' }]);
  });

  it('gives nothing for a dump without them', () => {
    expect(parseSentEmails({})).toEqual([]);
    expect(parseSentSms({ sns: { SMS: 'not a list' } })).toEqual([]);
  });
});
