import type { Services } from '../../services.js';
import { auditEventView } from '../../views/admin-views.js';
import { defineRoute, type ApiRoute } from './api-route.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { ProblemError } from './problem.js';
import { auditEventSchema, pageQuerySchema, pageSchema, tenantPathSchema } from './schemas.js';

export function auditRoutes(services: Services): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/tenants/:tenantId/audit-events',
      summary: "The tenant's audit trail, newest first, a page at a time",
      action: 'audit.read',
      params: tenantPathSchema,
      query: pageQuerySchema,
      response: { status: 200, schema: pageSchema(auditEventSchema) },
      async handle({ caller, params, query, origin }) {
        const before = decodeCursor(query.cursor);
        const beforeId = before === undefined ? undefined : Number(before);
        if (beforeId !== undefined && !Number.isInteger(beforeId)) {
          throw new ProblemError(400, 'invalid_request', 'The cursor is not valid.');
        }
        const page = await services.auditTrail.list(
          caller,
          params.tenantId,
          { limit: query.limit + 1, beforeId },
          origin,
        );
        const items = page.slice(0, query.limit);
        const last = items[items.length - 1];
        return {
          items: items.map(auditEventView),
          nextCursor: page.length > query.limit && last?.id !== undefined ? encodeCursor(last.id) : null,
        };
      },
    }),
  ];
}
