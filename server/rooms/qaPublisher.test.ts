import { describe, expect, it } from 'vitest';
import { QA_BATCH_MS } from '../../shared/qa.js';
import { batchWindowMs } from './qaPublisher.js';

describe('batchWindowMs', () => {
  it('is QA_BATCH_MS up to 2,000 viewers, then grows with the audience', () => {
    expect(batchWindowMs(0)).toBe(QA_BATCH_MS);
    expect(batchWindowMs(2_000)).toBe(QA_BATCH_MS);
    expect(batchWindowMs(4_000)).toBe(2 * QA_BATCH_MS);
    expect(batchWindowMs(10_000)).toBe(5 * QA_BATCH_MS);
  });
});
