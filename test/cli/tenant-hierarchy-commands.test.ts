import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CliRunner } from '../support/cli-runner.js';

describe('CLI: resellers and their customer tenants', () => {
  const cli = new CliRunner();

  before(async () => {
    assert.equal(
      (
        await cli.run([
          'tenant',
          'create',
          '--id',
          'reseller-1',
          '--name',
          'Reseller One',
          '--kind',
          'reseller',
        ])
      ).code,
      0,
    );
    assert.equal(
      (
        await cli.run([
          'tenant',
          'create',
          '--id',
          'reseller-2',
          '--name',
          'Reseller Two',
          '--kind',
          'reseller',
        ])
      ).code,
      0,
    );
  });

  it("creates customer tenants under a reseller and lists a reseller's customers only", async () => {
    for (const [id, parent] of [
      ['111.sms', 'reseller-1'],
      ['112.sms', 'reseller-1'],
      ['211.sms', 'reseller-2'],
    ] as const) {
      const created = await cli.run([
        'tenant',
        'create',
        '--id',
        id,
        '--name',
        id,
        '--parent',
        parent,
        '--json',
      ]);
      assert.equal(created.code, 0, created.stderr);
      assert.deepEqual(
        (({ kind, parentId }) => ({ kind, parentId }))(created.json<{ kind: string; parentId: string }>()),
        { kind: 'customer', parentId: parent },
      );
    }
    const customers = await cli.run(['tenant', 'list', '--parent', 'reseller-1', '--json']);
    assert.deepEqual(
      customers.json<Array<{ id: string }>>().map((tenant) => tenant.id),
      ['111.sms', '112.sms'],
    );
  });

  it('refuses a parent that is not a reseller, a reseller with a parent, and unknown kinds', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['tenant', 'create', '--id', '113.sms', '--name', 'x', '--parent', '111.sms'], 2, /is not a reseller/],
      [
        [
          'tenant',
          'create',
          '--id',
          'reseller-3',
          '--name',
          'x',
          '--kind',
          'reseller',
          '--parent',
          'reseller-1',
        ],
        2,
        /cannot have a parent/,
      ],
      [
        ['tenant', 'create', '--id', '114.sms', '--name', 'x', '--kind', 'franchise'],
        2,
        /Invalid tenant kind/,
      ],
      [['tenant', 'create', '--id', '115.sms', '--name', 'x', '--parent', 'nobody'], 1, /does not exist/],
    ];
    for (const [argv, code, message] of cases) {
      const result = await cli.run(argv);
      assert.equal(result.code, code, argv.join(' '));
      assert.match(result.stderr, message);
    }
    assert.equal((await cli.run(['tenant', 'show', '113.sms'])).code, 1, 'nothing was created');
  });
});
