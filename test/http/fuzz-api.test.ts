import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { DEFAULT_ROLES } from '../../config/roles.js';
import { OPERATOR } from '../../src/domain/access/actor.js';
import type { Logger } from 'pino';
import { normalizeIdentifier } from '../../src/domain/shared/identifiers.js';
import { API_PREFIX, createApiRouter } from '../../src/http/api/api-router.js';
import type { Services } from '../../src/services.js';
import { api, type ApiAnswer, machineToken, RESELLER_ADMIN } from '../support/admin-api.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import {
  assertCleanApiAnswer,
  assertUnchanged,
  brokenBytes,
  formField,
  fuzz,
  hostileText,
  invalidUtf8,
  isStorableUsername,
  LOOK_ALIKES,
  longText,
  percentEncode,
  PROBLEM_JSON,
  send,
  shortText,
  type FieldValue,
  type FormFields,
} from '../support/fuzz.js';
import { createTenant } from '../support/operator.js';
import { logIn, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The part of JSON Schema the OpenAPI document uses for the admin API's inputs. */
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  items?: JsonSchema;
  maxItems?: number;
  anyOf?: JsonSchema[];
}

/** One operation of the OpenAPI document, with what its path, query and body accept. */
interface Operation {
  method: string;
  template: string;
  label: string;
  path: Array<[name: string, schema: JsonSchema]>;
  query: Array<[name: string, schema: JsonSchema]>;
  body: JsonSchema | undefined;
}

interface OpenApiOperation {
  parameters: Array<{ name: string; in: 'path' | 'query'; schema: JsonSchema }>;
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
}

function operationsOf(document: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      template,
      label: `${method.toUpperCase()} ${template}`,
      path: operation.parameters
        .filter((p) => p.in === 'path')
        .map((p): [string, JsonSchema] => [p.name, p.schema]),
      query: operation.parameters
        .filter((p) => p.in === 'query')
        .map((p): [string, JsonSchema] => [p.name, p.schema]),
      body: operation.requestBody?.content['application/json'].schema,
    })),
  );
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether `value` passes `schema`'s structural rules (types, lengths, ranges, enums, unknown and missing
 * keys). Where it is unsure it says yes: a generated input counts as refused only when this says no.
 */
function accepts(schema: JsonSchema, value: unknown): boolean {
  if (schema.anyOf) return schema.anyOf.some((option) => accepts(option, value));
  if (schema.enum && !schema.enum.includes(value)) return false;
  const inRange = (n: number) => n >= (schema.minimum ?? -Infinity) && n <= (schema.maximum ?? Infinity);
  switch (schema.type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isInteger(value) && inRange(value as number);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && inRange(value);
    case 'string':
      return (
        typeof value === 'string' &&
        value.length >= (schema.minLength ?? 0) &&
        value.length <= (schema.maxLength ?? Infinity) &&
        (!schema.pattern || new RegExp(schema.pattern).test(value))
      );
    case 'array':
      return (
        Array.isArray(value) &&
        value.length <= (schema.maxItems ?? Infinity) &&
        value.every((item) => !schema.items || accepts(schema.items, item))
      );
    case 'object':
      return (
        isObject(value) &&
        Object.entries(value).every(([key, item]) => {
          const property = Object.hasOwn(schema.properties ?? {}, key) ? schema.properties![key] : undefined;
          return property ? accepts(property, item) : schema.additionalProperties !== false;
        }) &&
        (schema.required ?? []).every((key) => Object.hasOwn(value, key))
      );
    default:
      return true;
  }
}

/** A value `schema` accepts structurally; strings hostile in content. */
function valueFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(valueFor));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'string':
      return shortText.map((text) => text.padEnd(schema.minLength ?? 0, 'x').slice(0, schema.maxLength));
    case 'array':
      return fc.array(valueFor(schema.items ?? {}), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    default:
      return fc.jsonValue();
  }
}

