import type { Context, Next } from 'koa';
import { Router } from '@koa/router';
import { koaBody } from 'koa-body';
import type { z } from 'zod';
import type { Logger } from 'pino';
import type { Caller } from '../../domain/access/actor.js';
import type { Services } from '../../services.js';
import { refuseUnreadableBody } from '../body-errors.js';
import { requestOrigin } from '../request-origin.js';
import type { ApiCredentials } from './authenticate.js';
import { auditRoutes } from './audit-routes.js';
import { clientRoutes } from './client-routes.js';
import { buildOpenApiDocument } from './openapi.js';
import { problemFor, ProblemError } from './problem.js';
import { tenantRoutes } from './tenant-routes.js';
import { userRoutes } from './user-routes.js';

export const API_PREFIX = '/api/v1';

export interface ApiRouterDependencies {
  services: Services;
  authenticate(credentials: ApiCredentials): Promise<Caller>;
  logger: Logger;
  issuer: string;
}

const parseJson = koaBody({
  json: true,
  urlencoded: false,
  text: false,
  multipart: false,
  jsonLimit: '64kb',
  jsonStrict: true,
  onError: refuseUnreadableBody,
});

/** A body that is not JSON (a form, text, multipart) is refused as such, not as a JSON object left empty. */
const requireJson = async (ctx: Context, next: Next) => {
  if (ctx.is('application/json') === false) {
    throw new ProblemError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  await next();
};

/**
 * The admin REST API: every route authenticates, validates its input, and hands the caller to a domain
 * service, which decides whether the caller may (see src/domain/access). No policy lives here.
 */
export function createApiRouter(deps: ApiRouterDependencies): Router {
  const routes = [
    ...tenantRoutes(deps.services),
    ...userRoutes(deps.services),
    ...auditRoutes(deps.services),
    ...clientRoutes(deps.services),
  ];
  const openApi = buildOpenApiDocument(routes, { issuer: deps.issuer, prefix: API_PREFIX });
  const router = new Router({ prefix: API_PREFIX });

  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      await next();
    } catch (error) {
      const problem = problemFor(error);
      if (problem.status >= 500) ctx.state.log.error({ err: error }, 'admin API failure');
      ctx.status = problem.status;
      if (error instanceof ProblemError && error.challenge) ctx.set('WWW-Authenticate', error.challenge);
      ctx.type = 'application/problem+json; charset=utf-8';
      ctx.body = problem;
    }
  });

  router.get('/openapi.json', (ctx) => {
    ctx.body = openApi;
  });

  // Who is calling is settled before anything else, the request body included.
  const authenticate = async (ctx: Context, next: Next) => {
    const dpop = ctx.req.headers.dpop;
    ctx.state.caller = await deps.authenticate({
      authorization: ctx.get('authorization'),
      dpopProofs: dpop === undefined ? [] : Array.isArray(dpop) ? dpop : dpop.split(/\s*,\s*/),
      method: ctx.method,
      path: ctx.path,
    });
    await next();
  };

  for (const route of routes) {
    const handlers = route.body ? [authenticate, requireJson, parseJson] : [authenticate];
    router[route.method](route.path, ...handlers, async (ctx) => {
      const caller = ctx.state.caller as Caller;
      const params = parse(route.params, ctx.params, 'path');
      const query = parse(route.query, ctx.query, 'query');
      const body = parse(route.body, ctx.request.body, 'body');
      const origin = { ...requestOrigin(ctx), actor: caller.subject };
      const result = await route.handle({ caller, params, query, body, origin });
      ctx.status = route.response.status;
      if (route.response.schema) ctx.body = route.response.schema.parse(result);
    });
  }

  // A path under the prefix that no route declares is a problem too, not a bare text 404, and so is a
  // declared path with another method (405, with Allow).
  const declared = [...routes, { method: 'get', path: '/openapi.json' }];
  router.all('/{*rest}', (ctx) => {
    const path = ctx.path.slice(API_PREFIX.length);
    const allowed = declared
      .filter((route) => pathPattern(route.path).test(path))
      .map((route) => route.method.toUpperCase());
    if (allowed.length > 0) {
      ctx.set('Allow', allowed.join(', '));
      throw new ProblemError(405, 'method_not_allowed', `Use ${allowed.join(' or ')} on this path.`);
    }
    throw new ProblemError(404, 'not_found', 'There is no such path in this API.');
  });
  return router;
}

/** Zod's default messages name JavaScript values ("received undefined", "received NaN"), not what was sent. */
const plainMessages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'Required';
  if (Number.isNaN(issue.input)) return 'Expected a number';
  return undefined;
};

/** A route path (`/tenants/:tenantId`) as a pattern for one whole path below the prefix. */
function pathPattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
}

function parse<T>(schema: z.ZodType<T> | undefined, input: unknown, where: string): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(input ?? (where === 'body' ? undefined : {}), { error: plainMessages });
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ProblemError(
    400,
    'invalid_request',
    `The ${where} is not valid: ${errors[0]?.message ?? ''}`,
    errors,
  );
}
