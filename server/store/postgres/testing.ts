import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Store } from '../types.js';
import { openPostgresStore, type PostgresStoreOptions } from './index.js';

const THROWAWAY = /^vitrine_t_[0-9a-f]{12}$/;

/** A schema nobody else uses: parallel test runs and other people on the server never collide. */
export const throwawaySchema = (): string => `vitrine_t_${randomBytes(6).toString('hex')}`;

/** Drops a throwaway schema and everything in it; refuses any other name (`public` above all). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!THROWAWAY.test(schema)) throw new Error(`refusing to drop schema "${schema}": not a throwaway test schema`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A fresh, empty PostgreSQL store in its own schema, which `close()` drops. */
export async function openThrowawayStore(url: string, options: Omit<PostgresStoreOptions, 'schema'> = {}): Promise<Store> {
  const schema = throwawaySchema();
  const store = await openPostgresStore(url, { ...options, schema }).catch(async (err: unknown) => {
    await dropSchema(url, schema);
    throw err;
  });
  return {
    ...store,
    async close() {
      await store.close();
      await dropSchema(url, schema);
    },
  };
}
