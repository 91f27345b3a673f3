import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oidc from 'openid-client';
import { loadConfig } from '../../config/config.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { shownSecret, submitStep } from '../support/authenticator.js';
import { Browser, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { freePort } from '../support/free-port.js';
import { interactionUid } from '../support/mfa-steps.js';
import {
  openAuthorization,
  RelyingParty,
  submitLoginForm,
  type AuthorizationRequest,
} from '../support/relying-party.js';
import { databaseEnv, onPostgres } from '../support/test-database.js';
import { TestClock } from '../support/test-clock.js';
import { totpAt } from '../support/totp.js';

const TENANT = '654321.sms';

class InstanceBrowser extends Browser {
  constructor(
    private readonly issuer: string,
    instance: string,
  ) {
    super(instance);
  }

  #local(url: string): string {
    return url.startsWith(this.issuer) ? this.origin + url.slice(this.issuer.length) : url;
  }

  override get(url: string, headers: Record<string, string> = {}): Promise<BrowserResponse> {
    return super.get(this.#local(url), headers);
  }

  override post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return super.post(this.#local(url), fields, { origin: this.issuer, ...headers });
  }

  override async follow(response: BrowserResponse): Promise<BrowserResponse> {
    let current = response;
    for (let hops = 0; hops < 20 && current.status >= 300 && current.status < 400; hops++) {
      const location = this.#local(new URL(current.headers.get('location')!, current.url).toString());
      if (!location.startsWith(this.origin)) return { ...current, url: location };
      current = await this.get(location);
    }
    return current;
  }
}

/**
 * Three server processes on one PostgreSQL database, as behind a load balancer: the same ISSUER (A's
 * address), each listening on its own port. Nothing is shared but the database.
 */
describe(
  'several instances on one PostgreSQL database',
  { skip: !onPostgres && 'PostgreSQL only: npm run test:pg' },
  () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usp-idp-instances-'));
    const processes: ChildProcess[] = [];
    const origins: string[] = [];
    let issuer: string;
    let environment: Record<string, string>;
    let rp: RelyingParty;
    let client: { clientId: string; clientSecret: string | undefined };

    /** The relying party's requests sent to instance `index` instead of the issuer's address. */
    function relyingPartyAt(index: number): oidc.Configuration {
      const configuration = new oidc.Configuration(
        rp.configuration.serverMetadata(),
        client.clientId,
        client.clientSecret,
        oidc.ClientSecretBasic(client.clientSecret),
      );
      oidc.allowInsecureRequests(configuration);
      configuration[oidc.customFetch] = (url, options) =>
        fetch(url.replace(issuer, origins[index]!), options);
      return configuration;
    }

    /**
     * A browser whose requests the load balancer sends to instance `index`: it sees only the issuer's
     * address (its forms are posted with the issuer as Origin); every URL of the issuer is fetched there.
     */
    const browserAt = (index: number) => new InstanceBrowser(issuer, origins[index]!);
    const at = (request: AuthorizationRequest, index: number) => ({
      ...request,
      url: new URL(request.url.href.replace(issuer, origins[index]!)),
    });

    /** What each process wrote to stderr, shown when one fails to start. */
    const stderr: string[] = [];

    async function waitUntilServing(index: number): Promise<void> {
      const child = processes[index]!;
      const origin = origins[index]!;
      const status: { exited?: number | string } = {};
      child.once('exit', (code, signal) => (status.exited = code ?? signal ?? 'unknown'));
      for (let attempt = 0; attempt < 300; attempt++) {
        if (status.exited !== undefined)
          throw new Error(`${origin} exited with ${status.exited}: ${stderr[index]}`);
        const answer = await fetch(`${origin}/.well-known/openid-configuration`).catch(() => undefined);
        if (answer?.ok) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${origin} did not start: ${stderr[index]}`);
    }

    before(async () => {
      const ports = [await freePort(), await freePort(), await freePort()];
      issuer = `http://localhost:${ports[0]}`;
      environment = {
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        ISSUER: issuer,
        MASTER_KEY: crypto.randomBytes(32).toString('hex'),
        DEMO: 'false',
        BCRYPT_COST: '4',
        LOG_LEVEL: 'error',
        HOST: '127.0.0.1',
        // A rotated key is published within a second and signs two seconds later.
        KEY_RELOAD_SECONDS: '1',
        JWKS_MAX_AGE_SECONDS: '1',
        ...(await databaseEnv(dataDir)),
      };
      // All three start at once on the empty database: knex's migration lock lets one migrate.
      for (const port of ports) {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
          env: { ...process.env, ...environment, PORT: String(port) },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        const index = processes.push(child) - 1;
        stderr.push('');
        child.stderr.on('data', (chunk: Buffer) => (stderr[index] += chunk.toString()));
        origins.push(`http://localhost:${port}`);
      }
      await Promise.all(origins.map((_origin, index) => waitUntilServing(index)));

      const runtime = await createRuntime(loadConfig(environment), createLogger('error'));
      try {
        client = await seedClient(runtime.services);
      } finally {
        await runtime.close();
      }
      rp = await RelyingParty.discover({ issuer, ...client });
    });
    after(async () => {
      for (const child of processes) child.kill('SIGTERM');
      await Promise.all(processes.map((child) => new Promise((resolve) => child.once('exit', resolve))));
    });

    /** Users are seeded through a runtime of their own on the same database, as the CLI would. */
    async function newUser(login: string, roles: string[] = []): Promise<SeededUser> {
      // A test clock (starting at the real time) only because the fixture's phone wants one.
      const runtime = await createRuntime(loadConfig(environment), createLogger('error'), new TestClock());
      try {
        return await seedUser(runtime.services, TENANT, login, { roles });
      } finally {
        await runtime.close();
      }
    }

    /** Authorization and login at instance `index`; returns the callback URL with the code. */
    async function logInAt(index: number, user: SeededUser, request: AuthorizationRequest) {
      const browser = browserAt(index);
      const page = await openAuthorization(browser, at(request, index));
      const landed = await browser.follow(await submitLoginForm(browser, page, user));
      assert.ok(landed.url.startsWith(rp.redirectUri), `${landed.status} ${landed.url}`);
      return landed.url;
    }

    it('migrated once, and every instance serves the same keys', async () => {
      const jwks = await Promise.all(origins.map(async (origin) => (await fetch(`${origin}/jwks`)).text()));
      assert.equal(new Set(jwks).size, 1);
      const runtime = await createRuntime(loadConfig(environment), createLogger('error'));
      try {
        const applied: Array<{ name: string }> = await runtime.db('knex_migrations').select('name');
        const names = applied.map((row) => row.name);
        assert.equal(new Set(names).size, names.length, 'each migration ran once');
        assert.ok(names.includes('013-upstream-providers'));
      } finally {
        await runtime.close();
      }
    });

    it('redeems on B a code issued on A, refreshes on B, and refuses the old refresh token on A', async () => {
      const user = await newUser('roaming');
      const request = await rp.authorizationRequest();
      const callback = await logInAt(0, user, request);
      const onB = relyingPartyAt(1);
      const tokens = await oidc.authorizationCodeGrant(onB, new URL(callback), {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      });
      assert.equal(tokens.claims()?.sub, user.id);
      const refreshed = await oidc.refreshTokenGrant(onB, tokens.refresh_token!);
      assert.ok(refreshed.access_token);
      await assert.rejects(oidc.refreshTokenGrant(relyingPartyAt(0), tokens.refresh_token!), {
        error: 'invalid_grant',
      });
      // Reuse ended the grant everywhere: the rotated token is dead on C too.
      await assert.rejects(oidc.refreshTokenGrant(relyingPartyAt(2), refreshed.refresh_token!), {
        error: 'invalid_grant',
      });
    });

    it('refuses on B a TOTP code already used on A', async () => {
      const admin = await newUser('totp-admin', ['admin']);
      // Enrolment on A (real time: these processes run on the system clock).
      const browser = browserAt(0);
      const request = await rp.authorizationRequest();
      const loginPage = await openAuthorization(browser, at(request, 0));
      const intro = await browser.follow(await submitLoginForm(browser, loginPage, admin));
      const enrolPage = await browser.follow(await submitStep(browser, intro, '/mfa/enable'));
      const secret = shownSecret(enrolPage)!;
      const now = () => Math.floor(Date.now() / 1000);
      const activated = await submitStep(browser, enrolPage, '/mfa/activate', {
        code: totpAt(secret, now()),
      });
      assert.equal(activated.status, 200, 'activated with the first code');

      // The next step's code, used on A, then offered on B.
      const code = totpAt(secret, now() + 30);
      const verifyAt = async (index: number): Promise<BrowserResponse> => {
        const there = browserAt(index);
        const page = await openAuthorization(there, at(await rp.authorizationRequest(), index));
        const codeStep = await there.follow(await submitLoginForm(there, page, admin));
        assert.ok(interactionUid(codeStep.url), 'the code step');
        return submitStep(there, codeStep, '/mfa/verify', { code });
      };
      assert.equal((await verifyAt(0)).status, 303, 'accepted on A');
      assert.equal((await verifyAt(1)).status, 401, 'a replay on B');
    });

    it('counts wrong passwords on A and B toward the same throttle', async () => {
      const user = await newUser('guessed');
      const wrong = { ...user, password: 'not the password at all' };
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 12; attempt++) {
        const index = attempt % 2;
        const browser = browserAt(index);
        const page = await openAuthorization(browser, at(await rp.authorizationRequest(), index));
        statuses.push((await submitLoginForm(browser, page, wrong)).status);
      }
      assert.deepEqual(statuses, [...Array.from({ length: 10 }, () => 401), 429, 429]);
    });

    it('refuses on B at once a client deleted through a runtime of its own', async () => {
      const runtime = await createRuntime(loadConfig(environment), createLogger('error'));
      let doomed: { clientId: string; clientSecret: string | undefined };
      try {
        doomed = await seedClient(runtime.services, { grantTypes: ['client_credentials'] });
        const grant = (index: number) =>
          fetch(`${origins[index]}/token`, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              authorization: `Basic ${Buffer.from(`${doomed.clientId}:${doomed.clientSecret}`).toString('base64')}`,
            },
            body: 'grant_type=client_credentials',
          });
        assert.equal((await grant(1)).status, 200, 'B knows it');
        await runtime.services.clients.delete(doomed.clientId);
        assert.equal((await grant(1)).status, 401, 'and forgets it with the database');
      } finally {
        await runtime.close();
      }
    });
    it('publishes a key rotated through the CLI at every instance within the interval, and signs with it later', async () => {
      const jwksAt = async (index: number) =>
        (await (await fetch(`${origins[index]}/jwks`)).json()) as JSONWebKeySet;
      const kidsAt = async (index: number) => (await jwksAt(index)).keys.map((key) => key.kid!);
      const verifiesAt = async (index: number, idToken: string) =>
        jwtVerify(idToken, createLocalJWKSet(await jwksAt(index)), { issuer });
      const user = await newUser('rotation');
      const request = await rp.authorizationRequest();
      const signedBefore = await oidc.authorizationCodeGrant(
        relyingPartyAt(0),
        new URL(await logInAt(0, user, request)),
        {
          pkceCodeVerifier: request.codeVerifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
        },
      );
      const kidsBefore = await kidsAt(0);

      const rotated = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'src/cli/cli.ts', 'keys', 'rotate', '--json'],
        { env: { ...process.env, ...environment } },
      );
      const rotatedAt = Date.now();
      const activatesAt = Date.parse((JSON.parse(rotated.stdout) as { activatesAt: string }).activatesAt);

      // Published everywhere within the reload interval (and a little scheduling slack).
      for (const index of [0, 1, 2]) {
        while ((await kidsAt(index)).length === kidsBefore.length) {
          assert.ok(Date.now() - rotatedAt < 2500, `instance ${index} publishes the new key`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      const newKids = (await kidsAt(1)).filter((kid) => !kidsBefore.includes(kid));
      assert.equal(newKids.length, 2, 'an RS256 and an ES256 key');

      // After the publishing delay and one more reload, B signs with the new key.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, activatesAt - Date.now()) + 1500));
      const signedAfter = await oidc.refreshTokenGrant(relyingPartyAt(1), signedBefore.refresh_token!);
      assert.ok(
        newKids.includes(decodeProtectedHeader(signedAfter.id_token!).kid!),
        'signed with the new key',
      );
      for (const index of [0, 1, 2]) {
        await verifiesAt(index, signedBefore.id_token!);
        await verifiesAt(index, signedAfter.id_token!);
      }
    });
  },
);
