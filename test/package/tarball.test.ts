/**
 * The pack as a user installs it: `npm pack`, then a fresh project that
 * installs the tarball offline (from npm's cache), runs `init`, adds a locale
 * and a brand, overrides one SMS, checks, builds, runs each bundle with
 * Cognito events, sees a broken template refused, packages both modes with
 * osls, and upgrades to a tarball with a changed base template.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customMessageEvent, senderEvent } from '../support/events.js';
import { type MotoBundles, startMotoBundles } from '../support/moto-bundles.js';
import { installPacked, packTarball } from '../support/packed-project.js';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'ctp-tarball-'));
const project = join(root, 'my-app');
const cli = join(project, 'node_modules', 'cognito-trigger-pack', 'lib', 'cli.cjs');
let tarball: string;
let bundles: MotoBundles;

/** Runs the installed command line in the project, as `npx cognito-trigger-pack …` would. */
async function ctp(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      cwd: project,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: join(root, 'home'),
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'y',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** What the project's dist/custom-message.js answers, run alone as Lambda runs it. */
function customMessage(event: unknown): { emailSubject: string; emailMessage: string; smsMessage: string } {
  const script = `require(${JSON.stringify(join(project, 'dist', 'custom-message.js'))}).handler(${JSON.stringify(event)}).then((r) => console.log('RESULT' + JSON.stringify(r.response)))`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', DEFAULT_BRAND: 'contoso', LOG_LEVEL: 'error' },
    encoding: 'utf8',
  });
  return JSON.parse(out.slice(out.indexOf('RESULT') + 'RESULT'.length));
}

const templates = (...path: string[]) => join(project, 'templates', ...path);
/** What a team adds beside the pack for what this test runs: osls for package, the CDK for the construct. */
const EXTRAS = ['osls', 'aws-cdk-lib', 'constructs'];

beforeAll(async () => {
  tarball = packTarball(join(root, 'pack'));
  installPacked(project, tarball, EXTRAS);
  bundles = await startMotoBundles(['no-reply@contoso.example', 'no-reply@fabrikam.example']);
}, 240_000);

