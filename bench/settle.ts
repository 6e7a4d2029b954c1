/**
 * Waiting for a system to come to rest. "Quiet" and "steady" are the absence
 * of events, so they can only be seen by sampling; each wait ends as soon as
 * the condition holds, never after a fixed sleep, and gives up at a deadline.
 *
 * @example
 * ```ts
 * await waitForQuiet(() => pool.framesReceived, { quietMs: 500 });
 * const rss = await steadyRssKiB(server.pid);
 * ```
 *
 * @module
 */
import { rssKiB } from "./proc.ts";

/** How a wait samples and when it gives up. */
export interface SettleOptions {
  /** How long the signal must not change (quiet) or stay in band (steady). */
  quietMs?: number;
  /** Sampling period. */
  everyMs?: number;
  /** Give up after this long and take what there is. */
  timeoutMs?: number;
}

/** Resolves once `counter()` has not changed for `quietMs`; false if the deadline came first. */
export function waitForQuiet(counter: () => number, options: SettleOptions = {}): Promise<boolean> {
  const { quietMs = 500, everyMs = 50, timeoutMs = 30_000 } = options;
  const started = performance.now();
  let last = counter();
  let lastChange = started;
  const { promise, resolve } = Promise.withResolvers<boolean>();
  const timer = setInterval(() => {
    const now = performance.now();
    const value = counter();
    if (value !== last) {
      last = value;
      lastChange = now;
    }
    if (now - lastChange >= quietMs || now - started >= timeoutMs) {
      clearInterval(timer);
      resolve(now - lastChange >= quietMs);
    }
  }, everyMs);
  return promise;
}

/** A resident-memory reading taken once it stopped moving. */
export interface SteadyRss {
  kib: number;
  /** False when the deadline came before the reading settled. */
  steady: boolean;
}

/**
 * Reads a process's RSS once its samples over `quietMs` stay within 1% (or
 * 256 KiB) of each other; the last reading is the answer.
 */
export function steadyRssKiB(pid: number, options: SettleOptions = {}): Promise<SteadyRss> {
  const { quietMs = 1000, everyMs = 100, timeoutMs = 20_000 } = options;
  const window = Math.max(2, Math.ceil(quietMs / everyMs));
  const readings: number[] = [rssKiB(pid)];
  const started = performance.now();
  const { promise, resolve } = Promise.withResolvers<SteadyRss>();
  const timer = setInterval(() => {
    const kib = rssKiB(pid);
    readings.push(kib);
    if (readings.length > window) readings.shift();
    const band = Math.max(...readings) - Math.min(...readings);
    const steady = readings.length === window && band <= Math.max(256, kib * 0.01);
    if (steady || performance.now() - started >= timeoutMs) {
      clearInterval(timer);
      resolve({ kib, steady });
    }
  }, everyMs);
  return promise;
}

/** How {@link restingRssKiB} watches. */
export interface RestOptions {
  /** The longest it watches; the garbage collector's idle work usually comes within 30 s. */
  windowMs: number;
  /** Sampling period. */
  everyMs?: number;
}

/** How long memory must stay level after it was given back: the reducer's collections come seconds apart. */
const LEVEL_MS = 10_000;

/** A resident-memory reading once the process had time to give back what it no longer uses. */
export interface RestingRss {
  kib: number;
  /** True when it was seen to give memory back (and then stay level), false when the window ran out first. */
  released: boolean;
}

/**
 * Whether a series of RSS readings shows memory given back and then level:
 * the latest at least 5% below the first, and the last `levelCount` within
 * 1% (or 256 KiB) of each other.
 */
export function hasReleased(readings: readonly number[], levelCount: number): boolean {
  if (readings.length < levelCount + 1) return false;
  const last = readings.slice(-levelCount);
  const band = Math.max(...last) - Math.min(...last);
  const latest = last[last.length - 1];
  return latest <= readings[0] * 0.95 && band <= Math.max(256, latest * 0.01);
}

/**
 * Reads a process's RSS once it had the chance to give back memory it only
 * needed for a while. A garbage-collected runtime keeps its young generation
 * and freed heap pages after a burst, and returns them when it has been idle
 * long enough for its memory reducer to run (V8: some 10–30 s, in a few
 * collections). This watches until memory was given back and then stayed
 * level for 10 s, or `windowMs` passed.
 */
export function restingRssKiB(pid: number, options: RestOptions): Promise<RestingRss> {
  const { windowMs, everyMs = 250 } = options;
  const levelCount = Math.ceil(LEVEL_MS / everyMs);
  const readings = [rssKiB(pid)];
  const started = performance.now();
  const { promise, resolve } = Promise.withResolvers<RestingRss>();
  const timer = setInterval(() => {
    readings.push(rssKiB(pid));
    const released = hasReleased(readings, levelCount);
    if (released || performance.now() - started >= windowMs) {
      clearInterval(timer);
      resolve({ kib: readings[readings.length - 1], released });
    }
  }, everyMs);
  return promise;
}
