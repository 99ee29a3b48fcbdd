import path from 'node:path';

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
