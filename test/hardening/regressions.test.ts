/**
 * The bugs the fuzzers found, each kept as a plain test with the shrunk
 * input (the network and log-writer ones live in faults-network and
 * faults-mocked, where their fault is injected).
 */
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as customMessage } from '../../handlers/custom-message.js';
import { ACCOUNT_TAKE_OVER_ATTRIBUTES, customMessageEvent, senderEvent } from '../support/events.js';
import { cognitoCode, emailHandler, resetAwsMocks, sesMock, smsHandler, snsMock } from '../support/sender-harness.js';
import { leakedSecret } from './support/oracles.js';

const email = emailHandler();
const sms = smsHandler();
beforeEach(() => resetAwsMocks());

const sentHtml = () =>
  sesMock.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Message?.Body?.Html?.Data ?? '');

describe('a display name with characters Cognito does not allow', () => {
  // Private use (Co), unassigned (Cn), a noncharacter and a lone surrogate: cleanDisplayText
  // removes controls and invisibles but kept these, and the rendered email then failed the
  // body rule, so the sender refused to send and the user never got the code.
  for (const [what, name] of [
    ['U+E000 (private use)', 'Ann\ue000'],
    ['U+D7FC (unassigned)', 'Ann\ud7fc'],
    ['U+10FFFF (noncharacter)', 'Ann\u{10ffff}'],
    ['U+D800 (lone surrogate)', 'Ann\ud800'],
  ] as const) {
    it(`CustomEmailSender still delivers the code to a name with ${what}`, async () => {
      // A password reset: the one message that greets by name by default (GREET_BY_NAME=verified).
      const event = senderEvent('CustomEmailSender_ForgotPassword', await cognitoCode('739152'), {
        userAttributes: { email: 'alice@example.com', given_name: name },
      });
      await email(event, { awsRequestId: 'regression' });
      expect(sentHtml()).toHaveLength(1);
      expect(sentHtml()[0]).toContain('Ann');
    });

    it(`CustomMessage keeps the branded email for a name with ${what}`, async () => {
      const event = customMessageEvent('CustomMessage_ForgotPassword', {
        userAttributes: { email: 'alice@example.com', given_name: name },
      });
      const { response } = await customMessage(event);
      expect(response.emailMessage).toContain('Ann');
    });
  }

  it('CustomEmailSender still sends the take-over notice when the device name (the attacker’s user agent) has one', async () => {
    const event = senderEvent('CustomEmailSender_AccountTakeOverNotification', null);
    event.request.userAttributes = { ...ACCOUNT_TAKE_OVER_ATTRIBUTES, DEVICE_NAME: 'Chrome \ue000 130' };
    await email(event, { awsRequestId: 'regression' });
    expect(sentHtml()).toHaveLength(1);
  });
});

describe('an invitation by SMS for a long username', () => {
  // Cognito usernames run to 128 characters. With a 90-character one the English text is
  // 155 characters, over Cognito's 140 for CustomMessage SMS responses, so the sender refused
  // to publish and the invited user never got the temporary password. SNS itself takes
  // 1,600 characters; the segment budget is already logged as a warning.
  it('CustomSMSSender_AdminCreateUser publishes the username and temporary password', async () => {
    const userName = `${'a'.repeat(60)}😀${'a'.repeat(28)}`;
    const event = senderEvent('CustomSMSSender_AdminCreateUser', await cognitoCode('Tq7&lt;mZ&amp;p2R'), {
      userName,
      userAttributes: { phone_number: '+14155550123' },
    });
    await sms(event, { awsRequestId: 'regression' });
    const published = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input.Message ?? '');
    expect(published).toHaveLength(1);
    expect(published[0]).toContain(userName);
    expect(published[0]).toContain('Tq7<mZ&p2R');
  });
});

describe("CustomMessage with Cognito's link parameter on sources that never verify by link", () => {
  const withLink = (source: Parameters<typeof customMessageEvent>[0]): CustomMessageTriggerEvent =>
    customMessageEvent(source, { linkParameter: '{##Click Here##}' });

  // The facts leave open which sources carry linkParameter; with it, the invitation's
  // template has no link, the validator demanded one, and the branded email was dropped.
  it('AdminCreateUser keeps its branded invitation', async () => {
    const { response } = await customMessage(withLink('CustomMessage_AdminCreateUser'));
    expect(response.emailMessage).not.toBeNull();
  });

  // …and a password-reset or sign-in email got a "Verify my email address" link placeholder.
  for (const source of ['CustomMessage_ForgotPassword', 'CustomMessage_Authentication'] as const) {
    it(`${source} carries no verification link placeholder`, async () => {
      const { response } = await customMessage(withLink(source));
      expect(response.emailMessage).not.toBeNull();
      expect(response.emailMessage).not.toMatch(/\{##[^{}#]/);
    });
  }
});

describe('an Arabic invitation whose username begins like an address', () => {
  // In a right-to-left locale the senders isolate URLs, addresses and the username. The
  // address pattern matched the username's start (`a@…`) and stopped at `]` or `!`, so the
  // isolate cut the username in two, the validator found it missing, and the invited user
  // never got the temporary password.
  for (const userName of [`a@${'a'.repeat(20)}]aaaa`, `a@${'a'.repeat(20)}!`]) {
    it(`CustomSMSSender_AdminCreateUser publishes ${userName} whole`, async () => {
      const event = senderEvent('CustomSMSSender_AdminCreateUser', await cognitoCode('Tq7mZp2R'), {
        userName,
        userAttributes: { phone_number: '+14155550123', locale: 'ar' },
      });
      await sms(event, { awsRequestId: 'regression' });
      const published = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input.Message ?? '');
      expect(published).toHaveLength(1);
      expect(published[0]).toContain(`\u2068${userName}\u2069`);
    });

    it(`CustomEmailSender_AdminCreateUser sends ${userName} whole in the text part`, async () => {
      const event = senderEvent('CustomEmailSender_AdminCreateUser', await cognitoCode('Tq7mZp2R'), {
        userName,
        userAttributes: { email: 'alice@example.com', locale: 'ar' },
      });
      await email(event, { awsRequestId: 'regression' });
      const text = sesMock.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Message?.Body?.Text?.Data ?? '');
      expect(text).toHaveLength(1);
      expect(text[0]).toContain(`\u2068${userName}\u2069`);
    });
  }
});

describe('the leak oracle and a log line’s clock', () => {
  // Two fuzzers failed together in one CI run: an embedded-metric line's Timestamp
  // (epoch ms) held the digits of a pool code for ten milliseconds. A clock is no leak;
  // the same digits anywhere else in the line still are.
  it('ignores a code’s digits inside the time and Timestamp fields, and finds them elsewhere', () => {
    const clock = '{"_aws":{"Timestamp":1796285546372},"time":"2026-12-03T08:12:26.372Z"';
    expect(leakedSecret([`${clock}}`], ['554637'])).toBeNull();
    expect(leakedSecret([`${clock},"note":"554637"}`], ['554637'])).toBe('text #0 contains a 6-character secret');
  });
});
