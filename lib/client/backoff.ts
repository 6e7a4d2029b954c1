/** Bounds of the reconnect delay. */
export interface BackoffOptions {
  /** Delay ceiling of the first retry, in milliseconds. */
  baseMs: number;
  /** Largest delay, in milliseconds. */
  capMs: number;
}

/** Reconnects start around half a second and never wait longer than 15 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 15_000 };

/**
 * The delay before retry number `attempt` (0 for the first): exponential
 * backoff with full jitter, a uniformly random wait up to
 * `min(cap, base · 2^attempt)`, so that clients dropped together do not
 * come back together.
 *
 * @example
 * ```ts
 * setTimeout(connect, backoffDelay(attempt++));
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
