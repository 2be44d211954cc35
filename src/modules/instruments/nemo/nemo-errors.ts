/**
 * What goes wrong talking to a NEMO server, as two typed errors: the server answered something that is not
 * NEMO's documented shape (`NemoAnswerMalformed`, never retried: asking again gives the same answer), or the
 * request itself failed (`NemoRequestFailed`: a refusal such as 401/400, or 5xx and timeouts that outlasted
 * the retries). Messages name the URL and what was wrong, never the token.
 */

/** The answer is not what NEMO's API returns: not JSON, not a list, or a row without a field we rely on. */
export class NemoAnswerMalformed extends Error {
  override readonly name = 'NemoAnswerMalformed';
  constructor(
    readonly url: string,
    readonly problem: string,
  ) {
    super(`malformed NEMO answer from ${url}: ${problem}`);
  }
}

/** The request got no usable answer: a 4xx refusal, or 5xx/timeouts on every attempt. */
export class NemoRequestFailed extends Error {
  override readonly name = 'NemoRequestFailed';
  constructor(
    readonly url: string,
    /** The last HTTP status, or null when no answer came at all (timeout, connection refused). */
    readonly status: number | null,
    readonly attempts: number,
    detail: string,
  ) {
    super(`NEMO request ${url} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${detail}`);
  }
}
