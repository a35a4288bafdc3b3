import { describe, expect, it } from 'vitest';
import {
  type DynamoDbClient,
  DynamoDbError,
  type DynamoDbOperation,
} from '../../../src/runtime/delivery/dynamodb-client.js';
import { dynamoDbStore } from '../../../src/runtime/delivery/dynamodb-store.js';
import { IdempotencyStoreError } from '../../../src/runtime/errors.js';

type Answer = Record<string, unknown> | Error;

/** A DynamoDB client that records each call and answers from a script, in order. */
function scriptedClient(...answers: Answer[]) {
  const calls: Array<{ operation: DynamoDbOperation; input: Record<string, unknown> }> = [];
  const client: DynamoDbClient = {
    async call(operation, input) {
      calls.push({ operation, input });
      const answer = answers.shift() ?? {};
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { client, calls };
}

const claim = { key: 'message#k', owner: 'me', nowMs: 1_000_000, inProgressUntilMs: 1_010_000 };
const conditionFailed = (operation: DynamoDbOperation, item?: Record<string, { S: string }>) =>
  new DynamoDbError('ConditionalCheckFailedException', operation, { httpStatusCode: 400 }, item);

describe('dynamoDbStore', () => {
  it('claims with a conditional PutItem: absent, past its TTL, or an expired claim', async () => {
    const { client, calls } = scriptedClient({});
    expect(await dynamoDbStore('tbl', client).claim(claim)).toEqual({ claimed: true });
    expect(calls[0]?.operation).toBe('PutItem');
    const input = calls[0]?.input;
    expect(input?.TableName).toBe('tbl');
    expect(input?.Item).toMatchObject({
      pk: { S: 'message#k' },
      status: { S: 'in-progress' },
      owner: { S: 'me' },
      inProgressUntil: { N: '1010000' },
      expiresAt: { N: String(1010 + 3600) },
    });
    expect(input?.ConditionExpression).toContain('attribute_not_exists(pk)');
    expect(input?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('reports a done record with its message id, another claim, and its own claim found on a retry', async () => {
    const { client } = scriptedClient(
      conditionFailed('PutItem', { status: { S: 'done' }, messageId: { S: 'ses-1' } }),
      conditionFailed('PutItem', { status: { S: 'in-progress' }, owner: { S: 'other' } }),
      conditionFailed('PutItem', { status: { S: 'in-progress' }, owner: { S: 'me' } }),
    );
    const store = dynamoDbStore('tbl', client);
    expect(await store.claim(claim)).toEqual({ claimed: false, status: 'done', messageId: 'ses-1' });
    expect(await store.claim(claim)).toEqual({ claimed: false, status: 'in-progress' });
    expect(await store.claim(claim)).toEqual({ claimed: true });
  });

  it('turns any other failure into IdempotencyStoreError, without the error text', async () => {
    const failure = Object.assign(new Error('echo of the request body'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    const { client } = scriptedClient(failure, new Error('socket hang up'));
    const store = dynamoDbStore('tbl', client);
    const error = await store.claim(claim).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect((error as Error).message).toBe(
      'DynamoDB PutItem on the idempotency table failed: ProvisionedThroughputExceededException (HTTP 400)',
    );
    await expect(store.markDone('message#k', 'ses-1', 1)).rejects.toThrow(
      'DynamoDB UpdateItem on the idempotency table failed: Error',
    );
  });

  it('marks done with the message id and the record TTL', async () => {
    const { client, calls } = scriptedClient({});
    await dynamoDbStore('tbl', client).markDone('message#k', 'ses-1', 2_000_000);
    expect(calls[0]?.operation).toBe('UpdateItem');
    expect(calls[0]?.input).toMatchObject({ TableName: 'tbl', Key: { pk: { S: 'message#k' } } });
    expect(calls[0]?.input.ExpressionAttributeValues).toEqual({
      ':done': { S: 'done' },
      ':messageId': { S: 'ses-1' },
      ':expiresAt': { N: '2000000' },
    });
  });

  it('releases only its own claim, and leaves one another invocation took over', async () => {
    const { client, calls } = scriptedClient({}, conditionFailed('DeleteItem'));
    const store = dynamoDbStore('tbl', client);
    await store.release('message#k', 'me');
    await store.release('message#k', 'me');
    expect(calls.map(({ operation }) => operation)).toEqual(['DeleteItem', 'DeleteItem']);
    expect(calls[0]?.input.ConditionExpression).toBe('#owner = :owner AND #status = :inProgress');
    expect(calls[0]?.input.ExpressionAttributeValues).toMatchObject({ ':owner': { S: 'me' } });
  });

  it('increments a counter below its limit, and answers false at it', async () => {
    const { client, calls } = scriptedClient({}, conditionFailed('UpdateItem'));
    const store = dynamoDbStore('tbl', client);
    expect(await store.increment('limit#x#0', 5, 7200)).toBe(true);
    expect(await store.increment('limit#x#0', 5, 7200)).toBe(false);
    expect(calls[0]?.input.UpdateExpression).toBe('ADD #sent :one SET expiresAt = :expiresAt');
    expect(calls[0]?.input.ExpressionAttributeValues).toMatchObject({ ':limit': { N: '5' } });
  });
});
