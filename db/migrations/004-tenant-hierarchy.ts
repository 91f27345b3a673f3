import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (table) => {
    // `reseller` tenants own `customer` tenants; a customer belongs to at most one reseller.
    table.string('kind', 16).notNullable().defaultTo('customer');
    table.string('parent_id', 64).references('id').inTable('tenants').onDelete('RESTRICT');
    table.index(['parent_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (table) => {
    table.dropIndex(['parent_id']);
    table.dropForeign(['parent_id']);
    table.dropColumn('parent_id');
    table.dropColumn('kind');
  });
}
