import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('logger', () => {
  it('never writes a key, a token or a keyed link, whatever object carries it', () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) });
    const key = 'k3y-0123456789abcdefghijklmnopqrstuv';
    log.warn({ req: { headers: { authorization: `Bearer ${key}` } } }, 'request');
    log.warn({ handshake: { auth: { code: 'K7P2QX', role: 'host', key } } }, 'handshake');
    log.warn({ event: { id: 'e1', hostKey: key, dealerKey: key, links: { host: `http://x/host/e1#key=${key}` } } }, 'event');
    log.warn({ view: { ref: 'host', key, link: `http://x/host/e1#key=${key}` }, state: { secret: key } }, 'key view');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).not.toContain(key);
    expect(lines.join('')).toContain('[redacted]');
  });
});
