import type { Context } from 'koa';
import {
  ConflictError,
  LoginFailedError,
  UpstreamAnswerRejectedError,
  UpstreamUnavailableError,
} from '../../src/domain/shared/errors.js';
import { requestOrigin } from '../../src/http/request-origin.js';
import { messagesOf } from '../render-page.js';
import { rememberUpstreamFlow, takeUpstreamFlow } from '../upstream-cookie.js';
import { renderUpstreamUnavailable } from '../upstream-login.js';
import { assertForm, personAt } from './account-context.js';
import { renderOverview } from './account-pages.js';
import type { AccountDependencies } from './dependencies.js';

/**
 * "Link Reseller Portal account": after a fresh local login, a login at the upstream serving the tenant;
 * the subject it vouches for is linked to this user. The trip is bound to this user and this session.
 */
export async function submitLinkStart(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account', { freshProof: true, localCredentials: true });
  if (!person) return;
  assertForm(deps, ctx, person);
  const { account } = person;
  try {
    const { pending, authorizationUrl } = await deps.federatedLogin.begin(
      { tenantId: account.tenant.id, login: '' },
      [],
      requestOrigin(ctx),
      // The person proves the upstream account is theirs now, not through a session someone left open.
      { forceLogin: true },
    );
    rememberUpstreamFlow(ctx, {
      purpose: 'link',
      accountId: account.user.id,
      sessionUid: person.sessionUid,
      ...pending,
    });
    ctx.status = 303;
    ctx.redirect(authorizationUrl.href);
  } catch (error) {
    if (error instanceof UpstreamUnavailableError)
      return renderUpstreamUnavailable(deps, ctx, error, '/account');
    if (!(error instanceof LoginFailedError)) throw error;
    ctx.status = 303;
    ctx.redirect('/account');
  }
}

/** The upstream's answer for a link: only for the user and session that asked for it. */
export async function finishLink(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account');
  if (!person) return;
  const flow = takeUpstreamFlow(ctx);
  const t = messagesOf(ctx);
  if (
    flow?.purpose !== 'link' ||
    flow.accountId !== person.account.user.id ||
    flow.sessionUid !== person.sessionUid
  ) {
    ctx.status = 400;
    return renderOverview(deps, ctx, person, t.accountLink.failed);
  }
  const callbackUrl = new URL(
    `${deps.issuer}/upstream/callback${ctx.querystring ? `?${ctx.querystring}` : ''}`,
  );
  try {
    const { upstream, identity } = await deps.federatedLogin.identify(flow, callbackUrl);
    await deps.userLinks.linkSelf(
      person.account,
      upstream,
      identity.subject,
      person.sessionId,
      requestOrigin(ctx),
    );
  } catch (error) {
    if (error instanceof UpstreamUnavailableError)
      return renderUpstreamUnavailable(deps, ctx, error, '/account');
    if (error instanceof ConflictError) {
      ctx.status = 409;
      return renderOverview(deps, ctx, person, t.accountLink.taken);
    }
    if (!(error instanceof UpstreamAnswerRejectedError)) throw error;
    deps.logger.warn({ event: 'upstream.link_refused', reason: error.message });
    ctx.status = 400;
    return renderOverview(deps, ctx, person, t.accountLink.failed);
  }
  ctx.status = 303;
  ctx.redirect('/account?done=linked');
}
