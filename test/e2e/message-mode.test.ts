/**
 * Message mode end to end: cognito-local calls our CustomMessage function
 * through the local Invoke endpoint, puts the code into the response and
 * delivers it; the test reads the code from that message as a user would.
 *
 * The same stack then serves the checks of the stack itself (one stack per
 * file keeps the suite short): the Invoke endpoint answers as Lambda does,
 * and stopping leaves no process, port or file behind.
 */
import { existsSync } from 'node:fs';
import { ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { runningPids, startStack } from '../../src/local-stack/start-stack.js';
import { codeFlowTests, noSecretsLoggedTest, useStack } from '../support/e2e-suite.js';
import { customMessageEvent } from '../support/events.js';

describe('message mode: cognito-local → CustomMessage → the message cognito-local delivers', () => {
  const flow = useStack('message');
  codeFlowTests('message', flow);
  noSecretsLoggedTest(flow);

  describe('the local Lambda Invoke endpoint', () => {
    it('returns the CustomMessage result with status 200', async () => {
      const event = customMessageEvent('CustomMessage_SignUp', { clientMetadata: { locale: 'ja' } });
      expect(await flow().stack.invoke('custom-message', event)).toMatchObject({
        statusCode: 200,
        functionError: null,
        payload: {
          triggerSource: 'CustomMessage_SignUp',
          response: { emailMessage: expect.stringContaining('{####}') },
        },
      });
    });

    it("reports a thrown error as Lambda does: X-Amz-Function-Error Unhandled, the error's type and message", async () => {
      const { stack } = flow();
      const result = await stack.invoke('custom-message', { triggerSource: 'CustomMessage_SignUp', request: 'nope' });
      expect(result).toMatchObject({
        statusCode: 200,
        functionError: 'Unhandled',
        payload: { errorType: 'InvalidEventError', errorMessage: expect.any(String), trace: expect.any(Array) },
      });
      const [record] = (await stack.invocations()).slice(-1);
      expect(record).toMatchObject({
        functionName: 'custom-message',
        status: 'failed',
        errorType: 'InvalidEventError',
      });
    });

    it('answers an Event invocation with 202 and still records its outcome', async () => {
      const { stack } = flow();
      const before = (await stack.invocations()).length;
      const result = await stack.invoke('custom-message', customMessageEvent('CustomMessage_ForgotPassword'), 'Event');
      expect(result).toEqual({ statusCode: 202, functionError: null, payload: null });
      await expect
        .poll(async () =>
          (await stack.invocations()).slice(before).map((record) => [record.invocationType, record.status]),
        )
        .toEqual([['Event', 'succeeded']]);
    });

    it('answers 404 ResourceNotFoundException for a function it does not serve', async () => {
      await expect(flow().stack.invoke('no-such-function', {})).rejects.toBeInstanceOf(ResourceNotFoundException);
    });

    it('redacts the (encrypted) code from the events it records', async () => {
      const { stack } = flow();
      const event = {
        triggerSource: 'CustomSMSSender_SignUp',
        request: { type: 'customSMSSenderRequestV1', code: 'QUJD' },
      };
      await stack.invoke('custom-sms-sender', event);
      const [record] = (await stack.invocations()).slice(-1);
      expect(record?.event).toMatchObject({ request: { code: '[redacted]' } });
    });
  });

  describe('the local stack', () => {
    it('runs moto, cognito-local and one host per function, all on 127.0.0.1', async () => {
      const { stack } = flow();
      expect(runningPids(stack.pids())).toHaveLength(5);
      for (const url of Object.values(stack.endpoints)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${stack.endpoints.cognito}/health`);
      expect(await health.json()).toEqual({ ok: true });
    });

    it('fails, with the command that installs it, when moto_server is missing', async () => {
      await expect(startStack({ mode: 'message', motoCommand: '/nonexistent/moto_server' })).rejects.toThrow(
        "pip install 'moto[server]'",
      );
    });

    // Last: it stops the file's stack.
    it('stops every process, closes every port and removes its files', async () => {
      const { stack } = flow();
      const pids = stack.pids();
      expect(runningPids(pids)).toHaveLength(5);

      await stack.stop();

      expect(runningPids(pids)).toEqual([]);
      for (const url of Object.values(stack.endpoints)) await expect(fetch(url)).rejects.toThrow();
      expect(existsSync(stack.workDir)).toBe(false);
    });
  });
});
