import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (table) => {
    // The language the user chose on the account page: it outranks the language of their latest login.
    table.string('preferred_locale', 8);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (table) => {
    table.dropColumn('preferred_locale');
  });
}
