import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SingleUseTokens } from '../../db/repositories/single-use-tokens.js';
import { seedUser, type SeededUser } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('single-use link tokens', () => {
  let server: TestServer;
  let user: SeededUser;

  before(async () => {
    server = await startTestServer();
    user = await seedUser(server.runtime.services, '123456.sms', 'linked');
  });
  after(() => server.close());

  it('leaves exactly one usable link of a user when many are issued at once', async () => {
    const { db } = server.runtime;
    const tokens = new SingleUseTokens(db, 'password_reset_tokens');
    const now = Date.now();
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        tokens.insertVoidingOlder({
          tenantId: '123456.sms',
          userId: user.id,
          tokenHash: String(index).padStart(64, 'a'),
          createdAt: now,
          expiresAt: now + 60_000,
        }),
      ),
    );
    const usable = await db('password_reset_tokens').where({ user_id: user.id }).whereNull('used_at');
    assert.equal(usable.length, 1);
  });
});
