import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (table) => {
    // True once the user opened a verification link sent to this address; any other change resets it.
    table.boolean('email_verified').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('email_verification_tokens', (table) => {
    table.increments('id').primary();
    table.string('tenant_id', 64).notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    // The address the link confirms: the user's current one, or the one they asked to change to.
    table.string('email', 320).notNullable();
    // SHA-256 of the token; the token itself exists only in the e-mail.
    table.string('token_hash', 64).notNullable().unique();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('expires_at').notNullable();
    // Set when the link is used, or when a newer request voids it.
    table.bigInteger('used_at');
    table.index(['tenant_id', 'user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('email_verification_tokens');
  await knex.schema.alterTable('users', (table) => table.dropColumn('email_verified'));
}
