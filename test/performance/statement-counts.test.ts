import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { logInForTokens, RelyingParty } from '../support/relying-party.js';
import { countStatements, type StatementCounts } from '../support/statement-log.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * How many SQL statements each hot operation costs, so that a change which adds a query shows up here.
 * The bounds are today's counts: lower them when an operation gets cheaper, never raise them quietly.
 */
function assertAtMost(
  counts: StatementCounts,
  bounds: { total: number; writes: number; clientReads: number },
) {
  // PRINT_STATEMENTS=1 shows every operation's counts and statements, for updating the bounds.
  if (process.env.PRINT_STATEMENTS) {
    process.stdout.write(
      `${counts.total} statements, ${counts.writes} writes, ${counts.clientReads} client reads\n${counts.sql.join('\n')}\n`,
    );
  }
  const listing = `\n${counts.sql.map((sql) => `  ${sql.slice(0, 160)}`).join('\n')}`;
  assert.ok(counts.total <= bounds.total, `${counts.total} statements, at most ${bounds.total}:${listing}`);
  assert.ok(counts.writes <= bounds.writes, `${counts.writes} writes, at most ${bounds.writes}:${listing}`);
  assert.ok(
    counts.clientReads <= bounds.clientReads,
    `${counts.clientReads} reads of clients, at most ${bounds.clientReads}:${listing}`,
  );
}

describe('SQL statements per operation', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let user: SeededUser;
  let admin: SeededUser;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
    user = await seedUser(services, '900001.sms', 'plain-user', { roles: ['user'] });
    admin = await seedUser(services, '900001.sms', 'tenant-admin', { roles: ['admin'] });
    // First logins: the user's language is recorded, the admin enrols in TOTP (a forced enrolment).
    await logInForTokens(new Browser(server.url), rp, user);
    await logInForTokens(new Browser(server.url), rp, admin);
    assert.ok(admin.authenticator.secret, 'the admin enrolled');
  });
  after(() => server.close());

  async function machineClient(permissions: Array<'users:read'>) {
    const { client, clientSecret } = await server.runtime.services.clients.create({
      name: 'Automation',
      redirectUris: [],
      grantTypes: ['client_credentials'],
      tenantId: '900001.sms',
      permissions,
    });
    return oidc.discovery(
      new URL(server.url),
      client.id,
      clientSecret,
      oidc.ClientSecretBasic(clientSecret),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
  }

  it('client_credentials, an opaque token (stored)', async () => {
    const machine = await machineClient([]);
    await oidc.clientCredentialsGrant(machine);
    const counts = await countStatements(server.runtime.db, () => oidc.clientCredentialsGrant(machine));
    assertAtMost(counts, { total: 2, writes: 1, clientReads: 1 });
  });

  it('client_credentials, a JWT for the admin API (not stored)', async () => {
    const machine = await machineClient(['users:read']);
    const grant = () => oidc.clientCredentialsGrant(machine, { resource: `${server.url}/api` });
    await grant();
    const counts = await countStatements(server.runtime.db, grant);
    assertAtMost(counts, { total: 1, writes: 0, clientReads: 1 });
  });

  it('refresh_token grant', async () => {
    const tokens = await logInForTokens(new Browser(server.url), rp, user);
    const counts = await countStatements(server.runtime.db, () =>
      oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!),
    );
    assertAtMost(counts, { total: 7, writes: 3, clientReads: 1 });
  });

  // Five requests: authorize, the login page, the password, back to authorize, the code exchange.
  it('a login with the password only, through the code exchange', async () => {
    const counts = await countStatements(server.runtime.db, () =>
      logInForTokens(new Browser(server.url), rp, user),
    );
    assertAtMost(counts, { total: 30, writes: 13, clientReads: 5 });
  });

  // Seven requests: the TOTP page and its answer add two.
  it('a login with password and TOTP, through the code exchange', async () => {
    const counts = await countStatements(server.runtime.db, () =>
      logInForTokens(new Browser(server.url), rp, admin),
    );
    assertAtMost(counts, { total: 46, writes: 18, clientReads: 7 });
  });
});
