import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createInteractionRouter, type InteractionDependencies } from '../../interactions/routes.js';
import { normalizeRecoveryCode } from '../../src/domain/mfa/recovery-codes.js';
import { Browser, formAction, inputValue, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import {
  assertCleanPage,
  assertUnchanged,
  bodyFor,
  brokenBytes,
  extraFields,
  type FieldValue,
  type FormFields,
  formField,
  formTransport,
  fieldValue,
  fuzz,
  percentEncode,
  send,
  shortText,
  transportHeaders,
  type Transport,
  urlencoded,
} from '../support/fuzz.js';
import { shownSecret } from '../support/authenticator.js';
import { enrolFromIntro, passwordStep, startEnrolment } from '../support/mfa-steps.js';
import { outboxMails, requestReset, resetLinkIn } from '../support/password-reset.js';
import { logIn, openAuthorization, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { SoftAuthenticator } from '../support/passkey-authenticator.js';
import { totpAt } from '../support/totp.js';

/** A form of a page some browser holds open: where it posts, its token and how its fields are generated. */
interface FormTarget {
  browser: Browser;
  path: string;
  csrf: string;
  fields: fc.Arbitrary<FormFields>;
  /** Whether the page's own token may be sent: only where no generated field can make the form succeed. */
  sendsValidToken: boolean;
  /** Statuses below 400 this form may answer with ("Check your e-mail"). */
  accepted?: number[];
}

const FORMS = [
  '/interaction/:uid/login',
  '/interaction/:uid/forgot',
  '/interaction/:uid/upstream',
  '/interaction/:uid/mfa/verify',
  '/interaction/:uid/mfa/enable',
  '/interaction/:uid/mfa/activate',
  '/interaction/:uid/mfa/continue',
  '/interaction/:uid/mfa/recovery-codes',
  '/interaction/:uid/mfa/passkey',
  '/interaction/:uid/mfa/passkey-enrol',
  '/interaction/:uid/passkey',
  '/interaction/:uid/passkey/options',
  '/interaction/:uid/consent',
  '/interaction/:uid/abort',
  '/password/forgot',
  '/password/reset',
] as const;
type FormName = (typeof FORMS)[number];

/** The pages opened with GET, fuzzed through their query or address. */
const PAGES = [
  '/',
  '/interaction/:uid',
  '/interaction/:uid/upstream/callback',
  '/upstream/callback',
  '/password/forgot',
  '/password/reset',
];

/**
 * The cookies a browser holds, whatever their path: each browser here has been at one interaction only,
 * so no name is there twice (two `_interaction` cookies would need the path to choose).
 */
function cookiesOf(browser: Browser): Record<string, string> {
  const names = browser.cookieNames();
  assert.equal(new Set(names).size, names.length, `one cookie of each name: ${names.join(', ')}`);
  const cookies = names.map((name) => `${name}=${browser.cookie(name)!.value}`).join('; ');
  return cookies ? { cookie: cookies } : {};
}

/** A token this page did not issue: changed, shifted, look-alike, padded, or anything at all. */
function forgedToken(valid: string): fc.Arbitrary<string> {
  const fullwidth = [...valid].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
  return fc
    .oneof(
      shortText,
      fc.constantFrom(
        `${valid}x`,
        valid.slice(1),
        ` ${valid}`,
        `${valid}\u0000`,
        valid.toUpperCase(),
        fullwidth,
      ),
      fc.constant(valid.repeat(8)),
    )
    .filter((token) => token !== valid);
}

/** The csrf field: the page's token (where allowed), a forged one, or the real one missing, repeated or bracketed. */
function csrfField(valid: string, sendsValidToken: boolean): fc.Arbitrary<FormFields> {
  const real: FormFields = [['csrf', valid]];
  const misplaced = formField('csrf', fc.constant(valid)).filter(
    (fields) => !(fields.length === 1 && fields[0]![0] === 'csrf'),
  );
  return fc.oneof(
    { weight: sendsValidToken ? 12 : 0, arbitrary: fc.constant(real) },
    { weight: 2, arbitrary: forgedToken(valid).map((token): FormFields => [['csrf', token]]) },
    { weight: 1, arbitrary: misplaced },
  );
}

/** Mostly the page's own origin; sometimes no metadata (older browsers), sometimes another site. */
function originHeaders(origin: string): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant({ origin, 'sec-fetch-site': 'same-origin' }) },
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Record<string, string>>(
        { origin: 'http://evil.test', 'sec-fetch-site': 'cross-site' },
        { origin, 'sec-fetch-site': 'same-site' },
        { origin: 'null' },
        { origin: `${origin}.evil.test` },
        { origin: origin.toUpperCase() },
        { 'sec-fetch-site': 'cross-site' },
      ),
    },
  );
}

