import type { z } from 'zod';
import type { Caller } from '../../domain/access/actor.js';
import type { AdminAction } from '../../domain/access/admin-actions.js';
import type { AuditOrigin } from '../../domain/audit/audit-service.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ApiRequest<P, Q, B> {
  caller: Caller;
  params: P;
  query: Q;
  body: B;
  origin: AuditOrigin;
}

/**
 * One admin API operation, declared once: the router authenticates, validates its input with these
 * schemas and filters its output through `response.schema`; the OpenAPI document is generated from the
 * same declaration. Who may do it is not decided here: `handle` calls a domain service with the caller,
 * and the service asks the access policy. `action` only names it, for the documentation.
 */
export interface ApiRoute<P = unknown, Q = unknown, B = unknown> {
  method: HttpMethod;
  /** Koa-style path below /api/v1, e.g. `/tenants/:tenantId/users`. */
  path: string;
  summary: string;
  action: AdminAction;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  response: { status: 200 | 201 | 204; schema?: z.ZodType };
  handle(request: ApiRequest<P, Q, B>): Promise<unknown>;
}

export function defineRoute<P = undefined, Q = undefined, B = undefined>(route: ApiRoute<P, Q, B>): ApiRoute {
  return route;
}
