import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { newKey } from './keys.js';
import { createLogger, type Logger } from './logger.js';
import { connectCluster, type ClusterLink } from './cluster/index.js';
import { runPrimary, serveHandedConnections, sessionPrefix } from './cluster/primary.js';
import { openStore } from './store/open.js';
import { startedByNpm, watchParent } from './parentWatch.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLIENT_DIR = path.join(ROOT, 'dist', 'client');

/** Newest modification time of the files the client is built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds the client when it is missing or older than its sources (first start, or after a
 * `git pull`), so `npm install && npm start` is all a user needs.
 */
async function ensureClientBuilt(log: Logger): Promise<void> {
  const index = path.join(CLIENT_DIR, 'index.html');
  if (fs.existsSync(index)) {
    const built = fs.statSync(index).mtimeMs;
    const sources = Math.max(newestSource(path.join(ROOT, 'client')), newestSource(path.join(ROOT, 'shared')), fs.statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs);
    if (sources <= built) return;
  }
  log.info('building the client…');
  // In a child process: a Vite build holds ~700 MB that a long-running server would otherwise
  // keep for its whole life (seen as an 820 MB server in benchmarks run after a client edit).
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`building the client failed (vite exited ${result.status ?? result.signal})`);
}

/** ADMIN_TOKEN, else the token kept in DATA_DIR, else a new one (printed this once). */
function resolveAdminToken(config: Config): { token: string; generated: boolean } {
  if (config.adminToken) return { token: config.adminToken, generated: false };
  const file = path.join(config.dataDir, 'admin-token');
  if (fs.existsSync(file)) return { token: fs.readFileSync(file, 'utf8').trim(), generated: false };
  const token = newKey();
  fs.writeFileSync(file, token + '\n', { mode: 0o600 });
  return { token, generated: true };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`vitrine: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const workerIndex = process.env.VITRINE_WORKER_INDEX;
  const log = createLogger(config.logLevel).child(workerIndex === undefined ? {} : { worker: Number(workerIndex) });
  if (config.workers > 1 && cluster.isPrimary) return primary(config, log);

  fs.mkdirSync(config.dataDir, { recursive: true });
  if (workerIndex === undefined) await ensureClientBuilt(log);
  let store, link: ClusterLink | undefined;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
    if (config.redisUrl) link = await connectCluster(config.redisUrl, log);
  } catch (err) {
    console.error(`vitrine: ${store ? 'cannot reach Redis (REDIS_URL)' : 'cannot open the store'}: ${(err as Error).message}`);
    await store?.close();
    process.exit(2);
  }
  const admin = resolveAdminToken(config);
  const app = createApp({
    store,
    log,
    adminToken: admin.token,
    publicUrl: config.publicUrl,
    clientDir: CLIENT_DIR,
    models: { dir: path.join(config.dataDir, 'models'), maxBytes: config.modelMaxBytes },
    ipCaps: config.ipCaps,
    trustProxy: config.trustProxy,
    ...(link ? { cluster: link } : {}),
    ...(workerIndex !== undefined ? { sessionIdPrefix: sessionPrefix(Number(workerIndex)) } : {}),
  });
  await app.models.sweepTemp();
  const stopOn = (close: () => Promise<void>) => {
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      try {
        await close();
      } finally {
        process.exit(0);
      }
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  };
  const closeAll = async () => {
    await app.close();
    await link?.close();
    await store.close();
  };

  if (workerIndex !== undefined) {
    // Behind the primary, which owns the port.
    serveHandedConnections(app.httpServer);
    log.info({ store: store.kind }, 'worker ready');
    stopOn(closeAll);
    return;
  }

  try {
    await new Promise<void>((resolve, reject) => {
      app.httpServer.once('error', reject);
      app.httpServer.listen(config.port, config.host, resolve);
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      console.error(`vitrine: cannot listen on ${config.host}:${config.port} (${code}). Another program may use this port: set PORT (or HOST).`);
      await link?.close();
      await store.close();
      process.exit(2);
    }
    throw err;
  }
  const url = app.publicUrl();
  log.info({ url, store: store.kind, redis: Boolean(link), dataDir: config.dataDir }, 'vitrine listening');
  process.stdout.write(banner(url, config, admin, link ? ['  Sharing rooms with other processes through Redis'] : []));
  stopOn(closeAll);
}

/** Plain lines for the person at the terminal (the structured log is for machines). */
function banner(url: string, config: Config, admin: { token: string; generated: boolean }, extra: string[] = []): string {
  const out = [`\n  Vitrine is running at ${url}`, `  Studio: ${url}/studio`, ...extra];
  if (admin.generated) {
    out.push(`  Admin token (shown once, kept in ${path.join(config.dataDir, 'admin-token')}):`, `    ${admin.token}`);
    out.push(`  Open the studio already signed in: ${url}/studio#token=${admin.token}`);
  } else if (!config.adminToken) {
    out.push(`  Admin token: in ${path.join(config.dataDir, 'admin-token')}`);
  }
  return out.join('\n') + '\n\n';
}

/**
 * WORKERS=n: this process owns the port and hands connections to n workers (server/cluster/
 * primary.ts). It builds the client and settles the admin token once, before they start.
 */
async function primary(config: Config, log: Logger): Promise<void> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  await ensureClientBuilt(log);
  const admin = resolveAdminToken(config);
  let running;
  try {
    running = await runPrimary({ workers: config.workers, port: config.port, host: config.host, env: { ADMIN_TOKEN: admin.token, ...(config.publicUrl ? { PUBLIC_URL: config.publicUrl } : {}) }, log });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    console.error(`vitrine: cannot listen on ${config.host}:${config.port} (${code ?? (err as Error).message}). Another program may use this port: set PORT (or HOST).`);
    process.exit(2);
  }
  const url = config.publicUrl ?? running.url;
  log.info({ url, workers: config.workers }, 'vitrine listening');
  process.stdout.write(banner(url, config, admin, [`  ${config.workers} worker processes, sharing rooms through Redis`]));
  const stop = running.stop;
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void stop().finally(() => process.exit(0));
    });
  }
}

// `kill <npm's pid>` does not reach a server started by `npm start` (parentWatch.ts): it stops
// itself, as on SIGTERM, once npm is gone.
if (startedByNpm(process.env)) {
  watchParent(() => {
    console.error('vitrine: the npm process that started this server is gone: stopping.');
    process.kill(process.pid, 'SIGTERM');
  });
}

main().catch((err: unknown) => {
  console.error('vitrine failed to start:', err);
  process.exit(1);
});
