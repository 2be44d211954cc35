/**
 * Waiting for something that happens in the background (a file removed, a lease expired, a request arrived):
 * the condition is polled, so a test waits exactly as long as the machine needs and no longer.
 */

export interface WaitOptions {
  /** How long to keep trying before failing; generous, since a busy machine is several times slower. */
  timeout?: number;
  /** How often to check. */
  interval?: number;
}

/** Resolves once `condition` holds; fails naming `what` if it does not within the timeout. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  { timeout = 10_000, interval = 50 }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
