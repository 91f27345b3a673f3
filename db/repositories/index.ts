import type { Database } from '../knex.js';
import { AuditRepository } from './audit-repository.js';
import { ClientRepository } from './client-repository.js';
import { EmailVerificationRepository } from './email-verification-repository.js';
import { InstallationFactRepository } from './installation-fact-repository.js';
import { KeyRepository } from './key-repository.js';
import { MfaRepository } from './mfa-repository.js';
import { OidcPayloadRepository } from './oidc-payload-repository.js';
import { PasskeyRepository } from './passkey-repository.js';
import { PasswordResetRepository } from './password-reset-repository.js';
import { RoleRepository } from './role-repository.js';
import { SecondFactorFailureRepository } from './second-factor-failure-repository.js';
import { SessionActivityRepository } from './session-activity-repository.js';
import { TenantRepository } from './tenant-repository.js';
import { UpstreamRepository } from './upstream-repository.js';
import { UserRepository } from './user-repository.js';

export interface Repositories {
  tenants: TenantRepository;
  users: UserRepository;
  roles: RoleRepository;
  clients: ClientRepository;
  oidcPayloads: OidcPayloadRepository;
  keys: KeyRepository;
  installationFacts: InstallationFactRepository;
  mfa: MfaRepository;
  passkeys: PasskeyRepository;
  secondFactorFailures: SecondFactorFailureRepository;
  audit: AuditRepository;
  passwordResets: PasswordResetRepository;
  sessionActivity: SessionActivityRepository;
  emailVerifications: EmailVerificationRepository;
  upstreams: UpstreamRepository;
  /**
   * Runs `work` in one transaction with repositories bound to it: all of its writes land, or none.
   * Inside, use only the repositories passed in (SQLite has a single connection, held by the transaction).
   */
  inTransaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}

export function createRepositories(db: Database): Repositories {
  return {
    tenants: new TenantRepository(db),
    users: new UserRepository(db),
    roles: new RoleRepository(db),
    clients: new ClientRepository(db),
    oidcPayloads: new OidcPayloadRepository(db),
    keys: new KeyRepository(db),
    installationFacts: new InstallationFactRepository(db),
    mfa: new MfaRepository(db),
    passkeys: new PasskeyRepository(db),
    secondFactorFailures: new SecondFactorFailureRepository(db),
    audit: new AuditRepository(db),
    passwordResets: new PasswordResetRepository(db),
    sessionActivity: new SessionActivityRepository(db),
    emailVerifications: new EmailVerificationRepository(db),
    upstreams: new UpstreamRepository(db),
    inTransaction: (work) => db.transaction((trx) => work(createRepositories(trx))),
  };
}

export { isGrantableType } from './oidc-payload-repository.js';
