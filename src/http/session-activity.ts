import type { Context, Next } from 'koa';
import type Provider from 'oidc-provider';
import type { SessionService } from '../domain/account/session-service.js';
import { isTenantAccount } from '../oidc/account.js';
import { requestOrigin } from './request-origin.js';

interface SessionUsed {
  accountId: string;
  uid: string;
  /** The account's tenant, when the provider loaded the account in this request (it usually has). */
  tenantId: string | undefined;
}

declare module 'koa' {
  interface DefaultState {
    /** Set by oidc-provider's `authorization.success`: the SSO session this request authorized through. */
    sessionUsed?: SessionUsed;
  }
}

/**
 * Records where and when each SSO session is used, for the account page's list of sessions (oidc-provider
 * stores neither address nor browser). `authorization.success` fires for every authorization that ends in
 * a response to the client, the first one after a login included; its `ctx.oidc.session` is the session.
 * The record is written once the provider is done (so the session row, with its new expiry, is saved)
 * and before the response leaves. A failure is logged and never fails the authorization.
 */
export function sessionActivity(provider: Provider, sessions: SessionService) {
  provider.on('authorization.success', (ctx) => {
    const { accountId, uid } = ctx.oidc.session ?? {};
    const account = ctx.oidc.account;
    const tenantId =
      isTenantAccount(account) && account.accountId === accountId ? account.tenantId : undefined;
    if (accountId && uid) ctx.state.sessionUsed = { accountId, uid, tenantId };
  });
  return async (ctx: Context, next: Next) => {
    await next();
    const used = ctx.state.sessionUsed;
    if (!used) return;
    try {
      await sessions.recordUse(used, requestOrigin(ctx));
    } catch (error) {
      ctx.state.log.warn({ err: error }, 'could not record the use of a session');
    }
  };
}
