import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createAccountRouter, type AccountDependencies } from '../../interactions/account/account-routes.js';
import { openAccountPage } from '../support/account.js';
import { Browser, inputValue } from '../support/browser.js';
import { seedUser } from '../support/fixtures.js';
import {
  assertCleanPage,
  assertUnchanged,
  bodyFor,
  brokenBytes,
  extraFields,
  type FieldValue,
  type FormFields,
  type Transport,
  formField,
  formTransport,
  fieldValue,
  fuzz,
  percentEncode,
  send,
  shortText,
  transportHeaders,
  urlencoded,
} from '../support/fuzz.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Forms whose fields carry the input: bad input must be refused with a page that says why. */
const FORMS = [
  '/account/password',
  '/account/language',
  '/account/two-factor/enable',
  '/account/email',
  '/account/email/confirm',
  '/account/passkeys/add',
] as const;
/** Forms that are buttons: whatever comes with them, never a 5xx and never a change for this user. */
const BUTTONS = [
  '/account/link',
  '/account/email/verify',
  '/account/two-factor/replace',
  '/account/two-factor/cancel',
  '/account/two-factor/recovery-codes',
  '/account/two-factor/stored',
  '/account/two-factor/turn-off',
  '/account/sessions/end',
  '/account/sessions/end-others',
  '/account/passkeys/rename',
  '/account/passkeys/remove',
] as const;
const PAGES = [
  '/account',
  '/account/login',
  '/account/callback',
  '/account/password',
  '/account/email',
  '/account/email/confirm',
  '/account/link/callback',
  '/account/two-factor/enable',
  '/account/two-factor/replace',
  '/account/two-factor/turn-off',
  '/account/passkeys/add',
];

const asText = (value: FieldValue) =>
  typeof value === 'string' ? value : Buffer.from(value).toString('utf8');

