import type pg from 'pg';
import type { Migration } from '../sqlite/migrations.js';
import { transaction } from './pool.js';

/**
 * The PostgreSQL schema, versioned like SQLite's and with the same tables and meanings; times
 * are `timestamptz`, JSON is `jsonb`, flags are `boolean`. Never edit a shipped migration: add
 * the next one.
 */
export const POSTGRES_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'events, questions, votes, blocks',
    sql: `
      CREATE TABLE events (
        id text PRIMARY KEY,
        code text NOT NULL CONSTRAINT events_code_unique UNIQUE,
        title text NOT NULL,
        status text NOT NULL CHECK (status IN ('scheduled','live','ended')),
        locale text NOT NULL,
        starts_at timestamptz,
        started_at timestamptz,
        ended_at timestamptz,
        created_at timestamptz NOT NULL,
        host_key text NOT NULL,
        dealer_key text NOT NULL,
        presentation jsonb NOT NULL,
        qa_mode text NOT NULL DEFAULT 'pre' CHECK (qa_mode IN ('pre','open')),
        privacy_notice text,
        retention_months integer NOT NULL DEFAULT 12,
        -- The studio's VehicleSetup (null: defaults) and the event's EventBrand.
        stage jsonb,
        brand jsonb NOT NULL DEFAULT '{"name":null,"logoUrl":null,"accent":null,"background":null}'
      );
      CREATE INDEX events_created_at ON events (created_at);
      CREATE TABLE questions (
        id text PRIMARY KEY,
        event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        viewer_id text NOT NULL,
        name text,
        text text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending','visible','answered','hidden')),
        pinned boolean NOT NULL DEFAULT false,
        votes integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX questions_event ON questions (event_id, created_at);
      CREATE INDEX questions_viewer ON questions (event_id, viewer_id);
      -- One row per (question, viewer): the primary key is what makes a vote count once.
      CREATE TABLE votes (
        question_id text NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
        viewer_id text NOT NULL,
        event_id text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (question_id, viewer_id)
      );
      CREATE INDEX votes_viewer ON votes (event_id, viewer_id);
      CREATE TABLE blocks (
        event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        viewer_id text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, viewer_id)
      );
    `,
  },
  {
    version: 2,
    name: 'leads, dealers',
    sql: `
      CREATE TABLE dealers (
        event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        id text NOT NULL,
        name text NOT NULL,
        address text NOT NULL,
        postcode text NOT NULL,
        city text NOT NULL,
        latitude double precision NOT NULL,
        longitude double precision NOT NULL,
        email text NOT NULL,
        phone text,
        key text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, id)
      );
      -- The browser's UUID is the primary key: that is what makes a lead stored once, ever.
      CREATE TABLE leads (
        id text PRIMARY KEY,
        event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        viewer_id text NOT NULL,
        type text NOT NULL CHECK (type IN ('test_drive','quote','brochure','callback')),
        first_name text NOT NULL,
        last_name text NOT NULL,
        email text NOT NULL,
        phone text,
        postcode text,
        dealer_id text,
        dealer_name text,
        routing text NOT NULL,
        preferred_date date,
        variant text,
        message text,
        consent_marketing boolean NOT NULL,
        consent_version text NOT NULL,
        consent_at timestamptz NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL,
        contacted_at timestamptz,
        fingerprint text NOT NULL
      );
      CREATE INDEX leads_event ON leads (event_id, created_at);
      -- Erased leads: the id only, so a resend from a browser's outbox stores nothing again.
      CREATE TABLE erased_leads (
        id text PRIMARY KEY,
        event_id text NOT NULL,
        erased_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'models, hotspot opens',
    sql: `
      -- One uploaded model per event; the files live in DATA_DIR/models/<event_id>/.
      CREATE TABLE models (
        event_id text PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
        name text NOT NULL,
        original_file text NOT NULL,
        original_bytes bigint NOT NULL,
        optimised_file text NOT NULL,
        optimised_bytes bigint NOT NULL,
        stats jsonb NOT NULL,
        bounds jsonb NOT NULL,
        pose jsonb NOT NULL,
        note text,
        details jsonb NOT NULL,
        poster_file text,
        poster_bytes bigint,
        created_at timestamptz NOT NULL
      );
      CREATE TABLE hotspot_opens (
        event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        hotspot_id text NOT NULL,
        viewer_id text NOT NULL,
        opens integer NOT NULL,
        first_at timestamptz NOT NULL,
        last_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, hotspot_id, viewer_id)
      );
    `,
  },
  {
    version: 4,
    name: 'viewer sessions and reaction counts (the report)',
    sql: `
      -- One row per socket connection of a viewer; left_at stays NULL if the process died with it open.
      CREATE TABLE viewer_sessions (
        id text PRIMARY KEY,
        event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        viewer_id text NOT NULL,
        name text,
        joined_at timestamptz NOT NULL,
        left_at timestamptz
      );
      CREATE INDEX viewer_sessions_event ON viewer_sessions (event_id, joined_at);
      -- Reactions per viewer, minute and emoji: a burst of thousands a second is a few rows.
      CREATE TABLE reaction_counts (
        event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        viewer_id text NOT NULL,
        minute timestamptz NOT NULL,
        emoji text NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (event_id, minute, viewer_id, emoji)
      );
    `,
  },
  {
    version: 5,
    name: 'replay recording',
    sql: `
      -- The presentation as it went (poses at most 10 a second, chapters, answered questions),
      -- a chunk per write: an hour is a few thousand rows.
      CREATE TABLE replay_chunks (
        id text PRIMARY KEY,
        event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        first_at bigint NOT NULL,
        entries jsonb NOT NULL
      );
      CREATE INDEX replay_chunks_event ON replay_chunks (event_id, first_at);
    `,
  },
  {
    version: 6,
    name: 'key expiry, revocation and rotation',
    sql: `
      -- NULL: the key never expires / is not revoked. A rotation clears the revocation.
      ALTER TABLE events ADD COLUMN host_key_expires_at timestamptz;
      ALTER TABLE events ADD COLUMN host_key_revoked_at timestamptz;
      ALTER TABLE events ADD COLUMN dealer_key_expires_at timestamptz;
      ALTER TABLE events ADD COLUMN dealer_key_revoked_at timestamptz;
      ALTER TABLE dealers ADD COLUMN key_expires_at timestamptz;
      ALTER TABLE dealers ADD COLUMN key_revoked_at timestamptz;
      -- The SHA-256 of each rotated key, never the key: an old link answers "no longer valid".
      CREATE TABLE retired_keys (
        hash text PRIMARY KEY,
        event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        ref text NOT NULL,
        retired_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'privacy contact',
    sql: `
      -- Where a viewer exercises their rights (an e-mail address or a web page); NULL: none given.
      ALTER TABLE events ADD COLUMN privacy_contact text;
    `,
  },
];

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, each in its own
 * transaction; returns how many ran. Servers starting together take turns on an advisory lock
 * (per schema), so each migration runs once and `CREATE SCHEMA` never races. `schema`, when
 * given, is created first and must be the connection's search_path.
 */
export async function migrate(client: pg.ClientBase, schema?: string, migrations: Migration[] = POSTGRES_MIGRATIONS): Promise<number> {
  const target = schema ?? (await client.query<{ name: string | null }>('SELECT current_schema() AS name')).rows[0]?.name;
  if (!target) throw new Error('PostgreSQL: no existing schema on the search_path to migrate');
  const lockKey = `vitrine.migrations.${target}`;
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
  try {
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    let count = 0;
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await transaction(client, async () => {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [m.version, m.name]);
      });
      count++;
    }
    return count;
  } finally {
    // A broken connection has lost the session, and its lock with it.
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]).catch(() => undefined);
  }
}
