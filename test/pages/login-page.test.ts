import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { en } from '../../src/i18n/messages-en.js';
import { Browser, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { errorMessage } from '../support/pages.js';
import { openAuthorization, RelyingParty, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The attributes of the `<input id="…">` of a page. */
function input(page: BrowserResponse, id: string): Record<string, string> {
  const tag = page.body.match(new RegExp(`<input id="${id}"[^>]*>`))?.[0] ?? '';
  return Object.fromEntries(
    [...tag.matchAll(/\s([\w-]+)(?:="([^"]*)")?/g)].map(([, name, value]) => [name!, value ?? '']),
  );
}

const title = (page: BrowserResponse) => page.body.match(/<title>([^<]*)<\/title>/)?.[1];

describe('the login page', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let alice: SeededUser;

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
    alice = await seedUser(server.runtime.services, '123456.sms', 'alice');
  });
  after(() => server.close());

  const open = async () => {
    const browser = new Browser(server.url);
    return { browser, page: await openAuthorization(browser, await rp.authorizationRequest()) };
  };

  it('asks for the Tenant ID with an example, so password managers keep it', async () => {
    const { page } = await open();
    assert.equal(input(page, 'tenantId').autocomplete, 'organization');
    assert.equal(input(page, 'tenantId')['aria-describedby'], 'tenantId-hint');
    assert.match(page.body, /<p class="field-hint" id="tenantId-hint">[^<]*e\.g\. 123456\.sms/);
    assert.doesNotMatch(page.body, /placeholder=/, 'no value-like placeholder');
    assert.equal(input(page, 'login').autocomplete, 'username');
    assert.equal(input(page, 'password').autocomplete, 'current-password');
    assert.equal(input(page, 'password').type, 'password', 'a plain password field without JavaScript');
    assert.match(
      page.body,
      /<button type="button" class="reveal" data-reveal="password"[^>]*aria-controls="password"/,
    );
    assert.equal(title(page), `${en.login.title} · Securepoint Unified Security`);
  });

  it('ties a failed login to every field and starts the title with "Error:"', async () => {
    const { browser, page } = await open();
    const failed = await submitLoginForm(browser, page, { ...alice, password: 'not the password at all' });
    assert.equal(failed.status, 401);
    assert.equal(title(failed), `Error: ${en.login.title} · Securepoint Unified Security`);
    assert.match(failed.body, /<p class="error" role="alert" id="login-error">/);
    for (const id of ['tenantId', 'login', 'password']) {
      assert.equal(input(failed, id)['aria-invalid'], 'true', id);
      assert.match(input(failed, id)['aria-describedby'] ?? '', /\blogin-error\b/, id);
    }
    assert.equal(input(failed, 'tenantId').value, alice.tenantId, 'what was typed stays');
    assert.equal(input(failed, 'password').value, undefined, 'but never the password');
  });

  it('ties a missing field to that field only', async () => {
    const { browser, page } = await open();
    const failed = await submitLoginForm(browser, page, { ...alice, login: '   ' });
    assert.equal(failed.status, 400);
    assert.equal(errorMessage(failed.body), en.forms.missingLogin);
    assert.equal(input(failed, 'login')['aria-invalid'], 'true');
    assert.equal(input(failed, 'login')['aria-describedby'], 'login-error');
    assert.equal(input(failed, 'tenantId')['aria-invalid'], undefined);
    assert.equal(input(failed, 'password')['aria-invalid'], undefined);
    assert.equal(input(failed, 'login').autofocus, undefined);
  });

  it('carries the typed Tenant ID and username into "Password forgotten?", in a fresh browser', async () => {
    const { browser, page } = await open();
    const action = page.body.match(/formaction="([^"]+)"[^>]*>Password forgotten\?</)?.[1];
    assert.ok(action);
    const csrf = page.body.match(/name="csrf" value="([^"]+)"/)![1]!;
    const forgot = await browser.follow(
      await browser.post(action, { csrf, tenantId: ' 123456.SMS ', login: 'alice', password: 'typed' }),
    );
    assert.equal(forgot.status, 200);
    assert.equal(input(forgot, 'tenantId').value, '123456.SMS');
    assert.equal(input(forgot, 'login').value, 'alice');
    assert.doesNotMatch(forgot.url, /typed/, 'the password is not carried');
    assert.match(
      forgot.body,
      new RegExp(`<a href="${new URL(page.url).pathname}">${en.common.backToLogin}</a>`),
    );
  });
});
