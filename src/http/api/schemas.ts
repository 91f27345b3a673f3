import { z } from 'zod';
import { PERMISSIONS } from '../../../config/roles.js';

/** Schemas of the admin API: input validation and output filtering, and the source of its OpenAPI document. */

export const tenantIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{2,63}$/, 'a tenant id has 3 to 64 letters, digits, "." or "-"')
  .meta({ description: 'Tenant ID, like 123456.sms' });

export const tenantPathSchema = z.object({ tenantId: tenantIdSchema }).strict();
export const userPathSchema = z.object({ tenantId: tenantIdSchema, userId: z.uuid() }).strict();
export const rolePathSchema = z
  .object({ tenantId: tenantIdSchema, userId: z.uuid(), role: z.string().min(1).max(64) })
  .strict();

export const pageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export const tenantSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['customer', 'reseller']),
  parentId: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  mfaPolicy: z.enum(['required', 'optional']),
  mfaPhishingResistant: z.enum(['required', 'optional']),
  minPasswordLength: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
});

export const newTenantSchema = z
  .object({
    name: z.string().min(1).max(200),
    mfaPolicy: z.enum(['required', 'optional']).optional(),
    minPasswordLength: z.number().int().min(8).max(64).optional(),
  })
  .strict();

export const tenantChangesSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    mfaPolicy: z.enum(['required', 'optional']).optional(),
    mfaPhishingResistant: z
      .enum(['required', 'optional'])
      .optional()
      .meta({ description: 'required: administrators must use a passkey, TOTP no longer suffices' }),
    minPasswordLength: z.number().int().min(8).max(64).nullable().optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, 'give at least one field to change');

export const userSchema = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  username: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  name: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  createdAt: z.iso.datetime(),
});

export const userDetailsSchema = userSchema.extend({
  roles: z.array(z.string()),
  permissions: z.array(z.enum(PERMISSIONS)),
  mfa: z.object({
    enrolled: z.boolean(),
    enrolledAt: z.iso.datetime().nullable(),
    recoveryCodesLeft: z.number().int(),
    passkeys: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          synced: z.boolean(),
          createdAt: z.iso.datetime(),
          lastUsedAt: z.iso.datetime().nullable(),
        }),
      )
      .meta({ description: 'The passkeys (WebAuthn) of the user; never a key' }),
  }),
  linked: z
    .object({ upstream: z.string(), subject: z.string(), since: z.iso.datetime() })
    .nullable()
    .meta({ description: 'The Reseller Portal account the user is linked to ("RSP")' }),
});

export const userLinkSchema = z
  .object({
    upstreamId: z.string().min(1).max(64),
    subject: z.string().min(1).max(255),
  })
  .strict();

export const newUserSchema = z
  .object({
    username: z.string().min(1).max(100),
    email: z.string().min(3).max(320),
    name: z.string().max(200).optional(),
    password: z
      .string()
      .min(1)
      .max(1024)
      .optional()
      .meta({ description: 'Generated (and returned once) when absent' }),
    roles: z.array(z.string().min(1).max(64)).max(20).optional(),
  })
  .strict();

export const createdUserSchema = userDetailsSchema.extend({ generatedPassword: z.string().optional() });

export const passwordSchema = z
  .object({
    password: z.string().min(1).max(1024),
    currentPassword: z
      .string()
      .min(1)
      .max(1024)
      .optional()
      .meta({ description: 'Required to change your own password' }),
  })
  .strict();

export const profileChangesSchema = z
  .object({
    email: z.string().min(3).max(320).optional(),
    name: z.string().max(200).nullable().optional(),
  })
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, 'give at least one field to change');

export const auditEventSchema = z.object({
  id: z.number().int(),
  tenantId: z.string(),
  type: z.string(),
  actor: z.string().nullable(),
  subject: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
});

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
