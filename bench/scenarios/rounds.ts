/**
 * The DM runs as a comparison: the system under test and the relay run side
 * by side, each with its own pool of users, and take turns at the same run
 * for several short rounds (A B, B A, A B, …). Each round's ratio compares
 * two readings seconds apart, and the median of the ratios is the verdict, so
 * a machine whose speed drifts between the two sessions of a run (measured
 * here: the relay alone at 19,800–29,900 deliveries/s across runs of one
 * hour, and its open-loop p99 at 0.81–2.58 ms across one morning's runs)
 * moves both sides of a ratio alike. Both pools live in one generator
 * process, so whatever its state does to a reading, it does to both.
 *
 * The closed loop's rounds compare deliveries per second; the open loop's
 * compare the p99 latency at the open-loop rate, each turn after its own
 * warm-up.
 *
 * @example
 * ```ts
 * const { closedLoop, openLoop } = await runRounds("quickchat", options, { closed: true, open: true });
 * console.log(closedLoop?.medianRatio, openLoop?.medianRatio);
 * ```
 *
 * @module
 */
import type { LedgerTotals } from "../dm_ledger.ts";
import { log } from "../log.ts";
import type { BenchOptions } from "../options.ts";
import { ServerProcess, type Target } from "../server_process.ts";
import { waitForQuiet } from "../settle.ts";
import { median } from "../stats.ts";
import { UserPool } from "../user_pool.ts";
import { runClosedLoop } from "./closed_loop.ts";
import { runWarmOpenLoop } from "./open_loop.ts";

/** One closed-loop round: both servers' deliveries per second and server CPU share, measured one after the other. */
export interface Round {
  /** Which ran first. */
  first: "sut" | "baseline";
  sutPerSec: number;
  baselinePerSec: number;
  /** `sutPerSec / baselinePerSec`. */
  ratio: number;
  sutCpu: number;
  baselineCpu: number;
}

/** What the closed-loop rounds measured. */
export interface ClosedLoopRoundsResult {
  target: Target;
  window: number;
  /** Seconds each server was measured per round. */
  roundS: number;
  rounds: Round[];
  sutMedianPerSec: number;
  baselineMedianPerSec: number;
  /** The median of the rounds' ratios: the verdict. */
  medianRatio: number;
  /** Deliveries and echoes that never arrived, over every round of both servers: must be 0. */
  lost: number;
}

/** One open-loop round: both servers' delivery p99 at the same offered rate, measured one after the other. */
export interface OpenRound {
  /** Which ran first. */
  first: "sut" | "baseline";
  sutP99: number;
  baselineP99: number;
  /** `sutP99 / baselineP99`. */
  ratio: number;
}

/** What the open-loop rounds measured. */
export interface OpenLoopRoundsResult {
  target: Target;
  rate: number;
  /** Seconds each server was measured per round, after its warm-up. */
  roundS: number;
  rounds: OpenRound[];
  sutMedianP99: number;
  baselineMedianP99: number;
  /** The median of the rounds' ratios: the verdict. */
  medianRatio: number;
  /** Deliveries and echoes that never arrived, over every round of both servers: must be 0. */
  lost: number;
}

/** Which comparisons to run. */
export interface RoundKinds {
  closed: boolean;
  open: boolean;
}

/** What the rounds measured, by comparison. */
export interface RoundsResult {
  closedLoop?: ClosedLoopRoundsResult;
  openLoop?: OpenLoopRoundsResult;
}

/** A turn of one server: runs on its pool and reports what it measured. */
type Turn<T> = (pool: UserPool, server: ServerProcess) => Promise<T>;

/**
 * Starts the target and the relay, connects a pool to each and runs
 * `options.rounds` alternating rounds of each selected comparison: the
 * closed loop's first, then the open loop's.
 */
