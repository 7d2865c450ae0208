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

/**
 * Headers on every response. No inline script or style anywhere, so CSP needs no exception.
 * They are written just before the status line, and only where the response did not set its
 * own: a download sets a stricter `sandbox` policy, which must replace this one rather than be
 * appended to it (Remix's adapter appends).
 */
export function securityHeaders(production: boolean) {
  const defaults: Array<[string, string]> = [
    [
      'Content-Security-Policy',
      production ? `${contentSecurityPolicy}; upgrade-insecure-requests` : contentSecurityPolicy,
    ],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    // Links in mail carry tokens in their path: never send a path to another site.
    ['Referrer-Policy', 'same-origin'],
    [
      'Permissions-Policy',
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
    ],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ...(production
      ? ([['Strict-Transport-Security', 'max-age=63072000; includeSubDomains']] as Array<
          [string, string]
        >)
      : []),
  ];
  return (_request: Request, response: Response, next: NextFunction) => {
    const writeHead = response.writeHead;
    response.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      for (const [name, value] of defaults) {
        if (!response.hasHeader(name)) response.setHeader(name, value);
      }
      return writeHead.apply(this, args);
    } as Response['writeHead'];
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
