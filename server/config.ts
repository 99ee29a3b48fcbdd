import net from 'node:net';
import path from 'node:path';
import { DEFAULT_IP_CAPS, type IpCaps } from './security/perimeter.js';

/** Everything the server needs from its environment, parsed once by index.ts (the only env reader). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  /** null: generated on first start and kept in DATA_DIR. */
  adminToken: string | null;
  /** null: derived from the address actually bound (PORT=0 picks one). */
  publicUrl: string | null;
  logLevel: string;
  /** MODEL_MAX_BYTES: the largest model upload accepted (413 above it). */
  modelMaxBytes: number;
  /** WORKERS: processes behind the one port (they share rooms through REDIS_URL). */
  workers: number;
  /** IP_MAX_CONNECTIONS, IP_HANDSHAKES_PER_SECOND, IP_EVENT_CREATIONS_PER_MINUTE, IP_KEY_FAILURES_PER_MINUTE (0: off). */
  ipCaps: IpCaps;
  /** TRUST_PROXY: Express's `trust proxy` (false, a hop count, or addresses / CIDRs / loopback, linklocal, uniquelocal). */
  trustProxy: boolean | number | string;
}

/** 100 MB: a detailed car with 4K textures fits; anything bigger will not load on a phone. */
export const DEFAULT_MODEL_MAX_BYTES = 100_000_000;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be 0–65535, got "${env.PORT}"`);
  let publicUrl: string | null = null;
  if (env.PUBLIC_URL) {
    try {
      const u = new URL(env.PUBLIC_URL);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      publicUrl = u.origin + u.pathname.replace(/\/+$/, '');
    } catch {
      throw new ConfigError(`PUBLIC_URL must be an http(s) URL, got "${env.PUBLIC_URL}"`);
    }
  }
  if (env.ADMIN_TOKEN !== undefined && env.ADMIN_TOKEN !== '' && env.ADMIN_TOKEN.length < 16) {
    throw new ConfigError('ADMIN_TOKEN must be at least 16 characters');
  }
  const modelMaxBytes = env.MODEL_MAX_BYTES === undefined || env.MODEL_MAX_BYTES === '' ? DEFAULT_MODEL_MAX_BYTES : Number(env.MODEL_MAX_BYTES);
  if (!Number.isSafeInteger(modelMaxBytes) || modelMaxBytes < 1) throw new ConfigError(`MODEL_MAX_BYTES must be a positive whole number of bytes, got "${env.MODEL_MAX_BYTES}"`);
  const workers = env.WORKERS === undefined || env.WORKERS === '' ? 1 : Number(env.WORKERS);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new ConfigError(`WORKERS must be a whole number from 1 to 64, got "${env.WORKERS}"`);
  if (workers > 1 && !env.REDIS_URL) throw new ConfigError('WORKERS > 1 needs REDIS_URL: the processes share their live rooms through Redis');
  return {
    workers,
    ipCaps: {
      connections: cap(env, 'IP_MAX_CONNECTIONS', DEFAULT_IP_CAPS.connections),
      handshakesPerSecond: cap(env, 'IP_HANDSHAKES_PER_SECOND', DEFAULT_IP_CAPS.handshakesPerSecond),
      eventCreationsPerMinute: cap(env, 'IP_EVENT_CREATIONS_PER_MINUTE', DEFAULT_IP_CAPS.eventCreationsPerMinute),
      keyFailuresPerMinute: cap(env, 'IP_KEY_FAILURES_PER_MINUTE', DEFAULT_IP_CAPS.keyFailuresPerMinute),
    },
    trustProxy: trustProxy(env.TRUST_PROXY),
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || null,
    redisUrl: env.REDIS_URL || null,
    adminToken: env.ADMIN_TOKEN || null,
    publicUrl,
    logLevel: env.LOG_LEVEL || 'info',
    modelMaxBytes,
  };
}

/** A per-IP cap: a whole number, 0 to turn it off. */
function cap(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number (0 turns the cap off), got "${raw}"`);
  return n;
}

const TRUST_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY, checked here so that a typo stops the start with a message rather than a stack
 * trace from Express. Unset: `loopback` (a proxy on the same machine, nginx or the like).
 */
function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '') return 'loopback';
  if (raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  for (const part of raw.split(',').map((p) => p.trim())) {
    const [addr, bits, extra] = part.split('/');
    const family = net.isIP(addr ?? '');
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!TRUST_NAMES.has(part) && (!family || !bitsOk || extra !== undefined)) {
      throw new ConfigError(`TRUST_PROXY must be false, a number of proxies, or addresses/CIDRs and loopback, linklocal, uniquelocal (comma-separated), got "${raw}"`);
    }
  }
  return raw;
}
