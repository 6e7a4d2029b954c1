/**
 * The benchmark's command line, parsed and checked once; the scenarios read
 * only the resulting `BenchOptions`.
 *
 * @example
 * ```ts
 * const options = parseOptions(["--quick", "--only=open_loop"], Deno.env.get("DATABASE_URL"));
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { Target } from "./server_process.ts";

/** Every scenario, in the order they run. */
export const SCENARIOS = [
  "connect",
  "memory",
  "open_loop",
  "closed_loop",
  "closed_loop_rounds",
  "open_loop_rounds",
  "storm_diff",
  "storm_full",
  "cross_instance",
] as const;
export type ScenarioName = typeof SCENARIOS[number];

/** The parsed command line. */
export interface BenchOptions {
  /** The system under test; the relay is also run as the baseline when this is Quick Chat. */
  target: Target;
  users: number;
  rate: number;
  durationS: number;
  only: ReadonlySet<ScenarioName>;
  databaseUrl?: string;
  quick: boolean;
  /** DMs in flight in the closed loop. */
  window: number;
  /** Alternating rounds of each comparison with the relay (closed loop, open loop). */
  rounds: number;
  stormFullUsers: number;
  /** Give a join storm up after this long. */
  stormTimeoutS: number;
  /** DMs per second offered across instances. */
  crossRate: number;
  /** Users connecting at the same time. */
  connectConcurrency: number;
  /** Seconds of unmeasured DMs at the open-loop rate first, so both sides' JIT compilers are warm. */
  warmupS: number;
  /** How long DMs may still arrive after sending stops before they count as lost. */
  drainMs: number;
  /** How long memory readings wait for the server to give back what it only needed for a while. */
  restMs: number;
  /** Write each open-loop DM's send time and latency to a CSV file beside the results. */
  timeline: boolean;
  verbose: boolean;
}

/** Usage text for `--help`. */
export const USAGE = `Usage: deno task bench [flags]

  --users=N                users to connect (default 2000; --quick: 200)
  --rate=N                 open-loop DMs per second (default 5000)
  --duration=S             seconds per DM run (default 10; --quick: 2)
  --only=a,b               scenarios to run: ${SCENARIOS.join(", ")}
  --target=T               system under test, compared with the relay: quickchat (default) or deno-relay
                           (the relay on Deno's own stack); relay runs the relay alone
  --database-url=URL       PostgreSQL for Quick Chat (default: $DATABASE_URL, else its embedded database);
                           cross_instance needs one
  --quick                  a smoke run: 200 users, 2 s per run
  --window=N               closed-loop DMs in flight (default 64)
  --rounds=N               alternating rounds of closed_loop_rounds and of open_loop_rounds, each --duration/2 per
                           server (default 5; --quick: 2)
  --storm-full-users=N     users in the full-mode join storm (default: --users)
  --storm-timeout=S        give a join storm up after S seconds (default 60; --quick: 20)
  --cross-rate=N           cross-instance DMs per second (default 1000)
  --connect-concurrency=N  users connecting at once (default 32)
  --warmup=S               seconds of unmeasured DMs before each open loop (default 1)
  --drain=S                seconds to wait for late DMs before counting them lost (default 5)
  --rest=S                 seconds a memory reading waits for the server to give memory back (default 45; --quick: 10)
  --timeline               write each DM of every session's open loop (send time, latency) to a CSV file
  --verbose                echo the servers' output
  --help                   this text`;

/** Parses the flags; throws an `Error` naming the bad flag. */
export function parseOptions(args: string[], envDatabaseUrl?: string): BenchOptions | "help" {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      users: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      only: { type: "string" },
      target: { type: "string", default: "quickchat" },
      "database-url": { type: "string" },
      quick: { type: "boolean", default: false },
      window: { type: "string" },
      rounds: { type: "string" },
      "storm-full-users": { type: "string" },
      "storm-timeout": { type: "string" },
      "cross-rate": { type: "string" },
      "connect-concurrency": { type: "string" },
      warmup: { type: "string" },
      drain: { type: "string" },
      rest: { type: "string" },
      timeline: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return "help";
  const quick = values.quick;
  if (values.target !== "quickchat" && values.target !== "relay" && values.target !== "deno-relay") {
    throw new Error(`Flag --target must be "quickchat", "deno-relay" or "relay", not "${values.target}"`);
  }
  const users = count("users", values.users, quick ? 200 : 2000);
  const databaseUrl = values["database-url"] ?? (envDatabaseUrl || undefined);
  return {
    target: values.target,
    users,
    rate: positive("rate", values.rate, 5000),
    durationS: positive("duration", values.duration, quick ? 2 : 10),
    only: parseOnly(values.only),
    databaseUrl,
    quick,
    window: count("window", values.window, 64),
    rounds: count("rounds", values.rounds, quick ? 2 : 5),
    stormFullUsers: count("storm-full-users", values["storm-full-users"], users),
    stormTimeoutS: positive("storm-timeout", values["storm-timeout"], quick ? 20 : 60),
    crossRate: positive("cross-rate", values["cross-rate"], 1000),
    connectConcurrency: count("connect-concurrency", values["connect-concurrency"], 32),
    warmupS: positive("warmup", values.warmup, 1),
    drainMs: positive("drain", values.drain, 5) * 1000,
    restMs: positive("rest", values.rest, quick ? 10 : 45) * 1000,
    timeline: values.timeline,
    verbose: values.verbose,
  };
}

function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new Error(`Flag --${flag} must be a positive number, not "${value}"`);
  }
  return number;
}

function count(flag: string, value: string | undefined, fallback: number): number {
  const number = positive(flag, value, fallback);
  if (!Number.isInteger(number)) throw new Error(`Flag --${flag} must be a whole number, not "${value}"`);
  return number;
}

function parseOnly(value: string | undefined): ReadonlySet<ScenarioName> {
  if (value === undefined) return new Set(SCENARIOS);
  const names = value.split(",").map((name) => name.trim()).filter((name) => name !== "");
  for (const name of names) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new Error(`Unknown scenario "${name}" in --only; choose from ${SCENARIOS.join(", ")}`);
    }
  }
  return new Set(names as ScenarioName[]);
}
