/**
 * A token bucket: `burst` frames at once, refilled at `perSecond`. Each
 * connection owns one, so the check is a few arithmetic operations. Time is
 * `Date.now()`, the clock a DM's timestamp is read from, so one reading serves
 * both; a clock set back refills nothing until it moves forward again, and
 * one set forward fills the bucket no further than its burst.
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket(20, 40);
 * if (!bucket.take()) console.log("RATE_LIMITED");
 * ```
 */
export class TokenBucket {
  #tokens: number;
  #refilledAt = Date.now();
  /** Frames refused since the last one allowed; sustained abuse closes the socket. */
  refusedInARow = 0;
  readonly perSecond: number;
  readonly burst: number;

  constructor(perSecond: number, burst: number) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.#tokens = burst;
  }

  /** Takes one token; `false` when the bucket is empty. */
  take(now = Date.now()): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + Math.max(0, now - this.#refilledAt) * this.perSecond / 1000);
    this.#refilledAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      this.refusedInARow = 0;
      return true;
    }
    this.refusedInARow++;
    return false;
  }
}
