import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { logInForTokens, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('deleting a client', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('ends its grants and tokens at once, and leaves other clients alone', async () => {
    const { services, db } = server.runtime;
    const user = await seedUser(services, '900001.sms', 'holder');
    const doomed = await seedClient(services);
    const kept = await seedClient(services);
    const doomedRp = await RelyingParty.discover({ issuer: server.url, ...doomed });
    const keptRp = await RelyingParty.discover({ issuer: server.url, ...kept });
    await logInForTokens(new Browser(server.url), doomedRp, user);
    await logInForTokens(new Browser(server.url), keptRp, user);
    const rowsOf = (clientId: string) =>
      db('oidc_payloads').where({ client_id: clientId }).count('id as n').first();
    assert.ok(Number((await rowsOf(doomed.clientId))?.n) > 0);

    await services.clients.delete(doomed.clientId, { actor: 'test' });
    assert.equal(Number((await rowsOf(doomed.clientId))?.n), 0, 'nothing issued to it is left');
    assert.ok(Number((await rowsOf(kept.clientId))?.n) > 0, 'the other client keeps its grant');
  });
});
