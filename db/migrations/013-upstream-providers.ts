import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // OpenID providers upstream (the Reseller Portal), one per reseller (or standalone) tenant.
  await knex.schema.createTable('upstream_providers', (table) => {
    table.string('id', 64).primary();
    table.string('tenant_id', 64).notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.string('name', 100).notNullable();
    table.string('issuer', 2048).notNullable();
    table.string('client_id', 255).notNullable();
    // Sealed with the master key, like the signing keys.
    table.text('sealed_client_secret').notNullable();
    table.string('portal_url', 2048);
    // Space-separated acr values of the upstream that prove a second factor (besides amr mfa/otp).
    table.string('mfa_acr_values', 1024);
    table.bigInteger('created_at').notNullable();
    table.unique(['tenant_id']);
  });

  // A local user tied to one upstream subject. Never matched by e-mail.
  await knex.schema.createTable('user_links', (table) => {
    table.uuid('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    table.string('tenant_id', 64).notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table
      .string('upstream_id', 64)
      .notNullable()
      .references('id')
      .inTable('upstream_providers')
      .onDelete('CASCADE');
    table.string('subject', 255).notNullable();
    table.bigInteger('created_at').notNullable();
    table.unique(['tenant_id', 'upstream_id', 'subject']);
    table.index(['upstream_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('user_links');
  await knex.schema.dropTableIfExists('upstream_providers');
}
