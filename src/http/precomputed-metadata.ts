import crypto from 'node:crypto';
import type { Context, Next } from 'koa';

/** Discovery and JWKS: public, the same for every request, and changed only by a new key set. */
const METADATA_PATHS = new Set(['/.well-known/openid-configuration', '/jwks']);

interface Metadata {
  body: string;
  contentType: string;
  etag: string;
}

/**
 * Serves discovery and JWKS from what oidc-provider answered the first time, with an ETag (so relying
 * parties revalidate with a 304) and the cache lifetime that the key schedule counts on. The application
 * is assembled again when keys change, and with it this cache.
 */
export function precomputedMetadata(maxAgeSeconds: number) {
  const computed = new Map<string, Metadata>();
  return async (ctx: Context, next: Next) => {
    if (!METADATA_PATHS.has(ctx.path) || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) {
      await next();
      return;
    }
    let metadata = computed.get(ctx.path);
    if (!metadata) {
      await next();
      if (ctx.status !== 200) return;
      const body = typeof ctx.body === 'string' ? ctx.body : JSON.stringify(ctx.body);
      const etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      metadata = { body, contentType: ctx.response.get('content-type'), etag };
      computed.set(ctx.path, metadata);
    }
    // Like oidc-provider's own answer: readable from any origin, which varies the response.
    const origin = ctx.get('origin');
    if (origin) ctx.set('access-control-allow-origin', origin);
    ctx.vary('origin');
    ctx.status = 200;
    ctx.etag = metadata.etag;
    ctx.set('cache-control', `public, max-age=${maxAgeSeconds}`);
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.type = metadata.contentType;
    ctx.body = metadata.body;
  };
}
