import net from 'node:net';

/**
 * A TCP proxy for fault tests: the server under test talks to Redis or PostgreSQL through it,
 * and the test cuts the link (every open connection reset, new ones refused) and restores it,
 * as a restart of the service looks from the server, without touching the service others use.
 */
export interface TcpProxy {
  /** `host:port` to give the server instead of the real service's. */
  readonly address: string;
  readonly port: number;
  /** Resets every open connection and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const cut = (): void => {
    down = true;
    for (const s of open) s.resetAndDestroy();
    open.clear();
  };
  return {
    address: `127.0.0.1:${port}`,
    port,
    cut,
    restore() {
      down = false;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
