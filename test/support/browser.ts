/**
 * Headless Chromium for browser tests (Debian's /usr/bin/chromium driven by playwright-core). Without it the
 * browser tests are skipped locally; under CI a missing browser is a failure, never a skip.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../src/config/config.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/app-context.js';
import { createLogger } from '../../src/http/logger.js';
import { openRuntime, startServer } from '../../src/runtime.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { TEST_PASSWORD } from './factories.js';
import { ensureWebBuilt } from './web-build.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** For `describe.skipIf`: true only when Chromium is missing and we are not in CI. */
export const skipBrowserTests = !fs.existsSync(CHROMIUM_PATH) && !process.env.CI;

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}, and the browser tests need it`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface WebServer {
  readonly app: App;
  readonly database: TestDatabase;
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * A real Cairn on a fresh SQLite database, serving the built web UI and the API on a free local port. With
 * `withAgents` it is started as `cairn serve` starts it (`startServer`: the built-in analysis types
 * registered, the embedded agents running the local resource's jobs), so that analyses started in the page
 * run to their end.
 */
export async function serveWebApp(options: { withAgents?: boolean } = {}): Promise<WebServer> {
  const webDir = await ensureWebBuilt();
  const database = await createTestDatabase('sqlite');
  const config = loadConfig(
    options.withAgents ? { CAIRN_ADMIN_PASSWORD: TEST_PASSWORD, CAIRN_AGENT_POLL_MS: '200' } : {},
    {
      ...database.connection,
      filesDir: path.join(database.connection.dataDir, 'files'),
      webDir,
      logLevel: 'silent',
      host: '127.0.0.1',
      port: 0,
    },
  );
  if (options.withAgents) {
    const server = await startServer(await openRuntime(config), { withWorker: false });
    return {
      app: server.app,
      database,
      baseUrl: server.url.replace('localhost', '127.0.0.1'),
      close: async () => {
        await server.stop();
        await database.destroy();
      },
    };
  }
  const app = await buildApp({ config, database, log: createLogger(config) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    database,
    baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}
