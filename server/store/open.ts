import path from 'node:path';
import type { Logger } from '../logger.js';
import { openPostgresStore } from './postgres/index.js';
import { openSqliteStore } from './sqlite/index.js';
import type { Store } from './types.js';

/**
 * The store the server runs on: PostgreSQL when a database URL is given (what several server
 * processes share), else the embedded SQLite file `<dataDir>/vitrine.db`.
 */
export async function openStore(options: { databaseUrl?: string | null; dataDir: string; log: Logger }): Promise<Store> {
  if (options.databaseUrl) return openPostgresStore(options.databaseUrl, { log: options.log });
  return openSqliteStore(path.join(options.dataDir, 'vitrine.db'));
}
