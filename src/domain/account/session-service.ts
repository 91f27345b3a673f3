import type { Repositories } from '../../../db/repositories/index.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import { epochMillis, epochSeconds, type Clock } from '../shared/clock.js';
import { sha256Hex } from '../shared/random.js';
import type { AccountRecord } from '../users/user.js';
import type { SessionActivityRecord } from './session-activity.js';

/** How a form names one of the user's sessions: never its id or uid, which would let it be taken over. */
export function sessionHandle(uid: string): string {
  return sha256Hex(uid).slice(0, 16);
}

/** A session as the account page lists it. */
export interface AccountSession {
  handle: string;
  /** The session of the browser asking. */
  current: boolean;
  startedAt: Date | undefined;
  lastUsedAt: Date | undefined;
  ip: string | null;
  userAgent: string | null;
}

/**
 * The signed-in user's own SSO sessions: which there are, and ending them. Every method acts on the
 * sessions of `account` only; a handle of anyone else's session matches nothing.
 */
export class SessionService {
  constructor(
    private readonly repositories: Repositories,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Notes that the session `uid` of `accountId` was just used, from where and with which browser. The
   * account's tenant is looked up unless the caller already holds it.
   */
  async recordUse(
    session: { accountId: string; uid: string; tenantId?: string | undefined },
    origin: AuditOrigin,
  ): Promise<void> {
    const tenantId =
      session.tenantId ?? (await this.repositories.users.findAccount(session.accountId))?.tenant.id;
    if (!tenantId) return;
    await this.repositories.sessionActivity.recordUse({
      uid: session.uid,
      tenantId,
      accountId: session.accountId,
      at: epochMillis(this.clock),
      ip: origin.ip?.slice(0, 64) ?? null,
      userAgent: origin.userAgent?.slice(0, 300) ?? null,
    });
  }

  /** The unexpired sessions, this browser's first, then the most recently used. */
  async list(account: AccountRecord, currentUid: string): Promise<AccountSession[]> {
    const live = await this.#live(account);
    const activity = new Map<string, SessionActivityRecord>(
      (
        await this.repositories.sessionActivity.listByUids(
          account.tenant.id,
          account.user.id,
          live.map((session) => session.uid),
        )
      ).map((record) => [record.uid, record]),
    );
    const sessions = live.map((session) => {
      const seen = activity.get(session.uid);
      const started = seen?.createdAt ?? (session.loginTs === undefined ? undefined : session.loginTs * 1000);
      return {
        handle: sessionHandle(session.uid),
        current: session.uid === currentUid,
        startedAt: started === undefined ? undefined : new Date(started),
        lastUsedAt: seen ? new Date(seen.lastUsedAt) : undefined,
        ip: seen?.ip ?? null,
        userAgent: seen?.userAgent ?? null,
      };
    });
    const rank = (session: AccountSession) => session.lastUsedAt?.getTime() ?? 0;
    return sessions.sort((a, b) => Number(b.current) - Number(a.current) || rank(b) - rank(a));
  }

  /** Ends the session named by `handle`, unless it is this browser's own or not the user's at all. */
  async endOne(
    account: AccountRecord,
    currentUid: string,
    handle: string,
    origin: AuditOrigin,
  ): Promise<boolean> {
    const target = (await this.#live(account)).find(
      (session) => session.uid !== currentUid && sessionHandle(session.uid) === handle,
    );
    if (!target) return false;
    return (await this.#end(account, [target.uid], 'one', origin)) > 0;
  }

  /** "Sign out everywhere else": every session of the user but this browser's. Returns how many ended. */
  async endOthers(account: AccountRecord, currentUid: string, origin: AuditOrigin): Promise<number> {
    const others = (await this.#live(account)).filter((session) => session.uid !== currentUid);
    // Refresh tokens can outlive their sessions: those of sessions already gone end here too.
    await this.repositories.oidcPayloads.endGrantsOutsideSession(account.user.id, currentUid);
    return this.#end(
      account,
      others.map((session) => session.uid),
      'others',
      origin,
    );
  }

  #live(account: AccountRecord) {
    return this.repositories.oidcPayloads.listSessionsOfAccount(account.user.id, epochSeconds(this.clock));
  }

  /** The sessions, their grants and every token of those grants end together, with the audit event. */
  async #end(account: AccountRecord, uids: string[], scope: 'one' | 'others', origin: AuditOrigin) {
    if (uids.length === 0) return 0;
    const { user, tenant } = account;
    return this.repositories.inTransaction(async (repositories) => {
      const count = await repositories.oidcPayloads.endSessionsOfAccount(user.id, uids);
      if (count > 0)
        await this.audit
          .within(repositories)
          .record(
            { tenantId: tenant.id, type: 'session.ended', subject: user.id, details: { scope, count } },
            origin,
          );
      return count;
    });
  }
}
