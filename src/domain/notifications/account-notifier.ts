import type { TenantRecord } from '../tenants/tenant.js';
import type { UserRecord } from '../users/user.js';

export type { Locale } from '../shared/locale.js';
import type { Locale } from '../shared/locale.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** What happened to a user's second factor, for the notice they get about it. */
export type SecondFactorChange =
  'enabled' | 'reset' | 'replaced' | 'recoveryCodes' | 'disabled' | 'passkeyAdded' | 'passkeyRemoved';

/** Why a mail is sent, and for which tenant: delivery failures are logged, counted and audited with it. */
export interface MailPurpose {
  tenantId: string;
  subject: string;
  kind:
    | 'password_reset'
    | 'invitation'
    | 'password_changed'
    | 'second_factor_changed'
    | 'email_verification'
    | 'email_change_requested'
    | 'password_managed_upstream'
    | 'account_linked';
}

/** Hands a mail over for delivery. It never throws and never waits for the mail server. */
export interface Mailer {
  deliver(message: MailMessage, purpose: MailPurpose): void;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

/** The wording of each mail, in English and German. */
export interface MailTemplates {
  passwordReset(
    data: { name: string; tenantName: string; link: string; validMinutes: number },
    locale: Locale,
  ): ComposedMail;
  invitation(
    data: { name: string; tenantName: string; username: string; link: string; validDays: number },
    locale: Locale,
  ): ComposedMail;
  passwordChanged(data: { name: string; tenantName: string; when: Date }, locale: Locale): ComposedMail;
  secondFactorChanged(
    data: { name: string; tenantName: string; when: Date; change: SecondFactorChange },
    locale: Locale,
  ): ComposedMail;
  emailVerification(
    data: { name: string; tenantName: string; email: string; link: string; validHours: number },
    locale: Locale,
  ): ComposedMail;
  emailChangeRequested(
    data: { name: string; tenantName: string; newEmail: string; when: Date },
    locale: Locale,
  ): ComposedMail;
  passwordManagedUpstream(
    data: { name: string; tenantName: string; upstreamName: string; portalUrl: string },
    locale: Locale,
  ): ComposedMail;
  accountLinked(
    data: { name: string; tenantName: string; upstreamName: string; portalUrl: string; when: Date },
    locale: Locale,
  ): ComposedMail;
}

type Recipient = Pick<UserRecord, 'id' | 'email' | 'username' | 'displayName'> & {
  locale?: Locale | null;
  preferredLocale?: Locale | null;
};

/**
 * The mails an account receives about its credentials. A mail the person asked for on a page is written
 * in that page's language; a notice about something done to the account, in the language of the user's
 * latest login (or the deployment's default).
 */
export class AccountNotifier {
  constructor(
    private readonly mailer: Mailer,
    private readonly templates: MailTemplates,
    private readonly defaultLocale: Locale,
  ) {}

  #localeOf(user: Recipient, requested: Locale | undefined): Locale {
    return requested ?? user.preferredLocale ?? user.locale ?? this.defaultLocale;
  }

  passwordResetLink(
    user: Recipient,
    tenant: TenantRecord,
    link: string,
    validMinutes: number,
    locale: Locale,
  ) {
    const mail = this.templates.passwordReset(
      { name: user.displayName ?? user.username, tenantName: tenant.name, link, validMinutes },
      locale,
    );
    this.mailer.deliver(
      { to: user.email, ...mail },
      { tenantId: tenant.id, subject: user.id, kind: 'password_reset' },
    );
  }

  /** The link a new user sets their first password with (an administrator created the account). */
  invitation(user: Recipient, tenant: TenantRecord, link: string, validDays: number, locale?: Locale) {
    const mail = this.templates.invitation(
      {
        name: user.displayName ?? user.username,
        tenantName: tenant.name,
        username: user.username,
        link,
        validDays,
      },
      this.#localeOf(user, locale),
    );
    this.mailer.deliver(
      { to: user.email, ...mail },
      { tenantId: tenant.id, subject: user.id, kind: 'invitation' },
    );
  }

  passwordChanged(user: Recipient, tenant: TenantRecord, when: Date, locale?: Locale) {
    const mail = this.templates.passwordChanged(
      { name: user.displayName ?? user.username, tenantName: tenant.name, when },
      this.#localeOf(user, locale),
    );
    this.mailer.deliver(
      { to: user.email, ...mail },
      { tenantId: tenant.id, subject: user.id, kind: 'password_changed' },
    );
  }

  /** Two-factor authentication was turned on, or reset by an administrator. */
  secondFactorChanged(
    user: Recipient,
    tenant: TenantRecord,
    change: SecondFactorChange,
    when: Date,
    locale?: Locale,
  ) {
    const mail = this.templates.secondFactorChanged(
      { name: user.displayName ?? user.username, tenantName: tenant.name, when, change },
      this.#localeOf(user, locale),
    );
    this.mailer.deliver(
      { to: user.email, ...mail },
      { tenantId: tenant.id, subject: user.id, kind: 'second_factor_changed' },
    );
  }

  /** The link that proves the user receives mail at `address` (the current one, or the one to change to). */
  emailVerificationLink(
    user: Recipient,
    tenant: TenantRecord,
    address: string,
    link: string,
    validHours: number,
    locale: Locale,
  ) {
    const mail = this.templates.emailVerification(
      { name: user.displayName ?? user.username, tenantName: tenant.name, email: address, link, validHours },
      locale,
    );
    this.mailer.deliver(
      { to: address, ...mail },
      { tenantId: tenant.id, subject: user.id, kind: 'email_verification' },
    );
  }

  /** To the current address, as soon as a change to `newEmail` is asked for: a takeover must not go unseen. */
  emailChangeRequested(user: Recipient, tenant: TenantRecord, newEmail: string, when: Date, locale?: Locale) {
    const mail = this.templates.emailChangeRequested(
      { name: user.displayName ?? user.username, tenantName: tenant.name, newEmail, when },
      this.#localeOf(user, locale),
    );
    this.mailer.deliver(
      { to: user.email, ...mail },
      { tenantId: tenant.id, subject: user.id, kind: 'email_change_requested' },
    );
  }

  /** "Password forgotten?" of a user linked to the Reseller Portal: where to go instead; no reset link. */
  passwordManagedUpstream(
    user: Recipient,
    tenant: TenantRecord,
    upstreamName: string,
    portalUrl: string,
    locale: Locale,
  ) {
    const mail = this.templates.passwordManagedUpstream(
      { name: user.displayName ?? user.username, tenantName: tenant.name, upstreamName, portalUrl },
      locale,
    );
    this.mailer.deliver(
      { to: user.email, ...mail },
      { tenantId: tenant.id, subject: user.id, kind: 'password_managed_upstream' },
    );
  }

  /** The account was linked to the Reseller Portal (by the user or an administrator). */
  accountLinked(user: Recipient, tenant: TenantRecord, upstreamName: string, portalUrl: string, when: Date) {
    const mail = this.templates.accountLinked(
      { name: user.displayName ?? user.username, tenantName: tenant.name, upstreamName, portalUrl, when },
      this.#localeOf(user, undefined),
    );
    this.mailer.deliver(
      { to: user.email, ...mail },
      { tenantId: tenant.id, subject: user.id, kind: 'account_linked' },
    );
  }
}
