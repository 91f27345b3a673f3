import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (table) => {
    table.string('mfa_policy', 16).notNullable().defaultTo('optional');
  });
  await knex.schema.alterTable('clients', (table) => {
    table.boolean('require_mfa').notNullable().defaultTo(false);
  });

  // An active TOTP credential. A pending (unconfirmed) secret never lands here: it lives, sealed, in the
  // login interaction until a valid code confirms it.
  await knex.schema.createTable('totp_credentials', (table) => {
    table.uuid('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    table.string('tenant_id', 64).notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.text('sealed_secret').notNullable();
    table.bigInteger('confirmed_at').notNullable();
    // The last accepted time step: codes from it or earlier are refused (replay protection).
    table.bigInteger('last_used_step').notNullable();
  });

  await knex.schema.createTable('recovery_codes', (table) => {
    table.increments('id').primary();
    table.string('tenant_id', 64).notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    table.string('code_hash', 64).notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('used_at');
    table.unique(['user_id', 'code_hash']);
  });

  // Consecutive wrong second-factor codes per user, across interactions and instances.
  await knex.schema.createTable('second_factor_failures', (table) => {
    table.uuid('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    table.string('tenant_id', 64).notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.integer('failures').notNullable();
    table.bigInteger('last_failure_at').notNullable();
  });

  await knex.schema.createTable('audit_events', (table) => {
    table.bigIncrements('id').primary();
    table.string('tenant_id', 64).notNullable();
    table.string('type', 64).notNullable();
    table.string('actor', 200);
    table.string('subject', 200);
    table.string('ip', 64);
    table.string('user_agent', 300);
    table.text('details').notNullable().defaultTo('{}');
    table.bigInteger('created_at').notNullable();
    table.index(['tenant_id', 'created_at']);
    table.index(['tenant_id', 'type']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['audit_events', 'second_factor_failures', 'recovery_codes', 'totp_credentials']) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.schema.alterTable('clients', (table) => table.dropColumn('require_mfa'));
  await knex.schema.alterTable('tenants', (table) => table.dropColumn('mfa_policy'));
}
