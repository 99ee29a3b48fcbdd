/**
 * Fallback server entry, used only when the client cannot be built (server/index.ts refuses to
 * start without dist/client). Same config, store, app and realtime as index.ts, minus the static
 * pages, which play no part in relaying poses. run.ts says in its output when it used this.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';

const config = loadConfig(process.env);
if (!config.adminToken) throw new Error('serve.ts: ADMIN_TOKEN is required');
fs.mkdirSync(config.dataDir, { recursive: true });
const store = openSqliteStore(path.join(config.dataDir, 'vitrine.db'));
const app = createApp({ store, log: createLogger(config.logLevel), adminToken: config.adminToken, publicUrl: null, clientDir: null });
await new Promise<void>((resolve, reject) => {
  app.httpServer.once('error', reject);
  app.httpServer.listen(config.port, config.host, resolve);
});
process.stdout.write(`\n  Vitrine is running at ${app.publicUrl()}\n\n`);

const shutdown = (): void => {
  setTimeout(() => process.exit(1), 10_000).unref();
  void app
    .close()
    .then(() => store.close())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
