import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../support/browser.js';
import { seedUser, type SeededUser } from '../support/fixtures.js';
import { issueRegistrationToken, registerClient, webClientMetadata } from '../support/registration.js';
import { openAuthorization, RelyingParty, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const MARKUP = '<img src=x onerror=alert(1)>';
const ESCAPED = '&lt;img src=x onerror=alert(1)&gt;';

describe('a registered client_name with markup', () => {
  let server: TestServer;
  let alice: SeededUser;
  let rp: RelyingParty;

  before(async () => {
    server = await startTestServer();
    alice = await seedUser(server.runtime.services, '123456.sms', 'alice');
    const token = await issueRegistrationToken(server.runtime.services);
    const registration = await registerClient(server.url, token, webClientMetadata({ client_name: MARKUP }));
    rp = await RelyingParty.discover({
      issuer: server.url,
      clientId: registration.client_id,
      clientSecret: registration.client_secret!,
    });
  });
  after(() => server.close());

  it('renders as text on the login and consent pages', async () => {
    const browser = new Browser(server.url);
    const loginPage = await openAuthorization(browser, await rp.authorizationRequest());
    const consent = await browser.follow(await submitLoginForm(browser, loginPage, alice));
    assert.match(consent.body, /Allow access\?/);
    for (const page of [loginPage, consent]) {
      assert.ok(page.body.includes(ESCAPED), 'the name is shown, escaped');
      assert.ok(!page.body.includes(MARKUP), 'never as markup');
      assert.doesNotMatch(page.body, /<img/i);
    }
  });
});
