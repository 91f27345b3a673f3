import { isPostgres } from '../../db/knex.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { shownSecret, submitStep } from '../support/authenticator.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { passwordStep, startEnrolment } from '../support/mfa-steps.js';
import { STACK_TRACE } from '../support/pages.js';
import {
  pageTitle,
  PASSWORD_CHANGED,
  requestReset,
  resetLinkIn,
  setNewPassword,
} from '../support/password-reset.js';
import { logIn, RelyingParty } from '../support/relying-party.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { totpAt } from '../support/totp.js';

const TENANT = '650001.sms';

/**
 * A change and its audit event commit together. To prove it, the database refuses one kind of audit
 * event (a trigger), as a full disk or a lost connection would: the change must not be saved either, the
 * person gets a clean error page, and the same step works once the audit trail accepts events again.
 */
describe('no change is saved without its audit event', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let sink: SmtpSink;

  async function refuseAuditEvents(type: string) {
    const { db } = server.runtime;
    if (isPostgres(db)) {
      await db.raw(
        `CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS ` +
          `$$ BEGIN RAISE EXCEPTION 'audit trail unavailable'; END $$`,
      );
      await db.raw(
        `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW ` +
          `WHEN (NEW.type = '${type}') EXECUTE FUNCTION refuse_audit()`,
      );
      return;
    }
    await db.raw(
      `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events WHEN NEW.type = '${type}' ` +
        `BEGIN SELECT RAISE(ABORT, 'audit trail unavailable'); END`,
    );
  }
  const acceptAuditEvents = async () => {
    const { db } = server.runtime;
    if (!isPostgres(db)) {
      await db.raw('DROP TRIGGER refuse_audit');
      return;
    }
    await db.raw('DROP TRIGGER refuse_audit ON audit_events');
    await db.raw('DROP FUNCTION refuse_audit()');
  };
  const assertCleanServerError = (status: number, body: string) => {
    assert.equal(status, 500);
    assert.doesNotMatch(body, STACK_TRACE);
    assert.doesNotMatch(body, /audit trail unavailable|SQLITE|plpgsql/);
    assert.match(body, /Something went wrong on our side/);
  };

  before(async () => {
    sink = await SmtpSink.start();
    server = await startTestServer({ env: { SMTP_URL: sink.url } });
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(async () => {
    await server.close();
    await sink.close();
  });

  it('activates no TOTP whose mfa.enrolled event could not be written', async () => {
    const admin = await seedUser(server.runtime.services, TENANT, 'enrolling-admin', { roles: ['admin'] });
    const browser = new Browser(server.url);
    const enrolPage = await startEnrolment(browser, (await passwordStep(browser, rp, admin)).page);
    const secret = shownSecret(enrolPage)!;
    await refuseAuditEvents('mfa.enrolled');
    try {
      const failed = await submitStep(browser, enrolPage, '/mfa/activate', {
        code: totpAt(secret, server.clock.epochSeconds()),
      });
      assertCleanServerError(failed.status, failed.body);
      assert.equal((await server.runtime.services.mfa.status(TENANT, admin.id)).enrolled, false);
    } finally {
      await acceptAuditEvents();
    }
    server.clock.advance(30);
    const codes = await submitStep(browser, enrolPage, '/mfa/activate', {
      code: totpAt(secret, server.clock.epochSeconds()),
    });
    assert.equal(codes.status, 200, 'the same enrolment completes once events are accepted');
    assert.equal((await server.runtime.services.mfa.status(TENANT, admin.id)).enrolled, true);
  });

  it('uses up no TOTP step whose mfa.verified event could not be written', async () => {
    const admin = await seedUser(server.runtime.services, TENANT, 'verifying-admin', { roles: ['admin'] });
    await logIn(new Browser(server.url), rp, admin);
    const browser = new Browser(server.url);
    const verifyPage = (await passwordStep(browser, rp, admin)).page;
    server.clock.advance(30);
    const code = totpAt(admin.authenticator.secret!, server.clock.epochSeconds());
    await refuseAuditEvents('mfa.verified');
    try {
      const failed = await submitStep(browser, verifyPage, '/mfa/verify', { code });
      assertCleanServerError(failed.status, failed.body);
    } finally {
      await acceptAuditEvents();
    }
    const retried = await submitStep(browser, verifyPage, '/mfa/verify', { code });
    assert.equal(retried.status, 303, 'the code was not used up by the failed attempt');
  });

  it('changes no password whose password_reset.completed event could not be written', async () => {
    const user = await seedUser(server.runtime.services, TENANT, 'resetting');
    await requestReset(new Browser(server.url), { tenantId: TENANT, login: user.login });
    await server.runtime.mailer.idle();
    const { link } = resetLinkIn(sink.to(`${user.login}@${TENANT}.example`).at(-1)!);
    await refuseAuditEvents('password_reset.completed');
    try {
      const failed = await setNewPassword(new Browser(server.url), link, 'A completely new passphrase');
      assertCleanServerError(failed.status, failed.body);
    } finally {
      await acceptAuditEvents();
    }
    await logIn(new Browser(server.url), rp, user);
    const done = await setNewPassword(new Browser(server.url), link, 'A completely new passphrase');
    assert.equal(pageTitle(done.body), PASSWORD_CHANGED, 'the link still works');
  });
});
