import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { openAccountPage, submitAccountForm } from '../support/account.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { logIn, RelyingParty, submitLoginForm, openAuthorization } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const HOME = '556677.sms';
const OTHER = '889900.sms';

/** What a person could try to reach somebody else's account with: every name for a user or tenant. */
function probes(victim: SeededUser): Array<Record<string, string>> {
  return [
    { user: victim.login },
    { username: victim.login, tenant: victim.tenantId },
    { tenant_id: victim.tenantId, tenantId: victim.tenantId },
    { sub: victim.id },
    { id: victim.id, userId: victim.id, user_id: victim.id, account: victim.id, accountId: victim.id },
    { email: `${victim.login}@${victim.tenantId}.example`, login_hint: victim.login },
    { session: victim.id, sid: victim.id },
  ];
}

const GET_PAGES = [
  '/account',
  '/account/password',
  '/account/email',
  '/account/two-factor/enable',
  '/account/two-factor/replace',
  '/account/two-factor/turn-off',
];

describe('isolation of the account page', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let alice: SeededUser;
  let namesake: SeededUser;
  let colleague: SeededUser;
  let browser: Browser;

  /** Anything that names the other two accounts: their ids, addresses and the other tenant. */
  const foreign = () => [
    namesake.id,
    colleague.id,
    `${namesake.login}@${OTHER}.example`,
    `${colleague.login}@${HOME}.example`,
    `Tenant ${OTHER}`,
  ];

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    alice = await seedUser(services, HOME, 'alice');
    namesake = await seedUser(services, OTHER, 'alice');
    colleague = await seedUser(services, HOME, 'colleague');
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
    // The others have history of their own: logins, a failed one, sessions.
    await logIn(new Browser(server.url), rp, namesake);
    await logIn(new Browser(server.url), rp, colleague);
    const stranger = new Browser(server.url);
    const loginPage = await openAuthorization(stranger, await rp.authorizationRequest());
    await submitLoginForm(stranger, loginPage, { ...colleague, password: 'a wrong password here' });
    browser = new Browser(server.url);
    await openAccountPage(browser, alice);
  });
  after(() => server.close());

  it('shows only the signed-in user on every page, whatever the query names', async () => {
    for (const path of GET_PAGES) {
      for (const query of [{}, ...probes(namesake), ...probes(colleague)]) {
        const url = `${path}?${new URLSearchParams(query).toString()}`;
        const page = await browser.follow(await browser.get(url));
        assert.ok(page.status < 500, `${url}: ${page.status}`);
        // The language switch repeats the query itself; what must not appear is what the page looked up.
        const looked = foreign().filter((secret) => !Object.values(query).includes(secret));
        for (const secret of looked) assert.ok(!page.body.includes(secret), `${url} shows ${secret}`);
      }
    }
    const overview = await browser.follow(await browser.get('/account'));
    assert.ok(overview.body.includes(`alice@${HOME}.example`), 'and the own account is there');
  });

  it('changes only the signed-in user, whatever a form adds', async () => {
    const overview = await browser.follow(await browser.get('/account'));
    for (const extra of [...probes(namesake), ...probes(colleague)]) {
      const answer = await submitAccountForm(browser, overview, '/account/language', {
        locale: 'de',
        ...extra,
      });
      assert.equal(answer.status, 303);
    }
    const { users } = server.runtime.services;
    const preferred = async (user: SeededUser) =>
      (await users.details(OPERATOR, { tenantId: user.tenantId, userId: user.id })).user.preferredLocale;
    assert.equal(await preferred(alice), 'de');
    assert.equal(await preferred(namesake), null);
    assert.equal(await preferred(colleague), null);
  });
});
