// Benchmark baseline (not shipped): a CustomEmailSender trigger written the
// way the AWS samples are: unbundled, default SDK client, templates read and
// compiled on every invocation, one SES SendEmail.
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-email-sender.html
const { SESClient, SendEmailCommand } = require('@aws-sdk/client-ses');
const { decryptCode } = require('./decrypt-code.cjs');
const { kindOf, prepare, htmlToText } = require('./templates.cjs');

const ses = new SESClient({});

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
  const { subject, html } = message.email();
  const charset = 'UTF-8';
  await ses.send(
    new SendEmailCommand({
      Source: message.brand.email.from || process.env.EMAIL_FROM,
      Destination: { ToAddresses: [attributes.email] },
      Message: {
        Subject: { Data: subject, Charset: charset },
        Body: { Html: { Data: html, Charset: charset }, Text: { Data: htmlToText(html), Charset: charset } },
      },
      Tags: [
        { Name: 'triggerSource', Value: event.triggerSource },
        { Name: 'brand', Value: message.brandId },
        { Name: 'locale', Value: message.locale },
      ],
    }),
  );
};