describe('bad-input campaign: account forms', () => {
  let server: TestServer;
  let browser: Browser;
  let csrf: string;

  before(async () => {
    server = await startTestServer();
    const alice = await seedUser(server.runtime.services, '123456.sms', 'alice');
    browser = new Browser(server.url);
    // The enrolment page leaves a pending secret in a cookie, so codes posted to it are checked.
    const page = await openAccountPage(browser, alice, '/account/two-factor/enable');
    csrf = inputValue(page.body, 'csrf')!;
  });
  after(() => server.close());

  const cookies = () =>
    browser
      .cookieNames()
      .map((name) => `${name}=${browser.cookie(name)!.value}`)
      .join('; ');

  /** Posts `fields` to `form` as Alice's browser does, with `token` as the CSRF field. */
  const postAs = (form: string, token: string, fields: FormFields, transport: Transport) =>
    send(
      new URL(form, server.url).toString(),
      'POST',
      bodyFor(urlencoded([['csrf', token], ...fields]), transport),
      {
        accept: 'text/html',
        cookie: cookies(),
        origin: server.url,
        'sec-fetch-site': 'same-origin',
        ...transportHeaders(transport),
      },
    );

  /**
   * Never a request that could succeed: the current password is never Alice's, the language never one we
   * have, the code never six digits, the address never an address and the link never one we sent.
   */
  const fieldsOf: Record<(typeof FORMS)[number], fc.Arbitrary<FormFields>> = {
    '/account/password': fc
      .tuple(formField('current'), formField('password'), formField('repeat'), extraFields)
      .map((parts) => parts.flat()),
    '/account/language': fc
      .tuple(
        formField(
          'locale',
          fieldValue.filter((value) => !['en', 'de'].includes(asText(value))),
        ),
        extraFields,
      )
      .map((parts) => parts.flat()),
    '/account/email': fc
      .tuple(
        formField(
          'email',
          fieldValue.filter((value) => !asText(value).includes('@')),
        ),
        extraFields,
      )
      .map((parts) => parts.flat()),
    '/account/email/confirm': fc.tuple(formField('token'), extraFields).map((parts) => parts.flat()),
    // No generated credential is a signed WebAuthn answer to this session's challenge.
    '/account/passkeys/add': fc
      .tuple(formField('name'), formField('credential'), extraFields)
      .map((parts) => parts.flat()),
    '/account/two-factor/enable': fc
      .tuple(
        formField(
          'code',
          fieldValue.filter((value) => !/^\s*\d{6}\s*$/.test(asText(value))),
        ),
        extraFields,
      )
      .map((parts) => parts.flat()),
  };

  it('covers every form and page of the account router', () => {
    const router = createAccountRouter({} as AccountDependencies);
    const routes = (method: string) =>
      router.stack.filter((layer) => layer.methods.includes(method)).map((layer) => String(layer.path));
    assert.deepEqual(new Set(routes('POST')), new Set([...FORMS, ...BUTTONS]));
    assert.deepEqual(new Set(routes('GET')), new Set(PAGES));
  });

  for (const form of FORMS) {
    it(`answers malformed posts to ${form} with a page that says why, and changes nothing`, async () => {
      const request = fc.record({
        token: fc.oneof({ weight: 8, arbitrary: fc.constant(csrf) }, { weight: 1, arbitrary: shortText }),
        fields: fieldsOf[form],
        transport: formTransport(),
      });
      await fuzz(request, async ({ token, fields, transport }) => {
        await assertUnchanged(server.runtime.db, form, async () => {
          const answer = await postAs(form, token, fields, transport);
          assertCleanPage(answer, form);
          assert.ok(answer.status >= 400, `${form}: refused, not ${answer.status}`);
        });
      });
    });
  }

  it('answers any post to the buttons of a user without 2FA without failing or changing anything', async () => {
    const request = fc.record({
      form: fc.constantFrom(...BUTTONS),
      token: fc.oneof({ weight: 4, arbitrary: fc.constant(csrf) }, { weight: 1, arbitrary: shortText }),
      fields: fc
        .tuple(
          formField('stored'),
          formField('codes'),
          formField('after'),
          // Session handles, well-formed ones too: Alice has no session but this one, which is never ended.
          formField('session', fc.oneof(fieldValue, fc.stringMatching(/^[0-9a-f]{16}$/))),
          // Passkey ids, well-formed ones too: Alice has none.
          formField('passkey', fc.oneof(fieldValue, fc.uuid())),
          formField('name'),
          extraFields,
        )
        .map((parts) => parts.flat()),
      transport: formTransport(),
    });
    await fuzz(request, async ({ form, token, fields, transport }) => {
      await assertUnchanged(server.runtime.db, form, async () => {
        const answer = await postAs(form, token, fields, transport);
        if (answer.status === 303) assert.match(answer.headers.get('location') ?? '', /^\/account(\?|$)/);
        else assertCleanPage(answer, form);
      });
    });
  });

  it('opens the account pages with any query, never failing', async () => {
    const value = fc.oneof(shortText, brokenBytes);
    const query = fc
      .array(
        fc.tuple(fc.constantFrom('return', 'fresh', 'done', 'code', 'state', 'error', 'iss', 'lang'), value),
        {
          maxLength: 4,
        },
      )
      .map((pairs) => pairs.map(([name, v]) => `${name}=${percentEncode(v)}`).join('&'));
    await fuzz(fc.tuple(fc.constantFrom(...PAGES), query), async ([page, q]) => {
      const path = `${page}?${q}`;
      await assertUnchanged(server.runtime.db, path, async () => {
        const answer = await send(new URL(path, server.url).toString(), 'GET', undefined, {
          accept: 'text/html',
          cookie: cookies(),
        });
        assert.ok(answer.status < 500, `${path}: ${answer.status} ${answer.body.slice(0, 300)}`);
        if (answer.status === 303) {
          const location = answer.headers.get('location') ?? '';
          assert.ok(
            location.startsWith('/') || location.startsWith(server.url),
            `${path}: stays here (${location})`,
          );
        } else assertCleanPage(answer, path);
      });
    });
  });
});
