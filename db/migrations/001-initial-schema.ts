import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (table) => {
    table.string('id', 64).primary();
    table.string('name', 200).notNullable();
    table.string('status', 16).notNullable().defaultTo('active');
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('users', (table) => {
    table.uuid('id').primary();
    table.string('tenant_id', 64).notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.string('username', 100).notNullable();
    table.string('email', 320).notNullable();
    table.string('display_name', 200);
    table.string('password_hash', 100).notNullable();
    table.string('status', 16).notNullable().defaultTo('active');
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.unique(['tenant_id', 'username']);
    table.unique(['tenant_id', 'email']);
  });

  await knex.schema.createTable('user_roles', (table) => {
    table.string('tenant_id', 64).notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    table.string('role', 64).notNullable();
    table.bigInteger('created_at').notNullable();
    table.primary(['user_id', 'role']);
    table.index(['tenant_id', 'role']);
  });

  await knex.schema.createTable('clients', (table) => {
    table.string('id', 64).primary();
    table.string('tenant_id', 64).references('id').inTable('tenants').onDelete('CASCADE');
    table.string('name', 200).notNullable();
    table.string('secret_hash', 128);
    table.text('metadata').notNullable();
    table.boolean('first_party').notNullable().defaultTo(false);
    table.text('require_roles').notNullable().defaultTo('[]');
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
  });

  // oidc-provider models (sessions, interactions, grants, codes, tokens…) share one table.
  await knex.schema.createTable('oidc_payloads', (table) => {
    table.string('type', 48).notNullable();
    table.string('id', 128).notNullable();
    table.text('payload').notNullable();
    table.string('grant_id', 128);
    table.string('uid', 128);
    table.string('user_code', 128);
    table.string('account_id', 128);
    table.bigInteger('expires_at');
    table.bigInteger('consumed_at');
    table.primary(['type', 'id']);
    table.index(['grant_id']);
    table.index(['type', 'uid']);
    table.index(['account_id']);
    table.index(['expires_at']);
  });

  // Signing and cookie keys, sealed with the master key. One row per key; a generation groups a rotation.
  await knex.schema.createTable('keys', (table) => {
    table.string('id', 128).primary();
    table.string('purpose', 16).notNullable();
    table.string('alg', 16).notNullable();
    table.integer('generation').notNullable();
    table.text('sealed_material').notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('retired_at');
    table.unique(['purpose', 'alg', 'generation']);
  });

  // One-time facts about this installation, such as "the demo was seeded".
  await knex.schema.createTable('installation_facts', (table) => {
    table.string('name', 64).primary();
    table.bigInteger('recorded_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'installation_facts',
    'keys',
    'oidc_payloads',
    'clients',
    'user_roles',
    'users',
    'tenants',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
