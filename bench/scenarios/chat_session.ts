/**
 * One server, N connected users, and the scenarios that share them: connect
 * time, memory per user and per socket, the open loop and the closed loop.
 * Connecting once and running the DM scenarios on the same sockets keeps a
 * 2,000-user run short and measures the server in the state it is built for.
 *
 * @example
 * ```ts
 * const result = await runChatSession("relay", options, new Set(["connect", "open_loop"]));
 * ```
 *
 * @module
 */
import { log } from "../log.ts";
import type { BenchOptions } from "../options.ts";
import { CpuMeter } from "../proc.ts";
import { resultsPath } from "../report.ts";
import { ServerProcess, type Target } from "../server_process.ts";
import { restingRssKiB, steadyRssKiB, waitForQuiet } from "../settle.ts";
import { type ConnectTimes, UserPool } from "../user_pool.ts";
import { type ClosedLoopResult, runClosedLoop } from "./closed_loop.ts";
import { type OpenLoopResult, runWarmOpenLoop } from "./open_loop.ts";

/**
 * Server memory before and after the users connected: on arrival (once the
 * RSS stopped moving) and at rest (once the runtime had the chance to give
 * back the garbage and young generation the arrival left behind).
 */
export interface MemoryResult {
  users: number;
  sockets: number;
  /** Idle after start, at rest. */
  idleKiB: number;
  /** With the users connected, as soon as the RSS stopped moving. */
  arrivalKiB: number;
  /** With the users connected, at rest. */
  connectedKiB: number;
  /** False when the arrival reading was still moving at its deadline. */
  steady: boolean;
  /** Whether the server was seen to give memory back before each resting reading (idle, connected). */
  released: [boolean, boolean];
  arrivalPerSocketKiB: number;
  perUserKiB: number;
  perSocketKiB: number;
  /** Whether the readings include the embedded database, open in the server's own process. */
  includesDatabase: boolean;
}

/** Everything measured on one server with one pool of users. */
export interface ChatSessionResult {
  target: Target;
  connect: ConnectTimes;
  /**
   * The server's CPU time per user to connect everyone, their presence
   * traffic included (until it went quiet), in milliseconds.
   */
  connectCpuMsPerUser: number;
  memory?: MemoryResult;
  openLoop?: OpenLoopResult;
  closedLoop?: ClosedLoopResult;
  /** Sockets the server closed during the session, by close code. */
  serverCloses: Record<string, number>;
  /** Generator's resident memory with the users connected, in KiB. */
  generatorRssKiB: number;
}

/** The scenarios this session runs. */
export const SESSION_SCENARIOS = ["connect", "memory", "open_loop", "closed_loop"] as const;

/** Starts `target`, connects the users and runs the selected session scenarios in order. */
export async function runChatSession(
  target: Target,
  options: BenchOptions,
  selected: ReadonlySet<string>,
): Promise<ChatSessionResult> {
  const server = await ServerProcess.start({ target, databaseUrl: options.databaseUrl, verbose: options.verbose });
  let pool: UserPool | undefined;
  try {
    log(`${target}: started (pid ${server.pid})`);
    const rest = { windowMs: options.restMs };
    if (selected.has("memory")) log(`${target}: waiting up to ${options.restMs / 1000} s for memory at rest`);
    const idle = selected.has("memory") ? await restingRssKiB(server.pid, rest) : undefined;
    log(`${target}: connecting ${options.users} users`);
    const connectCpu = new CpuMeter({ server: server.pid });
    pool = await UserPool.connect({
      count: options.users,
      serverFor: () => server.url,
      concurrency: options.connectConcurrency,
    });
    const connectedPool = pool;
    // Presence diffs of the join wave are still flowing; measure nothing until they stop.
    await waitForQuiet(() => connectedPool.framesReceived, { quietMs: 500 });
    const result: ChatSessionResult = {
      target,
      connect: pool.connectTimes,
      connectCpuMsPerUser: connectCpu.seconds().server * 1000 / pool.size,
      serverCloses: pool.closes,
      generatorRssKiB: Math.round(Deno.memoryUsage().rss / 1024),
    };
    if (idle !== undefined) {
      const arrival = await steadyRssKiB(server.pid);
      log(`${target}: waiting up to ${options.restMs / 1000} s for memory at rest`);
      const connected = await restingRssKiB(server.pid, rest);
      const delta = connected.kib - idle.kib;
      result.memory = {
        users: pool.size,
        sockets: pool.socketCount,
        idleKiB: idle.kib,
        arrivalKiB: arrival.kib,
        connectedKiB: connected.kib,
        steady: arrival.steady,
        released: [idle.released, connected.released],
        arrivalPerSocketKiB: (arrival.kib - idle.kib) / pool.socketCount,
        perUserKiB: delta / pool.size,
        perSocketKiB: delta / pool.socketCount,
        includesDatabase: server.databaseInProcess,
      };
    }
    const pids = { server: server.pid };
    const drainMs = options.drainMs;
    if (selected.has("open_loop")) {
      log(`${target}: open loop, ${options.rate} DMs/s for ${options.durationS} s`);
      const { rate, durationS, warmupS } = options;
      const timelinePath = options.timeline ? await resultsPath(`timeline-${target}`, "csv") : undefined;
      result.openLoop = await runWarmOpenLoop(pool, { rate, durationS, warmupS, drainMs, pids, timelinePath });
      await waitForQuiet(() => connectedPool.framesReceived, { quietMs: 300 });
    }
    if (selected.has("closed_loop")) {
      log(`${target}: closed loop, ${options.window} DMs in flight for ${options.durationS} s`);
      result.closedLoop = await runClosedLoop(pool, {
        window: options.window,
        durationS: options.durationS,
        drainMs,
        pids,
      });
    }
    return result;
  } finally {
    await pool?.close();
    await server.stop();
  }
}
