/**
 * Security headers (Content-Security-Policy, HSTS when served over HTTPS, nosniff, frame and referrer
 * policies…), computed once at start-up: the policy is fixed by configuration, and building helmet's
 * middleware on every request cost more than the rest of the header work together.
 *
 * Two sets:
 * - documents (the web UI, the API explorer) get all of helmet's, with Cairn's Content-Security-Policy (whose
 *   style-src the explorer narrows for its own pages, see api-explorer.ts);
 * - API responses (JSON, labels, file downloads) get the set OWASP's REST Security Cheat Sheet gives for
 *   APIs: `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` (an API response opened as a
 *   page — an uploaded HTML or SVG file, say — may load and run nothing, and nothing may frame it),
 *   `X-Frame-Options: DENY` for browsers without CSP, nosniff, and HSTS; plus Cross-Origin-Resource-Policy and
 *   Referrer-Policy. The web UI only fetches API responses or shows them as images, which no policy of the
 *   response itself restricts. Left out of API responses are the headers that only act on HTML documents or
 *   on retired software (Cross-Origin-Opener-Policy, Origin-Agent-Cluster, X-DNS-Prefetch-Control,
 *   X-Download-Options for Internet Explorer 8, X-Permitted-Cross-Domain-Policies for Flash,
 *   X-XSS-Protection): Node checks every header of every response, so these would cost server time for
 *   nothing (bench/README.md, Decisions).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { Config } from '../config/config.js';

export interface SecurityHeaders {
  /** For pages: the web UI and the API explorer. */
  document: Record<string, string>;
  /** For API responses. */
  api: Record<string, string>;
}

/** Helmet's headers that API responses keep as they are (the two framing ones are replaced, see above). */
const KEPT_FOR_API = [
  'cross-origin-resource-policy',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
];

/** The header sets for Cairn's policy, as name → value maps (see the module header). */
export function computeSecurityHeaders(config: Pick<Config, 'secureCookies'>): SecurityHeaders {
  const document = helmetHeaders(config);
  const api: Record<string, string> = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
  };
  for (const name of KEPT_FOR_API) {
    const value = document[name];
    if (value !== undefined) api[name] = value;
  }
  return { document, api };
}

/** Whether a request gets the API set: everything under /api/ except the explorer's pages. */
export function isApiRequest(url: string): boolean {
  return url.startsWith('/api/') && !url.startsWith('/api/docs');
}

/** The header set helmet would send with Cairn's policy. */
function helmetHeaders(config: Pick<Config, 'secureCookies'>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  const middleware = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        // Over plain HTTP (a lab intranet) upgrading would break every asset; only when served over HTTPS.
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies,
  });
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}