export async function runRounds(target: Target, options: BenchOptions, kinds: RoundKinds): Promise<RoundsResult> {
  const { databaseUrl, verbose } = options;
  const servers: ServerProcess[] = [];
  const pools: UserPool[] = [];
  try {
    const sut = await ServerProcess.start({ target, databaseUrl, verbose });
    servers.push(sut);
    const baseline = await ServerProcess.start({ target: "relay", verbose });
    servers.push(baseline);
    const connect = async (server: ServerProcess) => {
      log(`${server.name}: connecting ${options.users} users for the rounds`);
      const pool = await UserPool.connect({
        count: options.users,
        serverFor: () => server.url,
        concurrency: options.connectConcurrency,
      });
      pools.push(pool);
      return pool;
    };
    const sides = {
      sut: { pool: await connect(sut), server: sut },
      baseline: { pool: await connect(baseline), server: baseline },
    };
    // Presence diffs of the join wave are still flowing; measure nothing until they stop.
    await waitForQuiet(() => sides.sut.pool.framesReceived + sides.baseline.pool.framesReceived, { quietMs: 500 });

    const roundS = options.durationS / 2;
    // Runs the rounds of one comparison; `lost` counts what never arrived, over every turn of both servers.
    const alternate = async <T extends { totals: LedgerTotals }>(label: string, turn: Turn<T>) => {
      const rounds: { first: "sut" | "baseline"; sut: T; baseline: T }[] = [];
      let lost = 0;
      for (let i = 0; i < options.rounds; i++) {
        const first = i % 2 === 0 ? "sut" : "baseline";
        log(`${label} round ${i + 1} of ${options.rounds}: ${first === "sut" ? sut.name : "relay"} first`);
        const order = first === "sut" ? [sides.sut, sides.baseline] : [sides.baseline, sides.sut];
        const a = await turn(order[0].pool, order[0].server);
        const b = await turn(order[1].pool, order[1].server);
        for (const { totals } of [a, b]) lost += totals.lostDeliveries + totals.lostEchoes;
        rounds.push(first === "sut" ? { first, sut: a, baseline: b } : { first, sut: b, baseline: a });
      }
      return { rounds, lost };
    };
    const result: RoundsResult = {};
    if (kinds.closed) {
      const { rounds, lost } = await alternate("closed-loop", (pool, server) =>
        runClosedLoop(pool, {
          window: options.window,
          durationS: roundS,
          drainMs: options.drainMs,
          pids: { server: server.pid },
        }));
      const closed = rounds.map(({ first, sut, baseline }): Round => ({
        first,
        sutPerSec: sut.deliveriesPerSec,
        baselinePerSec: baseline.deliveriesPerSec,
        ratio: sut.deliveriesPerSec / baseline.deliveriesPerSec,
        sutCpu: sut.cpu.server,
        baselineCpu: baseline.cpu.server,
      }));
      result.closedLoop = {
        target,
        window: options.window,
        roundS,
        rounds: closed,
        sutMedianPerSec: median(closed.map((round) => round.sutPerSec)),
        baselineMedianPerSec: median(closed.map((round) => round.baselinePerSec)),
        medianRatio: median(closed.map((round) => round.ratio)),
        lost,
      };
    }
    if (kinds.open) {
      const { rounds, lost } = await alternate("open-loop", (pool, server) =>
        runWarmOpenLoop(pool, {
          rate: options.rate,
          durationS: roundS,
          warmupS: options.warmupS,
          drainMs: options.drainMs,
          pids: { server: server.pid },
        }));
      const open = rounds.map(({ first, sut, baseline }): OpenRound => ({
        first,
        sutP99: sut.totals.latency.p99,
        baselineP99: baseline.totals.latency.p99,
        ratio: sut.totals.latency.p99 / baseline.totals.latency.p99,
      }));
      result.openLoop = {
        target,
        rate: options.rate,
        roundS,
        rounds: open,
        sutMedianP99: median(open.map((round) => round.sutP99)),
        baselineMedianP99: median(open.map((round) => round.baselineP99)),
        medianRatio: median(open.map((round) => round.ratio)),
        lost,
      };
    }
    return result;
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
    await Promise.all(servers.map((server) => server.stop()));
  }
}