/** JSON values of every type: most of them are the wrong type for any one field. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, -0, '', [], {}, [[[[[]]]]], {
    a: { b: { c: {} } },
  }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  shortText,
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(shortText, fc.jsonValue(), { maxKeys: 3 }),
);

/** A value `schema` refuses structurally: a wrong type, too long or short, out of range, not in the enum. */
function refusedFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const candidates: Array<fc.Arbitrary<unknown>> = [anyJson];
  if (schema.maxLength !== undefined)
    candidates.push(longText(schema.maxLength + 1, schema.maxLength + 100_000));
  if (schema.minLength) candidates.push(fc.string({ maxLength: schema.minLength - 1 }));
  if (schema.enum)
    candidates.push(shortText, fc.constantFrom(...schema.enum.map((v) => String(v).toUpperCase())));
  if (schema.maximum !== undefined) candidates.push(fc.integer({ min: schema.maximum + 1 }));
  if (schema.minimum !== undefined) candidates.push(fc.integer({ max: schema.minimum - 1 }));
  if (schema.maxItems !== undefined)
    candidates.push(
      fc.array(fc.constant('user'), { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 5 }),
    );
  return fc
    .oneof(...candidates)
    .filter((value) => !accepts(schema, JSON.parse(JSON.stringify(value) ?? 'null')));
}

/** An object of some of the schema's properties, each accepted, hostile in content. */
function partialObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([key, property]) => [key, valueFor(property)]),
  );
  return fc.record(properties, { requiredKeys: [] });
}

/** A JSON body the schema refuses: one bad field, an unknown field, a missing one, or not an object. */
function refusedBody(schema: JsonSchema): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const oneBadField = fc
    .tuple(partialObject(schema), fc.constantFrom(...properties))
    .chain(([base, [key, property]]) => refusedFor(property).map((bad) => ({ ...base, [key]: bad })));
  const unknownField = fc
    .tuple(partialObject(schema), shortText, anyJson)
    .filter(([, key]) => !Object.hasOwn(schema.properties ?? {}, key))
    .map(([base, key, value]) => ({ ...base, [key]: value }));
  const missingField = fc
    .tuple(partialObject(schema), fc.constantFrom(...(schema.required ?? ['-'])))
    .map(([base, key]) => Object.fromEntries(Object.entries(base).filter(([name]) => name !== key)));
  const notAnObject = anyJson.filter((value) => !isObject(value));
  return fc.oneof(oneBadField, unknownField, missingField, notAnObject);
}

/** Broken JSON: cut short, with a stray character, with JavaScript's literals, a comment or a BOM. */
const malformedJson = (schema: JsonSchema): fc.Arbitrary<string> =>
  fc
    .tuple(
      partialObject(schema).map((object) => JSON.stringify(object)),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      fc.constantFrom('', '}', '{', ',', '"', "'", '\u0000', 'NaN', 'undefined', '/* */', '\ufeff', ']', ':'),
    )
    .map(([text, at, stray]) => {
      const cut = Math.floor(at * text.length);
      return stray === '' ? text.slice(0, cut) : `${text.slice(0, cut)}${stray}${text.slice(cut)}`;
    });

