/**
 * docs/cdk.md's stack, as a reader copies it: the page's first TypeScript
 * block, with its imports pointed at this checkout, synthesized and put
 * through cdk-nag's AwsSolutions pack.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'ctp-cdk-docs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The page's TypeScript blocks, in order. */
function typescriptBlocks(page: string): string[] {
  return [...readFileSync(page, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
}

/** `source` as a module outside the checkout: the pack's entry point and every package by absolute path. */
function importable(source: string): string {
  const require = createRequire(resolve('package.json'));
  return source.replace(/from '([^'.][^']*)'/g, (_whole, specifier: string) =>
    specifier === 'cognito-trigger-pack/cdk'
      ? `from '${resolve('src/cdk/index.ts')}'`
      : `from '${require.resolve(specifier)}'`,
  );
}

describe('docs/cdk.md', () => {
  it('its stack synthesizes, wires both senders and the key, and leaves cdk-nag nothing unacknowledged', async () => {
    const [stackFile] = typescriptBlocks('docs/cdk.md');
    const file = join(work, 'auth-stack.ts');
    writeFileSync(file, importable(stackFile ?? ''));
    const { AuthStack } = (await import(file)) as {
      AuthStack: new (scope: App, id: string, props: object) => Stack;
    };
    const app = new App();
    const stack = new AuthStack(app, 'Auth', { env: { account: '123456789012', region: 'eu-west-1' } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        CustomEmailSender: { LambdaVersion: 'V1_0' },
        CustomSMSSender: { LambdaVersion: 'V1_0' },
        KMSKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TriggersCodeKey'), 'Arn'] },
      },
    });
    // The two senders and the logo upload.
    template.resourceCountIs('AWS::Lambda::Function', 3);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});
