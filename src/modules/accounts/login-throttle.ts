/**
 * Login rate limiting: failed attempts are counted per (username, address) and per address in a sliding
 * window; past the limit, login answers 429 before any password is checked. Kept in process memory: with
 * several server processes each enforces its own window.
 */
import { TooManyRequests } from '../../errors/catalogue.js';

export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Throws TooManyRequests when this username or address has failed too often in the window. */
  check(username: string, ip: string): void {
    const now = Date.now();
    for (const [key, limit] of this.#keys(username, ip)) {
      const recent = this.#recent(key, now);
      if (recent.length >= limit) {
        const retryAfter = Math.ceil(((recent[0] ?? now) + this.windowMs - now) / 1000);
        throw new TooManyRequests('Too many failed logins; try again later', Math.max(retryAfter, 1));
      }
    }
  }

  recordFailure(username: string, ip: string): void {
    const now = Date.now();
    for (const [key] of this.#keys(username, ip)) {
      const recent = this.#recent(key, now);
      recent.push(now);
      this.#failures.set(key, recent);
    }
    if (this.#failures.size > 100_000) this.#sweep(now);
  }

  recordSuccess(username: string, ip: string): void {
    this.#failures.delete(`user:${username.toLowerCase()}@${ip}`);
  }

  #keys(username: string, ip: string): Array<[string, number]> {
    // An address may try several accounts, so its own limit is wider than one account's.
    return [
      [`user:${username.toLowerCase()}@${ip}`, this.maxFailures],
      [`ip:${ip}`, this.maxFailures * 5],
    ];
  }

  #recent(key: string, now: number): number[] {
    return (this.#failures.get(key) ?? []).filter((at) => now - at < this.windowMs);
  }

  #sweep(now: number): void {
    for (const [key, times] of this.#failures) {
      if (times.every((at) => now - at >= this.windowMs)) this.#failures.delete(key);
    }
  }
}