/** What co-body (strict) and zod make of a JSON body: refused for sure, or possibly accepted. */
function surelyRefused(schema: JsonSchema, body: Buffer): boolean {
  // Decoded as raw-body does: invalid bytes become U+FFFD, a leading byte order mark is dropped.
  const text = body.toString('utf8').replace(/^\ufeff/, '');
  if (!text) return !accepts(schema, {});
  if (!/^[ \t\n\r]*[[{]/.test(text)) return true;
  try {
    return !accepts(schema, JSON.parse(text));
  } catch {
    return true;
  }
}

const decodeParam = (encoded: string) => {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
};

interface ApiRequest {
  kind: string;
  params: Record<string, string>;
  query: string;
  body: Buffer | undefined;
  headers: Record<string, string>;
  /** A mutation every route must refuse (a query on a GET may be answered). */
  refused: boolean;
  /** The one right status, where there is one. */
  status?: number;
}

describe('bad-input campaign: admin API', () => {
  let server: TestServer;
  let token: string;
  let operations: Operation[];
  const valid: Record<string, string> = { tenantId: '123456.sms', role: 'user' };
  const existing: Record<string, string[]> = {
    tenantId: ['sms', '123456.sms'],
    role: DEFAULT_ROLES.map((role) => role.name),
  };

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    await createTenant(services, { id: 'sms', name: 'Reseller SMS', kind: 'reseller' });
    await createTenant(services, { id: '123456.sms', name: 'Customer', parentId: 'sms' });
    const bob = await seedUser(services, '123456.sms', 'bob', { roles: ['user'] });
    valid.userId = bob.id;
    existing.userId = [bob.id];
    const { client } = await services.tenantClients.create(OPERATOR, '123456.sms', {
      name: 'Fuzzed',
      redirectUris: [],
      grantTypes: ['client_credentials'],
    });
    valid.clientId = client.id;
    existing.clientId = [client.id];
    const { info } = await services.tenantClients.createRegistrationToken(OPERATOR, '123456.sms', undefined);
    valid.tokenId = info.id;
    existing.tokenId = [info.id];
    token = (await machineToken(server.url, services, 'sms', RESELLER_ADMIN)).token;
    const document = await api(server.url, undefined, 'GET', '/openapi.json');
    operations = operationsOf(document.json());
  });
  after(() => server.close());

  const json = { 'content-type': 'application/json' };
  const bearer = () => ({ authorization: `Bearer ${token}` });

  /**
   * A path parameter the route cannot act on: malformed, or well-formed but naming nothing that exists.
   * Long ones stay under the 16 kB Node reads of a request head (beyond it, Node itself answers 431).
   */
  function refusedParam(name: string, schema: JsonSchema): fc.Arbitrary<string> {
    const names = (existing[name] ?? []).map((value) => value.toLowerCase());
    return fc
      .oneof(
        shortText,
        longText(500, 1000),
        brokenBytes,
        fc.uuid(),
        fc.stringMatching(/^[a-z0-9][a-z0-9.-]{2,20}$/),
        fc.constantFrom(...LOOK_ALIKES),
      )
      .map((value: FieldValue) => percentEncode(value))
      .filter((encoded) => {
        // What the router hands on: decoded, or as sent when it is not valid percent-encoded UTF-8.
        const seen = decodeParam(encoded);
        const namesNothing = !names.includes(normalizeIdentifier(seen));
        const fits = encoded.length < 8000 && !['', '.', '..'].includes(encoded);
        return fits && (!accepts(schema, seen) || namesNothing);
      });
  }

  function validParams(operation: Operation): Record<string, string> {
    return Object.fromEntries(
      operation.path.map(([name]) => {
        const value = valid[name];
        assert.ok(value, `a valid value for the path parameter ${name} of ${operation.label}`);
        return [name, encodeURIComponent(value)];
      }),
    );
  }

  const anyBody = (operation: Operation) =>
    operation.body
      ? fc.oneof(partialObject(operation.body), anyJson).map((value) => Buffer.from(JSON.stringify(value)))
      : fc.constant(undefined);

  function pathMutation(operation: Operation): fc.Arbitrary<ApiRequest> {
    const param = fc
      .constantFrom(...operation.path)
      .chain(([name, schema]) => refusedParam(name, schema).map((value) => ({ name, value })));
    return fc.tuple(param, anyBody(operation)).map(([{ name, value }, body]) => ({
      kind: `path ${name}`,
      params: { ...validParams(operation), [name]: value },
      query: '',
      body,
      headers: { ...bearer(), ...(body ? json : {}) },
      refused: true,
    }));
  }

  function bodyMutation(operation: Operation, schema: JsonSchema): fc.Arbitrary<ApiRequest> {
    const text = fc.oneof(
      refusedBody(schema).map((value) => JSON.stringify(value) ?? 'null'),
      malformedJson(schema),
    );
    const withBadBytes = fc
      .tuple(text, invalidUtf8, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }))
      .map(([body, bad, at]) => {
        const bytes = Buffer.from(body);
        const cut = Math.floor(at * bytes.length);
        return Buffer.concat([bytes.subarray(0, cut), bad, bytes.subarray(cut)]);
      });
    return fc
      .oneof(
        { weight: 4, arbitrary: text.map((body) => Buffer.from(body)) },
        { weight: 1, arbitrary: withBadBytes },
      )
      .filter((body) => surelyRefused(schema, body))
      .map((body) => ({
        kind: 'body',
        params: validParams(operation),
        query: '',
        body,
        headers: { ...bearer(), ...json },
        refused: true,
      }));
  }

  /**
   * Any body, sent as something that is not JSON (415), or in a compression it is not in (400), or one the
   * server does not know (415): refused before anyone reads it as JSON.
   */
  function transportMutation(operation: Operation): fc.Arbitrary<ApiRequest> {
    const transports = fc.constantFrom<[Record<string, string>, number]>(
      [{}, 415],
      [{ 'content-type': 'text/plain' }, 415],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 415],
      [{ 'content-type': 'multipart/form-data; boundary=x' }, 415],
      [{ 'content-type': 'application/jsonx' }, 415],
      [{ 'content-type': 'application/merge-patch+json' }, 415],
      [{ ...json, 'content-encoding': 'gzip' }, 400],
      [{ ...json, 'content-encoding': 'deflate' }, 400],
      [{ ...json, 'content-encoding': 'xyz' }, 415],
    );
    return fc.tuple(anyBody(operation), transports).map(([body, [transport, status]]) => ({
      kind: `transport ${JSON.stringify(transport)}`,
      params: validParams(operation),
      query: '',
      body: body ?? Buffer.from('{}'),
      headers: { ...bearer(), ...transport },
      refused: true,
      status,
    }));
  }

  /** No token, a tampered one, another scheme, or garbage (what fetch can send: no controls, no DEL). */
  function authMutation(operation: Operation): fc.Arbitrary<ApiRequest> {
    const latin1 = fc
      .string({
        unit: fc
          .integer({ min: 0x20, max: 0xff })
          .filter((code) => code !== 0x7f)
          .map((code) => String.fromCharCode(code)),
        maxLength: 40,
      })
      .map((text) => text.trim());
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('Bearer', 'Bearer ', `Bearer ${token.slice(0, -4)}AAAA`, `DPoP ${token}`, 'Basic YTpi'),
      latin1.map((text) => `Bearer ${text}`),
      latin1,
    );
    return fc.tuple(authorization, anyBody(operation)).map(([value, body]) => ({
      kind: 'authorization',
      params: validParams(operation),
      query: '',
      body,
      headers: { ...(value !== undefined ? { authorization: value } : {}), ...(body ? json : {}) },
      refused: true,
    }));
  }

  /** A hostile query on a GET: any answer will do, as long as it is clean and changes nothing. */
  function queryMutation(operation: Operation): fc.Arbitrary<ApiRequest> {
    const value = fc.oneof(
      shortText,
      brokenBytes,
      fc.constantFrom('0', '-1', '1.5', '201', '1e3', '0x10', ' 5', '５', '', 'Infinity', '9'.repeat(400)),
      fc.integer({ min: 201, max: 3000 }).map((n) => 'x'.repeat(n)),
    );
    const names = [...operation.query.map(([name]) => name), 'limit', 'cursor'];
    const fields = fc
      .tuple(
        ...[...new Set(names)].map((name) => formField(name, value)),
        fc.array(fc.tuple(shortText, value), { maxLength: 2 }),
      )
      .map((parts) => parts.flat() as FormFields);
    return fields
      .map((list) => list.map(([name, v]) => `${percentEncode(name)}=${percentEncode(v)}`).join('&'))
      .filter((query) => query.length < 8000)
      .map((query) => ({
        kind: 'query',
        params: validParams(operation),
        query,
        body: undefined,
        headers: bearer(),
        refused: false,
      }));
  }

  /** The mutations that apply to the operation, the ones about its own input weighted up. */
  function requestsFor(operation: Operation): fc.Arbitrary<ApiRequest> {
    const kinds: Array<fc.WeightedArbitrary<ApiRequest>> = [
      { weight: 1, arbitrary: authMutation(operation) },
    ];
    if (operation.path.length > 0) kinds.push({ weight: 3, arbitrary: pathMutation(operation) });
    if (operation.body) {
      kinds.push({ weight: 4, arbitrary: bodyMutation(operation, operation.body) });
      kinds.push({ weight: 2, arbitrary: transportMutation(operation) });
    }
    if (operation.method === 'GET') kinds.push({ weight: 3, arbitrary: queryMutation(operation) });
    return fc.oneof(...kinds);
  }

  function call(
    operation: Operation,
    request: Pick<ApiRequest, 'params' | 'query' | 'body' | 'headers'>,
    options: { chunked?: boolean } = {},
  ) {
    const path = operation.template.replace(/\{(\w+)\}/g, (_, name: string) => request.params[name]!);
    const url = `${server.url}/api/v1${path}${request.query ? `?${request.query}` : ''}`;
    return send(
      url,
      operation.method,
      request.body,
      { accept: 'application/json', ...request.headers },
      options,
    );
  }

  it('covers every route the API router serves: its OpenAPI document lists them all', () => {
    const router = createApiRouter({
      services: {} as Services,
      authenticate: () => Promise.reject(new Error('not called')),
      logger: {} as Logger,
      issuer: server.url,
    });
    const served = router.stack
      .filter(
        (layer) =>
          layer.methods.length > 0 &&
          !String(layer.path).endsWith('/openapi.json') &&
          !String(layer.path).includes('{*'),
      )
      .flatMap((layer) =>
        layer.methods
          .filter((method) => method !== 'HEAD')
          .map(
            (method) =>
              `${method} ${String(layer.path)
                .slice(API_PREFIX.length)
                .replace(/:(\w+)/g, '{$1}')}`,
          ),
      );
    assert.ok(served.length >= 16, `${served.length} routes`);
    assert.deepEqual(new Set(operations.map((operation) => operation.label)), new Set(served));
  });

  it('answers malformed input to every route cleanly: a 4xx problem where it must refuse, nothing changed', async (t) => {
    for (const operation of operations) {
      await t.test(operation.label, async () => {
        await fuzz(requestsFor(operation), async (request) => {
          const label = `${operation.label} (${request.kind})`;
          await assertUnchanged(server.runtime.db, label, async () => {
            const answer = await call(operation, request);
            assertCleanApiAnswer(answer, label);
            if (request.refused) assert.ok(answer.status >= 400, `${label}: refused, not ${answer.status}`);
            if (request.status) assert.equal(answer.status, request.status, label);
          });
        });
      });
    }
  });

  it('refuses every body over 64 kB with 413, whether its length is declared or not', async () => {
    const withBody = operations.filter((operation) => operation.body);
    const request = fc.record({
      operation: fc.constantFrom(...withBody),
      size: fc.integer({ min: 64 * 1024 + 1, max: 400_000 }),
      padding: fc.constantFrom('name', 'whitespace'),
      chunked: fc.boolean(),
    });
    await fuzz(request, async ({ operation, size, padding, chunked }) => {
      const body = Buffer.from(
        padding === 'name' ? JSON.stringify({ name: 'x'.repeat(size) }) : `{${' '.repeat(size)}}`,
      );
      await assertUnchanged(server.runtime.db, operation.label, async () => {
        const answer = await call(
          operation,
          { params: validParams(operation), query: '', body, headers: { ...bearer(), ...json } },
          { chunked },
        );
        assert.equal(answer.status, 413, `${operation.label}: ${body.length} bytes, chunked: ${chunked}`);
        assertCleanApiAnswer(answer, operation.label);
      });
    });
  });

  it('keeps the connection usable after a body it stopped reading', async () => {
    const create = operations.find((operation) => operation.label === 'POST /tenants/{tenantId}/users')!;
    const params = validParams(create);
    const big = Buffer.from(JSON.stringify({ name: 'x'.repeat(600_000) }));
    const unreadable = [
      () =>
        call(create, {
          params,
          query: '',
          body: big,
          headers: { ...bearer(), ...json, 'content-encoding': 'gzip' },
        }),
      () =>
        call(create, { params, query: '', body: big, headers: { ...bearer(), ...json } }, { chunked: true }),
    ];
    for (const [index, refused] of unreadable.entries()) {
      assertCleanApiAnswer(await refused(), `unreadable body ${index}`);
      for (const attempt of [1, 2]) {
        const next = await call(create, {
          params,
          query: '',
          body: Buffer.from('{}'),
          headers: { ...bearer(), ...json },
        });
        assert.equal(next.status, 400, `request ${attempt} after unreadable body ${index}: ${next.body}`);
      }
    }
  });

  describe('what the domain refuses', () => {
    let serial = 0;
    const fresh = () => `user${++serial}`;
    const controlOrSurrogate = fc.constantFrom(
      '\u0000',
      '\u0007',
      '\n',
      '\t',
      '\u001b',
      '\u007f',
      '\u0085',
      '\ud800',
      '\udfff',
    );
    /** A name with a control character or an unpaired surrogate somewhere in it. */
    const unprintableName = fc
      .tuple(shortText, controlOrSurrogate, shortText)
      .map(([before, bad, after]) => `x${before}${bad}${after}x`.slice(0, 200))
      .filter((name) => /[\p{Cc}\p{Cs}]/u.test(name.trim()));
    const blankName = fc.constantFrom(' ', '\u3000', '\u00a0 ', '\ufeff');
    const badEmail = hostileText
      .map((text) => text.slice(0, 320))
      .filter((text) => text.length >= 3 && !z.email().safeParse(normalizeIdentifier(text)).success);
    const unknownRole = shortText.filter(
      (role) => role.length >= 1 && role.length <= 64 && !existing.role!.includes(normalizeIdentifier(role)),
    );
    const weakPassword = fc.oneof(
      fc.string({ minLength: 1, maxLength: 7 }),
      fc.constantFrom('password1', 'qwertyuiop', 'Password123', '12345678'),
    );

    it('refuses identifiers, names, roles and passwords it cannot store with a 400 problem, and changes nothing', async () => {
      const users = `/tenants/${valid.tenantId}/users`;
      const user = () => `${users}/${valid.userId}`;
      const newUser = () => ({ username: fresh(), email: `${fresh()}@example.com` });
      const request = fc.oneof(
        shortText
          .filter((name) => name.length >= 1 && name.length <= 100 && !isStorableUsername(name))
          .map((username) => ['POST', users, { ...newUser(), username }] as const),
        badEmail.map((email) => ['POST', users, { ...newUser(), email }] as const),
        unprintableName.map((name) => ['POST', users, { ...newUser(), name }] as const),
        unknownRole.map((role) => ['POST', users, { ...newUser(), roles: [role] }] as const),
        weakPassword.map((password) => ['POST', users, { ...newUser(), password }] as const),
        badEmail.map((email) => ['PATCH', user(), { email }] as const),
        unprintableName.map((name) => ['PATCH', user(), { name }] as const),
        weakPassword.map((password) => ['PUT', `${user()}/password`, { password }] as const),
        fc.oneof(unprintableName, blankName).map((name) => ['POST', '/tenants', { name }] as const),
        fc
          .oneof(unprintableName, blankName)
          .map((name) => ['PATCH', `/tenants/${valid.tenantId}`, { name }] as const),
      );
      await fuzz(request, async ([method, path, body]) => {
        const label = `${method} ${path} ${JSON.stringify(body).slice(0, 200)}`;
        await assertUnchanged(server.runtime.db, label, async () => {
          const answer = await send(
            `${server.url}/api/v1${path}`,
            method,
            Buffer.from(JSON.stringify(body)),
            {
              ...bearer(),
              ...json,
            },
          );
          assertCleanApiAnswer(answer, label);
          assert.equal(answer.status, 400, label);
        });
      });
    });

    it('stores names people type exactly as they were sent, look-alikes and right-to-left marks included', async () => {
      const name = fc
        .oneof(
          shortText,
          fc.constantFrom(...LOOK_ALIKES).map((text) => `${text} Müller 山田 👩‍💻`),
        )
        .map((text) => text.slice(0, 200))
        .filter((text) => text.trim().length > 0 && !/[\p{Cc}\p{Cs}]/u.test(text));
      await fuzz(name, async (sent) => {
        const path = `/tenants/${valid.tenantId}/users/${valid.userId}`;
        const changed = await api(server.url, token, 'PATCH', path, { name: sent });
        assert.equal(changed.status, 200, changed.text);
        assert.equal(changed.json<{ name: string }>().name, sent.trim(), 'answered as sent');
        const read = await api(server.url, token, 'GET', path);
        assert.equal(read.json<{ name: string }>().name, sent.trim(), 'stored as answered');
      });
    });
  });
});

