import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoDbStore } from '../../../src/runtime/delivery/dynamodb-store.js';
import { IdempotencyStoreError } from '../../../src/runtime/errors.js';

const dynamodb = mockClient(DynamoDBClient);
const store = dynamoDbStore('tbl', new DynamoDBClient({ region: 'us-east-1' }));
const claim = { key: 'message#k', owner: 'me', nowMs: 1_000_000, inProgressUntilMs: 1_010_000 };

const conditionFailed = (item?: Record<string, { S: string }>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: item });

beforeEach(() => dynamodb.reset());

describe('dynamoDbStore', () => {
  it('claims with a conditional PutItem: absent, past its TTL, or an expired claim', async () => {
    dynamodb.on(PutItemCommand).resolves({});
    expect(await store.claim(claim)).toEqual({ claimed: true });
    const input = dynamodb.commandCalls(PutItemCommand)[0]?.args[0].input;
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
    dynamodb
      .on(PutItemCommand)
      .rejectsOnce(conditionFailed({ status: { S: 'done' }, messageId: { S: 'ses-1' } }))
      .rejectsOnce(conditionFailed({ status: { S: 'in-progress' }, owner: { S: 'other' } }))
      .rejectsOnce(conditionFailed({ status: { S: 'in-progress' }, owner: { S: 'me' } }));
    expect(await store.claim(claim)).toEqual({ claimed: false, status: 'done', messageId: 'ses-1' });
    expect(await store.claim(claim)).toEqual({ claimed: false, status: 'in-progress' });
    expect(await store.claim(claim)).toEqual({ claimed: true });
  });

  it('turns any other failure into IdempotencyStoreError, without the error text', async () => {
    dynamodb.on(PutItemCommand).rejects(
      Object.assign(new Error('echo of the request body'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const error = await store.claim(claim).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect((error as Error).message).toBe(
      'DynamoDB PutItem on the idempotency table failed: ProvisionedThroughputExceededException (HTTP 400)',
    );
  });

  it('marks done with the message id and the record TTL', async () => {
    dynamodb.on(UpdateItemCommand).resolves({});
    await store.markDone('message#k', 'ses-1', 2_000_000);
    const input = dynamodb.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(input?.ExpressionAttributeValues).toEqual({
      ':done': { S: 'done' },
      ':messageId': { S: 'ses-1' },
      ':expiresAt': { N: '2000000' },
    });
  });

  it('releases only its own claim, and leaves one another invocation took over', async () => {
    dynamodb.on(DeleteItemCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    await store.release('message#k', 'me');
    await store.release('message#k', 'me');
    const input = dynamodb.commandCalls(DeleteItemCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('#owner = :owner AND #status = :inProgress');
  });

  it('increments a counter below its limit, and answers false at it', async () => {
    dynamodb.on(UpdateItemCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    expect(await store.increment('limit#x#0', 5, 7200)).toBe(true);
    expect(await store.increment('limit#x#0', 5, 7200)).toBe(false);
    const input = dynamodb.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(input?.UpdateExpression).toBe('ADD #sent :one SET expiresAt = :expiresAt');
    expect(input?.ExpressionAttributeValues?.[':limit']).toEqual({ N: '5' });
  });
});
