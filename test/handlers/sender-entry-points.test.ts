/** The two sender entry points, loaded the way Lambda loads them: configuration from process.env at import. */
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { PublishCommand } from '@aws-sdk/client-sns';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { senderEvent } from '../support/events.js';
import { cognitoCode, resetAwsMocks, SENDER_ENV, sesMock, snsMock } from '../support/sender-harness.js';

beforeAll(() => {
  for (const [name, value] of Object.entries(SENDER_ENV)) vi.stubEnv(name, value);
  vi.stubEnv('LOG_LEVEL', 'error');
});
beforeEach(() => resetAwsMocks());

describe('handler entry points', () => {
  it('custom-email-sender reads its configuration from the environment and sends', async () => {
    const { handler } = await import('../../handlers/custom-email-sender.js');
    await handler(senderEvent('CustomEmailSender_ForgotPassword', await cognitoCode('505050')) as never, {} as never);
    expect(sesMock.commandCalls(SendEmailCommand)[0]?.args[0].input.Message?.Body?.Text?.Data).toContain('505050');
  });

  it('custom-sms-sender reads its configuration from the environment and sends', async () => {
    const { handler } = await import('../../handlers/custom-sms-sender.js');
    await handler(senderEvent('CustomSMSSender_ForgotPassword', await cognitoCode('606060')) as never, {} as never);
    expect(snsMock.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain('606060');
  });
});
