/**
 * Cross-instance DM latency: two Quick Chat processes on one PostgreSQL, half
 * the users on each, every pair split across them, so every DM crosses
 * through the database's `NOTIFY` path in both directions.
 *
 * @example
 * ```ts
 * const result = await runCrossInstance({ users: 2000, rate: 1000, durationS: 10, databaseUrl, drainMs: 5000 });
 * ```
 *
 * @module
 */
import { log } from "../log.ts";
import { ServerProcess } from "../server_process.ts";
import { waitForQuiet } from "../settle.ts";
import { UserPool } from "../user_pool.ts";
import { type OpenLoopResult, runWarmOpenLoop } from "./open_loop.ts";

/** How to run the cross-instance scenario. */
export interface CrossInstanceOptions {
  users: number;
  rate: number;
  durationS: number;
  databaseUrl: string;
  drainMs: number;
  warmupS: number;
  connectConcurrency?: number;
  verbose?: boolean;
}

/** The open loop's figures, plus what the servers closed. */
export interface CrossInstanceResult extends OpenLoopResult {
  users: number;
  serverCloses: Record<string, number>;
}

/** Runs an open loop between users on two instances sharing `databaseUrl`. */
export async function runCrossInstance(options: CrossInstanceOptions): Promise<CrossInstanceResult> {
  const start = (name: string) =>
    ServerProcess.start({ target: "quickchat", databaseUrl: options.databaseUrl, verbose: options.verbose, name });
  const started = await Promise.allSettled([start("quickchat-a"), start("quickchat-b")]);
  const failure = started.find((outcome) => outcome.status === "rejected");
  if (failure !== undefined) {
    // Stop the instance that did start, then report the one that did not.
    await Promise.all(started.map((outcome) => outcome.status === "fulfilled" ? outcome.value.stop() : undefined));
    throw failure.reason;
  }
  const [a, b] = started.map((outcome) => (outcome as PromiseFulfilledResult<ServerProcess>).value);
  let pool: UserPool | undefined;
  try {
    log(`cross-instance: connecting ${options.users} users, even ones to A, odd ones to B`);
    // Pairs are (2k, 2k+1), so every DM goes from one instance to the other.
    pool = await UserPool.connect({
      count: options.users,
      serverFor: (user) => user % 2 === 0 ? a.url : b.url,
      concurrency: options.connectConcurrency ?? 32,
    });
    const connected = pool;
    // Each instance must have heard of the other's users before a DM may find its peer.
    await waitForQuiet(() => connected.framesReceived, { quietMs: 1000 });
    log(`cross-instance: open loop, ${options.rate} DMs/s for ${options.durationS} s`);
    const result = await runWarmOpenLoop(pool, {
      rate: options.rate,
      durationS: options.durationS,
      warmupS: options.warmupS,
      drainMs: options.drainMs,
      pids: { serverA: a.pid, serverB: b.pid },
    });
    return { ...result, users: pool.size, serverCloses: { ...pool.closes } };
  } finally {
    await pool?.close();
    await Promise.all([a.stop(), b.stop()]);
  }
}
