import type { Context } from 'koa';
import { z } from 'zod';
import {
  AlreadyEnrolledError,
  SecondFactorRejectedError,
  SecondFactorThrottledError,
} from '../../src/domain/shared/errors.js';
import { cookieName } from '../../src/http/cookie-names.js';
import { requestOrigin } from '../../src/http/request-origin.js';
import { csrfOnlyForm, readForm, secondFactorForm, storedCodesForm } from '../forms.js';
import { messagesOf } from '../render-page.js';
import { answerThrottled } from '../throttled.js';
import { enrolmentView, recoveryCodesView } from '../two-factor-views.js';
import { assertForm, personAt, renderAccountPage } from './account-context.js';
import type { SignedIn } from './account-session.js';
import type { AccountDependencies } from './dependencies.js';

/** The secret being set up on the account page (sealed to the user), until its first code confirms it. */
const PENDING_COOKIE = 'usp_account_totp';
const PENDING_PATH = '/account';
const PENDING_MINUTES = 15;

type Purpose = 'enable' | 'replace';
const ACTIONS: Record<Purpose, string> = {
  enable: '/account/two-factor/enable',
  replace: '/account/two-factor/replace',
};

/** Back to the overview, with the notice of what was done (if anything). */
function done(
  ctx: Context,
  what?: 'twoFactorOn' | 'authenticatorReplaced' | 'recoveryCodes' | 'twoFactorOff',
) {
  ctx.status = 303;
  ctx.redirect(what ? `/account?done=${what}` : '/account');
}

function pendingSecret(ctx: Context): string | undefined {
  return ctx.cookies.get(cookieName(ctx, PENDING_COOKIE, PENDING_PATH), { signed: true }) || undefined;
}

function keepPendingSecret(ctx: Context, sealed: string | null): void {
  ctx.cookies.set(cookieName(ctx, PENDING_COOKIE, PENDING_PATH), sealed, {
    signed: true,
    httpOnly: true,
    sameSite: 'strict',
    path: PENDING_PATH,
    maxAge: PENDING_MINUTES * 60 * 1000,
  });
}

/** The enrolment page of the login, here for "Enable 2FA" or "Replace authenticator". */
async function renderEnrolment(
  deps: AccountDependencies,
  ctx: Context,
  person: SignedIn,
  purpose: Purpose,
  sealedSecret: string,
  error?: string,
) {
  const t = messagesOf(ctx);
  renderAccountPage(deps, ctx, person, 'mfa-enrol', {
    ...(await enrolmentView(deps.mfa, t, person.account.user, sealedSecret)),
    ...(purpose === 'replace' ? { title: t.account.replaceTitle, intro: t.account.replaceIntro } : {}),
    activateAction: ACTIONS[purpose],
    cancelAction: '/account/two-factor/cancel',
    error,
  });
}

/** New recovery codes, shown once; "Continue" needs "I have stored these codes" ticked. */
function renderCodes(
  deps: AccountDependencies,
  ctx: Context,
  person: SignedIn,
  codes: string[],
  after: CodesShownAfter,
  error?: string,
) {
  renderAccountPage(deps, ctx, person, 'recovery-codes', {
    ...recoveryCodesView(messagesOf(ctx), deps.pages.productName, person.account, codes, deps.clock.now()),
    continueAction: '/account/two-factor/stored',
    sealedCodes: deps.mfa.sealRecoveryCodes(person.account.user, codes),
    after,
    error,
  });
}

/** Why the codes were shown, for the notice after "Continue". */
type CodesShownAfter = 'twoFactorOn' | 'recoveryCodes';

/** GET enable or replace: a new pending secret each time the page is opened. */
export async function showEnrolment(
  deps: AccountDependencies,
  ctx: Context,
  purpose: Purpose,
): Promise<void> {
  const person = await personAt(deps, ctx, ACTIONS[purpose], { freshProof: true, localCredentials: true });
  if (!person) return;
  if (person.mfaEnrolled !== (purpose === 'replace')) return done(ctx);
  const sealed = deps.mfa.newPendingSecret(person.account.user);
  keepPendingSecret(ctx, sealed);
  await renderEnrolment(deps, ctx, person, purpose, sealed);
}

