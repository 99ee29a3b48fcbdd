import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { mergeMax } from '../rooms/qaPublisher.js';
import { sessionPrefix, workerOfRequest } from './primary.js';
import { audience } from './redisBus.js';

describe('WORKERS routing', () => {
  it('sends a long-polling request to the worker that made its session, anything else to any worker', () => {
    expect(workerOfRequest(`GET /socket.io/?EIO=4&transport=polling&sid=${sessionPrefix(3)}abc HTTP/1.1\r\nHost: x\r\n`)).toBe(3);
    expect(workerOfRequest(`POST /socket.io/?EIO=4&sid=${sessionPrefix(12)}Zz-_ HTTP/1.1\r\n`)).toBe(12);
    expect(workerOfRequest('GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n')).toBeNull();
    expect(workerOfRequest('GET /api/events/K7P2QX HTTP/1.1\r\n')).toBeNull();
    // Only the request line counts, not a header that happens to look like a session.
    expect(workerOfRequest('GET / HTTP/1.1\r\nReferer: http://x/?sid=w1.abc\r\n')).toBeNull();
  });

  it('needs REDIS_URL for more than one worker, and a sane number', () => {
    expect(loadConfig({ WORKERS: '4', REDIS_URL: 'redis://127.0.0.1:6379' }).workers).toBe(4);
    expect(loadConfig({}).workers).toBe(1);
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ WORKERS: '0', REDIS_URL: 'redis://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ WORKERS: 'deux', REDIS_URL: 'redis://x' })).toThrow(/WORKERS/);
  });
});

describe('shared room counts', () => {
  it('counts the audience from the processes whose entries have not expired', () => {
    const now = 1_000_000;
    expect(audience({ a: `120:${now + 5_000}`, b: `80:${now + 1}`, dead: `500:${now - 1}` }, now)).toBe(200);
    expect(audience({}, now)).toBe(0);
  });

  it('keeps reaction totals from going backwards when an older total arrives', () => {
    const counts: Record<string, number> = { '🔥': 10, '👏': 2 };
    expect(mergeMax(counts, { '🔥': 8, '❤️': 3 })).toBe(true);
    expect(counts).toEqual({ '🔥': 10, '👏': 2, '❤️': 3 });
    expect(mergeMax(counts, { '🔥': 9, '❤️': 3 })).toBe(false); // nothing new: nothing to tell the sockets
  });
});
