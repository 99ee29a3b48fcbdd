import { describe, expect, it } from 'vitest';
import { LocalBuckets, localIpLimits } from '../cluster/ipLimits.js';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { DEFAULT_IP_CAPS, NO_IP_CAPS, Perimeter } from './perimeter.js';

describe('LocalBuckets', () => {
  it('takes, refuses with the time until a token is back, refills, and can look without taking', () => {
    let now = 0;
    const buckets = new LocalBuckets(() => now);
    const limit = { count: 2, perMs: 60_000 };
    expect(buckets.take('a', limit, 0)).toEqual({ ok: true, retryMs: 0 });
    expect(buckets.take('a', limit, 1).ok).toBe(true);
    expect(buckets.take('a', limit, 1).ok).toBe(true);
    expect(buckets.take('a', limit, 0)).toEqual({ ok: false, retryMs: 30_000 });
    expect(buckets.take('a', limit, 1)).toEqual({ ok: false, retryMs: 30_000 });
    expect(buckets.take('b', limit, 1).ok).toBe(true);
    now = 20_000;
    expect(buckets.take('a', limit, 0)).toEqual({ ok: false, retryMs: 10_000 });
    now = 30_000;
    expect(buckets.take('a', limit, 1).ok).toBe(true);
  });

  it('forgets the buckets that refilled, so an IP seen once does not stay in memory', () => {
    let now = 0;
    const buckets = new LocalBuckets(() => now);
    for (let i = 0; i < 100; i++) buckets.take(`ip-${i}`, { count: 5, perMs: 1_000 }, 1);
    expect(buckets.size).toBe(100);
    now = 61_000;
    buckets.take('other', { count: 5, perMs: 1_000 }, 1);
    expect(buckets.size).toBe(1);
  });
});

describe('Perimeter', () => {
  it('logs a refusal once per IP and window, without keys', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger('warn', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    let now = 0;
    const perimeter = new Perimeter({ ...NO_IP_CAPS, keyFailuresPerMinute: 1 }, localIpLimits(), log, () => now);
    perimeter.keyFailed('203.0.113.9');
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 5; i++) expect(await perimeter.keyAllowed('203.0.113.9')).toMatchObject({ cap: 'key_failures' });
    expect(await perimeter.keyAllowed('203.0.113.10')).toBeNull();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, ip: '203.0.113.9', cap: 'key_failures', limit: 1 });
    // The next window (the bucket itself runs on the real clock: still empty) is logged again.
    now = 61_000;
    expect(await perimeter.keyAllowed('203.0.113.9')).toMatchObject({ cap: 'key_failures' });
    expect(lines).toHaveLength(2);
  });

  it('turns every cap off at 0', async () => {
    const perimeter = new Perimeter(NO_IP_CAPS, localIpLimits(), createLogger('silent'));
    for (let i = 0; i < 50; i++) {
      perimeter.opened('203.0.113.9');
      perimeter.keyFailed('203.0.113.9');
      expect(await perimeter.handshake('203.0.113.9')).toBeNull();
      expect(await perimeter.eventCreation('203.0.113.9')).toBeNull();
    }
    expect(await perimeter.keyAllowed('203.0.113.9')).toBeNull();
  });
});

describe('IP_* and TRUST_PROXY configuration', () => {
  it('reads the caps (0: off) and refuses nonsense', () => {
    expect(loadConfig({}).ipCaps).toEqual(DEFAULT_IP_CAPS);
    expect(loadConfig({ IP_MAX_CONNECTIONS: '0', IP_HANDSHAKES_PER_SECOND: '500', IP_EVENT_CREATIONS_PER_MINUTE: '5', IP_KEY_FAILURES_PER_MINUTE: '10' }).ipCaps).toEqual({
      connections: 0,
      handshakesPerSecond: 500,
      eventCreationsPerMinute: 5,
      keyFailuresPerMinute: 10,
    });
    expect(() => loadConfig({ IP_MAX_CONNECTIONS: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ IP_HANDSHAKES_PER_SECOND: 'lots' })).toThrow(/IP_HANDSHAKES_PER_SECOND/);
  });

  it('reads TRUST_PROXY as Express does, and refuses a typo at start', () => {
    expect(loadConfig({}).trustProxy).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8' }).trustProxy).toBe('loopback, 10.0.0.0/8, fd00::/8');
    expect(() => loadConfig({ TRUST_PROXY: 'lopback' })).toThrow(/TRUST_PROXY/);
    // Trusting every peer would let any client choose its address, and so its caps.
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/40' })).toThrow(/TRUST_PROXY/);
  });
});
