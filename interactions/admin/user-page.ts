import type { Context } from 'koa';
import { z } from 'zod';
import type { TargetUser } from '../../src/domain/access/access-policy.js';
import type { AdminAction } from '../../src/domain/access/admin-actions.js';
import { portalUrlOf } from '../../src/domain/upstream/upstream.js';
import { requestOrigin } from '../../src/http/request-origin.js';
import { formatPageDateTime } from '../../src/i18n/catalogue.js';
import { browserText } from '../account/activity-views.js';
import { passkeyRows } from '../account/passkey-views.js';
import { messagesOf } from '../render-page.js';
import { consoleUserAt, renderConsolePage, userPath, type ConsoleUser } from './admin-context.js';
import type { AdminDependencies } from './dependencies.js';

const DONE = z
  .enum([
    'created',
    'invited',
    'updated',
    'roleAssigned',
    'roleRevoked',
    'disabled',
    'enabled',
    'twoFactorReset',
  ])
  .optional()
  .catch(undefined);

/** A user of the console's tenant, named by the path. */
export interface UserAddress {
  tenantId: string;
  userId: string;
}

/** The console user, for a page of one user (the login returns to that user's page). */
export function consoleUserFor(deps: AdminDependencies, ctx: Context, ref: UserAddress) {
  return consoleUserAt(deps, ctx, userPath(ref.tenantId, ref.userId));
}

export function auditOrigin(ctx: Context, console: ConsoleUser) {
  return { ...requestOrigin(ctx), actor: console.actor.subject };
}

/**
 * `GET …/users/:userId`: the user, their roles and the actions, each offered only when the policy would
 * allow it (the rest is shown read-only), and the recent sign-ins for those who read the audit trail.
 */
export async function showUser(deps: AdminDependencies, ctx: Context, ref: UserAddress): Promise<void> {
  const console = await consoleUserFor(deps, ctx, ref);
  if (!console) return;
  const t = messagesOf(ctx);
  const origin = auditOrigin(ctx, console);
  const { actor } = console;
  const details = await deps.users.details(actor, ref, origin);
  const { user, roles } = details;
  const target: TargetUser = { user, roles };
  const permits = (action: AdminAction) => deps.access.permits(actor, action, target);
  const base = userPath(ref.tenantId, user.id);
  const hasSecondFactor = details.mfa.enrolled || details.passkeys.length > 0;
  const roleRows = deps.roleCatalogue.roleNames().map((role) => {
    const held = roles.includes(role);
    const changeable = permits(held ? 'role.revoke' : 'role.assign') && deps.access.mayGrant(actor, role);
    return { role, held, changeable };
  });
  const actions = [
    ...(permits('user.update')
      ? [{ key: 'edit', method: 'get', href: `${base}/edit`, label: t.admin.user.edit }]
      : []),
    ...(user.status === 'active' && permits('user.disable')
      ? [{ key: 'disable', method: 'get', href: `${base}/disable`, label: t.admin.user.disable }]
      : []),
    ...(user.status === 'disabled' && permits('user.enable')
      ? [{ key: 'enable', method: 'post', href: `${base}/enable`, label: t.admin.user.enable }]
      : []),
    ...(hasSecondFactor && permits('user.reset_mfa')
      ? [{ key: 'reset-2fa', method: 'get', href: `${base}/mfa/reset`, label: t.admin.user.resetTwoFactor }]
      : []),
    ...(!details.linked && user.status === 'active' && permits('user.invite')
      ? [
          {
            key: 'resend-invitation',
            method: 'post',
            href: `${base}/invitation`,
            label: t.admin.user.resendInvitation,
            hint: t.admin.user.resendHint,
          },
        ]
      : []),
  ];
  if (permits('user.delete'))
    actions.push({ key: 'delete', method: 'get', href: `${base}/delete`, label: t.admin.user.delete });
  const upstream = details.linked ? await deps.federatedLogin.offeredFor(user.tenantId) : undefined;
  const signIns = deps.access.holds(actor, 'audit:read')
    ? (await deps.auditTrail.signInsOf(actor, ref, origin)).map((attempt) => ({
        when: formatPageDateTime(attempt.at, ctx.state.locale),
        result: t.account.signInOutcomes[attempt.outcome],
        succeeded: attempt.succeeded,
        ip: attempt.ip ?? t.account.unknownValue,
        browser: browserText(t, attempt.userAgent),
      }))
    : undefined;
  const done = DONE.parse(ctx.query.done);
  renderConsolePage(deps, ctx, console, 'admin-user', {
    title: t.admin.user.title(user.username),
    tenantId: ref.tenantId,
    notice: done ? t.admin.user.done[done] : undefined,
    user,
    twoFactor: hasSecondFactor,
    passkeys: passkeyRows(ctx, details.passkeys),
    linked: details.linked && {
      name: upstream?.name ?? t.admin.user.linkedHeading,
      subject: details.linked.subject,
      portalUrl: upstream ? portalUrlOf(upstream) : undefined,
    },
    roleRows,
    rolesChangeable: roleRows.some((row) => row.changeable),
    rolesAction: `${base}/roles`,
    actions,
    signIns,
  });
}
