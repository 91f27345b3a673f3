import type { Context } from 'koa';
import { koaBody } from 'koa-body';
import { z } from 'zod';
import type { Messages } from '../src/i18n/catalogue.js';
import { en } from '../src/i18n/messages-en.js';
import { refuseUnreadableBody } from '../src/http/body-errors.js';
import { LOCALES } from '../src/domain/shared/locale.js';

/** Hosted forms are small: anything bigger than this is refused with 413 before it is parsed. */
export const parseForm = koaBody({
  json: false,
  text: false,
  multipart: false,
  urlencoded: true,
  formLimit: '16kb',
  onError: refuseUnreadableBody,
});

/** What a refused form says, as a key of the catalogue's `forms` section: the page translates it. */
export type FormMessage = keyof Messages['forms'];

/** A required text field whose every problem (missing, empty, too long) has the same clear message. */
function field(message: FormMessage, maxLength: number, trim = true) {
  const text = z.string({ error: message });
  return (trim ? text.trim() : text).min(1, message).max(maxLength, message);
}

const csrf = z.string({ error: 'formExpired' satisfies FormMessage }).max(200);

export const loginForm = z.object({
  csrf,
  tenantId: field('missingTenantId', 64),
  login: field('missingLogin', 320),
  password: field('missingPassword', 1024, false),
});

/** "Password forgotten?" from the login form: what was typed so far, never the password. */
export const forgotFromLoginForm = z.object({
  csrf,
  tenantId: z.string().max(64).catch(''),
  login: z.string().max(320).catch(''),
});

export const csrfOnlyForm = z.object({ csrf });

/**
 * A TOTP or recovery code. Anything malformed (empty, too long, letters where digits belong) is passed on
 * as an invalid code, so it gets "Invalid authentication code" and counts towards the attempt cap.
 */
export const secondFactorForm = z.object({ csrf, code: z.string().max(64).catch('') });

/** "Continue" after recovery codes were shown: the box "I have stored these codes" must be ticked. */
export const storedCodesForm = z.object({ csrf, stored: z.literal('yes').optional().catch(undefined) });

export type FormResult<T> = { ok: true; data: T } | { ok: false; message: FormMessage; field?: string };

export const forgotPasswordForm = z.object({
  csrf,
  tenantId: field('missingTenantId', 64),
  login: field('missingLogin', 320),
});

export const resetPasswordForm = z
  .object({
    csrf,
    token: z.string({ error: 'formExpired' satisfies FormMessage }).max(100),
    password: field('missingNewPassword', 1024, false),
    repeat: z.string({ error: 'missingRepeat' satisfies FormMessage }).max(1024),
  })
  .refine((form) => form.password === form.repeat, {
    message: 'mismatch' satisfies FormMessage,
    path: ['repeat'],
  });

/** The account page's "Change password": the current password, then the new one twice. */
export const changePasswordForm = z
  .object({
    csrf,
    current: field('missingCurrentPassword', 1024, false),
    password: field('missingNewPassword', 1024, false),
    repeat: z.string({ error: 'missingRepeat' satisfies FormMessage }).max(1024),
  })
  .refine((form) => form.password === form.repeat, {
    message: 'mismatch' satisfies FormMessage,
    path: ['repeat'],
  });

/** "Change e-mail": the new address (the domain decides whether it can be used). */
export const changeEmailForm = z.object({ csrf, email: field('missingEmail', 320) });

/** "Confirm e-mail address" on the page a verification link opens. */
export const confirmEmailForm = z.object({
  csrf,
  token: z.string({ error: 'formExpired' satisfies FormMessage }).max(100),
});

export const languageForm = z.object({
  csrf,
  locale: z.enum(LOCALES, { error: 'unknownLanguage' satisfies FormMessage }),
});

/** A text field of the posted form, cut to `maxLength`, to show it again after a refusal. */
export function bodyField(ctx: Context, name: string, maxLength = 320): string | undefined {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.slice(0, maxLength) : undefined;
}

function isFormMessage(message: string | undefined): message is FormMessage {
  return message !== undefined && Object.hasOwn(en.forms, message);
}

/**
 * Validates the parsed urlencoded body; the first problem becomes the message shown on the form, with
 * the field it belongs to.
 */
export function readForm<T>(ctx: Context, schema: z.ZodType<T>): FormResult<T> {
  const parsed = schema.safeParse(ctx.request.body ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const message = isFormMessage(issue?.message) ? issue.message : 'formIncomplete';
  const field = typeof issue?.path[0] === 'string' ? issue.path[0] : undefined;
  return field ? { ok: false, message, field } : { ok: false, message };
}

/** The CSRF token of a body that failed validation, so it can still be checked first. */
export function presentedCsrf(ctx: Context): unknown {
  return (ctx.request.body as Record<string, unknown> | undefined)?.csrf;
}
