import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../config/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { freePort } from './free-port.js';
import { testDatabaseFor } from './test-database.js';
import { TestClock } from './test-clock.js';

export interface TestServer extends RunningServer {
  config: Config;
  dataDir: string;
  /** Every log line the server wrote, parsed. */
  logLines: Array<Record<string, unknown>>;
  logText(): string;
  /** The server's domain clock (TOTP, throttling, expiries), which tests move forward. */
  clock: TestClock;
  /** Where the server really listens (plain http), which differs from `url` behind a pretended TLS proxy. */
  localUrl: string;
}

export interface TestServerOptions {
  env?: Record<string, string>;
  /** Reuse a data directory (restart tests); a fresh temp directory otherwise. */
  dataDir?: string;
  clock?: TestClock;
  /** Listen on this port (restart tests keep the issuer); a free port otherwise. */
  port?: number;
  /** The issuer is https, as behind a TLS-terminating proxy; the server still listens on plain http. */
  https?: boolean;
}

/** A real server on a loopback port, with its own SQLite file in a temp directory. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'usp-idp-test-'));
  const port = options.port ?? (await freePort());
  const databaseUrl = await testDatabaseFor(dataDir);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    ISSUER: `${options.https ? 'https' : 'http'}://localhost:${port}`,
    DATA_DIR: dataDir,
    BCRYPT_COST: '4',
    DEMO: 'false',
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_SECONDS: '2',
    // Registration suites register dozens of clients from one address; the throttle has its own test.
    REGISTRATION_LIMIT_PER_HOUR: '1000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  });
  const logLines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString('utf8');
      raw.push(text);
      for (const line of text.split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const clock = options.clock ?? new TestClock();
  const server = await startServer(config, createLogger(config.logLevel, sink), clock);
  return {
    ...server,
    url: config.issuer,
    localUrl: `http://localhost:${port}`,
    config,
    dataDir,
    logLines,
    logText: () => raw.join(''),
    clock,
  };
}