function fieldsOf(...parts: Array<fc.Arbitrary<FormFields>>): fc.Arbitrary<FormFields> {
  return fc.tuple(...parts).map((lists) => lists.flat());
}

const asText = (value: FieldValue) =>
  typeof value === 'string' ? value : Buffer.from(value).toString('utf8');

/**
 * A code field that is never a code the server would accept now: neither a TOTP of the steps around the
 * server's clock nor one of the user's recovery codes.
 */
function wrongCodes(
  server: TestServer,
  secret: string,
  recoveryCodes: string[] = [],
): fc.Arbitrary<FieldValue> {
  const unused = new Set(recoveryCodes.map(normalizeRecoveryCode));
  const isValid = (value: FieldValue) => {
    const code = asText(value).normalize('NFKC').replace(/[\s-]/g, '');
    const now = server.clock.epochSeconds();
    const totps = [-60, -30, 0, 30, 60].map((offset) => totpAt(secret, now + offset));
    return totps.includes(code) || unused.has(normalizeRecoveryCode(code));
  };
  return fc
    .oneof(fieldValue, fc.stringMatching(/^\d{6}$/), fc.stringMatching(/^[0-9０-９ -]{0,12}$/))
    .filter((value) => !isValid(value));
}

/**
 * The reset form succeeds only when password and repeat are one value each and equal; whenever they are,
 * the repeat gets one more character, so the generated form is always refused.
 */
function mismatched(fields: FormFields): FormFields {
  const only = (name: string) => fields.filter(([field]) => field === name || field.startsWith(`${name}[`));
  const [password] = only('password');
  const [repeat] = only('repeat');
  if (only('password').length !== 1 || only('repeat').length !== 1 || !password || !repeat) return fields;
  if (password[0] !== 'password' || repeat[0] !== 'repeat') return fields;
  const longer = Buffer.concat([Buffer.from(password[1]), Buffer.from('Z')]);
  return fields.map(([name, value]) => [name, name === 'repeat' ? new Uint8Array(longer) : value]);
}

function pageAt(page: BrowserResponse, suffix: string): { path: string; csrf: string } {
  const action = formAction(page.body, suffix);
  assert.ok(action, `a ${suffix} form on ${page.url} (${page.status}): ${page.body.slice(0, 300)}`);
  return { path: action, csrf: inputValue(page.body, 'csrf')! };
}

