import { z } from 'zod';
import type { ClientRecord } from '../../domain/clients/client.js';
import { GRANT_TYPES } from '../../domain/clients/client-service.js';
import type { RegistrationTokenInfo } from '../../domain/clients/registration-tokens.js';
import type { Services } from '../../services.js';
import { isoTime } from '../../views/admin-views.js';
import { defineRoute, type ApiRoute } from './api-route.js';
import { tenantIdSchema, tenantPathSchema } from './schemas.js';

const clientPathSchema = z
  .object({ tenantId: tenantIdSchema, clientId: z.string().regex(/^[A-Za-z0-9._-]{3,64}$/) })
  .strict();
const tokenPathSchema = z
  .object({ tenantId: tenantIdSchema, tokenId: z.string().regex(/^[0-9a-f]{16}$/) })
  .strict();

const clientSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  public: z.boolean(),
  firstParty: z.boolean(),
  grantTypes: z.array(z.string()),
  redirectUris: z.array(z.string()),
  requireRoles: z.array(z.string()),
  registered: z.boolean(),
  createdAt: z.iso.datetime(),
});

const newClientSchema = z
  .object({
    name: z.string().min(1).max(200),
    redirectUris: z.array(z.string().max(2000)).max(20).default([]),
    grantTypes: z.array(z.enum(GRANT_TYPES)).min(1).max(3).optional(),
    public: z.boolean().optional().meta({ description: 'A public client has no secret (PKCE only)' }),
    thirdParty: z.boolean().optional().meta({ description: 'Third-party clients show the consent page' }),
    requireRoles: z.array(z.string().max(64)).max(20).optional(),
  })
  .strict();

const tokenSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});

const clientView = (client: ClientRecord) => ({
  id: client.id,
  tenantId: client.tenantId ?? '',
  name: client.name,
  public: client.secretHash === null,
  firstParty: client.firstParty,
  grantTypes: client.metadata.grant_types,
  redirectUris: client.metadata.redirect_uris,
  requireRoles: client.requireRoles,
  registered: client.registered,
  createdAt: isoTime(client.createdAt),
});

const tokenView = (token: RegistrationTokenInfo) => ({
  id: token.id,
  tenantId: token.tenantId ?? '',
  createdAt: isoTime(token.createdAt),
  expiresAt: isoTime(token.expiresAt),
});

/** The tenant's applications and registration tokens: the same TenantClients as the admin console. */
export function clientRoutes(services: Services): ApiRoute[] {
  const clients = services.tenantClients;
  return [
    defineRoute({
      method: 'get',
      path: '/tenants/:tenantId/clients',
      summary: "The tenant's OIDC clients (applications)",
      action: 'client.list',
      params: tenantPathSchema,
      response: { status: 200, schema: z.object({ items: z.array(clientSchema) }) },
      async handle({ caller, params, origin }) {
        return { items: (await clients.list(caller, params.tenantId, origin)).map(clientView) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tenants/:tenantId/clients',
      summary: 'Creates a client bound to the tenant; a confidential one gets its secret here, once',
      action: 'client.create',
      params: tenantPathSchema,
      body: newClientSchema,
      response: { status: 201, schema: clientSchema.extend({ clientSecret: z.string().optional() }) },
      async handle({ caller, params, body, origin }) {
        const { client, clientSecret } = await clients.create(
          caller,
          params.tenantId,
          {
            name: body.name,
            redirectUris: body.redirectUris,
            ...(body.grantTypes ? { grantTypes: body.grantTypes } : {}),
            isPublic: body.public ?? false,
            thirdParty: body.thirdParty ?? false,
            requireRoles: body.requireRoles ?? [],
          },
          origin,
        );
        return { ...clientView(client), ...(clientSecret ? { clientSecret } : {}) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenants/:tenantId/clients/:clientId',
      summary: 'One client of the tenant',
      action: 'client.read',
      params: clientPathSchema,
      response: { status: 200, schema: clientSchema },
      async handle({ caller, params, origin }) {
        return clientView(await clients.get(caller, params.tenantId, params.clientId, origin));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tenants/:tenantId/clients/:clientId/secret',
      summary: 'Replaces the client secret; the new one is returned once and the old one stops working',
      action: 'client.rotate_secret',
      params: clientPathSchema,
      response: { status: 200, schema: z.object({ clientId: z.string(), clientSecret: z.string() }) },
      async handle({ caller, params, origin }) {
        const { client, clientSecret } = await clients.rotateSecret(
          caller,
          params.tenantId,
          params.clientId,
          origin,
        );
        return { clientId: client.id, clientSecret };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/tenants/:tenantId/clients/:clientId',
      summary: 'Deletes the client with its tokens, grants and sessions',
      action: 'client.delete',
      params: clientPathSchema,
      response: { status: 204 },
      async handle({ caller, params, origin }) {
        await clients.delete(caller, params.tenantId, params.clientId, origin);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenants/:tenantId/registration-tokens',
      summary: "The tenant's valid initial access tokens for dynamic client registration (ids only)",
      action: 'registration_token.list',
      params: tenantPathSchema,
      response: { status: 200, schema: z.object({ items: z.array(tokenSchema) }) },
      async handle({ caller, params, origin }) {
        return {
          items: (await clients.listRegistrationTokens(caller, params.tenantId, origin)).map(tokenView),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tenants/:tenantId/registration-tokens',
      summary: 'Creates an initial access token registering clients bound to the tenant; returned once',
      action: 'registration_token.create',
      params: tenantPathSchema,
      body: z.object({ expiresInSeconds: z.number().int().min(60).max(31_536_000).optional() }).strict(),
      response: { status: 201, schema: tokenSchema.extend({ token: z.string() }) },
      async handle({ caller, params, body, origin }) {
        const { token, info } = await clients.createRegistrationToken(
          caller,
          params.tenantId,
          body.expiresInSeconds,
          origin,
        );
        return { ...tokenView(info), token };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/tenants/:tenantId/registration-tokens/:tokenId',
      summary: 'Revokes a registration token; clients registered with it stay',
      action: 'registration_token.revoke',
      params: tokenPathSchema,
      response: { status: 204 },
      async handle({ caller, params, origin }) {
        await clients.revokeRegistrationToken(caller, params.tenantId, params.tokenId, origin);
      },
    }),
  ];
}
