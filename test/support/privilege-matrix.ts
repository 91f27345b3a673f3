import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadRoleCatalogue, type Permission } from '../../config/roles.js';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { createRoleCatalogue, type RoleCatalogue } from '../../src/domain/roles/role-catalogue.js';
import { api, type ApiAnswer } from './admin-api.js';
import { clientCaller, userCaller, type ApiCaller } from './api-callers.js';
import {
  consoleAdmits,
  consoleCaller,
  CONSOLE_USER_GONE,
  onConsole,
  type ConsoleRequest,
  type ConsoleSession,
} from './console-callers.js';
import { dumpAdministrableTables } from './database-dump.js';
import { operationsOnClients } from './privilege-matrix-clients.js';
import { seedClient, seedUser } from './fixtures.js';
import { createTenant } from './operator.js';
import { RelyingParty } from './relying-party.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * Every admin route × a set of callers × every target (a user with no role and with each role of the
 * catalogue, in the caller's own tenant, a customer, a sibling customer, another reseller and its
 * customer). The expected answer comes from the rules as the README states them, written out below
 * independently of src/domain/access; refused requests must leave the database exactly as it was.
 */
const RESELLER = 'reseller-one';
const CUSTOMER = '100001.one';
const SIBLING = '100002.one';
const OTHER_RESELLER = 'reseller-two';
const OTHER_CUSTOMER = '200001.two';
const PARENT: Record<string, string | null> = {
  [RESELLER]: null,
  [CUSTOMER]: RESELLER,
  [SIBLING]: RESELLER,
  [OTHER_RESELLER]: null,
  [OTHER_CUSTOMER]: OTHER_RESELLER,
};
const STRONG_PASSWORD = 'Another Long Passphrase 42';
/** The test declares its callers before the server (and its catalogue) exists; both use the defaults. */
const DEFAULT_CATALOGUE = createRoleCatalogue(loadRoleCatalogue(undefined));

interface Target {
  tenantId: string;
  userId: string;
  /** The role the target was created with (none: ''). */
  role: string;
  roles: Set<string>;
}

export interface Operation {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  permission: Permission;
  /** Changes a user: refused (like a missing user) when the target holds a permission the caller lacks. */
  ranked?: boolean;
  /** Roles the operation hands out or takes away: each must grant nothing beyond the caller's. */
  grants?: string[];
  success: number;
  /** What an allowed operation does to the target's roles. */
  afterwards?: (target: Target) => void;
  /** Creates what it needs first (a throwaway user to delete). */
  prepare?: () => Promise<void>;
  /** The same operation on the admin console's pages, where it has one. */
  console?: ConsoleRequest;
}

/** Which edge the matrix runs against: the admin API, or the admin console's pages (user callers only). */
export type MatrixEdge = 'api' | 'console';

type Expected = { status: number; body?: 'missing-tenant' | 'missing-user' };

/** Who calls: a user holding a role (logging in through the pages), or a machine client with permissions. */
export type CallerSpec =
  | { kind: 'user'; tenant: 'reseller' | 'customer'; role: string }
  | { kind: 'client'; tenant: 'reseller' | 'customer'; label: string; permissions: Permission[] };

export const CALLER_TENANTS = { reseller: RESELLER, customer: CUSTOMER } as const;

