/**
 * Closed-loop DM throughput: a fixed window of DMs is kept in flight across
 * the pairs, and each DM that comes back (delivered and echoed, or refused)
 * releases the next. The deliveries per second it settles at is the most the
 * server sustains with this generator beside it on the same cores.
 *
 * @example
 * ```ts
 * const result = await runClosedLoop(pool, { window: 64, durationS: 10, drainMs: 5000, pids: { server: pid } });
 * console.log(result.deliveriesPerSec);
 * ```
 *
 * @module
 */
import { DmLedger, type LedgerTotals } from "../dm_ledger.ts";
import { CpuMeter } from "../proc.ts";
import type { UserPool } from "../user_pool.ts";

/** How to run a closed loop. */
export interface ClosedLoopOptions {
  /** DMs in flight at any time, across all pairs. */
  window: number;
  /** Seconds measured, after a warm-up of a fifth of it (at most 1 s). */
  durationS: number;
  /** How long to wait for the DMs still in flight at the end. */
  drainMs: number;
  /** Processes whose CPU share to report, by name; the generator is added. */
  pids: Record<string, number>;
}

/** What a closed loop measured. */
export interface ClosedLoopResult {
  window: number;
  durationS: number;
  /** Deliveries to recipients per second over the measured stretch. */
  deliveriesPerSec: number;
  totals: LedgerTotals;
  drained: boolean;
  /** CPU share over the measured stretch, in percent of one core, by process. */
  cpu: Record<string, number>;
}

/** Keeps `window` DMs in flight for the duration and counts deliveries. */
export async function runClosedLoop(pool: UserPool, options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const ledger = new DmLedger(pool.dmsSent);
  let running = true;
  let next = 0;
  const send = () => {
    const sender = next++ % pool.size;
    pool.sendDm(sender, ledger.sent(sender, performance.now()));
  };
  ledger.onSettled = () => {
    if (running) send();
  };
  pool.onChat = (user, frame) => ledger.receive(user, frame);
  for (let i = 0; i < options.window; i++) send();

  // These waits are the measurement windows themselves, not stand-ins for an event.
  await delay(Math.min(1000, (options.durationS * 1000) / 5));
  const meter = new CpuMeter({ ...options.pids, generator: Deno.pid });
  const startCount = ledger.deliveredCount;
  const started = performance.now();
  await delay(options.durationS * 1000);
  const deliveries = ledger.deliveredCount - startCount;
  const elapsedMs = performance.now() - started;
  const cpu = meter.read();
  running = false;

  const drained = await ledger.waitSettled(ledger.sentCount, options.drainMs);
  pool.onChat = () => {};
  return {
    window: options.window,
    durationS: options.durationS,
    deliveriesPerSec: (deliveries / elapsedMs) * 1000,
    totals: ledger.totals(),
    drained,
    cpu,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
