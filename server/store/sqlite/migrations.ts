/**
 * Versioned, forward-only migrations. Each runs once, in order, inside a transaction, and its
 * version is recorded in schema_migrations. Never edit a shipped migration: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'events',
    sql: `
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('scheduled','live','ended')),
        locale TEXT NOT NULL,
        starts_at TEXT,
        started_at TEXT,
        ended_at TEXT,
        created_at TEXT NOT NULL,
        host_key TEXT NOT NULL,
        dealer_key TEXT NOT NULL,
        presentation TEXT NOT NULL
      );
      CREATE INDEX events_created_at ON events (created_at);
    `,
  },
];
