/**
 * Email delivery through SES v1 SendEmail.
 * https://docs.aws.amazon.com/ses/latest/APIReference/API_SendEmail.html
 */
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { sendClientConfig } from './aws-clients.js';
import { deliveryError } from './aws-error.js';

export interface OutgoingEmail {
  from: string;
  to: string;
  replyTo: readonly string[];
  subject: string;
  html: string;
  text: string;
  configurationSet: string | null;
  /** SES identity ARN for sending authorisation. */
  sourceArn: string | null;
  tags: ReadonlyArray<{ name: string; value: string }>;
}

export interface EmailDelivery {
  /** Sends once; throws DeliveryError when SES does not accept the message after the SDK's retries. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

/** The SendEmail input for one message. */
function sendEmailInput(email: OutgoingEmail) {
  return {
    Source: email.from,
    Destination: { ToAddresses: [email.to] },
    ReplyToAddresses: email.replyTo.length > 0 ? [...email.replyTo] : undefined,
    Message: {
      Subject: { Data: email.subject, Charset: 'UTF-8' },
      Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
    },
    ConfigurationSetName: email.configurationSet ?? undefined,
    SourceArn: email.sourceArn ?? undefined,
    Tags: email.tags.map(({ name, value }) => ({ Name: name, Value: value })),
  };
}

/** The SES adapter; `client` defaults to one built with bounded retries. */
export function sesDelivery(client: SESClient = new SESClient(sendClientConfig())): EmailDelivery {
  return {
    async send(email) {
      try {
        const output = await client.send(new SendEmailCommand(sendEmailInput(email)));
        return { messageId: output.MessageId ?? '' };
      } catch (error) {
        throw deliveryError('SES SendEmail', error);
      }
    },
  };
}
