/**
 * `deno task bench`: runs Quick Chat and the Node.js relay baseline as
 * separate processes, drives them with real WebSocket clients from a
 * generator process per group of scenarios, and reports each figure beside
 * the relay's and its target.
 *
 * Exits non-zero only when the harness could not measure (a server that would
 * not start, a scenario that threw); missed targets are reported, not fatal.
 *
 * @example
 * ```sh
 * deno task bench --quick
 * deno task bench --users=2000 --rate=5000 --duration=10 --only=open_loop,closed_loop
 * ```
 *
 * @module
 */
import { type MachineCalibration, measureCalibration } from "./calibration.ts";
import { describeEnvironment } from "./environment.ts";
import { log } from "./log.ts";
import { type BenchOptions, parseOptions, USAGE } from "./options.ts";
import { formatReport, resultsDir, writeResults } from "./report.ts";
import { buildRows } from "./report_rows.ts";
import type { BenchResults, Outcome } from "./results.ts";
import { type ChatSessionResult, SESSION_SCENARIOS } from "./scenarios/chat_session.ts";
import type { RoundsResult } from "./scenarios/rounds.ts";
import type { CrossInstanceResult } from "./scenarios/cross_instance.ts";
import type { StormResult } from "./scenarios/join_storm.ts";
import { machineBusyShare } from "./proc.ts";
import { runApart } from "./scenario_process.ts";
import { TARGET_NAMES } from "./server_process.ts";

/**
 * Runs the selected scenarios and returns what they measured. `args` are the
 * flags `options` came from: each group of scenarios runs in a generator
 * process of its own, which parses them again.
 */
export async function runBench(options: BenchOptions, args: string[]): Promise<BenchResults> {
  const results: BenchResults = {};
  const only = options.only;
  if (SESSION_SCENARIOS.some((name) => only.has(name))) {
    results.sut = await attempt(() => runApart<ChatSessionResult>(`session:${options.target}`, args));
    if (options.target !== "relay") {
      results.baseline = await attempt(() => runApart<ChatSessionResult>("session:relay", args));
    }
  }
  const closedRounds = only.has("closed_loop_rounds");
  const openRounds = only.has("open_loop_rounds");
  if (closedRounds || openRounds) {
    const rounds = options.target === "relay"
      ? { skipped: "the relay is its own baseline" }
      : await attempt(() => runApart<RoundsResult>("rounds", args));
    const part = <T>(get: (result: RoundsResult) => T | undefined): Outcome<T> => {
      if ("skipped" in rounds || "failed" in rounds) return rounds;
      return get(rounds) ?? { failed: "the rounds returned no figures" };
    };
    if (closedRounds) results.closedLoopRounds = part((r) => r.closedLoop);
    if (openRounds) results.openLoopRounds = part((r) => r.openLoop);
  }
  const quickChatOnly = options.target !== "quickchat"
    ? `the ${TARGET_NAMES[options.target]} keeps no roster`
    : undefined;
  const storm = (group: "storm:diff" | "storm:full") =>
    quickChatOnly !== undefined
      ? Promise.resolve({ skipped: quickChatOnly })
      : attempt(() => runApart<StormResult>(group, args));
  if (only.has("storm_diff")) results.stormDiff = await storm("storm:diff");
  if (only.has("storm_full")) results.stormFull = await storm("storm:full");
  if (only.has("cross_instance")) {
    if (quickChatOnly !== undefined) {
      results.crossInstance = { skipped: `the ${TARGET_NAMES[options.target]} has a single instance` };
    } else if (options.databaseUrl === undefined) {
      results.crossInstance = { skipped: "needs PostgreSQL: set DATABASE_URL or pass --database-url" };
      log("cross-instance: skipped, DATABASE_URL is unset (pass --database-url=postgres://… to run it)");
    } else {
      results.crossInstance = await attempt(() => runApart<CrossInstanceResult>("cross_instance", args));
    }
  }
  return results;
}

// A scenario that throws is recorded and the run goes on, so one broken scenario does not hide the others.
async function attempt<T>(scenario: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return await scenario();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`failed: ${message}`);
    return { failed: message };
  }
}

function anyFailed(results: BenchResults): boolean {
  return Object.values(results).some((outcome) => outcome !== undefined && "failed" in outcome);
}

async function main(): Promise<number> {
  let options: BenchOptions | "help";
  try {
    options = parseOptions(Deno.args, Deno.env.get("DATABASE_URL"));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\nRun \`deno task bench --help\` for the flags.`);
    return 2;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  // Interrupted, this process just ends: each generator it started stops its servers when its stdin closes.
  const startedAt = new Date();
  const load = { busyAtStart: await machineBusyShare(), loadAtStart: Deno.loadavg() };
  const calibration = await calibrate();
  const results = await runBench(options, Deno.args);
  // Described after the run, which installs the relay whose version it names.
  const environment = await describeEnvironment(load, calibration);
  const rows = buildRows(results, options);
  console.log(formatReport(rows, environment, options));
  const recordedOptions = { ...options, only: [...options.only], databaseUrl: redact(options.databaseUrl) };
  const path = await writeResults({ startedAt, environment, options: recordedOptions, rows, results }, startedAt);
  console.log(`\nFull results: ${path}`);
  return anyFailed(results) ? 1 : 0;
}

/** The machine's pace, or `null` with the reason on stderr: the run's figures stand without it. */
async function calibrate(): Promise<MachineCalibration | null> {
  log("measuring the machine's pace (loopback round trips, fdatasync)");
  try {
    return await measureCalibration(await resultsDir());
  } catch (error) {
    log(`the machine's pace could not be measured: ${error instanceof Error ? error.message : error}`);
    return null;
  }
}

// A password in the database URL stays out of the results file.
function redact(url: string | undefined): string | undefined {
  return url?.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

if (import.meta.main) {
  let code = 1;
  try {
    code = await main();
  } catch (error) {
    console.error(error);
  }
  Deno.exit(code);
}
