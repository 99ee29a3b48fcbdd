import net from 'node:net';
import { describe, expect, it, type TestContext } from 'vitest';
import { startTcpProxy, type TcpProxy } from './tcpProxy.js';

/**
 * The fault proxy measured from outside, with the parameters the fault suites use (2 s ± 1 s,
 * 5 KB/s): a test that trusts a broken proxy would prove nothing about the server.
 */

interface Sink {
  port: number;
  /** Every line received, with its arrival time, per connection in order of accept. */
  lines: { text: string; at: number }[][];
  bytes: () => number;
  close: () => Promise<void>;
}

/** A server that records what arrives (newline-separated) and echoes `echo` lines back. */
async function startSink(): Promise<Sink> {
  const lines: Sink['lines'] = [];
  let bytes = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    const mine: { text: string; at: number }[] = [];
    lines.push(mine);
    let rest = '';
    s.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      rest += chunk.toString('latin1');
      let i;
      while ((i = rest.indexOf('\n')) >= 0) {
        const text = rest.slice(0, i);
        rest = rest.slice(i + 1);
        mine.push({ text, at: Date.now() });
        if (text.startsWith('echo')) s.write(`${text}\n`);
      }
    });
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    lines,
    bytes: () => bytes,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function connect(proxy: TcpProxy): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(proxy.port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves once `check` holds (polling), or rejects after `ms`. */
async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A sink behind a proxy, both closed when the test ends (its own hook: the tests run concurrently). */
async function setup({ onTestFinished }: TestContext): Promise<{ proxy: TcpProxy; sink: Sink }> {
  const sink = await startSink();
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: sink.port });
  onTestFinished(async () => {
    await proxy.close();
    await sink.close();
  });
  return { proxy, sink };
}

// Concurrent: each test mostly waits on the link, the whole file takes as long as the longest.
describe.concurrent('the fault proxy', { timeout: 15_000 }, () => {
  it('delays each chunk by 2 s ± 1 s, one way only, and never reorders a connection’s bytes', async (ctx) => {
    const { proxy, sink } = await setup(ctx);
    proxy.set({ latencyMs: 2_000, jitterMs: 1_000 }, 'up');

    // Ten connections, one message each: ten independent draws of the delay.
    const sentAt: number[] = [];
    const firsts = await Promise.all(Array.from({ length: 10 }, () => connect(proxy)));
    for (const [i, s] of firsts.entries()) {
      sentAt[i] = Date.now();
      s.write(`first ${i}\n`);
    }
    // And one connection with twenty messages 20 ms apart (head-of-line: order kept), then an
    // echo request the sink answers: the way back is untouched, so it returns at once.
    const ordered = await connect(proxy);
    const orderedAt: number[] = [];
    for (let i = 0; i < 20; i++) {
      orderedAt.push(Date.now());
      ordered.write(`seq ${i}\n`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const echoAt = Date.now();
    const back = new Promise<number>((resolve) => ordered.once('data', () => resolve(Date.now())));
    ordered.write('echo\n');
    await until(() => sink.lines.flat().length === 31, 6_000);

    const delays = sink.lines.flatMap((conn) => conn.filter((l) => l.text.startsWith('first')).map((l) => l.at - sentAt[Number(l.text.split(' ')[1])]!));
    expect(delays).toHaveLength(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(990);
      expect(d).toBeLessThanOrEqual(3_100);
    }
    // Drawn, not fixed: ten uniform draws over 2 s spread well beyond 0.4 s (p < 1e-4 otherwise).
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(400);

    const seq = sink.lines.find((conn) => conn[0]?.text.startsWith('seq'))!;
    expect(seq.map((l) => l.text)).toEqual([...Array.from({ length: 20 }, (_, i) => `seq ${i}`), 'echo']);
    for (const [i, l] of seq.slice(0, 20).entries()) expect(l.at - orderedAt[i]!).toBeLessThanOrEqual(3_100);

    const arrived = seq.at(-1)!.at;
    expect(arrived - echoAt).toBeGreaterThanOrEqual(990);
    expect((await back) - arrived).toBeLessThan(300);
    for (const s of [...firsts, ordered]) s.destroy();
  });

  it('holds each direction to 5 KB/s', async (ctx) => {
    const { proxy, sink } = await setup(ctx);
    const RATE = 5 * 1024;
    proxy.set({ bytesPerSecond: RATE });
    const s = await connect(proxy);
    const payload = Buffer.alloc(15 * 1024, 'x');
    const start = Date.now();
    s.write(payload);
    await until(() => sink.bytes() === payload.length, 6_000);
    const seconds = (Date.now() - start) / 1000;
    // 15 KB at 5 KB/s: 3 s, less the first burst (a tenth of a second's worth).
    const measured = payload.length / seconds;
    expect(measured).toBeGreaterThan(RATE * 0.9);
    expect(measured).toBeLessThan(RATE * 1.1);
    s.destroy();
  });

  it('resets connections: all at once, each with a probability, or after so many bytes; and refuses them while cut', async (ctx) => {
    const { proxy, sink } = await setup(ctx);
    const errors = (s: net.Socket) => new Promise<string>((resolve) => s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message)));

    // After N bytes: the peer sees a reset, the far end got no more than that.
    proxy.set({ resetAfterBytes: 1_000 });
    const a = await connect(proxy);
    const aFailed = errors(a);
    a.write(Buffer.alloc(5_000, 'y'));
    expect(await aFailed).toBe('ECONNRESET');
    expect(sink.bytes()).toBeLessThanOrEqual(1_000);
    expect(proxy.stats.resets).toBe(1);
    proxy.heal();

    // Every open connection at once.
    const open = await Promise.all([connect(proxy), connect(proxy), connect(proxy)]);
    await until(() => proxy.stats.open === 3, 1_000);
    const failed = open.map(errors);
    expect(proxy.reset()).toBe(3);
    expect(await Promise.all(failed)).toEqual(['ECONNRESET', 'ECONNRESET', 'ECONNRESET']);

    // Each with a probability: about half of 60.
    const many = await Promise.all(Array.from({ length: 60 }, () => connect(proxy)));
    await until(() => proxy.stats.open === 60, 2_000);
    for (const s of many) s.on('error', () => {});
    const n = proxy.reset(0.5);
    expect(n).toBeGreaterThan(15);
    expect(n).toBeLessThan(45);
    for (const s of many) s.destroy();

    // Cut: new connections are refused until restored, then they work again.
    proxy.cut();
    // (The reset may come before or after the handshake completes on the client's side.)
    expect(await errors(net.connect(proxy.port, '127.0.0.1'))).toBe('ECONNRESET');
    proxy.restore();
    const b = await connect(proxy);
    b.write('echo again\n');
    await new Promise<void>((resolve) => b.once('data', () => resolve()));
    b.destroy();
  });
});
