import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, formAction } from '../support/browser.js';
import { seedUser, type SeededUser } from '../support/fixtures.js';
import { errorMessage, STACK_TRACE, withoutPerRequestValues } from '../support/pages.js';
import {
  CHECK_YOUR_MAIL,
  openForgotPage,
  pageTitle,
  requestReset,
  submitForgotForm,
} from '../support/password-reset.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { auditEvents, setTenantStatus, setUserStatus } from '../support/operator.js';

const TENANT = '500001.sms';
const DISABLED_TENANT = '500002.sms';

describe('password reset requests reveal nothing', () => {
  let sink: SmtpSink;
  let server: TestServer;
  let alice: SeededUser;

  async function requestedEvents(tenantId: string) {
    const events = await auditEvents(server.runtime.services, tenantId, 200);
    return events.filter((event) => event.type === 'password_reset.requested').reverse();
  }

  before(async () => {
    sink = await SmtpSink.start();
    server = await startTestServer({ env: { SMTP_URL: sink.url } });
    const { services } = server.runtime;
    alice = await seedUser(services, TENANT, 'alice');
    await seedUser(services, TENANT, 'bob');
    await setUserStatus(services, TENANT, 'bob', 'disabled');
    await seedUser(services, DISABLED_TENANT, 'carol');
    await setTenantStatus(services, DISABLED_TENANT, 'disabled');
  });
  after(async () => {
    await server.close();
    await sink.close();
  });

  it('answers an existing user, unknown user, unknown tenant and disabled accounts alike, mailing only the existing user', async () => {
    const cases = [
      { name: 'existing user', tenantId: TENANT, login: 'alice' },
      { name: 'unknown user', tenantId: TENANT, login: 'nobody' },
      { name: 'unknown tenant', tenantId: '999999.sms', login: 'alice' },
      { name: 'disabled user', tenantId: TENANT, login: 'bob' },
      { name: 'user of a disabled tenant', tenantId: DISABLED_TENANT, login: 'carol' },
      { name: 'malformed tenant id', tenantId: '!!no tenant!!', login: 'alice' },
    ];
    const answers = [];
    for (const { name, ...account } of cases) {
      const response = await requestReset(new Browser(server.url), account);
      assert.equal(response.status, 200, `${name}: status`);
      assert.equal(pageTitle(response.body), CHECK_YOUR_MAIL, `${name}: page`);
      answers.push({ name, body: withoutPerRequestValues(response.body) });
    }
    for (const { name, body } of answers.slice(1)) {
      assert.equal(body, answers[0]!.body, `${name} renders the same page as ${answers[0]!.name}`);
    }

    await server.runtime.mailer.idle();
    assert.deepEqual(
      sink.mails.map((mail) => mail.recipients),
      [[`alice@${TENANT}.example`]],
      'one mail, to the existing user only',
    );
  });

  it('audits every request, with the attempted login and the outcome, also for unknown accounts', async () => {
    const byLogin = (events: Awaited<ReturnType<typeof requestedEvents>>, login: string) =>
      events.find((event) => event.details.login === login);
    const events = await requestedEvents(TENANT);
    assert.deepEqual(
      { subject: byLogin(events, 'nobody')?.subject, details: byLogin(events, 'nobody')?.details },
      { subject: null, details: { login: 'nobody', outcome: 'no_active_account' } },
    );
    assert.equal(byLogin(events, 'nobody')?.ip?.endsWith('127.0.0.1'), true, 'with the client IP');
    assert.equal(byLogin(events, 'alice')?.details.outcome, 'mail_sent');
    assert.equal(byLogin(events, 'alice')?.subject, alice.id);
    assert.equal(byLogin(events, 'bob')?.details.outcome, 'no_active_account');
    assert.deepEqual(await requestedEvents('999999.sms'), [], 'a missing tenant gets no history of its own');
    const installation = await requestedEvents('_system');
    assert.deepEqual(installation.find((event) => event.details.tenant === '999999.sms')?.details, {
      tenant: '999999.sms',
      login: 'alice',
      outcome: 'no_active_account',
    });
  });

  it('sends at most 3 mails for one account in a row; the 4th request gets the same page', async () => {
    const dave = await seedUser(server.runtime.services, TENANT, 'dave');
    const responses = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      responses.push(await requestReset(new Browser(server.url), { ...dave, login: 'DAVE' }));
    }
    for (const response of responses) {
      assert.equal(response.status, 200);
      assert.equal(response.body, responses[0]!.body);
    }
    await server.runtime.mailer.idle();
    assert.equal(sink.to(`dave@${TENANT}.example`).length, 3);
    const outcomes = (await requestedEvents(TENANT))
      .filter((event) => event.details.login === 'dave')
      .map((event) => event.details.outcome);
    assert.deepEqual(outcomes, ['mail_sent', 'mail_sent', 'mail_sent', 'throttled']);
  });

  it('counts requests by username and by e-mail against the same account (at most 3 mails)', async () => {
    const erin = await seedUser(server.runtime.services, TENANT, 'erin');
    const email = `erin@${TENANT}.example`;
    for (const login of ['erin', email, 'erin', email]) {
      const response = await requestReset(new Browser(server.url), { tenantId: TENANT, login });
      assert.equal(response.status, 200);
    }
    await server.runtime.mailer.idle();
    assert.ok(
      sink.to(email).length <= 3,
      `${sink.to(email).length} mails for 4 requests for one account (user ${erin.id})`,
    );
  });

  it('re-renders the form with 400 and a message for missing or oversized fields, without a stack trace', async () => {
    const browser = new Browser(server.url);
    const form = await openForgotPage(browser, TENANT);
    const before = sink.mails.length;
    const cases: Array<{ name: string; fields: Record<string, string>; message: string }> = [
      { name: 'empty tenant', fields: { tenantId: '', login: 'alice' }, message: 'Enter your Tenant ID.' },
      { name: 'blank login', fields: { login: '   ' }, message: 'Enter your username or e-mail.' },
      {
        name: 'oversized tenant',
        fields: { tenantId: 'x'.repeat(65), login: 'alice' },
        message: 'Enter your Tenant ID.',
      },
      {
        name: 'oversized login',
        fields: { login: `${'a'.repeat(320)}@x.example` },
        message: 'Enter your username or e-mail.',
      },
    ];
    for (const { name, fields, message } of cases) {
      const response = await submitForgotForm(browser, form, fields);
      assert.equal(response.status, 400, `${name}: status`);
      assert.equal(errorMessage(response.body), message, `${name}: message`);
      assert.ok(formAction(response.body, '/password/forgot'), `${name}: the form again`);
      assert.doesNotMatch(response.body, STACK_TRACE);
    }
    const missingLogin = await browser.post('/password/forgot', {
      csrf: form.body.match(/name="csrf" value="([^"]+)"/)![1]!,
      tenantId: TENANT,
    });
    assert.equal(missingLogin.status, 400);
    assert.equal(errorMessage(missingLogin.body), 'Enter your username or e-mail.');
    assert.match(missingLogin.body, /name="tenantId" value="500001.sms"/, 'the tenant is kept');

    const withoutCookie = await submitForgotForm(new Browser(server.url), form, { login: 'alice' });
    assert.equal(withoutCookie.status, 403, 'no CSRF cookie: refused');
    assert.doesNotMatch(withoutCookie.body, STACK_TRACE);

    await server.runtime.mailer.idle();
    assert.equal(sink.mails.length, before, 'no mail for a refused form');
  });

  it('stops mailing after 20 requests from one IP address, and still shows the same page', async () => {
    const ipSink = await SmtpSink.start();
    const own = await startTestServer({ env: { SMTP_URL: ipSink.url } });
    try {
      const logins = Array.from({ length: 22 }, (_, index) => `user${index}`);
      for (const login of logins) await seedUser(own.runtime.services, TENANT, login);
      const responses = [];
      for (const login of logins) {
        responses.push(await requestReset(new Browser(own.url), { tenantId: TENANT, login }));
      }
      for (const response of responses) {
        assert.equal(response.status, 200);
        assert.equal(response.body, responses[0]!.body);
      }
      await own.runtime.mailer.idle();
      assert.equal(ipSink.mails.length, 20);
      assert.deepEqual(
        ipSink.mails.map((mail) => mail.recipients[0]).sort(),
        logins
          .slice(0, 20)
          .map((login) => `${login}@${TENANT}.example`)
          .sort(),
        'the first 20 got their mail',
      );
    } finally {
      await own.close();
      await ipSink.close();
    }
  });
});
