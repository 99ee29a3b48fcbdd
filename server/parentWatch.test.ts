import { afterEach, describe, expect, it, vi } from 'vitest';
import { startedByNpm, watchParent } from './parentWatch.js';

afterEach(() => void vi.useRealTimers());

describe('watchParent', () => {
  it('stops the server once its parent is gone (re-parented), and only once', () => {
    vi.useFakeTimers();
    let parent = 4242;
    const gone = vi.fn();
    watchParent(gone, { ppid: () => parent, everyMs: 1000 });
    vi.advanceTimersByTime(5000);
    expect(gone).not.toHaveBeenCalled();
    parent = 1; // npm and its shell were killed: init adopted the server
    vi.advanceTimersByTime(1000);
    expect(gone).toHaveBeenCalledTimes(1);
    parent = 7;
    vi.advanceTimersByTime(5000);
    expect(gone).toHaveBeenCalledTimes(1);
  });

  it('can be stopped', () => {
    vi.useFakeTimers();
    let parent = 10;
    const gone = vi.fn();
    const stop = watchParent(gone, { ppid: () => parent });
    stop();
    parent = 1;
    vi.advanceTimersByTime(5000);
    expect(gone).not.toHaveBeenCalled();
  });

  it('applies to servers started by an npm script only', () => {
    expect(startedByNpm({ npm_lifecycle_event: 'start' })).toBe(true);
    expect(startedByNpm({})).toBe(false);
  });
});
