import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, formAction, inputValue } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { logIn, openAuthorization, RelyingParty, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('clients that require a role', () => {
  let server: TestServer;
  let portal: RelyingParty;
  let open: RelyingParty;
  let admin: SeededUser;
  let viewer: SeededUser;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    admin = await seedUser(services, '123456.sms', 'admin', { roles: ['admin'] });
    viewer = await seedUser(services, '123456.sms', 'viewer', { roles: ['user'] });
    portal = await RelyingParty.discover({
      issuer: server.url,
      ...(await seedClient(services, { requireRoles: ['admin'] })),
    });
    open = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
  });
  after(() => server.close());

  it('lets a user with the role in', async () => {
    const { callbackUrl } = await logIn(new Browser(server.url), portal, admin);
    assert.ok(new URL(callbackUrl).searchParams.get('code'));
  });

  it('tells a user without the role why, and sends access_denied to the RP', async () => {
    const browser = new Browser(server.url);
    const request = await portal.authorizationRequest();
    const refused = await submitLoginForm(browser, await openAuthorization(browser, request), viewer);
    assert.equal(refused.status, 403);
    assert.match(
      refused.body,
      /Your account may not use Test Portal\. Ask your administrator to assign the required role\./,
    );
    const back = await browser.post(formAction(refused.body, '/abort')!, {
      csrf: inputValue(refused.body, 'csrf')!,
      reason: 'role_missing',
    });
    const landed = await browser.follow(back);
    const callback = new URL(landed.url);
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('code'), null);
  });

  it('does not let an SSO session of a user without the role through silently', async () => {
    const browser = new Browser(server.url);
    await logIn(browser, open, viewer);
    const silent = await portal.authorizationRequest({ prompt: 'none' });
    const answer = await browser.follow(await browser.get(silent.url.toString()));
    assert.equal(new URL(answer.url).searchParams.get('error'), 'login_required');
  });
});
