import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { LeadSubmitInput } from '../../shared/lead.js';
import { brochureLead } from './harness.js';

/**
 * The lead guarantee under the worst fault: the server is killed with SIGKILL (no shutdown
 * code runs) in the middle of a burst of 300 leads from clients that retry until acknowledged,
 * then restarted on the same data. Every lead acknowledged before the kill must already be on
 * disk, and once the clients are done every lead is stored exactly once.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-crash-'));
const ADMIN_TOKEN = 'crash-test-admin-token-0123456789';
const CLIENTS = 30;
const LEADS_PER_CLIENT = 10;
const children: ChildProcess[] = [];
const sockets: Socket[] = [];
afterAll(() => {
  for (const s of sockets) s.disconnect();
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

async function start(port: number): Promise<ChildProcess> {
  const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_TOKEN };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Vitrine is running at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
  return child;
}


/** What the browser's outbox does: send, and on a timeout or a lost connection, send again. */
async function sendUntilAcked(socket: Socket, lead: LeadSubmitInput, acked: Set<string>): Promise<void> {
  for (;;) {
    try {
      const ack = (await socket.timeout(1500).emitWithAck('lead:submit', lead)) as { ok: boolean; error?: { code: string } };
      if (ack.ok) {
        acked.add(lead.id);
        return;
      }
      if (ack.error?.code === 'invalid_payload' || ack.error?.code === 'conflict') throw new Error(`refused: ${ack.error.code}`);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('refused')) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('leads survive a server killed mid-burst', () => {
  it('every acknowledged lead is on disk after kill -9; after the restart all 300 are stored once', { timeout: 150_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = await start(port);
    const created = await fetch(`${url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ title: 'Lancement interrompu' }),
    });
    const event = (await created.json()) as { id: string; code: string; dealerKey: string };

    const leads = Array.from({ length: CLIENTS }, (_, c) => Array.from({ length: LEADS_PER_CLIENT }, (_, i) => brochureLead(c * LEADS_PER_CLIENT + i)));
    const acked = new Set<string>();
    for (let c = 0; c < CLIENTS; c++) {
      sockets.push(
        connectClient(url, {
          auth: { code: event.code, role: 'viewer', viewerId: `crash-viewer-${String(c).padStart(3, '0')}` },
          transports: ['websocket'],
          forceNew: true,
          reconnectionDelay: 100,
          reconnectionDelayMax: 500,
        }),
      );
    }
    // Each client sends its leads one after the other, as a person's outbox would.
    const burst = Promise.all(sockets.map(async (s, c) => {
      for (const lead of leads[c]!) await sendUntilAcked(s, lead, acked);
    }));

    await expect.poll(() => acked.size, { timeout: 30_000, interval: 5 }).toBeGreaterThanOrEqual(60);
    first.kill('SIGKILL');
    const ackedBeforeKill = new Set(acked);
    await new Promise((resolve) => first.once('exit', resolve));
    expect(ackedBeforeKill.size).toBeLessThan(CLIENTS * LEADS_PER_CLIENT);

    // Read the database the dead process left, before anybody can resend.
    const db = new Database(path.join(dataDir, 'vitrine.db'));
    const onDisk = new Set(db.prepare('SELECT id FROM leads').pluck().all() as string[]);
    db.close();
    const lost = [...ackedBeforeKill].filter((id) => !onDisk.has(id));
    expect(lost).toEqual([]);

    await start(port);
    await burst;
    expect(acked.size).toBe(CLIENTS * LEADS_PER_CLIENT);

    const res = await fetch(`${url}/api/events/${event.id}/leads`, { headers: { authorization: `Bearer ${event.dealerKey}` } });
    const stored = ((await res.json()) as { leads: { id: string; email: string }[] }).leads;
    const expected = leads.flat().map((l) => l.id).sort();
    expect(stored.map((l) => l.id).sort()).toEqual(expected);
    // None twice: one row per person's request.
    expect(new Set(stored.map((l) => l.email)).size).toBe(stored.length);
  });
});
