import type { Repositories } from '../../../db/repositories/index.js';
import type { Actor } from '../access/actor.js';
import type { Authority } from '../access/authority.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { ConflictError, ValidationError } from '../shared/errors.js';
import type { AccountRecord } from '../users/user.js';
import type { AccountNotifier } from '../notifications/account-notifier.js';
import type { RoleCatalogue } from '../roles/role-catalogue.js';
import { isPrintable } from '../shared/text.js';
import type { TenantRecord } from '../tenants/tenant.js';
import type { UserRecord } from '../users/user.js';
import { userDetailsOf, type UserDetails, type UserRef } from '../users/user-service.js';
import type { UpstreamService } from './upstream-service.js';
import { portalUrlOf, type UpstreamRecord } from './upstream.js';

/** How a linked user is shown ("RSP"): which upstream, which subject, since when. */
export interface LinkView {
  upstream: string;
  upstreamName: string;
  subject: string;
  since: string;
  portalUrl: string;
}

/**
 * Ties a local user to one subject of the upstream that serves their tenant, by an administrator (rank and
 * reach as for any change to the user) or by the user on the account page after logging in at the
 * upstream. Never by matching e-mail addresses.
 */
export class UserLinkService {
  constructor(
    private readonly repositories: Repositories,
    private readonly authority: Authority,
    private readonly upstreams: UpstreamService,
    private readonly audit: AuditService,
    private readonly catalogue: RoleCatalogue,
    private readonly notifier: AccountNotifier,
    private readonly clock: Clock,
  ) {}

  /** Returns the user's details, with the link, as any change to a user does. */
  async link(
    actor: Actor,
    ref: UserRef,
    link: { upstreamId: string; subject: string },
    origin: AuditOrigin = {},
  ): Promise<UserDetails> {
    const request = { action: 'user.link' as const, ...ref };
    return this.authority.guard(actor, request, origin, async () => {
      const subject = link.subject.trim();
      if (subject.length === 0 || subject.length > 255 || !isPrintable(subject))
        throw new ValidationError('The subject must have 1 to 255 printable characters');
      const { user } = await this.authority.precheckUser(actor, request);
      const upstream = await this.upstreams.forTenant(user.tenantId);
      if (!upstream || upstream.id !== link.upstreamId)
        throw new ValidationError(
          `Upstream "${link.upstreamId.slice(0, 64)}" does not serve tenant "${user.tenantId}"`,
        );
      const { details, tenant } = await this.repositories.inTransaction(async (repositories) => {
        const { user: target, tenant, roles } = await this.authority.user(repositories, actor, request);
        await this.#store(repositories, target.tenantId, target.id, upstream, subject, origin);
        return { details: await userDetailsOf(repositories, this.catalogue, target, roles), tenant };
      });
      this.#notify(details.user, tenant, upstream);
      return details;
    });
  }

  async unlink(actor: Actor, ref: UserRef, origin: AuditOrigin = {}): Promise<void> {
    const request = { action: 'user.link' as const, ...ref };
    await this.authority.guard(actor, request, origin, () =>
      this.repositories.inTransaction(async (repositories) => {
        const { user } = await this.authority.user(repositories, actor, request);
        if (!(await repositories.upstreams.unlink(user.tenantId, user.id))) return;
        await this.audit
          .within(repositories)
          .record({ tenantId: user.tenantId, type: 'user.unlinked', subject: user.id }, origin);
      }),
    );
  }

  /** The signed-in user links the subject the upstream just vouched for (see FederatedLoginService.identify). */
  async linkSelf(
    account: AccountRecord,
    upstream: UpstreamRecord,
    subject: string,
    keepSessionId: string,
    origin: AuditOrigin,
  ): Promise<LinkView> {
    const serving = await this.upstreams.forTenant(account.tenant.id);
    if (serving?.id !== upstream.id) throw new ValidationError('This upstream does not serve your tenant');
    const view = await this.repositories.inTransaction((repositories) =>
      this.#store(repositories, account.tenant.id, account.user.id, upstream, subject, origin, keepSessionId),
    );
    this.#notify(account.user, account.tenant, upstream);
    return view;
  }

  async linkOf(userId: string): Promise<LinkView | undefined> {
    const link = await this.repositories.upstreams.linkOf(userId);
    const upstream = link && (await this.upstreams.find(link.upstreamId));
    if (!link || !upstream) return undefined;
    return this.#view(upstream, link.subject, link.createdAt);
  }

  async #store(
    repositories: Repositories,
    tenantId: string,
    userId: string,
    upstream: UpstreamRecord,
    subject: string,
    origin: AuditOrigin,
    keepSessionId?: string,
  ): Promise<LinkView> {
    const now = epochMillis(this.clock);
    const result = await repositories.upstreams.link({
      userId,
      tenantId,
      upstreamId: upstream.id,
      subject,
      createdAt: now,
    });
    if (result === 'subject_taken')
      throw new ConflictError('That Reseller Portal account is linked to another user of the tenant');
    // From now on the upstream signs this user in: the local second factor goes, reset links stop working,
    // and every session and grant ends (but the account page's own, when the user linked there).
    await repositories.mfa.removeAll(tenantId, userId);
    await repositories.passwordResets.voidAllForUser(tenantId, userId, now);
    await repositories.oidcPayloads.destroyAllForAccount(
      userId,
      keepSessionId === undefined ? {} : { exceptSession: keepSessionId },
    );
    await this.audit.within(repositories).record(
      {
        tenantId,
        type: 'user.linked',
        subject: userId,
        details: { upstream: upstream.id, upstreamSubject: subject },
      },
      origin,
    );
    return this.#view(upstream, subject, now);
  }

  /** A link hands the sign-in to another provider: the user must hear of it. */
  #notify(user: UserRecord, tenant: TenantRecord, upstream: UpstreamRecord): void {
    this.notifier.accountLinked(user, tenant, upstream.name, portalUrlOf(upstream), this.clock.now());
  }

  #view(upstream: UpstreamRecord, subject: string, since: number): LinkView {
    return {
      upstream: upstream.id,
      upstreamName: upstream.name,
      subject,
      since: new Date(since).toISOString(),
      portalUrl: portalUrlOf(upstream),
    };
  }
}
