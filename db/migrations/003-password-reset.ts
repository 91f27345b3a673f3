import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (table) => {
    // Null: the deployment's PASSWORD_MIN_LENGTH applies.
    table.integer('min_password_length');
  });

  await knex.schema.createTable('password_reset_tokens', (table) => {
    table.increments('id').primary();
    table.string('tenant_id', 64).notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    // SHA-256 of the token; the token itself exists only in the e-mail.
    table.string('token_hash', 64).notNullable().unique();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('expires_at').notNullable();
    // Set when the token is used, or when a newer request voids it.
    table.bigInteger('used_at');
    table.index(['tenant_id', 'user_id']);
  });

  // rate-limiter-flexible's schema (the same for its SQLite and PostgreSQL stores), shared by all limiters.
  await knex.schema.createTable('rate_limits', (table) => {
    table.string('key', 255).primary();
    table.integer('points').notNullable().defaultTo(0);
    table.bigInteger('expire');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('rate_limits');
  await knex.schema.dropTableIfExists('password_reset_tokens');
  await knex.schema.alterTable('tenants', (table) => table.dropColumn('min_password_length'));
}
