import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../src/domain/shared/errors.js';
import { PasswordPolicy, type PasswordContext } from '../../src/domain/users/password-policy.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { errorMessage } from '../support/pages.js';
import { logIn, openAuthorization, RelyingParty, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createTenant, setUserPassword } from '../support/operator.js';

/** `text` repeated and cut to exactly `length` code points. */
function ofLength(length: number, text = 'correct horse battery staple ') {
  return [...text.repeat(Math.ceil(length / [...text].length))].slice(0, length).join('');
}

describe('password policy rules', () => {
  const policy = new PasswordPolicy({ minLength: 8, maxLength: 128 });

  /** The refusal message, or undefined when the password is accepted. */
  function refusal(password: string, context: PasswordContext = {}, by = policy): string | undefined {
    try {
      by.assertAcceptable(password, context);
      return undefined;
    } catch (error) {
      assert.ok(error instanceof ValidationError, `a ValidationError, got ${String(error)}`);
      return error.message;
    }
  }

  it('refuses 7 characters and accepts 8, counting characters rather than bytes or UTF-16 units', () => {
    assert.match(refusal('q7#Lm2x') ?? '', /at least 8 characters/);
    assert.equal(refusal('q7#Lm2xZ'), undefined);
    assert.match(refusal('🦊🐶🦊🐶🦊🐶🦊') ?? '', /at least 8/, '7 emoji are 7 characters');
    assert.equal(refusal('🦊🐶🦊🐶🦊🐶🦊🐶'), undefined);
  });

  it("applies a tenant's own minimum of 12: 11 characters are refused, 12 accepted", () => {
    assert.match(refusal(ofLength(11), { tenantMinLength: 12 }) ?? '', /at least 12 characters/);
    assert.equal(refusal(ofLength(12), { tenantMinLength: 12 }), undefined);
    assert.equal(refusal(ofLength(11), { tenantMinLength: null }), undefined, 'no own minimum: 8');
  });

  it('refuses 129 characters and accepts 128', () => {
    assert.match(refusal(ofLength(129)) ?? '', /at most 128 characters/);
    assert.equal(refusal(ofLength(128)), undefined);
    assert.equal(refusal(ofLength(128, 'ä🙂 ')), undefined, '128 characters of Unicode');
  });

  it('accepts a 64-character passphrase with spaces, umlauts and emoji, with no composition rules', () => {
    const passphrase = ofLength(64, 'Grüße aus Köln 🌧️ und ein Kaffee ☕ am Rhein ');
    assert.equal([...passphrase].length, 64);
    assert.equal(refusal(passphrase), undefined);
    assert.equal(refusal('lowercase only passphrase'), undefined, 'no digits or symbols needed');
    assert.equal(refusal('        spaces        '), undefined, 'spaces count like any character');
  });

  it('refuses common passwords from breach lists, case-insensitively', () => {
    for (const password of ['password1', '12345678', 'Password1', 'PASSWORD1', 'iloveyou']) {
      assert.match(refusal(password) ?? '', /most common passwords/, password);
    }
  });

  it('refuses the username, the e-mail local part and the Tenant ID, whole or contained', () => {
    const context = { username: 'jdoe2024', email: 'jane.doe@example.com', tenantId: '123456.sms' };
    const cases: Array<[string, RegExp]> = [
      ['jdoe2024', /your username/],
      ['JDOE2024', /your username/],
      ['my-jdoe2024-secret', /your username/],
      ['Jane.Doe.rocks!', /your e-mail address/],
      ['jane.doe', /your e-mail address/],
      ['123456.sms', /your Tenant ID/],
      ['pw for 123456.SMS here', /your Tenant ID/],
    ];
    for (const [password, message] of cases) {
      assert.match(refusal(password, context) ?? 'accepted', message, password);
    }
    assert.equal(refusal('example.com is my domain', context), undefined, 'the domain is not the name');
  });

  it('refuses a 3-letter username only as the whole password, not as a part of it', () => {
    const context = { username: 'qzx' };
    assert.equal(refusal('qzx likes long walks', context), undefined);
    assert.equal(refusal('myqzxpassphrase', context), undefined);
    const short = new PasswordPolicy({ minLength: 3, maxLength: 128 });
    assert.match(refusal('qzx', context, short) ?? '', /your username/);
    assert.match(refusal('QZX', context, short) ?? '', /your username/);
  });
});

describe('passwords longer than bcrypt\u2019s 72 bytes, through the server', () => {
  const TENANT = '800001.sms';
  let server: TestServer;
  let rp: RelyingParty;

  const authenticates = (login: string, password: string) =>
    server.runtime.services.login.authenticate({ tenantId: TENANT, login, password }).then(
      () => true,
      () => false,
    );

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it("does not truncate at 72 bytes: 72×'a'+'X' is set, 72×'a'+'Y' fails at login, 'X' works", async () => {
    const user = await seedUser(server.runtime.services, TENANT, 'longpass');
    const password = `${'a'.repeat(72)}X`;
    await setUserPassword(server.runtime.services, TENANT, 'longpass', password);

    const browser = new Browser(server.url);
    const page = await openAuthorization(browser, await rp.authorizationRequest());
    const refused = await submitLoginForm(browser, page, { ...user, password: `${'a'.repeat(72)}Y` });
    assert.equal(refused.status, 401);
    assert.ok(errorMessage(refused.body));
    assert.equal(await authenticates('longpass', 'a'.repeat(72)), false, 'the 72-byte prefix alone');

    const { callbackUrl } = await logIn(new Browser(server.url), rp, { ...user, password });
    assert.ok(new URL(callbackUrl).searchParams.get('code'));
  });

  it("counts every byte of multi-byte characters: 40×'é' plus a suffix (81 bytes)", async () => {
    await seedUser(server.runtime.services, TENANT, 'accented');
    const password = `${'é'.repeat(40)}X`;
    await setUserPassword(server.runtime.services, TENANT, 'accented', password);
    assert.equal(await authenticates('accented', `${'é'.repeat(40)}Y`), false);
    assert.equal(await authenticates('accented', password), true);
    assert.equal(
      await authenticates('accented', password.normalize('NFD')),
      true,
      'the same text typed decomposed',
    );
  });

  it("refuses a password below the tenant's own minimum when it is set", async () => {
    await createTenant(server.runtime.services, { id: '800002.sms', name: 'Strict', minPasswordLength: 12 });
    await seedUser(server.runtime.services, '800002.sms', 'strict', {
      password: 'long enough for this tenant',
    });
    await assert.rejects(
      setUserPassword(server.runtime.services, '800002.sms', 'strict', ofLength(11)),
      (error: Error) => error instanceof ValidationError && /at least 12 characters/.test(error.message),
    );
    await setUserPassword(server.runtime.services, '800002.sms', 'strict', ofLength(12));
  });
});
