import type { Context } from 'koa';
import type { AuthenticatedUser } from '../src/domain/auth/login-service.js';
import type { InteractionDependencies } from './dependencies.js';
import {
  InteractionStepError,
  loadInteraction,
  type InteractionContext,
  type InteractionDetails,
} from './interaction-context.js';
import { readPendingLogin, type LoginStage, type PendingLogin } from './login-state.js';
import { messagesOf } from './render-page.js';

export interface SecondFactorStep extends InteractionContext {
  pending: PendingLogin;
  account: AuthenticatedUser;
}

/** The account of an SSO session that lacks a now-required second factor, and nothing else. */
async function stepUpAccount(deps: InteractionDependencies, details: InteractionDetails) {
  const { reasons } = details.prompt;
  const accountId = details.session?.accountId;
  if (!accountId || reasons.length === 0 || reasons.some((reason) => reason !== 'mfa_required'))
    return undefined;
  return deps.login.findActiveAccount(accountId);
}

/**
 * The pending login of this interaction: saved by an earlier step, or, for a step-up of a user who has a
 * second factor already, derived from the session's account. Binding a new authenticator is different:
 * it needs the password in this very interaction, so a session alone never leads to enrolment.
 */
export async function pendingLoginOf(
  deps: InteractionDependencies,
  details: InteractionDetails,
): Promise<PendingLogin | undefined> {
  const saved = readPendingLogin(details);
  if (saved) return saved;
  const account = await stepUpAccount(deps, details);
  if (!account?.hasSecondFactor) return undefined;
  return {
    accountId: account.user.id,
    tenantId: account.tenant.id,
    credentialsStamp: account.user.updatedAt,
    stage: 'verify',
  };
}

/** For a step-up that must enrol: the login form, filled in with the session's tenant and username. */
export async function enrolmentLoginPrefill(
  deps: InteractionDependencies,
  ctx: Context,
  details: InteractionDetails,
) {
  const account = await stepUpAccount(deps, details);
  return account
    ? {
        tenantId: account.tenant.id,
        login: account.user.username,
        notice: messagesOf(ctx).login.confirmForEnrolment,
      }
    : {};
}

/** Loads a second-factor step and checks the login is at one of `stages`; anything else is refused. */
export async function loadSecondFactorStep(
  deps: InteractionDependencies,
  ctx: Context,
  stages: readonly LoginStage[],
): Promise<SecondFactorStep> {
  const interaction = await loadInteraction(deps.provider, ctx, 'login');
  const pending = await pendingLoginOf(deps, interaction.details);
  if (!pending) throw new InteractionStepError('passwordFirst');
  if (!stages.includes(pending.stage)) {
    throw new InteractionStepError('stepUnavailable');
  }
  return { ...interaction, pending, account: await activeAccount(deps, pending) };
}

export async function activeAccount(
  deps: InteractionDependencies,
  pending: PendingLogin,
): Promise<AuthenticatedUser> {
  const account = await deps.login.findActiveAccount(pending.accountId);
  // A password change (or disabling) since the password step voids the half-finished login.
  if (
    !account ||
    account.tenant.id !== pending.tenantId ||
    account.user.updatedAt !== pending.credentialsStamp
  ) {
    throw new InteractionStepError('accountUnavailable');
  }
  return account;
}
