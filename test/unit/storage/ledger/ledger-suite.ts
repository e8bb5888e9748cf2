// One behaviour suite for every ApprovalLedger implementation (memory, SQLite, JSON file), with
// literal expected values. Each test gets a fresh store from `fresh()`; `open()` may be called
// again on the same store to check durability.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApprovalLedger, ConsumptionRow } from '../../../../src/artifacts/approval/types.js';

export type TestLedger = ApprovalLedger & { close(): void };

export interface LedgerStore {
  open(): TestLedger;
}

export interface SuiteOptions {
  /** whether a second `open()` on a store sees the first one's rows */
  readonly durable: boolean;
}

export const ROW_A: ConsumptionRow = {
  tokenId: 'tok-a',
  intentDigest: 'aa'.repeat(32),
  policyDigest: 'pp'.repeat(32),
  traceId: 'trace-1',
  consumedAt: '2026-02-18T00:00:00Z',
};
export const ROW_B: ConsumptionRow = { ...ROW_A, tokenId: 'tok-b', intentDigest: 'bb'.repeat(32) };
export const ROW_C: ConsumptionRow = { ...ROW_A, tokenId: 'tok-c', traceId: 'trace-2', consumedAt: '2026-02-18T00:00:01Z' };

/** An `accept` that records every call and answers `answer`. */
export function recorder(answer: boolean): { accept: (r: ReadonlySet<string>) => boolean; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    accept: (replayed) => {
      calls.push([...replayed].sort());
      return answer;
    },
  };
}

function withLedger<T>(store: LedgerStore, fn: (l: TestLedger) => T): T {
  const l = store.open();
  try {
    return fn(l);
  } finally {
    l.close();
  }
}

export function runLedgerSuite(name: string, fresh: () => LedgerStore, options: SuiteOptions): void {
  describe(`${name}: ApprovalLedger semantics`, () => {
    it('starts empty', () => {
      assert.deepEqual(withLedger(fresh(), (l) => l.list()), []);
    });

    it('consumes new tokens: accept sees no replays, every row is inserted', () => {
      const store = fresh();
      const r = recorder(true);
      withLedger(store, (l) => {
        assert.deepEqual(l.consume([ROW_B, ROW_A], r.accept), { replayed: [], inserted: true });
        assert.deepEqual(r.calls, [[]]);
        assert.deepEqual(l.list(), [ROW_A, ROW_B]);
      });
    });

    it('reports a replay, passes it to accept, inserts only the new rows and keeps the first consumption', () => {
      const store = fresh();
      withLedger(store, (l) => {
        l.consume([ROW_A], () => true);
        const r = recorder(true);
        const again = { ...ROW_A, traceId: 'trace-9', consumedAt: '2026-02-19T00:00:00Z' };
        assert.deepEqual(l.consume([again, ROW_C], r.accept), { replayed: ['tok-a'], inserted: true });
        assert.deepEqual(r.calls, [['tok-a']]);
        assert.deepEqual(l.list(), [ROW_A, ROW_C]);
      });
    });

    it('inserts nothing when accept returns false', () => {
      const store = fresh();
      withLedger(store, (l) => {
        l.consume([ROW_A], () => true);
        const r = recorder(false);
        assert.deepEqual(l.consume([ROW_A, ROW_B, ROW_C], r.accept), { replayed: ['tok-a'], inserted: false });
        assert.deepEqual(r.calls, [['tok-a']]);
        assert.deepEqual(l.list(), [ROW_A]);
        assert.deepEqual(l.consume([ROW_B], () => false), { replayed: [], inserted: false });
        assert.deepEqual(l.list(), [ROW_A]);
      });
    });

    it('passes an exception from accept through unchanged and inserts nothing', () => {
      const store = fresh();
      const boom = new Error('accept failed');
      withLedger(store, (l) => {
        assert.throws(
          () =>
            l.consume([ROW_A], () => {
              throw boom;
            }),
          (err) => err === boom,
        );
        assert.deepEqual(l.list(), []);
      });
    });

    it('inserts a token id given twice in one call once (first row wins)', () => {
      const store = fresh();
      withLedger(store, (l) => {
        const dup = { ...ROW_A, traceId: 'trace-dup' };
        assert.deepEqual(l.consume([ROW_A, dup], () => true), { replayed: [], inserted: true });
        assert.deepEqual(l.list(), [ROW_A]);
      });
    });

    it('asks accept even for an empty batch', () => {
      const r = recorder(true);
      withLedger(fresh(), (l) => {
        assert.deepEqual(l.consume([], r.accept), { replayed: [], inserted: true });
        assert.deepEqual(r.calls, [[]]);
        assert.deepEqual(l.list(), []);
      });
    });

    it('lists by consumed_at as an instant, then token_id', () => {
      const rows: ConsumptionRow[] = [
        { ...ROW_A, tokenId: 'tok-4', consumedAt: '2026-02-18T00:00:00.5Z' },
        { ...ROW_A, tokenId: 'tok-3', consumedAt: '2026-02-18T00:00:00Z' },
        { ...ROW_A, tokenId: 'tok-2', consumedAt: '2026-02-18T00:00:00Z' },
        { ...ROW_A, tokenId: 'tok-1', consumedAt: '2026-02-17T23:59:59.999999999Z' },
        { ...ROW_A, tokenId: 'tok-0', consumedAt: '2026-02-18T00:00:10Z' },
      ];
      withLedger(fresh(), (l) => {
        l.consume(rows.slice(0, 2), () => true);
        l.consume(rows.slice(2), () => true);
        assert.deepEqual(
          l.list().map((x) => `${x.tokenId}@${x.consumedAt}`),
          [
            'tok-1@2026-02-17T23:59:59.999999999Z',
            'tok-2@2026-02-18T00:00:00Z',
            'tok-3@2026-02-18T00:00:00Z',
            'tok-4@2026-02-18T00:00:00.5Z',
            'tok-0@2026-02-18T00:00:10Z',
          ],
        );
      });
    });

    it('keeps every field of a row exactly', () => {
      const odd: ConsumptionRow = { tokenId: 'tök "1"', intentDigest: 'i', policyDigest: 'p', traceId: 't\n', consumedAt: 'not a time' };
      withLedger(fresh(), (l) => {
        l.consume([odd, ROW_A], () => true);
        assert.deepEqual(l.list(), [ROW_A, odd]);
      });
    });

    it(options.durable ? 'is durable: a second open sees the consumed rows' : 'is not shared between instances', () => {
      const store = fresh();
      withLedger(store, (l) => l.consume([ROW_A], () => true));
      withLedger(store, (l) => {
        assert.deepEqual(l.list(), options.durable ? [ROW_A] : []);
        assert.deepEqual(l.consume([ROW_A], () => true), { replayed: options.durable ? ['tok-a'] : [], inserted: true });
      });
    });
  });
}
