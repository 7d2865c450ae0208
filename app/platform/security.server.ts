import type { NextFunction, Request, Response } from 'express';

const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/** Headers on every response. No inline script or style anywhere, so CSP needs no exception. */
export function securityHeaders(production: boolean) {
  return (_request: Request, response: Response, next: NextFunction) => {
    response.setHeader(
      'Content-Security-Policy',
      production ? `${contentSecurityPolicy}; upgrade-insecure-requests` : contentSecurityPolicy,
    );
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('X-Frame-Options', 'DENY');
    // Links in mail carry tokens in their path: never send a path to another site.
    response.setHeader('Referrer-Policy', 'same-origin');
    response.setHeader(
      'Permissions-Policy',
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
    );
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (production)
      response.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    next();
  };
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a state-changing request must prove it comes from one of our pages, by
 * Sec-Fetch-Site (modern browsers) or else Origin. The API authenticates with tokens, not
 * cookies, and is exempt.
 */
export function isSameOriginRequest(request: Request, appOrigin: string): boolean {
  if (safeMethods.has(request.method) || request.path.startsWith('/api/')) return true;
  const fetchSite = request.get('sec-fetch-site');
  if (fetchSite) return fetchSite === 'same-origin';
  const origin = request.get('origin');
  if (!origin || origin === 'null') return false;
  const ownOrigin = `${request.protocol}://${request.get('host')}`;
  return origin === appOrigin || origin === ownOrigin;
}
