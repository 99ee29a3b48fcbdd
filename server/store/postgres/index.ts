import pg from 'pg';
import { createLogger, type Logger } from '../../logger.js';
import type { Store } from '../types.js';
import { postgresAudience } from './audience.js';
import { postgresReplay } from './replay.js';
import { postgresEvents } from './events.js';
import { postgresKeys } from './keys.js';
import { postgresDealers, postgresLeads } from './leads.js';
import { migrate } from './migrations.js';
import { postgresHotspotOpens, postgresModels } from './models.js';
import { poolConfig } from './pool.js';
import { postgresQuestions } from './questions.js';

/** /healthz answers within about this long, whatever the network does. */
const HEALTH_TIMEOUT_MS = 1000;

/** Opening gives up after this long: an unreachable server is reported, not waited for. */
const OPEN_TIMEOUT_MS = 5000;

export interface PostgresStoreOptions {
  /** Where the tables live (created if missing); default: the connection's search_path. */
  schema?: string;
  log?: Logger;
  /** Connections for the repositories (default 10); /healthz has one of its own. */
  poolSize?: number;
  /** How long opening may wait for the server (default 5 s). */
  openTimeoutMs?: number;
}

/** `host:port/database` of a URL, never its password: what a log line or an error may show. */
function locationOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** Migrates on a connection of its own, opened with a deadline. */
async function migrateOnce(config: pg.ClientConfig, schema: string | undefined, log: Logger): Promise<number> {
  const client = new pg.Client(config);
  client.on('error', (err) => log.error({ err }, 'PostgreSQL connection lost while migrating'));
  await client.connect();
  try {
    return await migrate(client, schema);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The store of servers that share one database (several processes behind Redis). Resolves once
 * the schema is migrated; rejects within seconds, saying so, when PostgreSQL cannot be reached.
 * Afterwards an outage is never fatal: queries fail, `healthy()` says false (and the log says
 * it once), and the pool reconnects by itself when the server comes back.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const log = options.log ?? createLogger('silent');
  const config = poolConfig(url, options);
  try {
    const applied = await migrateOnce({ ...config, connectionTimeoutMillis: options.openTimeoutMs ?? OPEN_TIMEOUT_MS }, options.schema, log);
    if (applied > 0) log.info({ database: locationOf(url), applied }, 'PostgreSQL migrations applied');
  } catch (err) {
    // A refused connection to a name with several addresses is an AggregateError with no message, only a code.
    const { message, code } = err as NodeJS.ErrnoException;
    throw new Error(`PostgreSQL at ${locationOf(url)} could not be opened: ${message || code}`, { cause: err });
  }
  const pool = new pg.Pool(config);
  // A connection of its own for /healthz: a burst that keeps the pool busy is not an outage.
  const health = new pg.Pool({ ...config, max: 1, connectionTimeoutMillis: HEALTH_TIMEOUT_MS });
  for (const p of [pool, health]) p.on('error', (err) => log.error({ err }, 'PostgreSQL connection lost while idle; the next query reconnects'));

  let closed = false;
  let wasHealthy = true;
  return {
    kind: 'postgres',
    events: postgresEvents(pool),
    questions: postgresQuestions(pool, log),
    leads: postgresLeads(pool),
    dealers: postgresDealers(pool, log),
    keys: postgresKeys(pool, log),
    models: postgresModels(pool, log),
    hotspotOpens: postgresHotspotOpens(pool),
    audience: postgresAudience(pool),
    replay: postgresReplay(pool),
    async healthy() {
      if (closed) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
      });
      const ok = await Promise.race([health.query('SELECT 1'), timeout]).then(
        () => true,
        (err: Error) => {
          if (wasHealthy) log.error({ err, database: locationOf(url) }, 'PostgreSQL unreachable');
          return false;
        },
      );
      clearTimeout(timer);
      if (ok && !wasHealthy) log.info({ database: locationOf(url) }, 'PostgreSQL reachable again');
      wasHealthy = ok;
      return ok;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([pool.end(), health.end()]);
    },
  };
}