describe('bad-input campaign: hosted forms', () => {
  let server: TestServer;
  const targets = {} as Record<FormName, FormTarget>;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    const firstParty = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
    const thirdParty = await RelyingParty.discover({
      issuer: server.url,
      ...(await seedClient(services, { thirdParty: true })),
    });
    const user = (name: string, roles: string[] = []) => seedUser(services, '123456.sms', name, { roles });
    const alice = await user('alice');

    // The reset link first: reset requests are throttled per address, and the campaign sends many.
    const bob = await user('bob');
    await requestReset(new Browser(server.url), bob);
    await server.runtime.mailer.idle();
    const { link, token } = resetLinkIn((await outboxMails(server.dataDir))[0]!.mail);
    const reset = new Browser(server.url);
    const resetPage = await reset.get(link);
    const forgot = new Browser(server.url);
    const forgotPage = await forgot.get('/password/forgot');

    const login = new Browser(server.url);
    const loginPage = await openAuthorization(login, await firstParty.authorizationRequest());
    // Consent in a browser that arrives with a session only, so the consent step is its one interaction.
    const signedIn = new Browser(server.url);
    await logIn(signedIn, firstParty, alice);
    const session = ['_session', '_session.sig'].map((name) => `${name}=${signedIn.cookie(name)!.value}`);
    const consent = new Browser(server.url, { cookie: session.join('; ') });
    const consentPage = await openAuthorization(consent, await thirdParty.authorizationRequest());

    // Administrators must use a second factor: each of them is left at another step of it.
    const intro = new Browser(server.url);
    const introPage = (await passwordStep(intro, firstParty, await user('erin', ['admin']))).page;
    const enrol = new Browser(server.url);
    const ivan = await user('ivan', ['admin']);
    const enrolPage = await startEnrolment(enrol, (await passwordStep(enrol, firstParty, ivan)).page);
    const done = new Browser(server.url);
    const fay = await user('fay', ['admin']);
    const codesPage = await enrolFromIntro(
      done,
      (await passwordStep(done, firstParty, fay)).page,
      fay.authenticator,
    );
    const verify = new Browser(server.url);
    const vera: SeededUser = await user('vera', ['admin']);
    await logIn(new Browser(server.url), firstParty, vera);
    const verifyPage = (await passwordStep(verify, firstParty, vera)).page;
    // An administrator with a passkey, at its step.
    const keyStep = new Browser(server.url);
    const pia = await user('pia', ['admin']);
    await logIn(new Browser(server.url), firstParty, pia);
    const piaRecord = { id: pia.id, tenantId: pia.tenantId, username: pia.login, displayName: null };
    const registration = await services.passkeys.registrationOptions(piaRecord, 'fuzz');
    const piaKey = new SoftAuthenticator(server.url).register(registration);
    await services.passkeys.register(piaRecord, 'fuzz', 'Key', piaKey as never, {});
    const passkeyPage = (await passwordStep(keyStep, firstParty, pia)).page;

    const interaction = (browser: Browser, page: BrowserResponse, suffix: string) => ({
      browser,
      ...pageAt(page, suffix),
    });
    const csrfOnly = { fields: extraFields, sendsValidToken: false };
    const enrolSecret = shownSecret(enrolPage)!;
    targets['/interaction/:uid/login'] = {
      ...interaction(login, loginPage, '/login'),
      fields: fieldsOf(formField('tenantId'), formField('login'), formField('password'), extraFields),
      sendsValidToken: true,
    };
    // "Password forgotten?" only carries what was typed over to the reset request page.
    targets['/interaction/:uid/forgot'] = {
      ...interaction(login, loginPage, '/forgot'),
      fields: fieldsOf(formField('tenantId'), formField('login'), formField('password'), extraFields),
      sendsValidToken: true,
      accepted: [303],
    };
    // No tenant here has an upstream provider: every press of the button is the generic refusal.
    // (The button is not on the page then; the form posts there all the same.)
    targets['/interaction/:uid/upstream'] = {
      ...targets['/interaction/:uid/login'],
      path: targets['/interaction/:uid/login'].path.replace(/\/login$/, '/upstream'),
      fields: fieldsOf(formField('tenantId'), formField('login'), formField('password'), extraFields),
      sendsValidToken: true,
    };
    targets['/interaction/:uid/abort'] = { ...interaction(login, loginPage, '/abort'), ...csrfOnly };
    targets['/interaction/:uid/consent'] = { ...interaction(consent, consentPage, '/consent'), ...csrfOnly };
    targets['/interaction/:uid/mfa/enable'] = {
      ...interaction(intro, introPage, '/mfa/enable'),
      ...csrfOnly,
    };
    targets['/interaction/:uid/mfa/activate'] = {
      ...interaction(enrol, enrolPage, '/mfa/activate'),
      fields: fieldsOf(formField('code', wrongCodes(server, enrolSecret)), extraFields),
      sendsValidToken: true,
    };
    const continuePath = pageAt(codesPage, '/mfa/continue');
    targets['/interaction/:uid/mfa/continue'] = { browser: done, ...continuePath, ...csrfOnly };
    targets['/interaction/:uid/mfa/recovery-codes'] = {
      browser: done,
      path: continuePath.path.replace(/\/mfa\/continue$/, '/mfa/recovery-codes'),
      csrf: continuePath.csrf,
      ...csrfOnly,
    };
    targets['/interaction/:uid/mfa/verify'] = {
      ...interaction(verify, verifyPage, '/mfa/verify'),
      fields: fieldsOf(
        formField('code', wrongCodes(server, vera.authenticator.secret!, vera.authenticator.recoveryCodes)),
        extraFields,
      ),
      sendsValidToken: true,
    };
    // Passkeys: no generated credential can pass, so the page's own token goes along.
    const credentialFields = fieldsOf(formField('credential'), formField('name'), extraFields);
    targets['/interaction/:uid/mfa/passkey'] = {
      ...interaction(keyStep, passkeyPage, '/mfa/passkey'),
      fields: credentialFields,
      sendsValidToken: true,
    };
    targets['/interaction/:uid/mfa/passkey-enrol'] = {
      ...interaction(intro, introPage, '/mfa/passkey-enrol'),
      fields: credentialFields,
      sendsValidToken: true,
    };
    targets['/interaction/:uid/passkey'] = {
      ...interaction(login, loginPage, '/passkey'),
      fields: credentialFields,
      sendsValidToken: true,
    };
    // With the page's token the options are JSON for the script; only refusals are fuzzed here.
    targets['/interaction/:uid/passkey/options'] = {
      ...targets['/interaction/:uid/passkey'],
      path: targets['/interaction/:uid/passkey'].path.replace(/\/passkey$/, '/passkey/options'),
      ...csrfOnly,
    };
    targets['/password/forgot'] = {
      browser: forgot,
      ...pageAt(forgotPage, '/password/forgot'),
      fields: fieldsOf(formField('tenantId'), formField('login'), formField('return'), extraFields),
      sendsValidToken: true,
      accepted: [200],
    };
    const tokenValue = fc.oneof({ weight: 3, arbitrary: fc.constant<FieldValue>(token) }, fieldValue);
    targets['/password/reset'] = {
      browser: reset,
      ...pageAt(resetPage, '/password/reset'),
      fields: fieldsOf(
        formField('token', tokenValue),
        formField('password'),
        formField('repeat'),
        extraFields,
      ).map(mismatched),
      sendsValidToken: true,
    };
  });
  after(() => server.close());

  /** Posts `fields` to the target as its browser would, with the transport and origin headers given. */
  function post(
    target: FormTarget,
    path: string,
    fields: FormFields,
    transport: Transport = { contentType: 'application/x-www-form-urlencoded' },
    headers: Record<string, string> = {},
    options: { chunked?: boolean } = {},
  ) {
    const body = bodyFor(urlencoded(fields), transport);
    const url = new URL(path, server.url).toString();
    return send(
      url,
      'POST',
      body,
      { accept: 'text/html', ...cookiesOf(target.browser), ...transportHeaders(transport), ...headers },
      options,
    );
  }

  it('covers every form and page the hosted-page router serves', () => {
    const router = createInteractionRouter({} as InteractionDependencies);
    const routes = (method: string) =>
      router.stack.filter((layer) => layer.methods.includes(method)).map((layer) => String(layer.path));
    assert.deepEqual(new Set(routes('POST')), new Set(FORMS));
    assert.deepEqual(new Set(routes('GET')), new Set(PAGES));
  });

  for (const form of FORMS) {
    it(`answers malformed posts to ${form} with a page that says why, and changes nothing`, async () => {
      const target = targets[form];
      const request = fc.record({
        csrf: csrfField(target.csrf, target.sendsValidToken),
        fields: target.fields,
        transport: formTransport(),
        headers: originHeaders(server.url),
      });
      await fuzz(request, async ({ csrf, fields, transport, headers }) => {
        await assertUnchanged(server.runtime.db, form, async () => {
          const answer = await post(target, target.path, [...csrf, ...fields], transport, headers);
          assertCleanPage(answer, form);
          assert.ok(
            answer.status >= 400 || target.accepted?.includes(answer.status),
            `${form}: refused, not ${answer.status} ${answer.headers.get('location') ?? ''}`,
          );
          if (answer.status === 303)
            assert.match(
              answer.headers.get('location') ?? '',
              /^\/password\/forgot\?/,
              `${form}: stays here`,
            );
        });
      });
    });
  }

  it('refuses every form over 16 kB with 413 and a page, whether its length is declared or not', async () => {
    const request = fc.record({
      form: fc.constantFrom(...FORMS),
      size: fc.integer({ min: 16 * 1024 + 1, max: 300_000 }),
      filler: fc.constantFrom('x', 'é', '\u0000', '%FF'),
      chunked: fc.boolean(),
    });
    await fuzz(request, async ({ form, size, filler, chunked }) => {
      const target = targets[form];
      const fields: FormFields = [
        ['csrf', target.csrf],
        ['pad', filler.repeat(size)],
      ];
      await assertUnchanged(server.runtime.db, form, async () => {
        const answer = await post(target, target.path, fields, undefined, {}, { chunked });
        assert.equal(answer.status, 413, `${form}: ${size} × ${JSON.stringify(filler)}, chunked: ${chunked}`);
        assertCleanPage(answer, form);
      });
    });
  });

  it('keeps the connection usable after a form body it stopped reading', async () => {
    const target = targets['/password/forgot'];
    const big: FormFields = [
      ['csrf', target.csrf],
      ['pad', 'x'.repeat(600_000)],
    ];
    const gzip = { contentType: 'application/x-www-form-urlencoded', contentEncoding: 'gzip' };
    const unreadable = [
      () => post(target, target.path, big, gzip),
      () => post(target, target.path, big, undefined, {}, { chunked: true }),
    ];
    for (const [index, refused] of unreadable.entries()) {
      assertCleanPage(await refused(), `unreadable body ${index}`);
      // fetch reuses the idle keep-alive connection: these two would hang behind an undrained body.
      for (const attempt of [1, 2]) {
        const next = await post(target, target.path, [['csrf', 'forged']]);
        assert.equal(next.status, 403, `request ${attempt} after unreadable body ${index}`);
      }
    }
  });

  it('answers a form posted to a malformed or foreign interaction address with a 400 page', async () => {
    const target = targets['/interaction/:uid/login'];
    const uid = fc
      .oneof(shortText, brokenBytes)
      .map(percentEncode)
      .filter((encoded) => encoded.length > 0 && !['.', '..'].includes(encoded));
    const interactionForms = FORMS.filter((form) => form.startsWith('/interaction/'));
    await fuzz(fc.record({ uid, suffix: fc.constantFrom(...interactionForms) }), async ({ uid, suffix }) => {
      const path = suffix.replace(':uid', uid);
      await assertUnchanged(server.runtime.db, path, async () => {
        const answer = await post(target, path, [['csrf', target.csrf]]);
        assertCleanPage(answer, path);
        assert.ok(answer.status >= 400, `${path}: refused, not ${answer.status}`);
      });
    });
  });

  it('opens the password pages and interaction pages with any query or address, never failing', async () => {
    // Long values stay under the 16 kB Node reads of a request head (beyond it, Node itself answers 431).
    const value = fc.oneof(
      shortText,
      brokenBytes,
      fc.integer({ min: 500, max: 3000 }).map((n) => 'x'.repeat(n)),
    );
    const query = (...names: string[]) =>
      fieldsOf(...names.map((name) => formField(name, value)), extraFields)
        .map((fields) => fields.map(([name, v]) => `${percentEncode(name)}=${percentEncode(v)}`).join('&'))
        .filter((text) => text.length < 8000);
    const page = fc.oneof(
      query('tenant', 'login', 'return', 'lang').map((q) => `/password/forgot?${q}`),
      query('lang', 'client').map((q) => `/?${q}`),
      query('token', 'lang', 'client').map((q) => `/password/reset?${q}`),
      query('code', 'state', 'iss', 'error').map((q) => `/upstream/callback?${q}`),
      query('code', 'state', 'iss').map(
        (q) => `${targets['/interaction/:uid/login'].path.replace(/\/login$/, '/upstream/callback')}?${q}`,
      ),
      fc
        .oneof(shortText, brokenBytes)
        .map(percentEncode)
        .filter((uid) => uid.length > 0 && !['.', '..'].includes(uid))
        .map((uid) => `/interaction/${uid}`),
    );
    await fuzz(page, async (path) => {
      await assertUnchanged(server.runtime.db, path, async () => {
        const answer = await send(new URL(path, server.url).toString(), 'GET', undefined, {
          accept: 'text/html',
          ...cookiesOf(targets['/interaction/:uid/login'].browser),
        });
        assertCleanPage(answer, path.slice(0, 200));
      });
    });
  });
});