export function definePrivilegeMatrix(
  title: string,
  specs: (catalogue: RoleCatalogue) => CallerSpec[],
  edge: MatrixEdge = 'api',
) {
  describe(title, () => {
    let server: TestServer;
    let roles: string[];
    const callers: ApiCaller[] = [];
    const consoleSessions: ConsoleSession[] = [];
    const targets: Target[] = [];
    let missingTenantBody: string;
    let missingUserBody: string;

    const permissionsOf = (held: Iterable<string>) =>
      server.runtime.services.roleCatalogue.permissionsFor([...held]);
    const holdsAll = (caller: ApiCaller, permissions: readonly string[]) =>
      permissions.every((permission) => caller.permissions.includes(permission as Permission));
    const reaches = (caller: ApiCaller, tenantId: string) =>
      tenantId === caller.tenantId ||
      (PARENT[tenantId] === caller.tenantId && caller.permissions.includes('customers:manage'));

    /** The rules, as documented: reach, permission, rank, ceiling. */
    function expected(caller: ApiCaller, target: Target, operation: Operation): Expected {
      if (!reaches(caller, target.tenantId)) return { status: 404, body: 'missing-tenant' };
      if (!caller.permissions.includes(operation.permission)) return { status: 403 };
      if (operation.ranked && !holdsAll(caller, permissionsOf(target.roles))) {
        return { status: 404, body: 'missing-user' };
      }
      const grants = operation.grants ?? [];
      if (grants.length > 0 && !caller.permissions.includes('roles:assign')) return { status: 403 };
      if (!holdsAll(caller, permissionsOf(grants))) return { status: 403 };
      return { status: operation.success };
    }

    function operationsOn(target: Target, callerIndex: number, targetIndex: number): Operation[] {
      const tenantPath = `/tenants/${target.tenantId}`;
      const userPath = `${tenantPath}/users/${target.userId}`;
      const roleOperations = roles.flatMap((role): Operation[] => {
        const put: Operation = {
          name: `PUT role ${role}`,
          method: 'PUT',
          path: `${userPath}/roles/${role}`,
          permission: 'roles:assign',
          ranked: true,
          grants: [role],
          success: 200,
          afterwards: (changed) => void changed.roles.add(role),
          console: { method: 'POST', path: `${userPath}/roles`, form: { role, change: 'assign' } },
        };
        const remove: Operation = {
          ...put,
          name: `DELETE role ${role}`,
          method: 'DELETE',
          afterwards: (changed) => void changed.roles.delete(role),
          console: { method: 'POST', path: `${userPath}/roles`, form: { role, change: 'revoke' } },
        };
        // Either order leaves the target with the roles it had, whatever was allowed.
        return target.roles.has(role) ? [remove, put] : [put, remove];
      });
      const throwaway = { id: '' };
      // The tenant's applications and registration tokens: once per tenant (at its target without a role),
      // as they know no rank.
      const clientOperations =
        target.role === ''
          ? operationsOnClients(
              server.runtime.services,
              target.tenantId,
              clientOf.get(target.tenantId)!,
              callerIndex,
            )
          : [];
      return [
        {
          name: 'GET tenant',
          method: 'GET',
          path: tenantPath,
          permission: 'tenants:read',
          success: 200,
          console: { method: 'GET', path: `${tenantPath}/settings` },
        },
        {
          name: 'PATCH tenant',
          method: 'PATCH',
          path: tenantPath,
          body: { name: `Tenant ${target.tenantId}` },
          permission: 'tenants:write',
          success: 200,
          console: {
            method: 'POST',
            path: `${tenantPath}/settings`,
            form: { name: `Tenant ${target.tenantId}`, mfaPolicy: 'optional', minPasswordLength: '' },
          },
        },
        {
          name: 'GET users',
          method: 'GET',
          path: `${tenantPath}/users`,
          permission: 'users:read',
          success: 200,
          console: { method: 'GET', path: `${tenantPath}/users` },
        },
        {
          name: 'GET audit events',
          method: 'GET',
          path: `${tenantPath}/audit-events`,
          permission: 'audit:read',
          success: 200,
          console: { method: 'GET', path: `${tenantPath}/audit` },
        },
        {
          name: 'GET user',
          method: 'GET',
          path: userPath,
          permission: 'users:read',
          success: 200,
          console: { method: 'GET', path: userPath },
        },
        {
          name: 'PATCH user',
          method: 'PATCH',
          path: userPath,
          body: { name: 'Renamed Person' },
          permission: 'users:write',
          ranked: true,
          success: 200,
          console: {
            method: 'POST',
            path: `${userPath}/edit`,
            form: {
              email: `target-${target.role || 'none'}@${target.tenantId}.example`,
              name: 'Renamed Person',
            },
          },
        },
        {
          name: 'PUT password',
          method: 'PUT',
          path: `${userPath}/password`,
          body: { password: STRONG_PASSWORD },
          permission: 'users:write',
          ranked: true,
          success: 204,
        },
        {
          name: 'disable',
          method: 'POST',
          path: `${userPath}/disable`,
          permission: 'users:write',
          ranked: true,
          success: 200,
          console: { method: 'POST', path: `${userPath}/disable`, form: { confirmed: 'yes' } },
        },
        {
          name: 'enable',
          method: 'POST',
          path: `${userPath}/enable`,
          permission: 'users:write',
          ranked: true,
          success: 200,
          console: { method: 'POST', path: `${userPath}/enable` },
        },
        {
          name: 'PUT link',
          method: 'PUT',
          path: `${userPath}/link`,
          get body() {
            return {
              upstreamId: upstreamOf(target.tenantId),
              subject: `matrix-${callerIndex}-${targetIndex}`,
            };
          },
          permission: 'users:write',
          ranked: true,
          success: 200,
        },
        {
          name: 'DELETE link',
          method: 'DELETE',
          path: `${userPath}/link`,
          permission: 'users:write',
          ranked: true,
          success: 204,
        },
        {
          name: 'DELETE mfa',
          method: 'DELETE',
          path: `${userPath}/mfa`,
          permission: 'users:write',
          ranked: true,
          success: 200,
          console: {
            method: 'POST',
            path: `${userPath}/mfa/reset`,
            form: { confirmed: 'yes', reason: 'privilege matrix' },
          },
        },
        ...roleOperations,
        ...clientOperations,
        {
          name: `POST user with ${target.role || 'no role'}`,
          method: 'POST',
          path: `${tenantPath}/users`,
          body: {
            username: `new-${callerIndex}-${targetIndex}`,
            email: `new-${callerIndex}-${targetIndex}@matrix.example`,
            password: STRONG_PASSWORD,
            roles: target.role ? [target.role] : [],
          },
          permission: 'users:write',
          grants: target.role ? [target.role] : [],
          success: 201,
          console: {
            method: 'POST',
            path: `${tenantPath}/users`,
            form: {
              username: `new-${callerIndex}-${targetIndex}`,
              email: `new-${callerIndex}-${targetIndex}@matrix.example`,
              ...(target.role ? { roles: target.role } : {}),
            },
          },
        },
        {
          name: `DELETE a user with ${target.role || 'no role'}`,
          method: 'DELETE',
          get path() {
            return `${tenantPath}/users/${throwaway.id}`;
          },
          get console() {
            return {
              method: 'POST' as const,
              path: `${tenantPath}/users/${throwaway.id}/delete`,
              form: { confirmed: 'yes' },
            };
          },
          permission: 'users:write',
          ranked: true,
          success: 204,
          prepare: async () => {
            const user = await seedUser(
              server.runtime.services,
              target.tenantId,
              `gone-${callerIndex}-${targetIndex}`,
              { roles: target.role ? [target.role] : [] },
            );
            throwaway.id = user.id;
          },
        },
      ];
    }

    /** The upstream (Reseller Portal) of each reseller, which serves it and its customers. */
    const upstreams = new Map<string, string>();
    /** An application of each tenant, to read and rotate. */
    const clientOf = new Map<string, string>();
    const upstreamOf = (tenantId: string) => upstreams.get(PARENT[tenantId] ?? tenantId)!;

    before(async () => {
      server = await startTestServer();
      const { services } = server.runtime;
      roles = services.roleCatalogue.roleNames();
      await createTenant(services, { id: RESELLER, name: 'Reseller One', kind: 'reseller' });
      await createTenant(services, { id: OTHER_RESELLER, name: 'Reseller Two', kind: 'reseller' });
      for (const reseller of [RESELLER, OTHER_RESELLER]) {
        const upstream = await services.upstreams.create({
          tenantId: reseller,
          name: 'Reseller Portal',
          issuer: `https://portal.${reseller}.example`,
          clientId: 'usp-idp',
          clientSecret: 'matrix secret',
        });
        upstreams.set(reseller, upstream.id);
      }
      for (const [id, parent] of Object.entries(PARENT)) {
        if (parent) await createTenant(services, { id, name: `Customer ${id}`, parentId: parent });
      }
      for (const tenantId of Object.keys(PARENT)) {
        const { client } = await services.tenantClients.create(OPERATOR, tenantId, {
          name: `Application of ${tenantId}`,
          redirectUris: [],
          grantTypes: ['client_credentials'],
        });
        clientOf.set(tenantId, client.id);
        for (const role of ['', ...roles]) {
          const user = await seedUser(services, tenantId, `target-${role || 'none'}`, {
            roles: role ? [role] : [],
          });
          targets.push({ tenantId, userId: user.id, role, roles: new Set(role ? [role] : []) });
        }
      }
      if (edge === 'console') {
        for (const spec of specs(services.roleCatalogue)) {
          if (spec.kind !== 'user') continue;
          const signedIn = await consoleCaller(server.url, services, CALLER_TENANTS[spec.tenant], spec.role);
          callers.push(signedIn.caller);
          consoleSessions.push(signedIn.session);
        }
        const anyone = consoleSessions[0]!.browser;
        missingTenantBody = (await anyone.get('/admin/tenants/does-not-exist/users')).body;
        missingUserBody = CONSOLE_USER_GONE;
        return;
      }
      const rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
      for (const spec of specs(services.roleCatalogue)) {
        const tenantId = CALLER_TENANTS[spec.tenant];
        callers.push(
          spec.kind === 'user'
            ? await userCaller(server.url, services, rp, tenantId, spec.role, `caller-${spec.role}`)
            : await clientCaller(server.url, services, tenantId, spec.label, spec.permissions),
        );
      }
      const anyToken = callers[0]!.token;
      missingTenantBody = (await api(server.url, anyToken, 'GET', '/tenants/does-not-exist')).text;
      missingUserBody = (
        await api(
          server.url,
          anyToken,
          'GET',
          `/tenants/${callers[0]!.tenantId}/users/${crypto.randomUUID()}`,
        )
      ).text;
    });

    /** The operation on the edge under test, answered as status, content type and body. */
    async function perform(callerIndex: number, operation: Operation): Promise<ApiAnswer> {
      const caller = callers[callerIndex]!;
      if (edge === 'api') {
        return api(server.url, caller.token, operation.method, operation.path, operation.body);
      }
      return onConsole(consoleSessions[callerIndex]!, operation.console!);
    }

    /** What the edge under test answers for `want`: the console shows pages and redirects after forms. */
    function onEdge(caller: ApiCaller, operation: Operation, want: Expected): Expected {
      if (edge === 'api') return want;
      if (!consoleAdmits(caller.permissions)) return { status: 403 };
      if (want.status < 400)
        return { status: operation.console!.success ?? (operation.console!.method === 'GET' ? 200 : 303) };
      return want;
    }
    after(() => server.close());

    it('has a target with each role of the catalogue in every tenant', () => {
      assert.equal(targets.length, Object.keys(PARENT).length * (roles.length + 1));
    });

    const callerCount = specs(DEFAULT_CATALOGUE).length;
    for (let callerIndex = 0; callerIndex < callerCount; callerIndex++) {
      it(`caller #${callerIndex + 1}: every route and target answers as the rules say`, async () => {
        const caller = callers[callerIndex];
        if (!caller) return assert.fail(`no caller #${callerIndex + 1}`);
        const { db } = server.runtime;
        let baseline = await dumpAdministrableTables(db);
        // Refused requests since the last check: the database must still equal `baseline`.
        let unchecked: string[] = [];
        const checkUnchanged = async () => {
          if (unchecked.length === 0) return;
          const unchanged = (await dumpAdministrableTables(db)) === baseline;
          assert.ok(unchanged, `the database changed after refusing: ${unchecked.join('; ')}`);
          unchecked = [];
        };
        let refused = 0;
        let allowed = 0;
        for (const [targetIndex, target] of targets.entries()) {
          for (const operation of operationsOn(target, callerIndex, targetIndex)) {
            if (edge === 'console' && !operation.console) continue;
            if (operation.prepare) {
              await checkUnchanged();
              await operation.prepare();
              baseline = await dumpAdministrableTables(db);
            }
            const want = onEdge(caller, operation, expected(caller, target, operation));
            if (want.status < 400) await checkUnchanged();
            const answer: ApiAnswer = await perform(callerIndex, operation);
            const where: string = `${caller.label} → ${operation.name} on ${target.role || 'no-role'} user of ${target.tenantId}`;
            assert.equal(answer.status, want.status, `${where}: ${answer.text}`);
            if (want.status >= 400) {
              refused += 1;
              const problemType =
                edge === 'api' ? 'application/problem+json; charset=utf-8' : 'text/html; charset=utf-8';
              assert.equal(answer.contentType, problemType, where);
              if (want.body === 'missing-tenant') assert.equal(answer.text, missingTenantBody, where);
              if (want.body === 'missing-user' && edge === 'api')
                assert.equal(answer.text, missingUserBody, where);
              if (want.body === 'missing-user' && edge === 'console')
                assert.match(answer.text, new RegExp(`<h1>${CONSOLE_USER_GONE}</h1>`), where);
              unchecked.push(where);
            } else {
              allowed += 1;
              operation.afterwards?.(target);
              baseline = await dumpAdministrableTables(db);
            }
          }
        }
        await checkUnchanged();
        assert.ok(refused > 0 || caller.permissions.length === 0, 'some requests were refused');
        assert.ok(allowed + refused > targets.length * 10);
      });
    }

    if (edge === 'console') return;
    it('lists and creates tenants as the rules say', async () => {
      for (const caller of callers) {
        const listed = await api(server.url, caller.token, 'GET', '/tenants');
        if (!caller.permissions.includes('tenants:read')) {
          assert.equal(listed.status, 403, caller.label);
          continue;
        }
        const ids = listed.json<{ items: Array<{ id: string }> }>().items.map((tenant) => tenant.id);
        const reachable = Object.keys(PARENT).filter((tenantId) => reaches(caller, tenantId));
        assert.deepEqual(
          ids.filter((id) => id in PARENT).sort(),
          reachable.sort(),
          `${caller.label} lists exactly what it reaches`,
        );
        const created = await api(server.url, caller.token, 'POST', '/tenants', { name: 'New Customer' });
        const mayCreate =
          caller.tenantId === RESELLER &&
          caller.permissions.includes('tenants:write') &&
          caller.permissions.includes('customers:manage');
        assert.equal(created.status, mayCreate ? 201 : 403, `${caller.label}: ${created.text}`);
      }
    });
  });
}
