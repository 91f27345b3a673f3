import type { Context } from 'koa';
import { z } from 'zod';
import {
  LastSecondFactorError,
  NotFoundError,
  SecondFactorRejectedError,
  SecondFactorThrottledError,
} from '../../src/domain/shared/errors.js';
import { requestOrigin } from '../../src/http/request-origin.js';
import { readForm } from '../forms.js';
import { passkeyRegistrationForm } from '../passkey-forms.js';
import { messagesOf } from '../render-page.js';
import { answerThrottled } from '../throttled.js';
import { assertForm, personAt, renderAccountPage } from './account-context.js';
import { renderOverview } from './account-pages.js';
import type { SignedIn } from './account-session.js';
import type { AccountDependencies } from './dependencies.js';

const ADD_PATH = '/account/passkeys/add';

/** A registration challenge is bound to this browser's session (and, in the domain, to the user). */
const bindingOf = (person: SignedIn) => `account:${person.sessionUid}`;

const passkeyForm = z.object({ csrf: z.string().max(200), passkey: z.uuid() });
const renameForm = passkeyForm.extend({ name: z.string().trim().min(1).max(64) });

function done(ctx: Context, what?: 'passkeyAdded' | 'passkeyRenamed' | 'passkeyRemoved') {
  ctx.status = 303;
  ctx.redirect(what ? `/account?done=${what}` : '/account');
}

async function renderAddPage(
  deps: AccountDependencies,
  ctx: Context,
  person: SignedIn,
  { error, name = '' }: { error?: string; name?: string } = {},
) {
  const options = await deps.passkeys.registrationOptions(person.account.user, bindingOf(person));
  renderAccountPage(deps, ctx, person, 'account-passkey-add', {
    title: messagesOf(ctx).accountPasskeys.addTitle,
    options: JSON.stringify(options),
    passkeyScripts: true,
    name,
    error,
  });
}

/** "Add a passkey": needs a fresh proof, like every change of a credential. */
export async function showAddPasskey(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, ADD_PATH, { freshProof: true, localCredentials: true });
  if (person) await renderAddPage(deps, ctx, person);
}

export async function submitAddPasskey(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, ADD_PATH, { freshProof: true, localCredentials: true });
  if (!person) return;
  assertForm(deps, ctx, person);
  const t = messagesOf(ctx);
  const form = readForm(ctx, passkeyRegistrationForm);
  if (!form.ok) {
    ctx.status = 400;
    const error = form.field === 'name' ? t.accountPasskeys.nameMissing : t.passkeys.refused;
    return renderAddPage(deps, ctx, person, { error });
  }
  try {
    await deps.passkeys.register(
      person.account.user,
      bindingOf(person),
      form.data.name,
      form.data.credential,
      requestOrigin(ctx),
      ctx.state.locale,
    );
    done(ctx, 'passkeyAdded');
  } catch (error) {
    const name = form.data.name;
    if (error instanceof SecondFactorThrottledError) {
      answerThrottled(ctx, error);
      return renderAddPage(deps, ctx, person, { error: t.verify.throttled(error.retryAfterSeconds), name });
    }
    if (!(error instanceof SecondFactorRejectedError)) throw error;
    ctx.status = 401;
    await renderAddPage(deps, ctx, person, { error: t.passkeys.refused, name });
  }
}

/** "Rename": only the user's own passkey; a name is no credential, so no fresh proof is needed. */
export async function submitRenamePasskey(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account', { localCredentials: true });
  if (!person) return;
  assertForm(deps, ctx, person);
  const form = readForm(ctx, renameForm);
  if (!form.ok) {
    ctx.status = 400;
    return renderOverview(deps, ctx, person, messagesOf(ctx).accountPasskeys.nameMissing);
  }
  try {
    const { passkey, name } = form.data;
    await deps.passkeys.rename(person.account.user, passkey, name, requestOrigin(ctx));
    done(ctx, 'passkeyRenamed');
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    done(ctx);
  }
}

/** "Remove": a fresh proof, and never the last second factor while one is required. */
export async function submitRemovePasskey(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account', { freshProof: true, localCredentials: true });
  if (!person) return;
  assertForm(deps, ctx, person);
  const form = readForm(ctx, passkeyForm);
  if (!form.ok) return done(ctx);
  try {
    await deps.account.removePasskey(person.account, form.data.passkey, requestOrigin(ctx), ctx.state.locale);
    done(ctx, 'passkeyRemoved');
  } catch (error) {
    if (error instanceof LastSecondFactorError) {
      ctx.status = 409;
      return renderOverview(deps, ctx, person, messagesOf(ctx).accountPasskeys.lastFactor);
    }
    if (!(error instanceof NotFoundError)) throw error;
    done(ctx);
  }
}
