/**
 * The one cookie Cairn uses, the web session's, read and written by hand: a cookie plugin would add a hook
 * to every request (and a Map per request) for a header only the browser's requests carry.
 */

/** The value of cookie `name` in a Cookie header, or null. Values Cairn sets are base64url: no decoding. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals === -1 || part.slice(0, equals).trim() !== name) continue;
    let value = part.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value;
  }
  return null;
}

export interface CookieOptions {
  /** When the cookie ends; a date in the past removes it. */
  expires: Date;
  /** Sent only over HTTPS. */
  secure: boolean;
}

/** A Set-Cookie header value for an HttpOnly, SameSite=Strict cookie on the whole site. */
export function setCookieHeader(name: string, value: string, options: CookieOptions): string {
  if (!/^[A-Za-z0-9._~-]*$/.test(value)) throw new Error(`cookie ${name}: the value must be base64url`);
  const parts = [`${name}=${value}`, 'Path=/', `Expires=${options.expires.toUTCString()}`, 'HttpOnly'];
  if (options.secure) parts.push('Secure');
  parts.push('SameSite=Strict');
  return parts.join('; ');
}
