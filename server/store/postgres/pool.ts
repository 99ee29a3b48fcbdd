import pg from 'pg';
import type { Logger } from '../../logger.js';

/** A schema name we put in connection options and DDL unquoted: nothing to escape, nothing to inject. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * How long a query may wait for a connection: opening one (a server that vanished from the
 * network fails instead of hanging), or a free one when a burst keeps them all busy (beyond
 * that the request fails; a lead's outbox resends it).
 */
const POOL_WAIT_MS = 10_000;

const { builtins } = pg.types;
const defaultParser = pg.types.getTypeParser;
const parseTimestamp = defaultParser(builtins.TIMESTAMPTZ) as (value: string) => Date;

/**
 * The row values the repositories hand out are the ones the other stores hand out: times as
 * ISO strings (`2026-11-23T10:00:00.000Z`, what callers stored), days as `YYYY-MM-DD`, counts
 * and byte sizes as numbers (all far below 2^53). Per pool, so no other `pg` user is affected.
 */
const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
  if (format === 'binary') return defaultParser(oid, format);
  if (oid === builtins.TIMESTAMPTZ) return (value: string) => parseTimestamp(value).toISOString();
  if (oid === builtins.DATE) return (value: string) => value;
  if (oid === builtins.INT8) return Number;
  return defaultParser(oid, format);
}) as typeof pg.types.getTypeParser;

/**
 * The configuration of every connection the store opens. Each session commits synchronously
 * (an acknowledged write survives a crash), runs in UTC with ISO dates, and resolves names in
 * `schema` when one is given. Options already in the URL are kept, but ours come last so they
 * win (`pg` would otherwise let the URL's `options` replace ours entirely).
 */
export function poolConfig(url: string, o: { schema?: string; poolSize?: number } = {}): pg.PoolConfig {
  const parsed = new URL(url);
  const fromUrl = parsed.searchParams.get('options');
  parsed.searchParams.delete('options');
  if (o.schema !== undefined && !SCHEMA_NAME.test(o.schema)) throw new Error(`PostgreSQL schema name must match ${SCHEMA_NAME}, got "${o.schema}"`);
  const settings = ['-c synchronous_commit=on', '-c timezone=UTC', '-c datestyle=ISO', ...(o.schema ? [`-c search_path=${o.schema}`] : [])];
  return {
    connectionString: parsed.toString(),
    options: [fromUrl, ...settings].filter(Boolean).join(' '),
    max: o.poolSize ?? 10,
    connectionTimeoutMillis: POOL_WAIT_MS,
    keepAlive: true,
    types: { getTypeParser },
  };
}

/**
 * Lends `work` a client of its own, always given back. A client that errors while checked out
 * would crash the process without a listener (the pool listens only while it is idle), so one
 * logs it here. After a failure the client's state is unknown (mid-transaction, lost): it is
 * destroyed rather than handed to the next caller.
 */
async function withClient<T>(pool: pg.Pool, log: Logger, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const lost = (err: Error) => log.error({ err }, 'PostgreSQL connection lost while in use');
  client.on('error', lost);
  let failed: Error | undefined;
  try {
    return await work(client);
  } catch (err) {
    failed = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.removeListener('error', lost);
    client.release(failed);
  }
}

/** Runs `work` in one transaction on `client`: committed, or rolled back if it throws. */
export async function transaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const out = await work();
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** One transaction on a client of its own from the pool. */
export function inTransaction<T>(pool: pg.Pool, log: Logger, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, log, (client) => transaction(client, () => work(client)));
}

/** PostgreSQL's unique_violation on this constraint. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  return err instanceof pg.DatabaseError && err.code === '23505' && err.constraint === constraint;
}
