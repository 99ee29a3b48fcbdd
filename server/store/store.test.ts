import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory.js';
import { leadFixture } from './leads.contract.js';
import { describeStoreContract, newEventFixture } from './repository.contract.js';
import { migrate, openSqliteStore } from './sqlite/index.js';
import { SQLITE_MIGRATIONS } from './sqlite/migrations.js';

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
