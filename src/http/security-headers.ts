import helmet from 'koa-helmet';

/**
 * Strict headers for every response. `form-action` is left out on purpose: after a login form the browser
 * follows 303s to the RP's redirect_uri, which a `form-action 'self'` would block.
 * oidc-provider adds hashes to `script-src` for the few auto-submitting pages it renders itself.
 */
export function securityHeaders(issuer: string) {
  const https = issuer.startsWith('https:');
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}
