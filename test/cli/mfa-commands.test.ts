import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isSecondFactorPage } from '../support/authenticator.js';
import { Browser, formAction } from '../support/browser.js';
import { CliRunner } from '../support/cli-runner.js';
import { outboxMails } from '../support/password-reset.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { logIn, openAuthorization, RelyingParty, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('CLI: MFA policy, status, reset and the audit trail', () => {
  const cli = new CliRunner();
  let server: TestServer;
  let rp: RelyingParty;
  let admin: SeededUser;

  before(async () => {
    // The CLI and the server share one SQLite file, as an operator's shell and the running IdP would.
    server = await startTestServer({ dataDir: cli.dataDir });
    admin = await seedUser(server.runtime.services, '123456.sms', 'admin', { roles: ['admin'] });
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('creates and updates tenants with an MFA policy, refusing unknown policies', async () => {
    const created = await cli.run([
      'tenant',
      'create',
      '--id',
      '777.sms',
      '--name',
      'Strict',
      '--mfa',
      'required',
      '--json',
    ]);
    assert.equal(created.json<{ mfaPolicy: string }>().mfaPolicy, 'required');
    const updated = await cli.run([
      'tenant',
      'update',
      '777.sms',
      '--mfa',
      'optional',
      '--name',
      'Relaxed',
      '--json',
    ]);
    assert.deepEqual(
      (({ name, mfaPolicy }) => ({ name, mfaPolicy }))(updated.json<{ name: string; mfaPolicy: string }>()),
      { name: 'Relaxed', mfaPolicy: 'optional' },
    );
    const bad = await cli.run(['tenant', 'update', '777.sms', '--mfa', 'sometimes']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Invalid MFA policy "sometimes"/);
    assert.equal((await cli.run(['tenant', 'update', '777.sms'])).code, 2);
    assert.equal((await cli.run(['tenant', 'update', 'missing.sms', '--mfa', 'required'])).code, 1);
  });

  it('creates a client that requires MFA', async () => {
    const created = await cli.run([
      'client',
      'create',
      '--name',
      'Strict app',
      '--redirect-uri',
      'https://s.example/cb',
      '--require-mfa',
      '--json',
    ]);
    assert.equal(created.json<{ requireMfa: boolean }>().requireMfa, true);
  });

  it('shows MFA status, resets a lost authenticator so the next login enrols again, and audits it', async () => {
    await logIn(new Browser(server.url), rp, admin);
    const shown = await cli.run(['user', 'show', '--tenant', '123456.sms', '--user', 'admin', '--json']);
    const { mfa } = shown.json<{
      mfa: { enrolled: boolean; enrolledAt: string; recoveryCodesLeft: number };
    }>();
    assert.equal(mfa.enrolled, true);
    assert.match(mfa.enrolledAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal(mfa.recoveryCodesLeft, 10);
    assert.doesNotMatch(shown.stdout, new RegExp(admin.authenticator.secret!), 'the secret is never shown');

    const reset = await cli.run(['user', 'reset-mfa', '--tenant', '123456.sms', '--user', 'admin']);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /the next login enrols again/);
    const after = await cli.run(['user', 'show', '--tenant', '123456.sms', '--user', 'admin', '--json']);
    assert.equal(after.json<{ mfa: { enrolled: boolean } }>().mfa.enrolled, false);

    const browser = new Browser(server.url);
    const page = await browser.follow(
      await submitLoginForm(
        browser,
        await openAuthorization(browser, await rp.authorizationRequest()),
        admin,
      ),
    );
    assert.ok(isSecondFactorPage(page));
    assert.ok(formAction(page.body, '/mfa/enable'), 'the next login asks to enable 2FA again');

    const audit = await cli.run(['audit', 'list', '--tenant', '123456.sms', '--json']);
    const events = audit.json<Array<{ type: string; actor: string; subject: string }>>();
    const resetEvent = events.find((event) => event.type === 'mfa.reset');
    assert.ok(resetEvent, 'mfa.reset is audited');
    assert.equal(resetEvent.actor, 'cli');
    assert.equal(resetEvent.subject, admin.id);
    assert.ok(events.some((event) => event.type === 'mfa.enrolled'));
    await server.runtime.mailer.idle();
    const notices = (await outboxMails(cli.dataDir))
      .map(({ mail }) => mail)
      .filter((mail) => mail.subject?.startsWith('Your two-factor authentication changed'));
    assert.deepEqual(
      notices.map((mail) => ((mail.text ?? '').includes('removed') ? 'reset' : 'enabled')).sort(),
      ['enabled', 'reset'],
      'the user hears of the enrolment and of the reset',
    );
    const readable = await cli.run(['audit', 'list', '--tenant', '123456.sms', '--limit', '2']);
    assert.equal(readable.stdout.trim().split('\n').length, 3, 'a header and two events');
    assert.equal((await cli.run(['audit', 'list', '--tenant', '123456.sms', '--limit', '0'])).code, 2);
  });
});