afterAll(async () => {
  await bundles?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('the packed tarball in a fresh project', () => {
  it('ships the command line, the library, the runtime sources and the base templates, and nothing of our own tests', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const path of ['lib/cli.cjs', 'lib/index.cjs', 'lib/types/library/index.d.ts', 'handlers/custom-message.ts']) {
      expect(files).toContain(`package/${path}`);
    }
    expect(files).toContain('package/templates/locales/en/messages.json');
    expect(files.filter((path) => /^package\/(test|bench|scripts|templates\/brands)\//.test(path))).toEqual([]);
  });

  it('inits, takes a new locale, a new brand and an SMS override, checks, builds, and answers Cognito', async () => {
    const init = await ctp('init', '--name', 'Contoso', '--locales', 'en,fr');
    expect(init.code, init.stderr).toBe(0);
    const packageFr = join(
      project,
      'node_modules',
      'cognito-trigger-pack',
      'templates',
      'locales',
      'fr',
      'messages.json',
    );
    const italian = { ...JSON.parse(readFileSync(packageFr, 'utf8')), meta: { name: 'Italiano', dir: 'ltr' } };
    mkdirSync(templates('locales', 'it'));
    writeFileSync(templates('locales', 'it', 'messages.json'), JSON.stringify(italian));
    const contoso = JSON.parse(readFileSync(templates('brands', 'contoso', 'brand.json'), 'utf8'));
    mkdirSync(templates('brands', 'fabrikam'));
    writeFileSync(
      templates('brands', 'fabrikam', 'brand.json'),
      JSON.stringify({
        ...contoso,
        productName: 'Fabrikam',
        email: { ...contoso.email, from: 'Fabrikam <no-reply@fabrikam.example>' },
      }),
    );
    writeFileSync(templates('brands', 'fabrikam', 'signUp.sms.hbs'), 'Fabrikam: {{code}} is your sign-up code.');

    const check = await ctp('check');
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/^it +fabrikam /m);
    const build = await ctp('build');
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/custom-email-sender\.js +[\d.]+ KB raw +[\d.]+ KB zipped/);

    const signUp = (locale: string, brand: string) =>
      customMessage(customMessageEvent('CustomMessage_SignUp', { clientMetadata: { locale, brand } }));
    expect(signUp('it', 'fabrikam').smsMessage).toBe('Fabrikam: {####} is your sign-up code.');
    expect(signUp('it', 'contoso').emailMessage).toContain('<html lang="it"');
    expect(signUp('fr', 'contoso').emailSubject).toContain('Contoso');

    const env = { DEFAULT_BRAND: 'contoso', EMAIL_FROM: 'Contoso <no-reply@contoso.example>' };
    const email = senderEvent('CustomEmailSender_ForgotPassword', await bundles.encrypt('314159'), {
      clientMetadata: { locale: 'it', brand: 'fabrikam' },
    });
    const sms = senderEvent('CustomSMSSender_SignUp', await bundles.encrypt('271828'), {
      clientMetadata: { brand: 'fabrikam' },
    });
    expect(await bundles.invoke(join(project, 'dist', 'custom-email-sender.js'), [email], env)).toEqual([{ ok: true }]);
    expect(await bundles.invoke(join(project, 'dist', 'custom-sms-sender.js'), [sms], env)).toEqual([{ ok: true }]);
    const [sentEmail] = await bundles.moto.sentEmails();
    expect(sentEmail?.source).toBe('Fabrikam <no-reply@fabrikam.example>');
    expect(sentEmail?.html).toContain('314159');
    expect((await bundles.moto.sentSms()).map((message) => message.message)).toEqual([
      'Fabrikam: 271828 is your sign-up code.',
    ]);
  });

  it('refuses to build a broken template, naming the file and line', async () => {
    const override = templates('brands', 'fabrikam', 'signUp.sms.hbs');
    const good = readFileSync(override, 'utf8');
    writeFileSync(override, 'Fabrikam: {{cod}} is your sign-up code.');
    const build = await ctp('build', '--out', 'broken-dist');
    writeFileSync(override, good);
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/templates\/brands\/fabrikam\/signUp\.sms\.hbs:1:\d+/);
    expect(build.stderr).toMatch(/error: Build refused/);
    expect(build.stderr).not.toMatch(/\n\s+at /);
  });

  it('packages both modes offline with osls, from the pack and the project file', async () => {
    for (const mode of ['message', 'sender']) {
      const packaged = await ctp('package', '--param', `mode=${mode}`);
      expect(packaged.code, packaged.stderr).toBe(0);
      const template = JSON.parse(
        readFileSync(
          join(project, '.cognito-trigger-pack', 'deploy', '.serverless', 'cloudformation-template-update-stack.json'),
          'utf8',
        ),
      );
      const functions = Object.values(
        template.Resources as Record<string, { Type: string; Properties: { FunctionName?: string } }>,
      )
        .filter((resource) => resource.Type === 'AWS::Lambda::Function')
        .map((resource) => resource.Properties.FunctionName);
      expect(functions.sort(), mode).toEqual(
        // Both modes also upload the brands' logo files to the stack's bucket (docs/deployment.md).
        mode === 'message'
          ? ['my-app-auth-dev-custom-message', 'my-app-auth-dev-upload-logos']
          : [
              'my-app-auth-dev-custom-email-sender',
              'my-app-auth-dev-custom-sms-sender',
              'my-app-auth-dev-upload-logos',
            ],
      );
    }
  });

  it('synthesizes the CDK construct from cognito-trigger-pack/cdk with the project folder', async () => {
    const app = `
      const { App, Stack } = require('aws-cdk-lib');
      const { UserPool } = require('aws-cdk-lib/aws-cognito');
      const { CognitoTriggerPack } = require('cognito-trigger-pack/cdk');
      const app = new App({ outdir: 'cdk.out' });
      const stack = new Stack(app, 'Auth', { env: { account: '123456789012', region: 'us-east-1' } });
      const triggers = new CognitoTriggerPack(stack, 'Messages', {
        mode: 'sender', templates: 'templates', defaultBrand: 'contoso',
        emailFrom: 'Contoso <no-reply@contoso.example>', sesIdentity: 'contoso.example',
      });
      const pool = new UserPool(stack, 'Users', { ...triggers.userPoolProps, signInAliases: { email: true } });
      triggers.attachTo(pool);
      const resources = app.synth().getStackByName('Auth').template.Resources;
      const found = Object.values(resources).find((r) => r.Type === 'AWS::Cognito::UserPool');
      console.log('CONFIG' + JSON.stringify(found.Properties.LambdaConfig));`;
    writeFileSync(join(project, 'synth.cjs'), app);
    const { stdout } = await run(process.execPath, ['synth.cjs'], { cwd: project });
    const config = JSON.parse(stdout.slice(stdout.indexOf('CONFIG') + 'CONFIG'.length));
    expect(config.CustomEmailSender.LambdaVersion).toBe('V1_0');
    expect(config.CustomSMSSender.LambdaVersion).toBe('V1_0');
    expect(config.KMSKeyID['Fn::GetAtt'][1]).toBe('Arn');
  });

  it('upgrades: a new base template reaches the project with no edit, and its overrides still win', async () => {
    const unpacked = join(root, 'next');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8'));
    writeFileSync(join(unpacked, 'package', 'package.json'), JSON.stringify({ ...manifest, version: '0.1.1' }));
    writeFileSync(join(unpacked, 'package', 'templates', 'base', 'signUp.sms.hbs'), '{{t "signUp.sms"}} (new base)');
    const next = join(root, 'pack', 'cognito-trigger-pack-0.1.1.tgz');
    execFileSync('tar', ['-czf', next, '-C', unpacked, 'package']);
    installPacked(project, next, EXTRAS);

    const build = await ctp('build');
    expect(build.code, build.stderr).toBe(0);
    const sms = (brand: string) =>
      customMessage(customMessageEvent('CustomMessage_SignUp', { clientMetadata: { locale: 'en', brand } })).smsMessage;
    expect(sms('contoso')).toMatch(/ \(new base\)$/);
    expect(sms('fabrikam')).toBe('Fabrikam: {####} is your sign-up code.');
  });
});
