import { DomainError } from '../../domain/shared/errors.js';
import { statusOfDomainError } from '../domain-error-status.js';

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** For 400s: which input field failed, and why. */
  errors?: Array<{ path: string; message: string }>;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors?: Problem['errors'],
    /** A `WWW-Authenticate` challenge, for 401s. */
    readonly challenge?: string,
  ) {
    super(detail);
  }
}

export function problemFor(error: unknown): Problem {
  const make = (status: number, code: string, detail: string, errors?: Problem['errors']): Problem => ({
    type: `urn:usp-idp:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(errors ? { errors } : {}),
  });
  if (error instanceof ProblemError) return make(error.status, error.code, error.message, error.errors);
  if (error instanceof DomainError) {
    const status = statusOfDomainError(error);
    return make(status, error.code, error.message);
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 413) return make(413, 'request_too_large', 'The request body is too large.');
  if (status === 415) return make(415, 'unsupported_media_type', 'Send the body as application/json.');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return make(400, 'invalid_request', 'The request body is not valid JSON.');
  }
  return make(500, 'server_error', 'Something went wrong on our side.');
}
