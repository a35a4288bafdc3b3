/**
 * The idempotency table in memory, with DynamoDB's conditions, for the unit
 * tests of the claim/done/release flow and the limits; `fail` makes the next
 * calls of one operation throw IdempotencyStoreError, as a store that is down.
 */
import type { DeliveryStore } from '../../src/runtime/delivery/dynamodb-store.js';
import { IdempotencyStoreError } from '../../src/runtime/errors.js';

export interface MemoryRecord {
  status: 'in-progress' | 'done';
  owner: string;
  inProgressUntil?: number;
  messageId?: string;
  expiresAt: number;
}

export interface MemoryStore extends DeliveryStore {
  records: Map<string, MemoryRecord>;
  counters: Map<string, number>;
  calls: string[];
  fail(operation: keyof DeliveryStore): void;
}

export function memoryStore(): MemoryStore {
  const records = new Map<string, MemoryRecord>();
  const counters = new Map<string, number>();
  const calls: string[] = [];
  const failing = new Set<string>();
  const enter = (operation: string) => {
    calls.push(operation);
    if (failing.has(operation)) throw new IdempotencyStoreError(`DynamoDB ${operation} failed: TimeoutError`);
  };
  return {
    records,
    counters,
    calls,
    fail: (operation) => failing.add(operation),
    async claim({ key, owner, nowMs, inProgressUntilMs }) {
      enter('claim');
      const old = records.get(key);
      const free =
        !old ||
        old.expiresAt < Math.floor(nowMs / 1000) ||
        (old.status === 'in-progress' && (old.inProgressUntil ?? 0) < nowMs);
      if (!free) {
        if (old.status === 'done') return { claimed: false, status: 'done', messageId: old.messageId ?? '' };
        if (old.owner === owner) return { claimed: true };
        return { claimed: false, status: 'in-progress' };
      }
      records.set(key, {
        status: 'in-progress',
        owner,
        inProgressUntil: inProgressUntilMs,
        expiresAt: Math.ceil(inProgressUntilMs / 1000) + 3600,
      });
      return { claimed: true };
    },
    async markDone(key, messageId, expiresAt) {
      enter('markDone');
      const old = records.get(key);
      records.set(key, { status: 'done', owner: old?.owner ?? '', messageId, expiresAt });
    },
    async release(key, owner) {
      enter('release');
      const old = records.get(key);
      if (old?.owner === owner && old.status === 'in-progress') records.delete(key);
    },
    async increment(key, limit) {
      enter('increment');
      const sent = counters.get(key) ?? 0;
      if (sent >= limit) return false;
      counters.set(key, sent + 1);
      return true;
    },
    async decrement(key) {
      enter('decrement');
      const sent = counters.get(key) ?? 0;
      if (sent > 0) counters.set(key, sent - 1);
    },
  };
}
