/** The command line, run in process on temporary projects: what a user types and what they read back. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, main } from '../../src/cli/main.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ctp-cli-'));
  made.push(dir);
  return dir;
}

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line), cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cognito-trigger-pack', () => {
  it('lists its commands, and every command has --help', async () => {
    const { code, out } = await run(project(), '--help');
    expect(code).toBe(0);
    for (const command of Object.keys(COMMANDS)) {
      expect(out).toMatch(new RegExp(`^  ${command} `, 'm'));
      const help = await run(project(), command, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toMatch(new RegExp(`^Usage: cognito-trigger-pack ${command}`));
      expect(help.out).toContain('--templates');
    }
  });

  it('answers a mistake with one sentence and exit code 1, never a stack trace', async () => {
    const dir = project();
    for (const [argv, message] of [
      [['chek'], /^error: "chek" is not a command; the commands are init, /],
      [['build', '--ot', 'x'], /^error: Unknown option '--ot'; see cognito-trigger-pack build --help$/],
      [['check'], /^error: There is no templates folder at templates; run cognito-trigger-pack init/],
      [['init', '--name', '<script>'], /^error: --name "<script>" is not a product name/],
      [['init', '--locales', 'en,xx'], /^error: --locales names xx, which the package has no catalog for/],
    ] as const) {
      const { code, err } = await run(dir, ...argv);
      expect(code, argv.join(' ')).toBe(1);
      expect(err).toMatch(message);
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  it('makes a project with init that checks green and builds', async () => {
    const dir = project();
    const init = await run(dir, 'init', '--name', 'Contoso', '--locales', 'en,fr');
    expect(init.code).toBe(0);
    expect(init.out).toContain('wrote templates/brands/contoso/brand.json');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.scripts.start).toBe('cognito-trigger-pack preview');
    expect(manifest.devDependencies['cognito-trigger-pack']).toMatch(/^\^\d+\.\d+\.\d+/);

    const check = await run(dir, 'check');
    expect(check.code).toBe(0);
    expect(check.out).toMatch(/^fr +contoso /m);

    const again = await run(dir, 'init', '--name', 'Contoso');
    expect(again.out).toContain('kept  templates/brands/contoso/brand.json');

    const build = await run(dir, 'build');
    expect(build.code, build.err).toBe(0);
    expect(build.out).toMatch(/custom-message\.js +[\d.]+ KB raw +[\d.]+ KB zipped/);
    expect(readFileSync(join(dir, 'dist', 'pack.d.ts'), 'utf8')).toContain("from 'cognito-trigger-pack'");
  });

  it("keeps an existing app's scripts, deployment file and ignores, adding the pack's beside them", async () => {
    const dir = project();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', scripts: { start: 'node server.js' } }));
    writeFileSync(join(dir, 'serverless.yml'), 'service: app-api\n');
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n.env');
    const init = await run(dir, 'init', '--name', 'Contoso');
    expect(init.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.scripts.start).toBe('node server.js');
    expect(manifest.scripts['ctp:start']).toBe('cognito-trigger-pack preview');
    expect(manifest.scripts.deploy).toBe('cognito-trigger-pack deploy --config cognito-triggers.yml');
    expect(readFileSync(join(dir, 'serverless.yml'), 'utf8')).toBe('service: app-api\n');
    expect(readFileSync(join(dir, 'cognito-triggers.yml'), 'utf8')).toContain('defaultBrand: contoso');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(
      'node_modules\n.env\ndist/\nout/\n.cognito-trigger-pack/\n.serverless/\n',
    );
  });

  it('refuses to build when a check fails', async () => {
    const dir = project();
    await run(dir, 'init', '--name', 'Contoso');
    writeFileSync(join(dir, 'templates', 'locales', 'en', 'signUp.sms.hbs'), 'Your Contoso code is ready.');
    const build = await run(dir, 'build');
    expect(build.code).toBe(1);
    expect(build.err).toMatch(/error: Build refused: the templates fail the checks above/);
    expect(build.err).toMatch(/SignUp/);
  });

  it('exports every message, and send-test never picks a recipient', async () => {
    const dir = project();
    await run(dir, 'init', '--name', 'Contoso', '--locales', 'en,fr');
    const exported = await run(dir, 'export', '--out', 'review');
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/^Wrote \d+ messages \(0 failing\) as \d+ files to review\//);
    const index = JSON.parse(readFileSync(join(dir, 'review', 'index.json'), 'utf8'));
    expect(index.brands).toEqual(['contoso']);
    const send = await run(dir, 'send-test');
    expect(send.code).toBe(1);
    expect(send.err).toMatch(/^error: send-test needs --to with an email address or an E\.164 phone number/);
  });

  it('ejects: the folder then holds its whole base and stops layering', async () => {
    const dir = project();
    await run(dir, 'init', '--name', 'Contoso', '--locales', 'en,fr');
    writeFileSync(join(dir, 'templates', 'locales', 'fr', 'messages.json'), '{"signUp": {"subject": "Bienvenue"}}');
    const eject = await run(dir, 'eject');
    expect(eject.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'templates', 'pack.json'), 'utf8'))).toEqual({ base: 'own' });
    const fr = JSON.parse(readFileSync(join(dir, 'templates', 'locales', 'fr', 'messages.json'), 'utf8'));
    expect(fr.signUp.subject).toBe('Bienvenue');
    expect(fr.meta.name).toBe('Français');
    expect((await run(dir, 'check')).code).toBe(0);
    expect((await run(dir, 'eject')).err).toMatch(/already says "base": "own"/);
  });
});
