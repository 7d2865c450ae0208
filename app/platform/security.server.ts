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
 * Sec-Fetch-Site (modern browsers) or else Origin.
 */
export function isSameOriginRequest(request: Request, appOrigin: string): boolean {
  if (safeMethods.has(request.method)) return true;
  const fetchSite = request.get('sec-fetch-site');
  if (fetchSite) return fetchSite === 'same-origin';
  const origin = request.get('origin');
  if (!origin || origin === 'null') return false;
  const ownOrigin = `${request.protocol}://${request.get('host')}`;
  return origin === appOrigin || origin === ownOrigin;
}

/**
 * Loopback and private networks (Fly's 6PN is fd00::/8): where a Prometheus scraper lives.
 * `ip` is Express's request.ip, which honours X-Forwarded-For only from private hops.
 */
export function isPrivateAddress(ip: string | undefined): boolean {
  if (!ip) return false;
  const address = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (/^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(address)) return true;
  return (
    address === '::1' || /^f[cd][0-9a-f]{2}:/i.test(address) || /^fe[89ab][0-9a-f]:/i.test(address)
  );
}
