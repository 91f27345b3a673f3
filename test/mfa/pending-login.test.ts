import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { submitStep } from '../support/authenticator.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { authorizationCodesFor, passwordStep } from '../support/mfa-steps.js';
import { logInForTokens, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { setUserPassword } from '../support/operator.js';

describe('a login waiting for its second factor', () => {
  let server: TestServer;
  let rp: RelyingParty;

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('cannot be finished after the password changed, not even with a valid code', async () => {
    const { services } = server.runtime;
    const admin = await seedUser(services, '700001.sms', 'changed', { roles: ['admin'] });
    await logInForTokens(new Browser(server.url), rp, admin);

    const attacker = new Browser(server.url);
    const { page } = await passwordStep(attacker, rp, admin);
    assert.ok(page.body.includes('/mfa/verify'), 'the stolen password reached the code step');
    await setUserPassword(services, '700001.sms', 'changed', 'the owner picked another');

    const answer = await submitStep(attacker, page, '/mfa/verify', { code: admin.authenticator.nextCode() });
    assert.equal(answer.status, 400);
    assert.match(answer.body, /can no longer log in/);
    assert.equal(await authorizationCodesFor(server, admin.id), 0);
  });

  it('cannot enrol a second factor after the password changed', async () => {
    const { services } = server.runtime;
    const admin = await seedUser(services, '700001.sms', 'unenrolled', { roles: ['admin'] });
    const attacker = new Browser(server.url);
    const { page } = await passwordStep(attacker, rp, admin);
    assert.ok(page.body.includes('/mfa/enable'));
    await setUserPassword(services, '700001.sms', 'unenrolled', 'the owner changed it too');
    const answer = await submitStep(attacker, page, '/mfa/enable');
    assert.equal(answer.status, 400);
    assert.equal((await services.mfa.status('700001.sms', admin.id)).enrolled, false);
  });
});
