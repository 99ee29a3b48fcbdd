import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { newId } from '../keys.js';
import { createMemoryStore } from './memory.js';
import { leadFixture } from './leads.contract.js';
import { describeStoreContract, newEventFixture } from './repository.contract.js';
import type { Store } from './types.js';
import { migrate, openSqliteStore } from './sqlite/index.js';
import { SQLITE_MIGRATIONS } from './sqlite/migrations.js';
import { openPostgresStore } from './postgres/index.js';
import { migrate as migratePostgres, POSTGRES_MIGRATIONS } from './postgres/migrations.js';
import { poolConfig } from './postgres/pool.js';
import { dropSchema, openThrowawayStore, throwawaySchema } from './postgres/testing.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-store-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;

describeStoreContract('memory', async () => createMemoryStore());
describeStoreContract('sqlite', async () => openSqliteStore(path.join(tmp, `contract-${n++}.db`)));

describe('sqlite specifics', () => {
  it('keeps data across close and reopen, and runs each migration once', async () => {
    const file = path.join(tmp, 'reopen.db');
    const a = openSqliteStore(file);
    const e = await a.events.create(newEventFixture());
    await a.close();
    const b = openSqliteStore(file);
    expect((await b.events.findById(e.id))?.title).toBe(e.title);
    await b.close();
    const db = new Database(file);
    expect(migrate(db)).toBe(0);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(SQLITE_MIGRATIONS.length);
    db.close();
  });

  it('erases a person from the database file itself, not only from the tables', async () => {
    const file = path.join(tmp, 'erase.db');
    const s = openSqliteStore(file);
    const e = await s.events.create(newEventFixture());
    const lead = leadFixture(e.id, { email: 'personne.effacee@example.fr', lastName: 'Zébulon-Effacé' });
    await s.leads.submit(lead);
    await s.leads.submit(leadFixture(e.id));
    expect(await s.leads.erase(e.id, lead.id, new Date().toISOString())).toBe(true);
    const onDisk = () => [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1')).join('');
    expect(onDisk()).not.toContain('personne.effacee@example.fr');
    await s.close();
    expect(onDisk()).not.toContain('personne.effacee@example.fr');
  });

  it('reports unhealthy once closed', async () => {
    const s = openSqliteStore(path.join(tmp, 'closed.db'));
    await s.close();
    expect(await s.healthy()).toBe(false);
  });
});

// PostgreSQL runs on the development and CI machines (127.0.0.1:5432). A laptop without it
// skips these suites and says so; in CI (.ci/run sets VITRINE_CI=1) they must run.
const PG_URL = process.env.TEST_DATABASE_URL;
const PG_EXAMPLE = 'postgres://postgres@127.0.0.1:5432/test';
if (!PG_URL && process.env.VITRINE_CI === '1') throw new Error(`PostgreSQL is required in CI: TEST_DATABASE_URL is not set (e.g. ${PG_EXAMPLE})`);
if (!PG_URL) console.warn(`PostgreSQL suites skipped: TEST_DATABASE_URL is not set (e.g. ${PG_EXAMPLE})`);

describe.skipIf(!PG_URL)('postgres', () => {
  const url = PG_URL!;
  // Each store in a schema of its own, dropped on close.
  describeStoreContract('postgres', () => openThrowawayStore(url));

  /** A client configured exactly like the store's connections. */
  async function connect(o: { schema?: string; url?: string }): Promise<pg.Client> {
    const client = new pg.Client(poolConfig(o.url ?? url, { schema: o.schema }));
    await client.connect();
    return client;
  }

  /** A TCP relay to PostgreSQL that a test can cut and restore: an outage without touching the shared server. */
  async function relayTo(target: URL) {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((down) => {
      const up = net.connect(Number(target.port || 5432), target.hostname);
      for (const s of [down, up]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      down.pipe(up).pipe(down);
    });
    let port = 0;
    const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => {
      port = (server.address() as net.AddressInfo).port;
      resolve();
    }));
    await listen();
    const cut = () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    const via = new URL(target);
    via.hostname = '127.0.0.1';
    via.port = String(port);
    return { url: via.toString(), cut, restore: listen };
  }

  describe('postgres specifics', () => {
    it('keeps data across close and reopen, and runs each migration once', async () => {
      const schema = throwawaySchema();
      try {
        const a = await openPostgresStore(url, { schema });
        const e = await a.events.create(newEventFixture());
        await a.close();
        const b = await openPostgresStore(url, { schema });
        expect((await b.events.findById(e.id))?.title).toBe(e.title);
        await b.close();
        const client = await connect({ schema });
        try {
          expect(await migratePostgres(client, schema)).toBe(0);
          const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
          expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
        } finally {
          await client.end();
        }
      } finally {
        await dropSchema(url, schema);
      }
    });

    it('lets servers starting together on a new schema all migrate it, each migration running once', async () => {
      const schema = throwawaySchema();
      const clients = await Promise.all([1, 2, 3].map(() => connect({ schema })));
      try {
        const applied = await Promise.all(clients.map((c) => migratePostgres(c, schema)));
        expect(applied.sort()).toEqual([0, 0, POSTGRES_MIGRATIONS.length]);
        const stores = await Promise.all([1, 2].map(() => openPostgresStore(url, { schema })));
        const e = await stores[0]!.events.create(newEventFixture());
        expect((await stores[1]!.events.findById(e.id))?.id).toBe(e.id);
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await Promise.all(clients.map((c) => c.end()));
        await dropSchema(url, schema);
      }
    });

    it('commits synchronously, in UTC and in its own schema, whatever options the URL carries', async () => {
      const schema = throwawaySchema();
      const careless = new URL(url);
      careless.searchParams.set('options', '-c synchronous_commit=off -c search_path=public');
      const client = await connect({ schema, url: careless.toString() });
      try {
        const show = async (setting: string) => Object.values((await client.query<Record<string, string>>(`SHOW ${setting}`)).rows[0]!)[0];
        expect(await show('synchronous_commit')).toBe('on');
        expect(await show('search_path')).toBe(schema);
        expect(await show('timezone')).toBe('UTC');
      } finally {
        await client.end();
      }
    });

    it('says unhealthy (never throws) while PostgreSQL is unreachable, logs it, and recovers by itself', async () => {
      const relay = await relayTo(new URL(url));
      const lines: string[] = [];
      const log = createLogger('info', { write: (line: string) => void lines.push(line) });
      const schema = throwawaySchema();
      const store = await openPostgresStore(relay.url, { schema, log });
      try {
        const e = await store.events.create(newEventFixture());
        expect(await store.healthy()).toBe(true);
        await relay.cut();
        expect(await store.healthy()).toBe(false);
        await expect(store.events.findById(e.id)).rejects.toThrow();
        expect(lines.join('')).toContain('PostgreSQL unreachable');
        await relay.restore();
        expect(await store.healthy()).toBe(true);
        expect((await store.events.findById(e.id))?.id).toBe(e.id);
        expect(lines.join('')).toContain('PostgreSQL reachable again');
      } finally {
        await relay.restore().catch(() => undefined);
        await store.close();
        await dropSchema(url, schema);
      }
    });

    it('rejects every vote of a batch cut off by a lost connection, stores none of it, and counts the retries once', async () => {
      const relay = await relayTo(new URL(url));
      // The server notices a vanished client while the statement waits, and rolls it back (PostgreSQL 14+).
      const checked = new URL(relay.url);
      checked.searchParams.set('options', '-c client_connection_check_interval=50');
      const schema = throwawaySchema();
      const store = await openPostgresStore(checked.toString(), { schema });
      const blocker = await connect({ schema });
      try {
        const e = await store.events.create(newEventFixture());
        const ask = async () => (await store.questions.ask({ id: newId(), eventId: e.id, viewerId: 'asker-aaaa', name: null, text: 'Autonomie ?', status: 'visible', createdAt: new Date().toISOString() })).question.id;
        const [a, b] = [await ask(), await ask()];
        const votes = () => ['v1-aaaaaa', 'v2-aaaaaa', 'v3-aaaaaa'].flatMap((v) => [store.questions.vote(a, v), store.questions.vote(b, v)]);
        // Another session holds question b, so the batch is in flight (waiting for it) when the link is cut.
        await blocker.query('BEGIN');
        await blocker.query('SELECT 1 FROM questions WHERE id = $1 FOR UPDATE', [b]);
        const waiting = async () => (await blocker.query('SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))')).rowCount;
        const cut = votes().map((p) => p.then(() => 'answered', () => 'rejected'));
        await expect.poll(waiting).toBe(1);
        await relay.cut();
        expect(await Promise.all(cut)).toEqual(Array(6).fill('rejected'));
        await expect.poll(waiting).toBe(0);
        await blocker.query('ROLLBACK');
        const stored = async () => (await blocker.query<{ votes: number; rows: string }>(
          'SELECT q.votes, (SELECT count(*) FROM votes v WHERE v.question_id = q.id) AS rows FROM questions q ORDER BY q.id',
        )).rows.map((r) => [r.votes, Number(r.rows)]);
        expect(await stored()).toEqual([[0, 0], [0, 0]]);
        await relay.restore();
        expect((await Promise.all(votes())).every((r) => r?.changed)).toBe(true);
        expect(await stored()).toEqual([[3, 3], [3, 3]]);
      } finally {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.end();
        await relay.restore().catch(() => undefined);
        await store.close();
        await dropSchema(url, schema);
      }
    });

    it('counts the votes of servers sharing the database exactly, each voting in an order of its own', async () => {
      const schema = throwawaySchema();
      const stores = await Promise.all([1, 2].map(() => openPostgresStore(url, { schema })));
      try {
        const [one, two] = stores as [Store, Store];
        const e = await one.events.create(newEventFixture());
        const ids: string[] = [];
        for (let i = 0; i < 8; i++) {
          ids.push((await one.questions.ask({ id: newId(), eventId: e.id, viewerId: 'asker-aaaa', name: null, text: `Question ${i}`, status: 'visible', createdAt: new Date().toISOString() })).question.id);
        }
        const viewers = Array.from({ length: 20 }, (_, i) => `viewer-${String(i).padStart(4, '0')}`);
        // The same viewers (two tabs, one on each server), the questions in opposite orders.
        const round = (add: boolean) => Promise.all(
          [[one, ids], [two, [...ids].reverse()]].flatMap(([s, order]) =>
            viewers.flatMap((v) => (order as string[]).map((id) => (add ? (s as Store).questions.vote(id, v) : (s as Store).questions.unvote(id, v))))),
        );
        for (const add of [true, false, true]) {
          const answers = await round(add);
          expect(answers.filter((r) => r?.changed)).toHaveLength(viewers.length * ids.length);
          const counts = (await one.questions.listByEvent(e.id)).map((q) => q.votes);
          expect(counts).toEqual(ids.map(() => (add ? viewers.length : 0)));
        }
        expect(await one.questions.voters(e.id)).toHaveLength(viewers.length * ids.length);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await dropSchema(url, schema);
      }
    });

    it('refuses to open, saying why, when PostgreSQL is not there or does not answer', async () => {
      await expect(openPostgresStore('postgres://postgres@127.0.0.1:1/test')).rejects.toThrow(/PostgreSQL at 127\.0\.0\.1:1\/test could not be opened: .*ECONNREFUSED/);
      // A server gone from the network: the connection is accepted, then nothing ever comes back.
      const held = new Set<net.Socket>();
      const silent = net.createServer((s) => void held.add(s));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as net.AddressInfo;
      const started = performance.now();
      try {
        await expect(openPostgresStore(`postgres://postgres@127.0.0.1:${port}/test`, { openTimeoutMs: 300 })).rejects.toThrow(/could not be opened/);
        expect(performance.now() - started).toBeLessThan(2000);
      } finally {
        for (const s of held) s.destroy();
        silent.close();
      }
    });

    it('reports unhealthy once closed', async () => {
      const store = await openThrowawayStore(url);
      await store.close();
      expect(await store.healthy()).toBe(false);
    });
  });
});
