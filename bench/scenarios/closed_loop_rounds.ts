/**
 * The closed loop as a comparison: the system under test and the relay run
 * side by side, each with its own pool of users, and take turns at the same
 * closed loop for several short rounds (A B, B A, A B, …). Each round's ratio
 * compares two readings seconds apart, and the median of the ratios is the
 * verdict, so a machine whose speed drifts between the two sessions of a run
 * (measured here: the relay alone at 19,800–29,900 deliveries/s across runs
 * of one hour) moves both sides of a ratio alike.
 *
 * @example
 * ```ts
 * const result = await runClosedLoopRounds("quickchat", options);
 * console.log(result.medianRatio);
 * ```
 *
 * @module
 */
import { log } from "../log.ts";
import type { BenchOptions } from "../options.ts";
import { ServerProcess, type Target } from "../server_process.ts";
import { waitForQuiet } from "../settle.ts";
import { summarize } from "../stats.ts";
import { UserPool } from "../user_pool.ts";
import { type ClosedLoopResult, runClosedLoop } from "./closed_loop.ts";

/** One round: both servers' deliveries per second and server CPU share, measured one after the other. */
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

/** What the rounds measured. */
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

/** Starts the target and the relay, connects a pool to each and runs `options.rounds` alternating rounds. */
export async function runClosedLoopRounds(target: Target, options: BenchOptions): Promise<ClosedLoopRoundsResult> {
  const { databaseUrl, verbose } = options;
  const servers: ServerProcess[] = [];
  const pools: UserPool[] = [];
  try {
    const sut = await ServerProcess.start({ target, databaseUrl, verbose });
    servers.push(sut);
    const baseline = await ServerProcess.start({ target: "relay", verbose });
    servers.push(baseline);
    const connect = async (server: ServerProcess) => {
      log(`${server.name}: connecting ${options.users} users for the closed-loop rounds`);
      const pool = await UserPool.connect({
        count: options.users,
        serverFor: () => server.url,
        concurrency: options.connectConcurrency,
      });
      pools.push(pool);
      return pool;
    };
    const sutPool = await connect(sut);
    const baselinePool = await connect(baseline);
    // Presence diffs of the join wave are still flowing; measure nothing until they stop.
    await waitForQuiet(() => sutPool.framesReceived + baselinePool.framesReceived, { quietMs: 500 });

    const roundS = options.durationS / 2;
    const loop = (pool: UserPool, server: ServerProcess) =>
      runClosedLoop(pool, {
        window: options.window,
        durationS: roundS,
        drainMs: options.drainMs,
        pids: { server: server.pid },
      });
    const rounds: Round[] = [];
    let lost = 0;
    for (let i = 0; i < options.rounds; i++) {
      const first = i % 2 === 0 ? "sut" : "baseline";
      log(`closed-loop round ${i + 1} of ${options.rounds}: ${first === "sut" ? sut.name : "relay"} first`);
      let ofSut: ClosedLoopResult;
      let ofBaseline: ClosedLoopResult;
      if (first === "sut") {
        ofSut = await loop(sutPool, sut);
        ofBaseline = await loop(baselinePool, baseline);
      } else {
        ofBaseline = await loop(baselinePool, baseline);
        ofSut = await loop(sutPool, sut);
      }
      for (const { totals } of [ofSut, ofBaseline]) lost += totals.lostDeliveries + totals.lostEchoes;
      rounds.push({
        first,
        sutPerSec: ofSut.deliveriesPerSec,
        baselinePerSec: ofBaseline.deliveriesPerSec,
        ratio: ofSut.deliveriesPerSec / ofBaseline.deliveriesPerSec,
        sutCpu: ofSut.cpu.server,
        baselineCpu: ofBaseline.cpu.server,
      });
    }
    return {
      target,
      window: options.window,
      roundS,
      rounds,
      sutMedianPerSec: summarize(rounds.map((round) => round.sutPerSec)).p50,
      baselineMedianPerSec: summarize(rounds.map((round) => round.baselinePerSec)).p50,
      medianRatio: summarize(rounds.map((round) => round.ratio)).p50,
      lost,
    };
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
    await Promise.all(servers.map((server) => server.stop()));
  }
}
