import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Debian's chromium (CI installs it with apt); Playwright never downloads a browser here. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // WebGL in software (SwiftShader): three.js renders without a GPU.
  '--enable-unsafe-swiftshader',
];

const PORT = Number(process.env.E2E_PORT ?? 39_217);
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
const dataDir = process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-e2e-'));
process.env.E2E_DATA_DIR = dataDir; // workers load this file again: keep one data dir

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  // Generous: the first 3D frame renders in software, on a 2-core machine shared with the server.
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  webServer: {
    command: 'npx tsx server/index.ts',
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN: E2E_ADMIN_TOKEN, LOG_LEVEL: 'warn' },
  },
});
