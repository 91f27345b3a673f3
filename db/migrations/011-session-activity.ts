import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // What oidc-provider does not keep about an SSO session: when this browser started it, when it last
  // used it, and from where. One row per session uid; times are epoch milliseconds.
  await knex.schema.createTable('session_activity', (table) => {
    table.string('uid', 128).primary();
    table.string('tenant_id', 64).notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.uuid('account_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    table.bigInteger('created_at').notNullable();
    table.bigInteger('last_used_at').notNullable();
    table.string('ip', 64);
    table.string('user_agent', 300);
    // The session row's own expiry, copied on every use; the sweeper removes the row after it.
    table.bigInteger('expires_at');
    table.index(['account_id']);
    table.index(['expires_at']);
  });

  await knex.schema.alterTable('audit_events', (table) => {
    // One user's recent sign-ins (the account page), without reading the whole tenant's trail.
    table.index(['tenant_id', 'subject']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (table) => {
    table.dropIndex(['tenant_id', 'subject']);
  });
  await knex.schema.dropTableIfExists('session_activity');
}
