/**
 * Running built sender bundles against a real moto server: codes encrypted
 * as Cognito encrypts them (suite 0x0378, the `userpool-id` context, one data
 * key under the full key ARN, through moto's KMS), and each bundle run in a
 * fresh process with AWS_ENDPOINT_URL pointing at moto, as Lambda would run it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { cognitoKeyring, encryptAsCognito } from '../../src/local-stack/cognito-ciphertext.js';
import { type Moto, startMoto } from '../../src/local-stack/moto.js';
import { POOL_ID } from './events.js';

const run = promisify(execFile);
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const MOTO_REGION = 'us-east-1';

export interface Outcome {
  ok: boolean;
  error?: string;
}

export interface MotoBundles {
  moto: Moto;
  keyArn: string;
  /** Encrypts like Cognito, through moto's KMS. */
  encrypt(code: string): Promise<string>;
  /** Runs events through the bundle at `bundlePath` in a fresh process; each event's outcome. */
  invoke(bundlePath: string, events: unknown[], env?: Record<string, string>): Promise<Outcome[]>;
  /** Empties moto (sent mail, SMS, keys) and makes a fresh key, and the identities unless told not to; `keyArn` changes. */
  reset(options?: { verifyIdentities?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Starts moto with a KMS key and the given From addresses verified in SES. */
export async function startMotoBundles(verifiedAddresses: readonly string[]): Promise<MotoBundles> {
  const moto = await startMoto();
  const workDir = mkdtempSync(join(tmpdir(), 'ctp-moto-'));
  const config = { region: MOTO_REGION, endpoint: moto.url, credentials: MOTO_CREDENTIALS };
  const prepare = async (verifyIdentities = true): Promise<string> => {
    const ses = new SESClient(config);
    const addresses = verifyIdentities ? verifiedAddresses : [];
    for (const address of addresses) await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: address }));
    const key = await new KMSClient(config).send(new CreateKeyCommand({ Description: 'cognito-trigger-pack test' }));
    return key.KeyMetadata?.Arn ?? '';
  };
  let keyArn = await prepare();

  return {
    moto,
    get keyArn() {
      return keyArn;
    },
    async reset(options = {}) {
      await moto.reset();
      keyArn = await prepare(options.verifyIdentities);
    },
    encrypt: (code) =>
      encryptAsCognito(cognitoKeyring(keyArn, { credentials: MOTO_CREDENTIALS, endpoint: moto.url }), code, POOL_ID),
    async invoke(bundlePath, events, env = {}) {
      const eventsFile = join(workDir, `events-${Date.now()}-${Math.random()}.json`);
      writeFileSync(eventsFile, JSON.stringify(events));
      const script = `
        const { handler } = require(${JSON.stringify(bundlePath)});
        const events = require(${JSON.stringify(eventsFile)});
        (async () => {
          const outcomes = [];
          for (const event of events) {
            try { await handler(event, { awsRequestId: 'it' }); outcomes.push({ ok: true }); }
            catch (error) { outcomes.push({ ok: false, error: error.name + ': ' + error.message }); }
          }
          console.log('OUTCOMES' + JSON.stringify(outcomes));
        })();`;
      const { stdout } = await run(process.execPath, ['-e', script], {
        env: {
          PATH: process.env.PATH ?? '',
          AWS_ENDPOINT_URL: moto.url,
          AWS_REGION: MOTO_REGION,
          AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
          KMS_KEY_ARN: keyArn,
          EMAIL_FROM: 'Acme <no-reply@example.com>',
          LOG_LEVEL: 'warn',
          ...env,
        },
        maxBuffer: 10 * 1024 * 1024,
      }).catch((error: { stderr?: string }) => {
        // The failing command line holds the whole script; only the process's own words matter.
        throw new Error(`${bundlePath} crashed: ${String(error.stderr ?? '').slice(-2000)}`);
      });
      return JSON.parse(stdout.slice(stdout.indexOf('OUTCOMES') + 'OUTCOMES'.length)) as Outcome[];
    },
    async stop() {
      await moto.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
