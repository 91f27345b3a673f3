import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // When a generation starts to sign. Until then it is only published, so every instance and every
  // relying party's JWKS cache knows it before the first token it signs arrives.
  await knex.schema.alterTable('keys', (table) => {
    table.bigInteger('activates_at');
  });
  await knex('keys').update({ activates_at: knex.ref('created_at') });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('keys', (table) => {
    table.dropColumn('activates_at');
  });
}
