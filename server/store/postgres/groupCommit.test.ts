import { describe, expect, it } from 'vitest';
import { groupCommit } from './groupCommit.js';

/** A write whose batches the test finishes by hand: what was sent, and how to answer or fail it. */
function manualWrite() {
  const batches: { items: number[]; answer: () => void; fail: (e: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push({ items, answer: () => resolve(items.map((n) => n * 10)), fail: reject });
    });
  return { batches, write };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('groupCommit (PostgreSQL)', () => {
  it('sends one turn’s writes together, holds the next ones until that batch is answered, and answers each its own', async () => {
    const { batches, write } = manualWrite();
    const commit = groupCommit(write);
    const first = [commit(1), commit(2)];
    await turn();
    const second = [commit(3), commit(4)];
    await turn();
    // One batch in flight: 3 and 4 wait for it.
    expect(batches.map((b) => b.items)).toEqual([[1, 2]]);
    batches[0]!.answer();
    expect(await Promise.all(first)).toEqual([10, 20]);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1, 2], [3, 4]]);
    batches[1]!.answer();
    expect(await Promise.all(second)).toEqual([30, 40]);
  });

  it('rejects every write of a failed batch, and sends the next batch all the same', async () => {
    const { batches, write } = manualWrite();
    const commit = groupCommit(write);
    const failed = [commit(1), commit(2)].map((p) => p.catch((e: Error) => e.message));
    await turn();
    const next = commit(3);
    batches[0]!.fail(new Error('Connection terminated unexpectedly'));
    expect(await Promise.all(failed)).toEqual(['Connection terminated unexpectedly', 'Connection terminated unexpectedly']);
    await turn();
    batches[1]!.answer();
    expect(await next).toBe(30);
  });
});
