import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { submitStep } from '../support/authenticator.js';
import { Browser, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { serverWithMailbox } from '../support/mail-world.js';
import { issuedCode, passwordStep, type AfterPassword } from '../support/mfa-steps.js';
import { auditEvents } from '../support/operator.js';
import { errorMessage } from '../support/pages.js';
import { logIn, RelyingParty } from '../support/relying-party.js';
import { passkeyOptionsOf, SoftAuthenticator } from '../support/passkey-authenticator.js';

const TENANT = '300001.sms';
const OTHER_TENANT = '300002.sms';
const REFUSED = 'This passkey could not be confirmed. Try again, or choose another way.';

describe('a passkey as the second factor at login', () => {
  const world = serverWithMailbox(TENANT);
  const services = () => world.server.runtime.services;

  /** A user with one passkey, registered through the service as the account page does. */
  async function userWithPasskey(user?: SeededUser): Promise<{ user: SeededUser; key: SoftAuthenticator }> {
    const person = user ?? (await world.newUser());
    const key = new SoftAuthenticator(world.server.url);
    const record = { id: person.id, tenantId: person.tenantId, username: person.login, displayName: null };
    const options = await services().passkeys.registrationOptions(record, 'account-test');
    const response = key.register(options);
    await services().passkeys.register(record, 'account-test', 'Laptop', response as never, {});
    return { user: person, key };
  }

  async function atPasskeyPage(user: SeededUser, rp = world.rp) {
    const browser = new Browser(world.server.url);
    const step = await passwordStep(browser, rp, user);
    assert.ok(
      step.page.body.includes('/mfa/passkey"'),
      `passkey page, got ${step.page.status} ${step.page.url}`,
    );
    return { ...step, browser };
  }

  const submitPasskey = (at: { browser: Browser; page: BrowserResponse }, credential: unknown) =>
    submitStep(at.browser, at.page, '/mfa/passkey', { credential: JSON.stringify(credential) });

  async function finish(at: AfterPassword & { browser: Browser }, response: BrowserResponse, rp = world.rp) {
    const landed = await at.browser.follow(response);
    assert.ok(issuedCode(landed, rp), `back at the RP with a code, got ${landed.status} ${landed.url}`);
    return (await rp.redeem(landed.url, at.request)).claims()!;
  }

  async function refusals(tenantId: string, userId: string) {
    const events = await auditEvents(services(), tenantId);
    return events
      .filter((event) => event.type === 'passkey.refused' && event.subject === userId)
      .map((event) => String(event.details.reason))
      .sort();
  }

  function assertRefused(response: BrowserResponse) {
    assert.equal(response.status, 401, `${response.status}: ${errorMessage(response.body)}`);
    assert.equal(errorMessage(response.body), REFUSED);
    assert.ok(response.body.includes('/mfa/passkey"'), 'the passkey form again');
  }

  it('asks for the passkey after the password and issues hwk/mfa tokens with the 2fa acr', async () => {
    const { user, key } = await userWithPasskey();
    const at = await atPasskeyPage(user);
    assert.match(at.page.body, /<button type="button" data-passkey-start hidden>Use your passkey<\/button>/);
    assert.match(at.page.body, /<script src="\/assets\/webauthn.js" defer><\/script>/);
    assert.ok(!at.page.body.includes('?mode=code'), 'no authenticator app, so no link to a code');
    assert.match(at.page.body, />Use a recovery code<\/a>/);
    const claims = await finish(at, await submitPasskey(at, key.assert(passkeyOptionsOf(at.page.body))));
    assert.deepEqual(claims.amr, ['pwd', 'hwk', 'mfa']);
    assert.equal(claims.acr, 'urn:usp-idp:acr:2fa');
    const events = await auditEvents(services(), TENANT);
    assert.ok(events.some((event) => event.type === 'passkey.added' && event.subject === user.id));
    assert.ok(events.some((event) => event.type === 'passkey.used' && event.subject === user.id));
    const [mail] = await world.mailsTo(world.addressOf(user));
    assert.match(mail?.text ?? '', /a passkey was added to your .* account in "Tenant 300001.sms"/);
  });

  it('refuses a replayed assertion, even in a new login, and audits it', async () => {
    const { user, key } = await userWithPasskey();
    const first = await atPasskeyPage(user);
    const assertion = key.assert(passkeyOptionsOf(first.page.body));
    await finish(first, await submitPasskey(first, assertion));
    const second = await atPasskeyPage(user);
    assertRefused(await submitPasskey(second, assertion));
    assert.deepEqual(await refusals(TENANT, user.id), ['challenge']);
  });

  it('lets one of two parallel submits of the same assertion through', async () => {
    const { user, key } = await userWithPasskey();
    const at = await atPasskeyPage(user);
    const assertion = key.assert(passkeyOptionsOf(at.page.body));
    const answers = await Promise.all([submitPasskey(at, assertion), submitPasskey(at, assertion)]);
    const passed = answers.filter((answer) => answer.status === 303);
    assert.equal(passed.length, 1, answers.map((answer) => answer.status).join(' '));
    assert.ok(answers.some((answer) => answer.status >= 400 && answer.status < 500));
    const used = (await auditEvents(services(), TENANT)).filter(
      (event) => event.type === 'passkey.used' && event.subject === user.id,
    );
    assert.equal(used.length, 1);
  });

  it('refuses an answer to a challenge older than five minutes', async () => {
    const { user, key } = await userWithPasskey();
    const at = await atPasskeyPage(user);
    world.server.clock.advance(5 * 60 + 1);
    assertRefused(await submitPasskey(at, key.assert(passkeyOptionsOf(at.page.body))));
    assert.deepEqual(await refusals(TENANT, user.id), ['challenge']);
  });

  it('refuses a response made for another origin or another RP ID', async () => {
    const { user, key } = await userWithPasskey();
    const at = await atPasskeyPage(user);
    const options = passkeyOptionsOf(at.page.body);
    assertRefused(await submitPasskey(at, key.assert(options, { origin: 'https://id.example.evil' })));
    const again = await atPasskeyPage(user);
    const rpId = { rpId: 'evil.example' };
    assertRefused(await submitPasskey(again, key.assert(passkeyOptionsOf(again.page.body), rpId)));
    assert.deepEqual(await refusals(TENANT, user.id), ['origin', 'rp_id']);
    // Each refusal counted as a wrong second factor.
    const failures = (await world.server.runtime
      .db('second_factor_failures')
      .where({ user_id: user.id })
      .first()) as { failures: number | string } | undefined;
    assert.equal(Number(failures?.failures), 2);
  });

  it('refuses a signature counter that went backwards as a possible clone', async () => {
    const { user, key } = await userWithPasskey();
    for (const counter of [5, 6]) {
      const at = await atPasskeyPage(user);
      await finish(at, await submitPasskey(at, key.assert(passkeyOptionsOf(at.page.body), { counter })));
    }
    const at = await atPasskeyPage(user);
    assertRefused(await submitPasskey(at, key.assert(passkeyOptionsOf(at.page.body), { counter: 6 })));
    const events = await auditEvents(services(), TENANT);
    const clone = events.find((event) => event.type === 'passkey.refused' && event.subject === user.id);
    assert.equal(clone?.details.reason, 'counter_regression');
    assert.equal(clone?.details.stored, 6);
  });

  it("refuses the passkey of tenant A's user in a login of tenant B's user on a client bound to B", async () => {
    const { key: keyOfA } = await userWithPasskey();
    const userOfB = await seedUser(services(), OTHER_TENANT, 'bob');
    await userWithPasskey(userOfB);
    const rpOfB = await RelyingParty.discover({
      issuer: world.server.url,
      ...(await seedClient(services(), { tenantId: OTHER_TENANT })),
    });
    const at = await atPasskeyPage(userOfB, rpOfB);
    const options = passkeyOptionsOf(at.page.body);
    assertRefused(await submitPasskey(at, keyOfA.assert(options, { credential: keyOfA.credentials[0]! })));
    assert.deepEqual(await refusals(OTHER_TENANT, userOfB.id), ['other_user']);
  });

  it('offers the authentication code and recovery codes beside the passkey of a TOTP user', async () => {
    const admin = await world.newUser(['admin']);
    await logIn(new Browser(world.server.url), world.rp, admin); // enrols TOTP, keeps the recovery codes
    await userWithPasskey(admin);
    const at = await atPasskeyPage(admin);
    const codeLink = at.page.body.match(/href="([^"]*\?mode=code)"/)?.[1];
    assert.ok(codeLink, 'a link to the code');
    const codePage = await at.browser.get(codeLink);
    assert.match(codePage.body, /<label for="code">Authentication code<\/label>/);
    assert.match(codePage.body, />Use your passkey instead<\/a>/);
    const viaCode = { ...at, page: codePage };
    const claims = await finish(
      viaCode,
      await submitStep(at.browser, codePage, '/mfa/verify', { code: admin.authenticator.nextCode() }),
    );
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    world.server.clock.advance(60);
    const next = await atPasskeyPage(admin);
    const recoveryPage = await next.browser.get(next.page.body.match(/href="([^"]*\?mode=recovery)"/)![1]!);
    const code = admin.authenticator.recoveryCodes[0]!;
    const landed = await next.browser.follow(
      await submitStep(next.browser, recoveryPage, '/mfa/verify', { code, mode: 'recovery' }),
    );
    assert.ok(issuedCode(landed, world.rp), `a recovery code still works, got ${landed.url}`);
  });

  it('refuses an unreadable credential with the same generic message, writing nothing', async () => {
    const { user } = await userWithPasskey();
    const at = await atPasskeyPage(user);
    const response = await submitStep(at.browser, at.page, '/mfa/passkey', { credential: '{"id":' });
    assert.equal(response.status, 400);
    assert.equal(errorMessage(response.body), REFUSED);
    assert.doesNotMatch(response.body, /at .*\.(ts|js):\d+/);
  });
});
