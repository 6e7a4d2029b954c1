import type { ClientKey } from "./client_address.ts";

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
    this.#tokens = this.#level(now);
    this.#refilledAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      this.refusedInARow = 0;
      return true;
    }
    this.refusedInARow++;
    return false;
  }

  /** Milliseconds until a token is back (0 when one is there). */
  waitMs(now = Date.now()): number {
    return Math.max(0, Math.ceil((1 - this.#level(now)) * 1000 / this.perSecond));
  }

  /** Whether the bucket has refilled to its burst, as if never used. */
  isFull(now = Date.now()): boolean {
    return this.#level(now) >= this.burst;
  }

  #level(now: number): number {
    return Math.min(this.burst, this.#tokens + Math.max(0, now - this.#refilledAt) * this.perSecond / 1000);
  }
}

/**
 * One {@link TokenBucket} per key, such as a client's address. A key's bucket
 * is made at its first take and forgotten once it has refilled, so memory
 * follows the keys seen within one refill, not every key ever seen.
 *
 * @example
 * ```ts
 * const registrations = new KeyedBuckets(20 / 60, 20);
 * const waitMs = registrations.take("203.0.113.7");
 * if (waitMs > 0) console.log(`try again in ${waitMs} ms`);
 * ```
 */
export class KeyedBuckets {
  readonly perSecond: number;
  readonly burst: number;
  #buckets = new Map<string, TokenBucket>();
  #sweptAt = Date.now();

  constructor(perSecond: number, burst: number) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** Takes a token from `key`'s bucket: 0 when there was one, otherwise the milliseconds until there is. */
  take(key: string, now = Date.now()): number {
    this.#sweep(now);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.perSecond, this.burst);
      this.#buckets.set(key, bucket);
    }
    return bucket.take(now) ? 0 : bucket.waitMs(now);
  }

  /** Milliseconds until `key` has a token (0 when it has one now); takes nothing. */
  waitMs(key: string, now = Date.now()): number {
    return this.#buckets.get(key)?.waitMs(now) ?? 0;
  }

  /** How many keys have a bucket that is not full yet (or was not, at the last sweep). */
  get size(): number {
    return this.#buckets.size;
  }

  /** Forgets the buckets that refilled, once per refill time at most, so each take stays O(1) on average. */
  #sweep(now: number): void {
    // A clock set back would hold off the next sweep until it caught up again.
    if (now < this.#sweptAt) this.#sweptAt = now;
    if (now - this.#sweptAt < Math.min(60_000, this.burst * 1000 / this.perSecond)) return;
    this.#sweptAt = now;
    for (const [key, bucket] of this.#buckets) if (bucket.isFull(now)) this.#buckets.delete(key);
  }
}

/** How many clients' allowance an IPv6 site (a /48) has in all. */
export const SITE_SHARE = 4;

/**
 * An allowance per client ({@link ClientKey}) and, for IPv6 clients, per
 * site as well: each /64 has the allowance, and the blocks of a /48 together
 * {@link SITE_SHARE} times it, so that holding a /48's 65,536 blocks does not
 * multiply it. A take counts against both or, when either is spent, neither.
 *
 * @example
 * ```ts
 * const registrations = new ClientLimits(20 / 60, 20);
 * const waitMs = registrations.take({ key: "2001:db8:1:2::/64", site: "2001:db8:1::/48" });
 * if (waitMs > 0) console.log(`try again in ${waitMs} ms`);
 * ```
 */
export class ClientLimits {
  #clients: KeyedBuckets;
  #sites: KeyedBuckets;

  constructor(perSecond: number, burst: number) {
    this.#clients = new KeyedBuckets(perSecond, burst);
    this.#sites = new KeyedBuckets(perSecond * SITE_SHARE, burst * SITE_SHARE);
  }

  /** Takes from the client's allowance: 0 when there was some, otherwise the milliseconds until there is. */
  take(client: ClientKey, now = Date.now()): number {
    const siteWait = client.site === null ? 0 : this.#sites.waitMs(client.site, now);
    const waitMs = Math.max(this.#clients.waitMs(client.key, now), siteWait);
    if (waitMs > 0) return waitMs;
    this.#clients.take(client.key, now);
    if (client.site !== null) this.#sites.take(client.site, now);
    return 0;
  }
}
