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
