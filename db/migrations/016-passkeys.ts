import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A WebAuthn credential (passkey or security key) of a user. Only the public key is kept.
  await knex.schema.createTable('passkeys', (table) => {
    table.uuid('id').primary();
    table.string('tenant_id', 64).notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    // base64url, as the browser reports it; unique across the installation (a sign-in finds it by this).
    table.string('credential_id', 1400).notNullable().unique();
    table.text('public_key').notNullable();
    // The authenticator's signature counter: one that goes backwards is refused as a possible clone.
    table.bigInteger('counter').notNullable();
    table.string('transports', 200).notNullable().defaultTo('');
    table.string('name', 64).notNullable();
    // 'singleDevice' (a security key, a TPM) or 'multiDevice' (a synced passkey).
    table.string('device_type', 16).notNullable();
    table.boolean('backed_up').notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('last_used_at');
    table.index(['tenant_id', 'user_id']);
  });

  // A WebAuthn challenge, single-use and short-lived, bound server-side to where it was issued (a login
  // interaction or an account-page session), and for a second factor to the tenant and user.
  await knex.schema.createTable('passkey_challenges', (table) => {
    table.string('challenge', 128).primary();
    table.string('purpose', 16).notNullable();
    table.string('binding', 200).notNullable();
    table.string('tenant_id', 64);
    table.uuid('user_id');
    table.bigInteger('expires_at').notNullable().index();
  });

  // Whether the tenant's administrators must use a phishing-resistant second factor (a passkey).
  await knex.schema.alterTable('tenants', (table) => {
    table.string('mfa_phishing_resistant', 16).notNullable().defaultTo('optional');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (table) => table.dropColumn('mfa_phishing_resistant'));
  await knex.schema.dropTableIfExists('passkey_challenges');
  await knex.schema.dropTableIfExists('passkeys');
}
