import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../config/config.js';

describe('configuration', () => {
  it('uses documented defaults: port 3000, localhost issuer, SQLite in ./data', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.issuer, 'http://localhost:3000');
    assert.equal(config.dataDir, path.resolve('data'));
    assert.equal(config.databaseUrl, `sqlite:${path.resolve('data', 'idp.sqlite')}`);
    assert.equal(config.demo, true);
    assert.equal(config.bcryptCost, 12);
  });

  it('treats empty variables as unset', () => {
    assert.equal(loadConfig({ PORT: '', ISSUER: '' }).port, 3000);
  });

  it('lists every invalid setting at once', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        ISSUER: 'ftp://idp',
        BCRYPT_COST: '3',
        DEMO: 'maybe',
        DATABASE_URL: 'mysql://x',
      });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      const names = error.problems.map((problem) => problem.split(':')[0]);
      assert.deepEqual(names.sort(), ['BCRYPT_COST', 'DATABASE_URL', 'DEMO', 'ISSUER', 'PORT']);
    }
  });

  it('refuses a bcrypt cost below 10 in production and an issuer with a trailing slash', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', BCRYPT_COST: '8' }),
      /BCRYPT_COST: must be at least 10/,
    );
    assert.throws(
      () => loadConfig({ ISSUER: 'https://id.example.com/' }),
      /ISSUER: must not end with a slash/,
    );
    assert.equal(loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4' }).bcryptCost, 4);
  });
});

describe('password hashing threads', () => {
  it('are as many as the cores, at most 4, unless set', () => {
    assert.equal(loadConfig({}).hashConcurrency, Math.min(os.availableParallelism(), 4));
    assert.equal(loadConfig({ HASH_CONCURRENCY: '6' }).hashConcurrency, 6);
    assert.throws(() => loadConfig({ HASH_CONCURRENCY: '0' }), /HASH_CONCURRENCY/);
  });
});

describe('role catalogue', () => {
  const writeRoles = (roles: unknown) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roles-')), 'roles.json');
    fs.writeFileSync(file, JSON.stringify(roles));
    return file;
  };

  it('has admin (MFA required), developer, user and reseller-admin by default', () => {
    const { roles } = loadConfig({});
    assert.deepEqual(Object.keys(roles).sort(), ['admin', 'developer', 'reseller-admin', 'user']);
    assert.equal(roles.admin!.mfa, 'required');
    assert.ok(roles['reseller-admin']!.permissions.includes('tenants:write'));
    assert.deepEqual(roles.developer, {
      description: "Registers and manages the tenant's OIDC clients",
      permissions: ['clients:read', 'clients:write'],
      mfa: 'required',
    });
    // An admin can hand out developer: it holds every permission the role grants.
    assert.ok(
      roles.developer.permissions.every((permission) => roles.admin!.permissions.includes(permission)),
    );
  });

  it('loads a catalogue from ROLES_FILE', () => {
    const file = writeRoles([
      { name: 'auditor', description: 'Reads the audit trail', permissions: ['audit:read'], mfa: 'optional' },
    ]);
    assert.deepEqual(loadConfig({ ROLES_FILE: file }).roles, {
      auditor: { description: 'Reads the audit trail', permissions: ['audit:read'], mfa: 'optional' },
    });
  });

  it('stops the start on an unknown permission or a duplicate role, naming them', () => {
    const file = writeRoles([
      { name: 'alpha', description: 'x', permissions: ['launch:missiles'], mfa: 'optional' },
      { name: 'beta', description: 'x', permissions: [], mfa: 'optional' },
      { name: 'beta', description: 'y', permissions: [], mfa: 'required' },
    ]);
    assert.throws(
      () => loadConfig({ ROLES_FILE: file }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /unknown permission "launch:missiles"/);
        assert.match(error.message, /duplicate role "beta"/);
        return true;
      },
    );
    assert.throws(
      () => loadConfig({ ROLES_FILE: '/nonexistent/roles.json' }),
      /ROLES_FILE \/nonexistent\/roles.json/,
    );
  });
});
