import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oidc_payloads', (table) => {
    // The client a grant, code or token belongs to, so deleting a client ends what it was issued.
    table.string('client_id', 128);
    table.index(['client_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oidc_payloads', (table) => {
    table.dropIndex(['client_id']);
    table.dropColumn('client_id');
  });
}
