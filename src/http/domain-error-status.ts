import {
  ConflictError,
  type DomainError,
  ForbiddenError,
  NotFoundError,
  ThrottledError,
  ValidationError,
} from '../domain/shared/errors.js';

/** The HTTP status of a domain error, for pages and the API alike. */
export function statusOfDomainError(error: DomainError): number {
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof ConflictError) return 409;
  if (error instanceof ThrottledError) return 429;
  if (error instanceof ValidationError) return 400;
  return 400;
}
