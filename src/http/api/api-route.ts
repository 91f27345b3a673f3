import type { z } from 'zod';
import type { Permission } from '../../../config/roles.js';
import type { TenantRecord } from '../../../db/repositories/index.js';
import type { AuditOrigin } from '../../domain/audit/audit-service.js';
import type { Caller } from '../../domain/tenants/tenant-access.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ApiRequest<P, Q, B> {
  caller: Caller;
  /** The tenant named in the path, already checked to be within the caller's reach. */
  tenant: TenantRecord | undefined;
  params: P;
  query: Q;
  body: B;
  origin: AuditOrigin;
}

/**
 * One admin API operation, declared once: the router validates its input with these schemas, checks the
 * tenant reach and the permission, and filters its output through `response.schema`; the OpenAPI document
 * is generated from the same declaration.
 */
export interface ApiRoute<P = unknown, Q = unknown, B = unknown> {
  method: HttpMethod;
  /** Koa-style path below /api/v1, e.g. `/tenants/:tenantId/users`. */
  path: string;
  summary: string;
  permission: Permission;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  response: { status: 200 | 201 | 204; schema?: z.ZodType };
  handle(request: ApiRequest<P, Q, B>): Promise<unknown>;
}

export function defineRoute<P = undefined, Q = undefined, B = undefined>(route: ApiRoute<P, Q, B>): ApiRoute {
  return route;
}
