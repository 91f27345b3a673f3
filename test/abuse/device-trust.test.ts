import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { setUserPassword } from '../support/operator.js';
import {
  logIn,
  openAuthorization,
  RelyingParty,
  submitLoginForm,
  type Credentials,
} from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TENANT = '620001.sms';

/**
 * The lockout-DoS scenario (OWASP "device cookies"): strangers burn the account-wide budget from many
 * addresses; unknown browsers are then throttled, but the owner's own browser, which logged in before,
 * logs in at once. A password change voids that trust.
 */
describe('device cookies keep the owner in while strangers burn the account budget', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let owner: SeededUser;
  let ownersBrowser: Browser;
  let sharedLaptop: Browser;

  /** A browser behind our (one, trusted) proxy, which tells us the client address. */
  const browserAt = (address: string) => new Browser(server.url, { 'x-forwarded-for': address });

  async function attempt(browser: Browser, credentials: Credentials) {
    // prompt=login: the login page even where an SSO session exists.
    const page = await openAuthorization(browser, await rp.authorizationRequest({ prompt: 'login' }));
    return submitLoginForm(browser, page, credentials);
  }

  before(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: '1' } });
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
    owner = await seedUser(server.runtime.services, TENANT, 'owner');
    ownersBrowser = browserAt('198.51.100.10');
    await logIn(ownersBrowser, rp, owner);
    assert.ok(ownersBrowser.cookieNames().includes('usp_device'), 'the login left a device cookie');
    sharedLaptop = browserAt('198.51.100.11');
    await logIn(sharedLaptop, rp, owner);
  });
  after(() => server.close());

  it('throttles an unknown browser after 120 failures from 120 addresses, but not the owner’s', async () => {
    const wrong = { ...owner, password: 'strangers guessing from everywhere' };
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) {
      statuses.push((await attempt(browserAt(`203.0.113.${i + 1}`), wrong)).status);
    }
    assert.equal(statuses.filter((status) => status === 401).length, 100, 'the account-wide budget is 100');
    assert.ok(statuses.slice(100).every((status) => status === 429));

    const fresh = await attempt(browserAt('192.0.2.50'), owner);
    assert.equal(fresh.status, 429, 'an unknown browser with the right password is throttled');

    const known = await attempt(ownersBrowser, owner);
    assert.equal(known.status, 303, 'the owner’s browser logs in at once');
  });

  it('judges the owner’s browser by its own budget of 10 failures', async () => {
    const wrong = { ...owner, password: 'someone else at this laptop' };
    for (let i = 0; i < 10; i++) assert.equal((await attempt(sharedLaptop, wrong)).status, 401);
    assert.equal((await attempt(sharedLaptop, owner)).status, 429, 'this device spent its budget');
    assert.equal((await attempt(ownersBrowser, owner)).status, 303, 'another device is not affected');
  });

  it('ignores a device cookie that was tampered with', async () => {
    // The account-wide budget is still spent; only a genuine, current device cookie gets past it.
    const cookie = ownersBrowser.cookie('usp_device')!;
    const signature = ownersBrowser.cookie('usp_device.sig')!;
    const copy = browserAt('198.51.100.12');
    copy.setCookie('usp_device', cookie.value, cookie.path);
    copy.setCookie('usp_device.sig', signature.value, signature.path);
    assert.equal((await attempt(copy, owner)).status, 303, 'the genuine cookie, as a control');
    const forged = browserAt('198.51.100.13');
    const tampered = Buffer.from(cookie.value, 'base64url')
      .toString('utf8')
      .replace(/"g":\d+/, '"g":99');
    forged.setCookie('usp_device', Buffer.from(tampered).toString('base64url'), cookie.path);
    forged.setCookie('usp_device.sig', signature.value, signature.path);
    assert.equal((await attempt(forged, owner)).status, 429);
  });

  it('trusts no device cookie issued before a password change', async () => {
    owner.password = 'A fresh passphrase after the attack';
    await setUserPassword(server.runtime.services, TENANT, owner.login, owner.password);
    const known = await attempt(ownersBrowser, owner);
    assert.equal(known.status, 429, 'the old device cookie no longer bypasses the account-wide limit');
  });
});
