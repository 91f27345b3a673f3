import type { Context } from 'koa';
import { z } from 'zod';
import { requestOrigin } from '../../src/http/request-origin.js';
import { csrfOnlyForm, readForm } from '../forms.js';
import { assertForm, personAt } from './account-context.js';
import type { AccountDependencies } from './dependencies.js';

/** The session to end, by the handle the overview showed; anything else names no session. */
const endSessionForm = csrfOnlyForm.extend({
  session: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .catch(''),
});

function backToOverview(ctx: Context, done?: 'sessionEnded' | 'otherSessionsEnded'): void {
  ctx.status = 303;
  ctx.redirect(done ? `/account?done=${done}` : '/account');
}

/**
 * "Sign out" of one session in the list. Only the user's own sessions are looked at, and never this
 * browser's (it has "Log out"): any other handle changes nothing. Signing out proves nothing and changes
 * no credential, so the CSRF check is all it needs.
 */
export async function submitEndSession(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account');
  if (!person) return;
  assertForm(deps, ctx, person);
  const form = readForm(ctx, endSessionForm);
  const ended =
    form.ok &&
    form.data.session !== '' &&
    (await deps.sessions.endOne(person.account, person.sessionUid, form.data.session, requestOrigin(ctx)));
  backToOverview(ctx, ended ? 'sessionEnded' : undefined);
}

/** "Sign out everywhere else": every session of the user but this browser's. */
export async function submitEndOtherSessions(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account');
  if (!person) return;
  assertForm(deps, ctx, person);
  await deps.sessions.endOthers(person.account, person.sessionUid, requestOrigin(ctx));
  backToOverview(ctx, 'otherSessionsEnded');
}
