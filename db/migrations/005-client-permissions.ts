import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (table) => {
    // Permissions a machine client (client_credentials) holds in its tenant: its grant, since it has no roles.
    table.text('permissions').notNullable().defaultTo('[]');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (table) => table.dropColumn('permissions'));
}
