import { z } from 'zod';
import { permissionFor } from '../../domain/access/admin-actions.js';
import type { ApiRoute } from './api-route.js';
import { problemSchema } from './schemas.js';

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

/** OpenAPI 3.1, generated from the same route declarations and zod schemas that validate requests. */
export function buildOpenApiDocument(
  routes: readonly ApiRoute[],
  { issuer, prefix }: { issuer: string; prefix: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [
      ...objectProperties(route.params).map(([name, schema]) => ({
        name,
        in: 'path',
        required: true,
        schema,
      })),
      ...objectProperties(route.query).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      })),
    ];
    (paths[path] ??= {})[route.method] = {
      summary: route.summary,
      description: `Needs the \`${permissionFor(route.action)}\` permission in the tenant.`,
      parameters,
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body) } },
            },
          }
        : {}),
      responses: {
        [String(route.response.status)]: route.response.schema
          ? {
              description: 'Success',
              content: { 'application/json': { schema: jsonSchema(route.response.schema) } },
            }
          : { description: 'Success, no content' },
        default: {
          description: 'A problem (RFC 9457)',
          content: { 'application/problem+json': { schema: jsonSchema(problemSchema) } },
        },
      },
      security: [{ bearer: [] }, { dpop: [] }],
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'usp-idp admin API',
      version: '1',
      description:
        'Tenant administration. Access tokens come from this IdP for the resource ' +
        `${issuer}/api (a JWT with tenant_id and permissions), as a Bearer token or DPoP-bound (RFC 9449). ` +
        'Out-of-reach tenants, and users who hold a permission the caller lacks, answer 404 like missing ones.',
    },
    servers: [{ url: `${issuer}${prefix}` }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        dpop: {
          type: 'http',
          scheme: 'dpop',
          bearerFormat: 'JWT',
          description: 'RFC 9449: with a DPoP proof header',
        },
      },
    },
  };
}

function objectProperties(schema: z.ZodType | undefined): Array<[string, unknown]> {
  if (!schema) return [];
  const properties = (jsonSchema(schema) as { properties?: Record<string, unknown> }).properties ?? {};
  return Object.entries(properties).map(([name, property]) => [name, stripSchemaKeyword(property)]);
}

function stripSchemaKeyword(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return schema;
  const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
  return rest;
}
