/**
 * Open-loop DM latency: a scheduler offers DMs at a fixed rate whatever the
 * server answers, so a slow server meets a growing queue instead of a
 * politely waiting client. Latency runs from the moment a DM is handed to
 * the socket to the moment its recipient's socket receives it.
 *
 * @example
 * ```ts
 * const result = await runOpenLoop(pool, { rate: 5000, durationS: 10, drainMs: 5000, pids: { server: pid } });
 * console.log(result.totals.latency.p99);
 * ```
 *
 * @module
 */
import { DmLedger, type LedgerTotals } from "../dm_ledger.ts";
import { log } from "../log.ts";
import { CpuMeter } from "../proc.ts";
import { Samples, type Summary } from "../stats.ts";
import type { UserPool } from "../user_pool.ts";

/** How to run an open loop. */
export interface OpenLoopOptions {
  /** DMs per second offered. */
  rate: number;
  /** Seconds of sending. */
  durationS: number;
  /** How long to wait for the last DMs after sending stops, before counting the rest lost. */
  drainMs: number;
  /** Processes whose CPU share to report, by name; the generator is added. */
  pids: Record<string, number>;
  /** A file to write each DM's send time and latency to, as CSV (the warm-up's are not written). */
  timelinePath?: string;
}

/** What an open loop measured. */
export interface OpenLoopResult {
  rate: number;
  durationS: number;
  /** DMs per second actually handed to sockets. */
  sentPerSec: number;
  totals: LedgerTotals;
  /** How late the scheduler sent each DM against its slot, in milliseconds. */
  sendLag: Summary;
  /** False when DMs were still missing at the end of the drain. */
  drained: boolean;
  /** CPU share while sending, in percent of one core, by process. */
  cpu: Record<string, number>;
}

// The scheduler's timer period: Deno's timers fire about every 2 ms at best, so each tick sends what fell due.
const TICK_MS = 1;

/**
 * Runs an unmeasured open loop of `warmupS` seconds, then the measured one:
 * the first seconds of a fresh process run unoptimised code on both sides.
 */
export async function runWarmOpenLoop(
  pool: UserPool,
  options: OpenLoopOptions & { warmupS: number },
): Promise<OpenLoopResult> {
  await runOpenLoop(pool, { ...options, durationS: options.warmupS, timelinePath: undefined });
  return runOpenLoop(pool, options);
}

/** Offers DMs at a fixed rate, round-robin over the pool's users, each to its peer. */
export async function runOpenLoop(pool: UserPool, options: OpenLoopOptions): Promise<OpenLoopResult> {
  const ledger = new DmLedger(pool.dmsSent, { keepTimeline: options.timelinePath !== undefined });
  pool.onChat = (user, frame) => ledger.receive(user, frame);
  const total = Math.max(1, Math.round(options.rate * options.durationS));
  const slotMs = 1000 / options.rate;
  const lag = new Samples(total);
  const meter = new CpuMeter({ ...options.pids, generator: Deno.pid });
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - started) / slotMs) + 1);
      for (; next < due; next++) {
        const sender = next % pool.size;
        const at = performance.now();
        pool.sendDm(sender, ledger.sent(sender, at));
        lag.add(at - (started + next * slotMs));
      }
      if (next < total) setTimeout(tick, TICK_MS);
      else resolve();
    };
    tick();
  });
  const sendMs = performance.now() - started;
  const cpu = meter.read();
  const drained = await ledger.waitSettled(total, options.drainMs);
  pool.onChat = () => {};
  if (options.timelinePath !== undefined) {
    await Deno.writeTextFile(options.timelinePath, ledger.timelineCsv());
    log(`open loop: each DM's send time and latency written to ${options.timelinePath}`);
  }
  return {
    rate: options.rate,
    durationS: options.durationS,
    sentPerSec: (total / sendMs) * 1000,
    totals: ledger.totals(),
    sendLag: lag.summary(),
    drained,
    cpu,
  };
}