/** POST enable or replace: the first code from the app confirms the pending secret. */
export async function submitEnrolment(
  deps: AccountDependencies,
  ctx: Context,
  purpose: Purpose,
): Promise<void> {
  const person = await personAt(deps, ctx, ACTIONS[purpose], { freshProof: true, localCredentials: true });
  if (!person) return;
  assertForm(deps, ctx, person);
  const sealed = pendingSecret(ctx);
  if (!sealed) return showEnrolment(deps, ctx, purpose);
  const t = messagesOf(ctx);
  const form = readForm(ctx, secondFactorForm);
  const code = form.ok ? form.data.code : '';
  const origin = requestOrigin(ctx);
  try {
    if (purpose === 'enable') {
      const codes = await deps.account.enableTwoFactor(
        person.account,
        sealed,
        code,
        origin,
        ctx.state.locale,
      );
      keepPendingSecret(ctx, null);
      return renderCodes(deps, ctx, person, codes, 'twoFactorOn');
    }
    await deps.account.replaceAuthenticator(person.account, sealed, code, origin, ctx.state.locale);
    keepPendingSecret(ctx, null);
    done(ctx, 'authenticatorReplaced');
  } catch (error) {
    if (error instanceof AlreadyEnrolledError) return done(ctx);
    if (error instanceof SecondFactorThrottledError) {
      answerThrottled(ctx, error);
      return renderEnrolment(deps, ctx, person, purpose, sealed, t.verify.throttled(error.retryAfterSeconds));
    }
    if (!(error instanceof SecondFactorRejectedError)) throw error;
    ctx.status = 401;
    await renderEnrolment(deps, ctx, person, purpose, sealed, t.verify.invalidCode);
  }
}

export async function cancelEnrolment(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account');
  if (!person) return;
  assertForm(deps, ctx, person);
  keepPendingSecret(ctx, null);
  done(ctx);
}

/** "New recovery codes": ten new ones at once; the old ones stop working. */
export async function submitNewRecoveryCodes(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account', { freshProof: true, localCredentials: true });
  if (!person) return;
  assertForm(deps, ctx, person);
  if (!person.hasSecondFactor) return done(ctx);
  const codes = await deps.account.newRecoveryCodes(person.account, requestOrigin(ctx), ctx.state.locale);
  renderCodes(deps, ctx, person, codes, 'recoveryCodes');
}

const storedForm = storedCodesForm.extend({
  codes: z.string().max(4000).catch(''),
  after: z.enum(['twoFactorOn', 'recoveryCodes']).catch('twoFactorOn'),
});

/** "Continue" after new codes: only with the box ticked; otherwise the same codes again. */
export async function submitCodesStored(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account');
  if (!person) return;
  assertForm(deps, ctx, person);
  const form = readForm(ctx, storedForm);
  if (form.ok && form.data.stored === 'yes') return done(ctx, form.data.after);
  let codes: string[] = [];
  try {
    codes = deps.mfa.openRecoveryCodes(person.account.user, form.ok ? form.data.codes : '');
  } catch {
    return done(ctx);
  }
  ctx.status = 400;
  const after = form.ok ? form.data.after : 'twoFactorOn';
  renderCodes(deps, ctx, person, codes, after, messagesOf(ctx).recoveryCodes.mustConfirm);
}

/** "Turn off 2FA": a confirmation page, offered only when nothing requires a second factor. */
export async function showTurnOff(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account/two-factor/turn-off', {
    freshProof: true,
    localCredentials: true,
  });
  if (!person) return;
  const twoFactor = await deps.account.twoFactor(person.account);
  if (!twoFactor.enrolled || twoFactor.required) return done(ctx);
  const t = messagesOf(ctx);
  renderAccountPage(deps, ctx, person, 'account-turn-off', { title: t.account.turnOffTitle });
}

export async function submitTurnOff(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account/two-factor/turn-off', {
    freshProof: true,
    localCredentials: true,
  });
  if (!person) return;
  assertForm(deps, ctx, person);
  if (!readForm(ctx, csrfOnlyForm).ok) return done(ctx);
  const twoFactor = await deps.account.twoFactor(person.account);
  if (!twoFactor.enrolled || twoFactor.required) return done(ctx);
  await deps.account.turnOffTwoFactor(person.account, requestOrigin(ctx), ctx.state.locale);
  done(ctx, 'twoFactorOff');
}
