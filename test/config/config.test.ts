import assert from 'node:assert/strict';
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
