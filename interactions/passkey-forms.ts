import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';

/**
 * What the passkey script posts: the browser's credential as JSON in the form field `credential`. Only its
 * shape is checked here; @simplewebauthn/server verifies its content. Anything unreadable is refused like
 * a wrong passkey.
 */
const base64url = z
  .string()
  .max(8000)
  .regex(/^[A-Za-z0-9_-]*$/);

const assertionSchema = z.object({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
  clientExtensionResults: z.object({}).passthrough().default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

const attestationSchema = z.object({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.object({}).passthrough().default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

function credentialField<T>(schema: z.ZodType<T>) {
  return z
    .string()
    .max(12000)
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: 'unreadable' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const csrf = z.string().max(200);

export const passkeyAssertionForm = z.object({
  csrf,
  credential: credentialField(assertionSchema),
}) satisfies z.ZodType<{ csrf: string; credential: AuthenticationResponseJSON }>;

export const passkeyRegistrationForm = z.object({
  csrf,
  name: z.string().trim().min(1).max(64),
  credential: credentialField(attestationSchema),
}) satisfies z.ZodType<{ csrf: string; name: string; credential: RegistrationResponseJSON }>;
