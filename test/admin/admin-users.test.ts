import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { en } from '../../src/i18n/messages-en.js';
import { openConsole, shownRows } from '../support/admin-console.js';
import { shownFact } from '../support/account.js';
import { Browser, formAction, hiddenFields, type BrowserResponse } from '../support/browser.js';
import { seedUser, type SeededUser } from '../support/fixtures.js';
import { serverWithMailbox } from '../support/mail-world.js';
import { auditEvents, createTenant } from '../support/operator.js';
import { errorMessage, STACK_TRACE } from '../support/pages.js';
import { pageTitle, resetLinkIn, setNewPassword } from '../support/password-reset.js';
import { SoftAuthenticator } from '../support/passkey-authenticator.js';
import { logInForTokens } from '../support/relying-party.js';

const TENANT = '123456.sms';
const USERS = `/admin/tenants/${TENANT}/users`;

describe('the admin console: users of the current tenant', () => {
  const world = serverWithMailbox(TENANT);
  const services = () => world.server.runtime.services;
  const detailsOf = (user: { id: string }) =>
    services().users.details(OPERATOR, { tenantId: TENANT, userId: user.id });

  async function signedInAdmin(roles = ['admin']): Promise<{ admin: SeededUser; browser: Browser }> {
    const admin = await world.newUser(roles);
    const browser = new Browser(world.server.url);
    const page = await openConsole(browser, admin);
    assert.equal(page.status, 200, page.body.slice(0, 300));
    return { admin, browser };
  }

  /** Posts the form of `page` whose action ends with `suffix`, with its hidden fields and `fields`. */
  function submit(browser: Browser, page: BrowserResponse, suffix: string, fields: Record<string, string>) {
    const action = formAction(page.body, suffix);
    if (!action) throw new Error(`No ${suffix} form (${page.status}): ${page.body.slice(0, 300)}`);
    return browser.post(action, { ...hiddenFields(page.body, suffix), ...fields });
  }

  it('creates a user who gets an invitation, sets a password through its link and logs in', async () => {
    const { browser } = await signedInAdmin();
    const form = await browser.get(`${USERS}/new`);
    assert.equal(form.status, 200);
    assert.equal(pageTitle(form.body), en.admin.newUser.title);
    assert.doesNotMatch(form.body, /type="password"/, 'the admin types no password');

    const created = await browser.follow(
      await submit(browser, form, '/users', {
        username: 'Invited.Person',
        email: 'invited@example.com',
        name: 'Invited Person',
      }),
    );
    assert.equal(created.status, 200, created.body.slice(0, 300));
    assert.equal(shownFact(created, 'notice'), en.admin.user.done.created);
    assert.equal(shownFact(created, 'username'), 'invited.person');

    const mails = await world.mailsTo('invited@example.com');
    assert.equal(mails.length, 1);
    assert.ok(mails[0]!.subject?.startsWith(en.mail.invitation.subject));
    assert.match(mails[0]!.text ?? '', /7 days/);
    const { link } = resetLinkIn(mails[0]!);
    const done = await setNewPassword(new Browser(world.server.url), link, 'my very own first passphrase');
    assert.ok(done.status < 400, done.body.slice(0, 300));

    const invited = await services().users.findByLogin(TENANT, 'invited.person');
    const tokens = await logInForTokens(new Browser(world.server.url), world.rp, {
      tenantId: TENANT,
      login: 'invited.person',
      password: 'my very own first passphrase',
    });
    assert.ok(tokens.id_token);
    const types = (await auditEvents(services(), TENANT)).filter((event) => event.subject === invited.id);
    assert.deepEqual(
      types.map((event) => event.type).filter((type) => type.startsWith('user.')),
      ['user.invited', 'user.created'],
    );
    assert.ok(
      types.some(
        (event) => event.type === 'user.created' && event.actor !== null && event.actor !== invited.id,
      ),
      'the creating admin is the actor',
    );
  });

  it('shows the reasons next to the fields, keeps what was typed, and creates nothing', async () => {
    const { browser } = await signedInAdmin();
    const form = await browser.get(`${USERS}/new`);
    const bad = await submit(browser, form, '/users', {
      username: 'no spaces allowed',
      email: 'not-an-address',
      name: 'Kept Name',
    });
    assert.equal(bad.status, 400);
    assert.equal(
      shownFact(bad, 'error-username')?.replaceAll('&quot;', '"'),
      en.admin.newUser.invalidUsername,
    );
    assert.equal(shownFact(bad, 'error-email'), en.admin.newUser.invalidEmail);
    assert.match(bad.body, /id="username"[^>]*value="no spaces allowed"/);
    assert.match(bad.body, /id="email"[^>]*value="not-an-address"/);
    assert.match(bad.body, /id="name"[^>]*value="Kept Name"/);
    assert.match(bad.body, /id="username"[^>]*aria-invalid="true"/);
    const longName = await submit(browser, bad, '/users', {
      username: 'long-named',
      email: 'long-named@example.com',
      name: 'n'.repeat(201),
    });
    assert.equal(longName.status, 400);
    assert.equal(shownFact(longName, 'error-name'), en.admin.newUser.invalidName);
    assert.match(longName.body, /id="name"[^>]*value="n{201}"/, 'nothing typed is dropped');
    await assert.rejects(services().users.findByLogin(TENANT, 'long-named'));
    assert.doesNotMatch(bad.body, STACK_TRACE);

    const existing = await world.newUser();
    const taken = await submit(browser, bad, '/users', {
      username: 'somebody-new',
      email: world.addressOf(existing),
    });
    assert.equal(taken.status, 409);
    assert.equal(shownFact(taken, 'error-email'), en.admin.newUser.emailTaken);
    await assert.rejects(services().users.findByLogin(TENANT, 'somebody-new'));
    assert.equal((await world.mailsTo(world.addressOf(existing))).length, 0);

    const aboveRank = await submit(browser, taken, '/users', {
      username: 'would-be-reseller',
      email: 'would-be@example.com',
      roles: 'reseller-admin',
    });
    assert.equal(aboveRank.status, 403);
    assert.equal(shownFact(aboveRank, 'error-roles'), en.admin.newUser.roleNotAllowed);
    await assert.rejects(services().users.findByLogin(TENANT, 'would-be-reseller'));
  });

  it('searches by username, e-mail and name, filters by status, role and 2FA, and pages', async () => {
    const tenantId = '424242.sms';
    await createTenant(services(), { id: tenantId, name: 'Big Customer' });
    const admin = await seedUser(services(), tenantId, 'boss', { roles: ['admin'] });
    for (let index = 0; index < 29; index++) {
      await seedUser(services(), tenantId, `member${String(index).padStart(2, '0')}`, {
        email: `m${index}@${index % 2 ? 'odd' : 'even'}.example`,
      });
    }
    await services().users.updateProfile(
      OPERATOR,
      { tenantId, userId: (await services().users.findByLogin(tenantId, 'member07')).id },
      { displayName: 'Zelda Quux' },
    );
    await services().users.setStatus(
      OPERATOR,
      { tenantId, userId: (await services().users.findByLogin(tenantId, 'member08')).id },
      'disabled',
    );
    const browser = new Browser(world.server.url);
    const base = `/admin/tenants/${tenantId}/users`;
    const first = await openConsole(browser, admin, base);
    assert.equal(first.status, 200);
    assert.equal(shownFact(first, 'users-caption'), '25 of 30 users');
    assert.equal(shownFact(first, 'page-of'), 'Page 1 of 2');
    const second = await browser.get(`${base}?page=2`);
    assert.equal(shownRows(second, 'user-link').length, 5);

    const byName = await browser.get(`${base}?q=quux`);
    assert.deepEqual(shownRows(byName, 'user-link'), ['member07']);
    const byMail = await browser.get(`${base}?q=odd.example`);
    assert.equal(shownRows(byMail, 'user-link').length, 14);
    const byUsername = await browser.get(`${base}?q=MEMBER1`);
    assert.equal(shownRows(byUsername, 'user-link').length, 10);
    const likeIsLiteral = await browser.get(`${base}?q=%25`);
    assert.equal(shownFact(likeIsLiteral, 'users-none'), en.admin.users.none);
    const disabled = await browser.get(`${base}?status=disabled`);
    assert.deepEqual(shownRows(disabled, 'user-link'), ['member08']);
    const admins = await browser.get(`${base}?role=admin`);
    assert.deepEqual(shownRows(admins, 'user-link'), ['boss']);
    const enrolled = await browser.get(`${base}?twoFactor=yes`);
    assert.deepEqual(shownRows(enrolled, 'user-link'), ['boss']);
    const notEnrolled = await browser.get(`${base}?twoFactor=no&status=active`);
    assert.equal(shownFact(notEnrolled, 'users-caption'), '25 of 28 users');
    const notEnrolledLast = await browser.get(`${base}?twoFactor=no&status=active&page=2`);
    assert.equal(shownRows(notEnrolledLast, 'user-link').length, 3, 'paging keeps the filter');
    const nonsense = await browser.get(`${base}?page=-3&status=weird&role=nope&twoFactor=maybe`);
    assert.equal(nonsense.status, 200);
    assert.equal(shownFact(nonsense, 'users-caption'), '25 of 30 users');
  });

  it('assigns and revokes roles; what the policy forbids is shown read-only, not hidden', async () => {
    const { browser } = await signedInAdmin();
    const target = await world.newUser();
    const page = await browser.get(`${USERS}/${target.id}`);
    assert.match(
      page.body,
      /data-testid="role-reseller-admin" data-held="no"><strong>reseller-admin<\/strong>\n/,
    );
    const assigned = await browser.follow(
      await submit(browser, page, '/roles', { role: 'admin', change: 'assign' }),
    );
    assert.equal(shownFact(assigned, 'notice'), en.admin.user.done.roleAssigned);
    assert.deepEqual((await detailsOf(target)).roles, ['admin']);
    const revoked = await browser.follow(
      await submit(browser, assigned, '/roles', { role: 'admin', change: 'revoke' }),
    );
    assert.equal(shownFact(revoked, 'notice'), en.admin.user.done.roleRevoked);
    assert.deepEqual((await detailsOf(target)).roles, []);

    const refused = await submit(browser, revoked, '/roles', { role: 'reseller-admin', change: 'assign' });
    assert.equal(refused.status, 403);
    assert.equal(pageTitle(refused.body), en.admin.notPermittedTitle);
    assert.deepEqual((await detailsOf(target)).roles, []);

    const superior = await world.newUser(['reseller-admin']);
    const above = await browser.get(`${USERS}/${superior.id}`);
    assert.equal(above.status, 200, 'reading a user above the admin is allowed');
    assert.equal(shownFact(above, 'roles-read-only'), en.admin.readOnly);
    assert.equal(shownFact(above, 'actions-read-only'), en.admin.readOnly);
    assert.equal(formAction(above.body, '/roles'), undefined);
  });

  it('disables only after a confirmation step on the server, and enables again', async () => {
    const { browser } = await signedInAdmin();
    const target = await world.newUser();
    const page = await browser.get(`${USERS}/${target.id}`);
    const confirmPage = await browser.get(`${USERS}/${target.id}/disable`);
    assert.equal(pageTitle(confirmPage.body), en.admin.confirm.disableTitle);
    const skipped = await browser.post(`${USERS}/${target.id}/disable`, hiddenFields(page.body, '/roles'));
    assert.equal(skipped.status, 200);
    assert.equal(
      pageTitle(skipped.body),
      en.admin.confirm.disableTitle,
      'without confirming, the step is shown',
    );
    assert.equal((await detailsOf(target)).user.status, 'active');

    const disabled = await browser.follow(await submit(browser, confirmPage, '/disable', {}));
    assert.equal(shownFact(disabled, 'notice'), en.admin.user.done.disabled);
    assert.equal((await detailsOf(target)).user.status, 'disabled');
    const enabled = await browser.follow(await submit(browser, disabled, '/enable', {}));
    assert.equal(shownFact(enabled, 'notice'), en.admin.user.done.enabled);
    assert.equal((await detailsOf(target)).user.status, 'active');
  });

  it('resets 2FA only with a reason: audited with it, the user notified', async () => {
    const { browser } = await signedInAdmin();
    const target = await world.newUser(['admin']);
    await openConsole(new Browser(world.server.url), target);
    assert.equal((await detailsOf(target)).mfa.enrolled, true);

    const before = await browser.get(`${USERS}/${target.id}`);
    assert.ok(
      shownRows(before, 'sign-in-result').includes(en.account.signInOutcomes.passwordAccepted),
      'the user page shows the recent sign-ins of the user',
    );
    const confirmPage = await browser.get(`${USERS}/${target.id}/mfa/reset`);
    assert.equal(pageTitle(confirmPage.body), en.admin.confirm.resetTitle);
    const noReason = await submit(browser, confirmPage, '/mfa/reset', { reason: '   ' });
    assert.equal(noReason.status, 400);
    assert.equal(errorMessage(noReason.body), en.admin.confirm.missingReason);
    const tooLong = await submit(browser, noReason, '/mfa/reset', { reason: 'x'.repeat(501) });
    assert.equal(tooLong.status, 400);
    assert.equal(errorMessage(tooLong.body), en.admin.confirm.reasonTooLong(500));
    assert.equal((await detailsOf(target)).mfa.enrolled, true);

    const done = await browser.follow(
      await submit(browser, noReason, '/mfa/reset', { reason: 'lost phone, checked by call' }),
    );
    assert.equal(shownFact(done, 'notice'), en.admin.user.done.twoFactorReset);
    assert.equal((await detailsOf(target)).mfa.enrolled, false);
    const reset = (await auditEvents(services(), TENANT)).find(
      (event) => event.type === 'mfa.reset' && event.subject === target.id,
    );
    assert.equal(reset?.details.reason, 'lost phone, checked by call');
    const notices = await world.mailsTo(world.addressOf(target));
    assert.ok(notices.some((mail) => mail.subject?.startsWith(en.mail.secondFactorChanged.subject)));
  });

  it("lists a passkey-only user's passkeys, and its Reset 2FA removes them", async () => {
    const { browser } = await signedInAdmin();
    const target = await world.newUser();
    const record = { id: target.id, tenantId: TENANT, username: target.login, displayName: null };
    const key = new SoftAuthenticator(world.server.url);
    const options = await services().passkeys.registrationOptions(record, 'setup');
    await services().passkeys.register(record, 'setup', 'YubiKey 5', key.register(options) as never, {});

    const page = await browser.get(`${USERS}/${target.id}`);
    assert.equal(shownFact(page, 'two-factor'), en.admin.user.twoFactorOn);
    assert.match(page.body, /data-testid="passkeys"[\s\S]*YubiKey 5/);
    assert.doesNotMatch(page.body, /publicKey|credentialId/);
    const confirmPage = await browser.get(`${USERS}/${target.id}/mfa/reset`);
    const done = await browser.follow(
      await submit(browser, confirmPage, '/mfa/reset', { reason: 'key lost, checked by call' }),
    );
    assert.equal(shownFact(done, 'notice'), en.admin.user.done.twoFactorReset);
    assert.deepEqual((await detailsOf(target)).passkeys, []);
    assert.doesNotMatch(done.body, /data-testid="passkeys"/);
  });

  it('resends the invitation: the link mailed before stops working', async () => {
    const { browser } = await signedInAdmin();
    const target = await world.newUser();
    const page = await browser.get(`${USERS}/${target.id}`);
    const first = await browser.follow(await submit(browser, page, '/invitation', {}));
    assert.equal(shownFact(first, 'notice'), en.admin.user.done.invited);
    await browser.follow(await submit(browser, first, '/invitation', {}));
    const [older, newer] = await world.mailsTo(world.addressOf(target));
    const stale = await new Browser(world.server.url).get(resetLinkIn(older!).link);
    assert.equal(stale.status, 400);
    const fresh = await new Browser(world.server.url).get(resetLinkIn(newer!).link);
    assert.equal(fresh.status, 200);
  });

  it('says kindly that a user deleted meanwhile no longer exists, and changes nothing', async () => {
    const { browser } = await signedInAdmin();
    const target = await world.newUser();
    const page = await browser.get(`${USERS}/${target.id}/disable`);
    await services().users.delete(OPERATOR, { tenantId: TENANT, userId: target.id });
    const stale = await submit(browser, page, '/disable', {});
    assert.equal(stale.status, 404);
    assert.equal(pageTitle(stale.body), en.admin.goneTitle);
    assert.match(stale.body, /href="\/admin\/tenants\/123456\.sms\/users"/);
  });

  it('shows the Reseller Portal link of a linked user, and offers no invitation for them', async () => {
    const { browser } = await signedInAdmin();
    const target = await world.newUser();
    const upstream = await services().upstreams.create({
      tenantId: TENANT,
      name: 'Reseller Portal',
      issuer: 'https://rsp.example',
      clientId: 'usp-idp',
      clientSecret: 'a secret of the upstream',
      portalUrl: 'https://rsp.example/account',
    });
    await services().userLinks.link(
      OPERATOR,
      { tenantId: TENANT, userId: target.id },
      { upstreamId: upstream.id, subject: 'rsp-subject-42' },
    );
    const page = await browser.get(`${USERS}/${target.id}`);
    assert.equal(shownFact(page, 'linked'), en.admin.user.linkedTo('Reseller Portal', 'rsp-subject-42'));
    assert.match(page.body, /href="https:\/\/rsp\.example\/account"/);
    assert.equal(formAction(page.body, '/invitation'), undefined);
  });

  it('edits e-mail and name with reasons next to the fields, and deletes only after a confirmation', async () => {
    const { browser } = await signedInAdmin();
    const target = await world.newUser();
    const other = await world.newUser();
    const form = await browser.get(`${USERS}/${target.id}/edit`);
    assert.equal(pageTitle(form.body), en.admin.user.editTitle(target.login));
    const bad = await submit(browser, form, '/edit', { email: 'nope', name: 'Kept' });
    assert.equal(bad.status, 400);
    assert.equal(shownFact(bad, 'error-email'), en.admin.newUser.invalidEmail);
    assert.match(bad.body, /id="name"[^>]*value="Kept"/);
    const taken = await submit(browser, bad, '/edit', { email: world.addressOf(other), name: 'Kept' });
    assert.equal(taken.status, 409);
    assert.equal(shownFact(taken, 'error-email'), en.admin.newUser.emailTaken);
    assert.equal((await detailsOf(target)).user.email, world.addressOf(target));
    const saved = await browser.follow(
      await submit(browser, taken, '/edit', { email: 'renamed@example.com', name: 'Re Named' }),
    );
    assert.equal(shownFact(saved, 'notice'), en.admin.user.done.updated);
    assert.equal((await detailsOf(target)).user.displayName, 'Re Named');

    const confirm = await browser.get(`${USERS}/${target.id}/delete`);
    assert.equal(pageTitle(confirm.body), en.admin.confirm.deleteTitle);
    const skipped = await browser.post(`${USERS}/${target.id}/delete`, {
      csrf: hiddenFields(confirm.body, '/delete').csrf!,
    });
    assert.equal(skipped.status, 303, 'without confirming, back to the confirmation');
    assert.ok(await detailsOf(target));
    const listed = await browser.follow(await submit(browser, confirm, '/delete', {}));
    assert.equal(shownFact(listed, 'notice'), en.admin.users.deleted);
    await assert.rejects(detailsOf(target));
  });
});
