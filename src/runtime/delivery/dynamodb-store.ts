/**
 * The idempotency table in DynamoDB (docs/idempotency.md): one item per
 * message, keyed by a hash, and one counter per limit and hour. Every write
 * is conditional, so two invocations never both win a claim and a counter
 * never passes its limit. Keys are hashes: no code, ciphertext, address or
 * number is ever stored.
 *
 * Table: partition key `pk` (string), TTL on `expiresAt` (epoch seconds).
 */
import { IdempotencyStoreError } from '../errors.js';
import { awsErrorFacts, awsErrorSummary } from './aws-error.js';
import { type DynamoDbClient, type DynamoDbOperation, isConditionFailed } from './dynamodb-client.js';

/** What a claim found: ours now, or someone else's record. */
export type ClaimResult =
  | { claimed: true }
  | { claimed: false; status: 'done'; messageId: string }
  | { claimed: false; status: 'in-progress' };

export interface Claim {
  key: string;
  /** Tells this invocation's claim from another's (a retried PutItem may find its own). */
  owner: string;
  nowMs: number;
  /** Until when the claim holds another invocation off (epoch ms). */
  inProgressUntilMs: number;
}

/** The table's operations; any failure but a lost condition is an IdempotencyStoreError. */
export interface DeliveryStore {
  /** Claims `key` unless a live record is there: none, an expired claim, or one past its TTL is taken over. */
  claim(claim: Claim): Promise<ClaimResult>;
  /** Marks the message sent, kept until `expiresAt` (epoch seconds). */
  markDone(key: string, messageId: string, expiresAt: number): Promise<void>;
  /** Gives up this owner's claim, so a retry sends. */
  release(key: string, owner: string): Promise<void>;
  /** Adds one to the counter unless it is at `limit`; false when it is. */
  increment(key: string, limit: number, expiresAt: number): Promise<boolean>;
  /** Takes back one count of a message that was not sent (never below zero). */
  decrement(key: string): Promise<void>;
}

/** The DynamoDB store on `tableName`, through `client` (dynamoDbClient, with bounded retries and timeouts). */
export function dynamoDbStore(tableName: string, client: DynamoDbClient): DeliveryStore {
  const call = async (operation: DynamoDbOperation, input: Record<string, unknown>): Promise<void> => {
    try {
      await client.call(operation, { TableName: tableName, ...input });
    } catch (error) {
      if (isConditionFailed(error)) throw error;
      throw new IdempotencyStoreError(
        `DynamoDB ${operation} on the idempotency table failed: ${awsErrorSummary(error)}`,
        {
          cause: awsErrorFacts(error),
        },
      );
    }
  };
  const pk = (key: string) => ({ pk: { S: key } });

  return {
    async claim({ key, owner, nowMs, inProgressUntilMs }) {
      try {
        await call('PutItem', {
          Item: {
            ...pk(key),
            status: { S: 'in-progress' },
            owner: { S: owner },
            inProgressUntil: { N: String(inProgressUntilMs) },
            // The TTL sweeps an abandoned claim; the condition below never waits for it.
            expiresAt: { N: String(Math.ceil(inProgressUntilMs / 1000) + 3600) },
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :nowSeconds OR (#status = :inProgress AND inProgressUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':inProgress': { S: 'in-progress' },
            ':now': { N: String(nowMs) },
            ':nowSeconds': { N: String(Math.floor(nowMs / 1000)) },
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
        return { claimed: true };
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        const item = error.Item ?? {};
        if (item.status?.S === 'done') return { claimed: false, status: 'done', messageId: item.messageId?.S ?? '' };
        // Our own claim, found by the retry of a PutItem whose first answer was lost.
        if (item.owner?.S === owner) return { claimed: true };
        return { claimed: false, status: 'in-progress' };
      }
    },
    async markDone(key, messageId, expiresAt) {
      await call('UpdateItem', {
        Key: pk(key),
        UpdateExpression: 'SET #status = :done, messageId = :messageId, expiresAt = :expiresAt REMOVE inProgressUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':done': { S: 'done' },
          ':messageId': { S: messageId },
          ':expiresAt': { N: String(expiresAt) },
        },
      });
    },
    async release(key, owner) {
      try {
        await call('DeleteItem', {
          Key: pk(key),
          ConditionExpression: '#owner = :owner AND #status = :inProgress',
          ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
          ExpressionAttributeValues: { ':owner': { S: owner }, ':inProgress': { S: 'in-progress' } },
        });
      } catch (error) {
        // Another invocation took the expired claim over: it is theirs to finish.
        if (!isConditionFailed(error)) throw error;
      }
    },
    async increment(key, limit, expiresAt) {
      try {
        await call('UpdateItem', {
          Key: pk(key),
          UpdateExpression: 'ADD #sent :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#sent) OR #sent < :limit',
          ExpressionAttributeNames: { '#sent': 'sent' },
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':limit': { N: String(limit) },
            ':expiresAt': { N: String(expiresAt) },
          },
        });
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },
    async decrement(key) {
      try {
        await call('UpdateItem', {
          Key: pk(key),
          UpdateExpression: 'ADD #sent :minusOne',
          ConditionExpression: '#sent > :zero',
          ExpressionAttributeNames: { '#sent': 'sent' },
          ExpressionAttributeValues: { ':minusOne': { N: '-1' }, ':zero': { N: '0' } },
        });
      } catch (error) {
        // Already at zero, or swept by the TTL: nothing to give back.
        if (!isConditionFailed(error)) throw error;
      }
    },
  };
}
