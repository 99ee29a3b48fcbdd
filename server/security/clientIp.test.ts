import type { IncomingMessage } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { clientIp, ipKey, type TrustProxy } from './clientIp.js';

/** Express's own compiled `trust proxy` function, so both readings are checked against one rule. */
const trustOf = (setting: unknown): TrustProxy => express().set('trust proxy', setting).get('trust proxy fn') as TrustProxy;
const request = (peer: string, forwarded?: string) => ({ socket: { remoteAddress: peer }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;

describe('clientIp', () => {
  it('reads X-Forwarded-For only from a trusted proxy, from the right, stopping at the first untrusted hop', () => {
    const loopback = trustOf('loopback');
    expect(clientIp(request('198.51.100.4', '203.0.113.9'), loopback)).toBe('198.51.100.4');
    expect(clientIp(request('127.0.0.1', '203.0.113.9'), loopback)).toBe('203.0.113.9');
    // A client's own (forged) entry sits left of the address our proxy saw: not believed.
    expect(clientIp(request('127.0.0.1', '10.9.9.9, 203.0.113.9'), loopback)).toBe('203.0.113.9');
    expect(clientIp(request('127.0.0.1'), loopback)).toBe('127.0.0.1');
    expect(clientIp(request('127.0.0.1', '203.0.113.9'), trustOf(false))).toBe('127.0.0.1');
    // Two proxies of ours (a load balancer, then nginx on the box).
    const two = trustOf('loopback, 10.0.0.0/8');
    expect(clientIp(request('127.0.0.1', '203.0.113.9, 10.0.0.5'), two)).toBe('203.0.113.9');
    expect(clientIp(request('127.0.0.1', '198.51.100.1, 203.0.113.9, 10.0.0.5'), two)).toBe('203.0.113.9');
    expect(clientIp(request('127.0.0.1', '203.0.113.9, 10.0.0.5'), trustOf(1))).toBe('10.0.0.5');
  });

  it('agrees with Express’s req.ip', () => {
    const app = express().set('trust proxy', 'loopback, 10.0.0.0/8');
    const req = Object.assign(Object.create(app.request) as express.Request, request('127.0.0.1', '198.51.100.1, 203.0.113.9, 10.0.0.5'), { app });
    expect(clientIp(req, app.get('trust proxy fn') as TrustProxy)).toBe(req.ip);
  });
});

describe('ipKey', () => {
  it('keeps IPv4 (also IPv4-mapped) and groups IPv6 by /64', () => {
    expect(ipKey('203.0.113.9')).toBe('203.0.113.9');
    expect(ipKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(ipKey('2001:db8:7:1::a')).toBe('2001:db8:7:1::/64');
    expect(ipKey('2001:0db8:0007:0001:ffff:1:2:3')).toBe('2001:db8:7:1::/64');
    expect(ipKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipKey('::1')).toBe('0:0:0:0::/64');
    expect(ipKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(ipKey('64:ff9b::203.0.113.9')).toBe('64:ff9b:0:0::/64');
  });
});
