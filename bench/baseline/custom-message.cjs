// Benchmark baseline (not shipped): a CustomMessage trigger written the way
// the AWS samples are, loaded unbundled from node_modules; templates are read
// and compiled on every invocation.
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
const { kindOf, prepare } = require('./templates.cjs');

exports.handler = async (event) => {
  const kind = kindOf(event.triggerSource);
  const message = prepare(event, kind, {
    code: event.request.codeParameter,
    username: kind === 'adminCreateUser' ? event.request.usernameParameter : null,
    link: event.request.linkParameter,
    verifyUrl: null,
    signInUrl: null,
    name: event.request.userAttributes.given_name || event.request.userAttributes.name || null,
  });
  const email = message.email();
  event.response.emailSubject = email.subject;
  event.response.emailMessage = email.html;
  event.response.smsMessage = message.sms();
  return event;
};
