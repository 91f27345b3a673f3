import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runOnOneInstance } from '../../db/instance-lock.js';
import { OidcPayloadRepository } from '../../db/repositories/oidc-payload-repository.js';
import { onPostgres } from '../support/test-database.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const EXPIRED = 5_500;
const LIVE = 10;

describe('the expiry sweep', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
    const { db } = server.runtime;
    const rows = Array.from({ length: EXPIRED + LIVE }, (_, index) => ({
      type: 'AccessToken',
      id: `sweep-${index}`,
      payload: '{}',
      expires_at: index < EXPIRED ? 1_000 : 4_000_000_000,
    }));
    for (let start = 0; start < rows.length; start += 500)
      await db('oidc_payloads').insert(rows.slice(start, start + 500));
  });
  after(() => server.close());

  it('deletes expired rows in bounded batches and lets other queries run between them', async () => {
    const { db } = server.runtime;
    const deletes: string[] = [];
    const watch = (query: { sql: string }) => {
      if (/^delete from ["`]oidc_payloads["`]/i.test(query.sql)) deletes.push(query.sql);
    };
    db.on('query', watch);
    const events: string[] = [];
    const sweep = new OidcPayloadRepository(db).deleteExpired(2_000, 1_000).then((count) => {
      events.push('sweep done');
      return count;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const other = db('tenants')
      .count('id as count')
      .then(() => events.push('other query done'));
    const [removed] = await Promise.all([sweep, other]);
    db.off('query', watch);

    assert.equal(removed, EXPIRED);
    assert.equal(deletes.length, Math.floor(EXPIRED / 1_000) + 1, 'one statement per batch of 1,000');
    assert.deepEqual(
      events,
      ['other query done', 'sweep done'],
      'the other query did not wait for the sweep',
    );
    const left = await db('oidc_payloads')
      .where('id', 'like', 'sweep-%')
      .count<{ count: number | string }[]>('id as count');
    assert.equal(Number(left[0]!.count), LIVE, 'live rows stay');
  });

  it('sweeps on one instance at a time: a second sweep while one runs does nothing', async () => {
    const { db } = server.runtime;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = runOnOneInstance(db, async () => {
      started();
      await held;
    });
    await running;
    // Another instance's attempt (a connection of its own) while the first sweeps.
    const second = await runOnOneInstance(db, () => Promise.resolve());
    release();
    assert.equal(await first, true);
    // On SQLite the cluster's primary picks the sweeping worker, so every call runs there.
    assert.equal(second, !onPostgres, onPostgres ? 'the advisory lock is taken' : 'SQLite runs it');
    assert.equal(await server.sweepExpired(), true, 'free again afterwards');
  });
});
