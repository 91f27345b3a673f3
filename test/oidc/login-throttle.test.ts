import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../support/browser.js';
import { errorMessage } from '../support/pages.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import {
  logIn,
  openAuthorization,
  RelyingParty,
  submitLoginForm,
  type Credentials,
} from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('password login throttling', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let victim: SeededUser;

  /** A login attempt from `ip` (the server trusts X-Forwarded-For here, as behind a proxy). */
  async function attempt(credentials: Credentials, ip: string) {
    const browser = new Browser(server.url, { 'x-forwarded-for': ip });
    const page = await openAuthorization(browser, await rp.authorizationRequest());
    return submitLoginForm(browser, page, credentials);
  }

  before(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    const { services } = server.runtime;
    victim = await seedUser(services, '123456.sms', 'victim');
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
  });
  after(() => server.close());

  it('stops an IP after 10 wrong passwords for one account, even with the right one, but not the owner elsewhere', async () => {
    const wrong = { ...victim, password: 'not the password at all' };
    for (let i = 0; i < 10; i++)
      assert.equal((await attempt(wrong, '203.0.113.7')).status, 401, `attempt ${i + 1}`);
    const blocked = await attempt(victim, '203.0.113.7');
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    assert.match(errorMessage(blocked.body) ?? '', /Too many failed attempts/);

    const owner = await attempt(victim, '198.51.100.20');
    assert.equal(owner.status, 303, 'the owner logs in from another IP at once');
  });

  it('answers 429 to one IP trying many accounts (password spraying)', async () => {
    let status = 0;
    for (let i = 0; i < 51 && status !== 429; i++) {
      status = (
        await attempt(
          { tenantId: '123456.sms', login: `someone${i}`, password: 'Spring2026!' },
          '203.0.113.99',
        )
      ).status;
    }
    assert.equal(status, 429);
    const elsewhere = await attempt(
      { tenantId: '123456.sms', login: 'someone-else', password: 'x' },
      '198.51.100.21',
    );
    assert.equal(elsewhere.status, 401, 'other IPs are not affected');
  });

  it('throttles the same way for accounts that do not exist, so throttling reveals nothing', async () => {
    const ghost = { tenantId: '123456.sms', login: 'ghost', password: 'nothing' };
    for (let i = 0; i < 10; i++) await attempt(ghost, '203.0.113.50');
    assert.equal((await attempt(ghost, '203.0.113.50')).status, 429);
  });

  it('ignores a spoofed X-Forwarded-For when no proxy is trusted', async () => {
    const direct = await startTestServer();
    try {
      const { services } = direct.runtime;
      const user = await seedUser(services, '123456.sms', 'direct');
      const directRp = await RelyingParty.discover({ issuer: direct.url, ...(await seedClient(services)) });
      const wrong = { ...user, password: 'definitely wrong here' };
      for (let i = 0; i < 10; i++) {
        const browser = new Browser(direct.url);
        const page = await openAuthorization(browser, await directRp.authorizationRequest());
        await submitLoginForm(browser, page, wrong);
      }
      const browser = new Browser(direct.url);
      const page = await openAuthorization(browser, await directRp.authorizationRequest());
      const spoofed = await browser.post(
        page.body.match(/action="([^"]+\/login)"/)![1]!,
        {
          csrf: page.body.match(/name="csrf" value="([^"]+)"/)![1]!,
          tenantId: user.tenantId,
          login: user.login,
          password: user.password,
        },
        { 'x-forwarded-for': '192.0.2.1' },
      );
      assert.equal(spoofed.status, 429, 'the real peer address is what counts');
      await assert.rejects(logIn(new Browser(direct.url), directRp, user));
    } finally {
      await direct.close();
    }
  });
});
