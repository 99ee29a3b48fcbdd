/**
 * What one socket joining and leaving a room costs the server (docs/benchmarks.md, Fuzz): a real
 * server process, a live event with Q&A open and N visible questions (400 by default, about the
 * fuzz bench's), then M sockets that each connect over a bare WebSocket (Engine.IO handshake,
 * Socket.IO CONNECT with a viewer's or the presenter's auth), wait for their `state`, and close,
 * one after the other. The server's CPU over those M joins and leaves, less its idle CPU over as
 * long, divided by M, is the cost of one join and leave.
 *
 * With `--votes-per-second V`, voters vote and withdraw votes all along (as in a live Q&A): the
 * question list then changes between most joins. Their own cost is in the idle measurement,
 * which runs with them, so it is subtracted too.
 *
 *   npx tsx tests/bench/join-cost.ts [--questions 400] [--joins 600] [--role viewer|host] [--votes-per-second 0] ["--node-args=--cpu-prof --cpu-prof-dir=/tmp/p"]
 *
 * Run it under `flock /tmp/bench.lock`: it measures CPU on a shared machine.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import type { Ack } from '../../shared/errors.js';
import { connectHost } from './host.js';
import { cpuSeconds } from './procs.js';
import { chooseEntry, createEvent, startServer } from './server.js';

const { values } = parseArgs({
  options: {
    questions: { type: 'string', default: '400' },
    joins: { type: 'string', default: '600' },
    role: { type: 'string', default: 'viewer' },
    'votes-per-second': { type: 'string', default: '0' },
    'node-args': { type: 'string', default: '' },
  },
});
const QUESTIONS = Number(values.questions);
const JOINS = Number(values.joins);
const ROLE = values.role === 'host' ? 'host' : 'viewer';
const VOTES_PER_SECOND = Number(values['votes-per-second']);
/** The vote limit is 60 a minute per viewer, votes and withdrawals together: each voter votes every 2 s. */
const VOTE_EVERY_MS = 2000;

/** A question of about the fuzz bench's length. */
const text = (i: number) => `Question ${i}: quelle est l'autonomie réelle sur autoroute en hiver, et combien de temps faut-il pour recharger de 10 à 80 % sur une borne rapide ?`;

/** One join and leave over a bare WebSocket; resolves with the size of the `state` frame. */
function joinAndLeave(url: string, auth: Record<string, string>): Promise<number> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no state within 10 s')), 10_000);
    ws.on('message', (data: Buffer) => {
      const s = data.toString();
      if (s.startsWith('0')) ws.send(`40${JSON.stringify(auth)}`);
      else if (s.startsWith('44')) reject(new Error(s));
      else if (s.startsWith('42["state"')) {
        clearTimeout(timer);
        ws.once('close', () => resolve(data.length));
        ws.close();
      }
    });
    ws.on('error', reject);
  });
}

/** Voters that vote for a question and then withdraw it, in turn, VOTES_PER_SECOND in all; returns a stop. */
async function startVoting(url: string, code: string, ids: string[]): Promise<() => void> {
  if (!(VOTES_PER_SECOND > 0) || ids.length === 0) return () => {};
  const voters = await Promise.all(
    Array.from({ length: Math.ceil((VOTES_PER_SECOND * VOTE_EVERY_MS) / 1000) }, async (_, k) => {
      const s: Socket = io(url, { auth: { code, role: 'viewer', viewerId: `voter-${String(k).padStart(6, '0')}` }, transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise((resolve, reject) => {
        s.once('state', resolve);
        s.once('connect_error', reject);
      });
      return s;
    }),
  );
  let n = 0;
  let refused = 0;
  const timer = setInterval(() => {
    const k = n % voters.length;
    const round = Math.floor(n / voters.length);
    // Each voter votes for a question, then withdraws the vote, then moves on to the next one.
    const id = ids[(k + Math.floor(round / 2) * voters.length) % ids.length]!;
    voters[k]!.emit(round % 2 === 0 ? 'question:vote' : 'question:unvote', { id }, (a: Ack) => void (a.ok || refused++));
    n++;
  }, 1000 / VOTES_PER_SECOND);
  return () => {
    clearInterval(timer);
    if (refused) console.error(`${refused} of ${n} votes refused`);
    for (const s of voters) s.close();
  };
}

async function main(): Promise<void> {
  const { entry } = await chooseEntry();
  const nodeArgs = values['node-args'] ? values['node-args'].split(' ').filter(Boolean) : [];
  const server = await startServer(entry, 60_000, {}, nodeArgs);
  try {
    const event = await createEvent(server.url);
    const host = await connectHost(server.url, event.code, event.hostKey);
    await new Promise<Ack>((resolve) => host.emit('event:start', {}, resolve));
    const mode = await new Promise<Ack>((resolve) => host.emit('qa:mode', { mode: 'open' }, resolve));
    if (!mode.ok) throw new Error(mode.error.message);
    // The questions: one per asker (the rate limits are per viewer), 20 askers at a time.
    const ids: string[] = [];
    for (let i = 0; i < QUESTIONS; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, QUESTIONS - i) }, async (_, j) => {
          const s: Socket = io(server.url, { auth: { code: event.code, role: 'viewer', viewerId: `asker-${String(i + j).padStart(6, '0')}` }, transports: ['websocket'], forceNew: true, reconnection: false });
          await new Promise((resolve, reject) => {
            s.once('state', resolve);
            s.once('connect_error', reject);
          });
          const id = randomUUID();
          ids.push(id);
          const ack = (await s.timeout(10_000).emitWithAck('question:ask', { id, text: text(i + j) })) as Ack;
          if (!ack.ok) throw new Error(`ask: ${ack.error.message}`);
          s.close();
        }),
      );
    }
    console.error(`seeded ${QUESTIONS} questions`);
    const stopVoting = await startVoting(server.url, event.code, ids);
    await sleep(1500);
    const auth = (i: number): Record<string, string> => (ROLE === 'host' ? { code: event.code, role: 'host', key: event.hostKey } : { code: event.code, role: 'viewer', viewerId: `joiner-${String(i).padStart(7, '0')}` });
    // Warm-up: the code paths compiled, the caches (if any) filled.
    for (let i = 0; i < 50; i++) await joinAndLeave(server.url, auth(1_000_000 + i));
    await sleep(1000);
    const idle0 = cpuSeconds(server.pid);
    const idleStart = performance.now();
    await sleep(2000);
    const idlePerMs = (cpuSeconds(server.pid) - idle0) / (performance.now() - idleStart);
    const cpu0 = cpuSeconds(server.pid);
    const start = performance.now();
    let bytes = 0;
    for (let i = 0; i < JOINS; i++) bytes = await joinAndLeave(server.url, auth(i));
    const wall = performance.now() - start;
    await sleep(600); // the last leaves' presence push
    const cpu = cpuSeconds(server.pid) - cpu0 - idlePerMs * (performance.now() - start);
    console.log(
      JSON.stringify({ role: ROLE, questions: QUESTIONS, votesPerSecond: VOTES_PER_SECOND, joins: JOINS, stateBytes: bytes, wallMsPerJoin: +(wall / JOINS).toFixed(3), serverCpuMsPerJoin: +((cpu * 1000) / JOINS).toFixed(3) }),
    );
    stopVoting();
    host.close();
  } finally {
    await server.close();
  }
}

await main();
process.exit(0);
