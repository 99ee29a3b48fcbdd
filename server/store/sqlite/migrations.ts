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
  {
    version: 2,
    name: 'questions, votes, blocks',
    sql: `
      ALTER TABLE events ADD COLUMN qa_mode TEXT NOT NULL DEFAULT 'pre' CHECK (qa_mode IN ('pre','open'));
      CREATE TABLE questions (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        viewer_id TEXT NOT NULL,
        name TEXT,
        text TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending','visible','answered','hidden')),
        pinned INTEGER NOT NULL DEFAULT 0,
        votes INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE INDEX questions_event ON questions (event_id, created_at);
      -- One row per (question, viewer): the primary key is what makes a vote count once.
      CREATE TABLE votes (
        question_id TEXT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
        viewer_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (question_id, viewer_id)
      );
      CREATE INDEX votes_viewer ON votes (event_id, viewer_id);
      CREATE TABLE blocks (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        viewer_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (event_id, viewer_id)
      );
    `,
  },
  {
    version: 3,
    name: 'leads, dealers, privacy settings',
    sql: `
      ALTER TABLE events ADD COLUMN privacy_notice TEXT;
      ALTER TABLE events ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 12;
      CREATE TABLE dealers (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        postcode TEXT NOT NULL,
        city TEXT NOT NULL,
        latitude REAL NOT NULL,
        longitude REAL NOT NULL,
        email TEXT NOT NULL,
        phone TEXT,
        key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (event_id, id)
      );
      -- The browser's UUID is the primary key: that is what makes a lead stored once, ever.
      CREATE TABLE leads (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        viewer_id TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('test_drive','quote','brochure','callback')),
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        email TEXT NOT NULL,
        phone TEXT,
        postcode TEXT,
        dealer_id TEXT,
        dealer_name TEXT,
        routing TEXT NOT NULL,
        preferred_date TEXT,
        variant TEXT,
        message TEXT,
        consent_marketing INTEGER NOT NULL,
        consent_version TEXT NOT NULL,
        consent_at TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        contacted_at TEXT,
        fingerprint TEXT NOT NULL
      );
      CREATE INDEX leads_event ON leads (event_id, created_at);
      -- Erased leads: the id only, so a resend from a browser's outbox stores nothing again.
      CREATE TABLE erased_leads (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL,
        erased_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'models',
    sql: `
      -- One uploaded model per event; the files live in DATA_DIR/models/<event_id>/.
      CREATE TABLE models (
        event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        original_file TEXT NOT NULL,
        original_bytes INTEGER NOT NULL,
        optimised_file TEXT NOT NULL,
        optimised_bytes INTEGER NOT NULL,
        stats TEXT NOT NULL,
        bounds TEXT NOT NULL,
        pose TEXT NOT NULL,
        note TEXT,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'staging, branding, posters and hotspot opens',
    sql: `
      -- JSON: the studio's VehicleSetup (null: defaults) and the event's EventBrand.
      ALTER TABLE events ADD COLUMN stage TEXT;
      ALTER TABLE events ADD COLUMN brand TEXT NOT NULL DEFAULT '{"name":null,"logoUrl":null,"accent":null,"background":null}';
      -- JSON ModelDetails of the served file; the poster still (file in the event's model folder).
      ALTER TABLE models ADD COLUMN details TEXT NOT NULL DEFAULT '{"materials":[],"variants":[]}';
      ALTER TABLE models ADD COLUMN poster_file TEXT;
      ALTER TABLE models ADD COLUMN poster_bytes INTEGER;
      CREATE TABLE hotspot_opens (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        hotspot_id TEXT NOT NULL,
        viewer_id TEXT NOT NULL,
        opens INTEGER NOT NULL,
        first_at TEXT NOT NULL,
        last_at TEXT NOT NULL,
        PRIMARY KEY (event_id, hotspot_id, viewer_id)
      );
    `,
  },
  {
    version: 6,
    name: 'viewer sessions and reaction counts (the report)',
    sql: `
      -- One row per socket connection of a viewer; left_at stays NULL if the process died with it open.
      CREATE TABLE viewer_sessions (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        viewer_id TEXT NOT NULL,
        name TEXT,
        joined_at TEXT NOT NULL,
        left_at TEXT
      );
      CREATE INDEX viewer_sessions_event ON viewer_sessions (event_id, joined_at);
      -- Reactions per viewer, minute and emoji: a burst of thousands a second is a few rows.
      CREATE TABLE reaction_counts (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        viewer_id TEXT NOT NULL,
        minute TEXT NOT NULL,
        emoji TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (event_id, minute, viewer_id, emoji)
      );
    `,
  },
  {
    version: 7,
    name: 'replay recording',
    sql: `
      -- The presentation as it went (poses at most 10 a second, chapters, answered questions),
      -- a chunk per write: an hour is a few thousand rows.
      CREATE TABLE replay_chunks (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        first_at INTEGER NOT NULL,
        entries TEXT NOT NULL
      );
      CREATE INDEX replay_chunks_event ON replay_chunks (event_id, first_at);
    `,
  },
  {
    version: 8,
    name: 'key expiry, revocation and rotation',
    sql: `
      -- NULL: the key never expires / is not revoked. A rotation clears the revocation.
      ALTER TABLE events ADD COLUMN host_key_expires_at TEXT;
      ALTER TABLE events ADD COLUMN host_key_revoked_at TEXT;
      ALTER TABLE events ADD COLUMN dealer_key_expires_at TEXT;
      ALTER TABLE events ADD COLUMN dealer_key_revoked_at TEXT;
      ALTER TABLE dealers ADD COLUMN key_expires_at TEXT;
      ALTER TABLE dealers ADD COLUMN key_revoked_at TEXT;
      -- The SHA-256 of each rotated key, never the key: an old link answers "no longer valid".
      CREATE TABLE retired_keys (
        hash TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        ref TEXT NOT NULL,
        retired_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'privacy contact',
    sql: `
      -- Where a viewer exercises their rights (an e-mail address or a web page); NULL: none given.
      ALTER TABLE events ADD COLUMN privacy_contact TEXT;
    `,
  },
];
