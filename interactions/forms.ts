import type { Context } from 'koa';
import { koaBody } from 'koa-body';
import { z } from 'zod';
import { refuseUnreadableBody } from '../src/http/body-errors.js';

/** Hosted forms are small: anything bigger than this is refused with 413 before it is parsed. */
export const parseForm = koaBody({
  json: false,
  text: false,
  multipart: false,
  urlencoded: true,
  formLimit: '16kb',
  onError: refuseUnreadableBody,
});

/** A required text field whose every problem (missing, empty, too long) has the same clear message. */
function field(message: string, maxLength: number, trim = true) {
  const text = z.string({ error: message });
  return (trim ? text.trim() : text).min(1, message).max(maxLength, message);
}

const csrf = z.string({ error: 'The form has expired. Reload the page and try again.' }).max(200);

export const loginForm = z.object({
  csrf,
  tenantId: field('Enter your Tenant ID.', 64),
  login: field('Enter your username or e-mail.', 320),
  password: field('Enter your password (at most 1024 characters).', 1024, false),
});

export const csrfOnlyForm = z.object({ csrf });

/**
 * A TOTP or recovery code. Anything malformed (empty, too long, letters where digits belong) is passed on
 * as an invalid code, so it gets "Invalid authentication code" and counts towards the attempt cap.
 */
export const secondFactorForm = z.object({ csrf, code: z.string().max(64).catch('') });

export type FormResult<T> = { ok: true; data: T } | { ok: false; message: string };

export const forgotPasswordForm = z.object({
  csrf,
  tenantId: field('Enter your Tenant ID.', 64),
  login: field('Enter your username or e-mail.', 320),
});

export const resetPasswordForm = z
  .object({
    csrf,
    token: z.string({ error: 'This link is invalid.' }).max(100),
    password: field('Enter a new password (at most 1024 characters).', 1024, false),
    repeat: z.string({ error: 'Repeat the new password.' }).max(1024),
  })
  .refine((form) => form.password === form.repeat, { message: 'The two passwords do not match.' });

/** A text field of the posted form, cut to `maxLength`, to show it again after a refusal. */
export function bodyField(ctx: Context, name: string, maxLength = 320): string | undefined {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.slice(0, maxLength) : undefined;
}

/** Validates the parsed urlencoded body; the first problem becomes the message shown on the form. */
export function readForm<T>(ctx: Context, schema: z.ZodType<T>): FormResult<T> {
  const parsed = schema.safeParse(ctx.request.body ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, message: parsed.error.issues[0]?.message ?? 'The form is incomplete.' };
}

/** The CSRF token of a body that failed validation, so it can still be checked first. */
export function presentedCsrf(ctx: Context): unknown {
  return (ctx.request.body as Record<string, unknown> | undefined)?.csrf;
}
