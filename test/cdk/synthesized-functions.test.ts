/**
 * The functions the construct synthesizes, run as Lambda runs them: each
 * asset folder of the cloud assembly, alone, in a fresh process, with the
 * environment the template gives the function, on Cognito events. They
 * behave as the bundles serverless.yml zips (the command line's build of the
 * same folder): the same CustomMessage responses, the same email and SMS
 * through moto.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, generatePack } from '../../src/authoring/build.js';
import { PACK_FILES_DIR } from '../../src/authoring/functions.js';
import { PACKAGE_NAME } from '../../src/authoring/package-root.js';
import { CognitoTriggerPack, type PackMode } from '../../src/cdk/index.js';
import {
  CUSTOM_MESSAGE_SOURCES,
  customMessageEvent,
  EMAIL_SENDER_SOURCES,
  SMS_SENDER_SOURCES,
  senderEvent,
} from '../support/events.js';
import { createIdempotencyTable, tableItems } from '../support/idempotency-moto.js';
import { type MotoBundles, startMotoBundles } from '../support/moto-bundles.js';

const FROM = 'Acme <no-reply@example.com>';

interface SynthesizedFunction {
  /** The asset's bundle in the cloud assembly. */
  code: string;
  /** Its environment variables, as the template sets them. */
  env: Record<string, unknown>;
}

/** Each function of a pool-of-the-app stack in `mode`, by its handler name. */
function synthesizeFunctions(mode: PackMode, outdir: string): Record<string, SynthesizedFunction> {
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, `Auth-${mode}`, { env: { account: '123456789012', region: 'us-east-1' } });
  const pack = new CognitoTriggerPack(stack, 'Triggers', { mode, templates: 'templates', emailFrom: FROM });
  pack.attachTo(new cognito.UserPool(stack, 'Users', { ...pack.userPoolProps }));
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> }>;
  };
  const functions: Record<string, SynthesizedFunction> = {};
  for (const [name, fn] of Object.entries(pack.functions)) {
    const resource = template.Resources[stack.getLogicalId(fn.node.defaultChild as never)];
    if (resource === undefined) throw new Error(`${name} is not in the template`);
    const asset = resource.Metadata?.['aws:asset:path'] as string;
    const variables = (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    functions[name] = { code: join(assembly.directory, asset, 'index.js'), env: variables };
  }
  return functions;
}

let work: string;
let serverlessDist: string;
const synthesized: Record<string, SynthesizedFunction> = {};
let bundles: MotoBundles;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ctp-cdk-run-'));
  Object.assign(synthesized, synthesizeFunctions('message', join(work, 'message.out')));
  Object.assign(synthesized, synthesizeFunctions('sender', join(work, 'sender.out')));
  // What serverless.yml zips for a team: the command line's build of the same folder.
  generatePack('templates', join(work, 'generated'), PACKAGE_NAME);
  serverlessDist = join(work, 'dist');
  await bundle(serverlessDist, join(work, 'generated'));
  bundles = await startMotoBundles(['no-reply@example.com']);
}, 120_000);

afterAll(async () => {
  await bundles?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The logo distribution's address, as a deployment would know it. */
const LOGO_BASE_URL = 'https://d111111abcdef8.cloudfront.net';

/** The template's variables with what only a deployment knows (the key's ARN, the table's name, the logos' address) filled in. */
function deployedEnv(name: string, given: Record<string, string> = {}): Record<string, string> {
  const known: Record<string, string> = { LOGO_BASE_URL, ...given };
  const env = synthesized[name]?.env ?? {};
  return Object.fromEntries(
    Object.entries(env).map(([variable, value]) => {
      if (typeof value === 'string') return [variable, value];
      const filled = known[variable];
      if (filled === undefined) throw new Error(`${name}: ${variable} is known only at deploy`);
      return [variable, filled];
    }),
  );
}

/** Runs each event through `bundle` copied alone into an empty folder, and returns each response. */
function respond(bundlePath: string, events: unknown[], env: Record<string, string>): unknown[] {
  const dir = mkdtempSync(join(work, 'isolated-'));
  copyFileSync(bundlePath, join(dir, 'index.js'));
  // The template pack's files the bundle reads beside it, as in the function's asset.
  cpSync(join(dirname(bundlePath), PACK_FILES_DIR), join(dir, PACK_FILES_DIR), { recursive: true });
  const script = `const { handler } = require('./index.js');
    (async () => { const out = []; for (const e of ${JSON.stringify(events)}) out.push((await handler(e)).response);
    console.log('RESULT' + JSON.stringify(out)); })();`;
  const stdout = execFileSync(process.execPath, ['-e', script], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'error' },
    encoding: 'utf8',
  });
  return JSON.parse(stdout.slice(stdout.indexOf('RESULT') + 'RESULT'.length));
}

