import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedClient } from '../support/fixtures.js';
import { startTestServer } from '../support/test-server.js';

describe('shutdown', () => {
  it('lets requests whose clients hung up finish before the database closes', async () => {
    const server = await startTestServer({ env: { SHUTDOWN_GRACE_SECONDS: '10' } });
    const client = await seedClient(server.runtime.services, { grantTypes: ['client_credentials'] });
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
    const hangUp = new AbortController();
    const requests = Array.from({ length: 200 }, () =>
      fetch(`${server.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
        body: 'grant_type=client_credentials',
        signal: hangUp.signal,
      }),
    );
    // Once the first answer is back the others are being handled: every client hangs up, and the
    // server is told to stop at once.
    await Promise.race(requests);
    hangUp.abort();
    await server.close();
    await Promise.allSettled(requests);
    const failures = server.logLines.filter((line) => (line.level as number) >= 50);
    assert.deepEqual(failures, [], 'no request failed because the database closed under it');
  });
});
