import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../config/config.js';
import { ipBucket } from '../../src/domain/throttle/ip-bucket.js';
import { clientAddressResolver } from '../../src/http/client-address.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { auditEvents } from '../support/operator.js';
import { openAuthorization, RelyingParty, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const trust = (value: string | undefined) =>
  loadConfig({ NODE_ENV: 'test', ...(value === undefined ? {} : { TRUST_PROXY: value }) }).trustProxy;

describe('the client address', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const resolve = clientAddressResolver(trust(undefined));
    assert.equal(resolve('10.0.0.5', '203.0.113.9'), '10.0.0.5');
    assert.equal(clientAddressResolver(trust('false'))('::ffff:10.0.0.5', '1.1.1.1'), '10.0.0.5');
  });

  it('is the address the last trusted hop saw, never an entry the client wrote on the left', () => {
    const oneHop = clientAddressResolver(trust('1'));
    assert.equal(oneHop('10.0.0.5', '192.0.2.7'), '192.0.2.7');
    assert.equal(oneHop('10.0.0.5', '203.0.113.66, 192.0.2.7'), '192.0.2.7', 'the forged entry is ignored');
    assert.equal(clientAddressResolver(trust('true'))('10.0.0.5', '203.0.113.66, 192.0.2.7'), '192.0.2.7');
    const twoHops = clientAddressResolver(trust('2'));
    assert.equal(twoHops('10.0.0.5', '203.0.113.66, 192.0.2.7, 10.0.0.9'), '192.0.2.7');
    assert.equal(twoHops('10.0.0.5', ''), '10.0.0.5', 'no header: the peer');
  });

  it('skips trusted proxy networks from the right, and trusts the header only from them', () => {
    const networks = clientAddressResolver(trust('10.0.0.0/8, fd00::/8'));
    assert.equal(networks('10.0.0.5', '203.0.113.66, 192.0.2.7, 10.1.1.1'), '192.0.2.7');
    assert.equal(networks('fd00::5', '2001:db8::1'), '2001:db8::1');
    assert.equal(
      networks('198.51.100.1', '192.0.2.7'),
      '198.51.100.1',
      'an untrusted peer’s header is ignored',
    );
    assert.equal(networks('10.0.0.5', '10.0.0.6, 10.0.0.7'), '10.0.0.6', 'all trusted: the leftmost');
  });

  it('ignores a header with anything but addresses in it, and reads ports and brackets', () => {
    const oneHop = clientAddressResolver(trust('1'));
    for (const bad of ['not-an-ip', '192.0.2.7, evil', '192.0.2.7;x', '<script>', '999.1.1.1']) {
      assert.equal(oneHop('10.0.0.5', bad), '10.0.0.5', bad);
    }
    assert.equal(oneHop('10.0.0.5', '192.0.2.7:4711'), '192.0.2.7');
    assert.equal(oneHop('10.0.0.5', '[2001:db8::7]:4711'), '2001:db8::7');
  });

  it('refuses a TRUST_PROXY that is neither a switch, a hop count nor a list of networks', () => {
    for (const value of ['maybe', '10.0.0.0/33', '11', 'fd00::/129,']) {
      assert.throws(() => trust(value), ConfigError, value);
    }
  });

  it('counts IPv6 clients by their /64 and IPv4-mapped addresses as IPv4', () => {
    assert.equal(ipBucket('2001:db8:1:2:aaaa::1'), ipBucket('2001:db8:1:2:bbbb::ffff'));
    assert.notEqual(ipBucket('2001:db8:1:2::1'), ipBucket('2001:db8:1:3::1'));
    assert.equal(ipBucket('2001:0db8:0001:0002::1'), '2001:db8:1:2::/64');
    assert.equal(ipBucket('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(ipBucket('192.0.2.7'), '192.0.2.7');
  });
});

describe('throttling behind a proxy', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let victim: SeededUser;

  before(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: '1' } });
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
    victim = await seedUser(server.runtime.services, '630001.sms', 'proxied');
  });
  after(() => server.close());

  it('does not let a client escape the per-address limit by rotating the leftmost X-Forwarded-For entry', async () => {
    const wrong = { ...victim, password: 'rotating my claimed address' };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      // The client writes "203.0.113.i"; our proxy appends the address it really saw.
      const browser = new Browser(server.url, { 'x-forwarded-for': `203.0.113.${i + 1}, 192.0.2.77` });
      const page = await openAuthorization(browser, await rp.authorizationRequest());
      statuses.push((await submitLoginForm(browser, page, wrong)).status);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
    assert.equal(statuses[10], 429, 'the 11th attempt from the same real address is throttled');
    const failures = (await auditEvents(server.runtime.services, '630001.sms', 100)).filter(
      (event) => event.type === 'login.failed',
    );
    assert.ok(failures.length >= 10);
    assert.ok(
      failures.every((event) => event.ip === '192.0.2.77'),
      'the audit trail records the real address, not the invented ones',
    );
  });
});