describe('Unicode identifiers through the admin API and the login page', () => {
  let server: TestServer;
  let token: string;
  const tenant = '123456.sms';
  const users = `/tenants/${tenant}/users`;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    await createTenant(services, { id: 'sms', name: 'Reseller SMS', kind: 'reseller' });
    await createTenant(services, { id: tenant, name: 'Customer', parentId: 'sms' });
    token = (await machineToken(server.url, services, 'sms', RESELLER_ADMIN)).token;
  });
  after(() => server.close());

  const create = (username: string, email: string) =>
    api(server.url, token, 'POST', users, { username, email });
  const usernamesInDatabase = async () => {
    const rows = await server.runtime
      .db('users')
      .where({ tenant_id: tenant })
      .select<Array<{ username: string }>>('username');
    return rows.map((row) => row.username);
  };

  it('stores a user created as "ﬁle" as "file", and refuses a second "file" with 409', async () => {
    const created = await create('ﬁle', 'file@example.com');
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json<{ username: string }>().username, 'file');
    assert.ok((await usernamesInDatabase()).includes('file'));
    assert.ok(!(await usernamesInDatabase()).includes('ﬁle'));

    await assertUnchanged(server.runtime.db, 'second file', async () => {
      const again = await create('file', 'file2@example.com');
      assert.equal(again.status, 409, again.text);
      assert.equal(again.contentType, PROBLEM_JSON);
    });
  });

  it('refuses "ẞ" and every other username that is not ASCII after normalisation with 400', async () => {
    const concrete = [
      'ẞ',
      'straße',
      'jose\u0301',
      'ali\u0441e',
      'bob\u200d',
      '\u202ebob',
      'd\u0131ana',
      'İlker',
      'ａｎｎ＠x',
    ];
    const notAscii = fc.oneof(
      fc.constantFrom(...concrete),
      shortText.filter((name) => name.length >= 1 && name.length <= 100 && !isStorableUsername(name)),
    );
    let serial = 0;
    await fuzz(notAscii, async (username) => {
      await assertUnchanged(server.runtime.db, username, async () => {
        const answer = await create(username, `refused${++serial}@example.com`);
        assert.equal(answer.status, 400, `${JSON.stringify(username)}: ${answer.text}`);
        assert.match(answer.json<{ detail: string }>().detail, /Invalid username/);
      });
    });
  });

  it('logs in with the Tenant ID typed in fullwidth digits and the username in upper case', async () => {
    const { services } = server.runtime;
    const alice = await seedUser(services, tenant, 'alice');
    const rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
    const { callbackUrl } = await logIn(new Browser(server.url), rp, {
      tenantId: '１２３４５６.ｓｍｓ',
      login: 'ALICE',
      password: alice.password,
    });
    assert.ok(new URL(callbackUrl).searchParams.get('code'), 'the RP receives a code');
  });

  describe('look-alike pairs', () => {
    let serial = 0;
    /** An ASCII identifier with letters that have look-alikes ("fi", "k", "s", "a", "e", "i", "o"). */
    const stem = fc
      .array(fc.constantFrom('fi', 'k', 's', 'a', 'e', 'i', 'o', 'n', 'r', '1', '7'), {
        minLength: 2,
        maxLength: 6,
      })
      .map((parts) => parts.join(''));
    const disguises: Array<[string, (text: string) => string]> = [
      ['upper case', (text) => text.toUpperCase()],
      [
        'fullwidth',
        (text) => text.replace(/[a-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
      ],
      ['ligature', (text) => text.replace('fi', 'ﬁ')],
      ['Kelvin sign', (text) => text.replace('k', '\u212a')],
      ['long s', (text) => text.replace('s', 'ſ')],
      ['spaces around', (text) => `\u3000${text}\u00a0`],
      ['combining mark', (text) => text.replace(/[aeo]/, (c) => `${c}\u0301`)],
      ['zero-width joiner', (text) => `${text.slice(0, 1)}\u200d${text.slice(1)}`],
      ['right-to-left override', (text) => `\u202e${text}`],
      ['Cyrillic', (text) => text.replace('a', '\u0430').replace('e', '\u0435').replace('o', '\u043e')],
      ['dotless i', (text) => text.replace('i', 'ı')],
    ];
    const disguise = fc.subarray(disguises, { minLength: 1, maxLength: 3 }).map((chosen) => ({
      names: chosen.map(([name]) => name),
      apply: (text: string) => chosen.reduce((t, [, f]) => f(t), text),
    }));
    const pair = fc.record({ stem, disguise, variantFirst: fc.boolean() });

    /** Creates the two in the chosen order: never both. A disguise that is accepted is stored as the original. */
    async function assertNeverBoth(
      original: { username: string; email: string },
      variant: { username: string; email: string },
      variantFirst: boolean,
      stored: (answer: ApiAnswer) => string,
      expected: string,
    ) {
      const [first, second] = variantFirst ? [variant, original] : [original, variant];
      const label = `${JSON.stringify(first)} then ${JSON.stringify(second)}`;
      const made = await create(first.username, first.email);
      assert.ok([201, 400].includes(made.status), `${label}: first ${made.status} ${made.text}`);
      if (made.status === 400) return;
      assert.equal(stored(made), expected, `${label}: stored as the original`);
      await assertUnchanged(server.runtime.db, label, async () => {
        const again = await create(second.username, second.email);
        assert.ok([400, 409].includes(again.status), `${label}: second ${again.status} ${again.text}`);
      });
    }

    it('never lets two usernames that look the same both exist in one tenant', async () => {
      await fuzz(pair, async ({ stem, disguise, variantFirst }) => {
        const username = `${stem}${++serial}`;
        fc.pre(disguise.apply(username) !== username);
        await assertNeverBoth(
          { username, email: `a${serial}@example.com` },
          { username: disguise.apply(username), email: `b${serial}@example.com` },
          variantFirst,
          (answer) => answer.json<{ username: string }>().username,
          username,
        );
      });
    });

    it('never lets two e-mail addresses that look the same both exist in one tenant', async () => {
      await fuzz(pair, async ({ stem, disguise, variantFirst }) => {
        const email = `${stem}${++serial}@example.com`;
        fc.pre(disguise.apply(email) !== email);
        await assertNeverBoth(
          { username: `a${serial}`, email },
          { username: `b${serial}`, email: disguise.apply(email) },
          variantFirst,
          (answer) => answer.json<{ email: string }>().email,
          email,
        );
      });
    });
  });
});