describe('the synthesized functions', () => {
  it('are the bundles serverless.yml zips, byte for byte', () => {
    for (const name of ['custom-message', 'custom-email-sender', 'custom-sms-sender']) {
      const code = synthesized[name]?.code ?? '';
      expect(readFileSync(code).equals(readFileSync(join(serverlessDist, `${name}.js`))), name).toBe(true);
      const packFiles = (dir: string) =>
        readdirSync(join(dir, PACK_FILES_DIR), { recursive: true, encoding: 'utf8' })
          .sort()
          .map((file) => [
            file,
            statSync(join(dir, PACK_FILES_DIR, file)).isFile()
              ? readFileSync(join(dir, PACK_FILES_DIR, file), 'utf8')
              : '',
          ]);
      expect(packFiles(dirname(code)), name).toEqual(packFiles(serverlessDist));
    }
  });

  it('answer every CustomMessage source, in each locale and brand asked, as the Serverless bundle does', () => {
    const events = CUSTOM_MESSAGE_SOURCES.flatMap((source) =>
      [
        { locale: 'en', brand: 'default' },
        { locale: 'ar', brand: 'northwind' },
        { locale: 'pt-BR', brand: 'default' },
      ].map((clientMetadata) => customMessageEvent(source, { clientMetadata })),
    );
    const env = deployedEnv('custom-message');
    const fromCdk = respond(synthesized['custom-message']?.code ?? '', events, env);
    expect(fromCdk).toEqual(respond(join(serverlessDist, 'custom-message.js'), events, env));
    expect(fromCdk).toHaveLength(events.length);
    for (const response of fromCdk as Array<{ emailMessage: string; smsMessage: string }>) {
      expect(response.emailMessage).toContain('{####}');
      expect(response.smsMessage).toContain('{####}');
      // The logo from the deployment's address, with its size and alt text.
      expect(response.emailMessage).toMatch(
        new RegExp(
          `<img class="ctp-logo-light" src="${LOGO_BASE_URL}/(default|northwind)-logo-[0-9a-f]{10}\\.png" alt="[^"]+" width="\\d+" height="40"`,
        ),
      );
    }
  });

  it('send every email and SMS source through SES and SNS as the Serverless bundles do, once each', async () => {
    // Each to its own recipient: the hourly limit per address or number (5) is not what this is about.
    const emailEvents = await Promise.all(
      EMAIL_SENDER_SOURCES.map(async (source, index) => {
        const event = senderEvent(source, await bundles.encrypt(String(100000 + index)), {
          clientMetadata: { locale: 'fr' },
        });
        event.request.userAttributes.email = `user${index}@example.com`;
        return event;
      }),
    );
    const smsEvents = await Promise.all(
      SMS_SENDER_SOURCES.map(async (source, index) => {
        const event = senderEvent(source, await bundles.encrypt(String(200000 + index)));
        event.request.userAttributes.phone_number = `+1415555010${index}`;
        return event;
      }),
    );
    const run = async (dir: (name: string) => string) => {
      const table = await createIdempotencyTable(bundles.moto.url);
      const known = { KMS_KEY_ARN: bundles.keyArn, IDEMPOTENCY_TABLE: table };
      // Each event twice, as a retry delivers it again.
      const invokeTwice = (name: string, events: unknown[]) =>
        bundles.invoke(dir(name), [...events, ...events], deployedEnv(name, known));
      const outcomes = [
        ...(await invokeTwice('custom-email-sender', emailEvents)),
        ...(await invokeTwice('custom-sms-sender', smsEvents)),
      ];
      const sent = {
        outcomes,
        emails: (await bundles.moto.sentEmails()).map(({ id: _id, ...message }) => message),
        sms: (await bundles.moto.sentSms()).map(({ messageId: _id, ...message }) => message),
        claims: (await tableItems(bundles.moto.url, table)).length,
      };
      await bundles.reset();
      return sent;
    };
    const fromCdk = await run((name) => synthesized[name]?.code ?? '');
    expect(fromCdk.outcomes.every((outcome) => outcome.ok)).toBe(true);
    // Each event was delivered twice (a retry); the table let each message out once.
    expect(fromCdk.emails).toHaveLength(EMAIL_SENDER_SOURCES.length);
    expect(fromCdk.sms).toHaveLength(SMS_SENDER_SOURCES.length);
    expect(fromCdk.claims).toBeGreaterThan(0);
    // The key changed with the reset: the Serverless bundles get codes made under the new one.
    for (const event of [...emailEvents, ...smsEvents]) {
      if (event.request.code !== null)
        event.request.code = await bundles.encrypt(codeOf(event, emailEvents, smsEvents));
    }
    const fromServerless = await run((name) => join(serverlessDist, `${name}.js`));
    expect(fromCdk).toEqual(fromServerless);
  }, 60_000);
});

/** The plain code each event was made with (its index in its list, as above). */
function codeOf(event: unknown, emailEvents: unknown[], smsEvents: unknown[]): string {
  const email = emailEvents.indexOf(event);
  return email >= 0 ? String(100000 + email) : String(200000 + smsEvents.indexOf(event));
}
