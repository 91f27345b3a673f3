import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (table) => {
    // Registered through RFC 7591 by a developer and managed with a registration access token (RFC 7592);
    // only these rows may be changed or deleted through /reg.
    table.boolean('registered').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (table) => table.dropColumn('registered'));
}
