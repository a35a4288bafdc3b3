// Benchmark baseline (not shipped): decrypting the Cognito code as the AWS
// samples for the custom sender triggers do, with the top-level
// @aws-crypto/client-node import and a KMS keyring built once per container.
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html
const { buildClient, CommitmentPolicy, KmsKeyringNode } = require('@aws-crypto/client-node');

// Cognito encrypts with a non-committing algorithm suite.
const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
const keyring = new KmsKeyringNode({ keyIds: [process.env.KMS_KEY_ARN] });

async function decryptCode(event) {
  const { plaintext, messageHeader } = await decrypt(keyring, Buffer.from(event.request.code, 'base64'));
  if (messageHeader.encryptionContext['userpool-id'] !== event.userPoolId) {
    throw new Error('the code was encrypted for another user pool');
  }
  return plaintext.toString('utf8');
}

module.exports = { decryptCode };
