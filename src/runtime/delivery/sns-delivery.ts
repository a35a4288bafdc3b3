/**
 * SMS delivery through SNS Publish to a phone number.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { sendClientConfig } from './aws-clients.js';
import { deliveryError } from './aws-error.js';

export interface OutgoingSms {
  phoneNumber: string;
  text: string;
  senderId: string | null;
  originationNumber: string | null;
}

export interface SmsDelivery {
  /** Publishes once; throws DeliveryError when SNS does not accept it after the SDK's retries. */
  send(sms: OutgoingSms): Promise<{ messageId: string }>;
}

/** The Publish input for one SMS. */
function publishInput(sms: OutgoingSms) {
  const attributes: Record<string, { DataType: 'String'; StringValue: string }> = {
    // Transactional: higher delivery priority for codes than Promotional.
    'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
  };
  if (sms.senderId) attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: sms.senderId };
  if (sms.originationNumber) {
    attributes['AWS.MM.SMS.OriginationNumber'] = { DataType: 'String', StringValue: sms.originationNumber };
  }
  return { PhoneNumber: sms.phoneNumber, Message: sms.text, MessageAttributes: attributes };
}

/** The SNS adapter; `client` defaults to one built with bounded retries. */
export function snsDelivery(client: SNSClient = new SNSClient(sendClientConfig())): SmsDelivery {
  return {
    async send(sms) {
      try {
        const output = await client.send(new PublishCommand(publishInput(sms)));
        return { messageId: output.MessageId ?? '' };
      } catch (error) {
        throw deliveryError('SNS Publish', error);
      }
    },
  };
}
