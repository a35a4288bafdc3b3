// Benchmark baseline (not shipped): a CustomSMSSender trigger written the way
// the AWS samples are: unbundled, default SDK client, templates read and
// compiled on every invocation, one SNS Publish.
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html
const { PublishCommand, SNSClient } = require('@aws-sdk/client-sns');
const { decryptCode } = require('./decrypt-code.cjs');
const { kindOf, prepare } = require('./templates.cjs');

const sns = new SNSClient({});

exports.handler = async (event) => {
  const kind = kindOf(event.triggerSource);
  const code = await decryptCode(event);
  const attributes = event.request.userAttributes;
  const message = prepare(event, kind, {
    code,
    username: kind === 'adminCreateUser' ? event.userName : null,
    link: null,
    verifyUrl: null,
    signInUrl: null,
    name: attributes.given_name || attributes.name || null,
  });
  await sns.send(
    new PublishCommand({
      PhoneNumber: attributes.phone_number,
      Message: message.sms(),
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    }),
  );
};
