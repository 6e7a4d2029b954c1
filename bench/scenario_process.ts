/**
 * Runs a group of scenarios in a load generator process of its own, so that
 * each meets a fresh generator. Measured here: the relay's open-loop p99 was
 * 9.6–13.4 ms when its session ran first and 16–27 ms when it ran in the same
 * process right after Quick Chat's, whose presence traffic had grown the
 * generator's heap and slowed its event loop; a full-mode join storm leaves
 * gigabytes of frames behind in the same way.
 *
 * The child prints its outcome as one JSON document on stdout; its progress
 * goes to stderr, as the parent's does. It stops its servers and exits when
 * the parent goes away (its stdin closes) or is interrupted.
 *
 * @example
 * ```ts
 * const relay = await runApart<ChatSessionResult>("session:relay", Deno.args);
 * ```
 *
 * @module
 */
import { type BenchOptions, parseOptions } from "./options.ts";
import type { Outcome } from "./results.ts";
import { runChatSession } from "./scenarios/chat_session.ts";
import { runRounds } from "./scenarios/rounds.ts";
import { runCrossInstance } from "./scenarios/cross_instance.ts";
import { runJoinStorm } from "./scenarios/join_storm.ts";
import { stopAllServers } from "./server_process.ts";

/** What runs in one generator process. */
export type ScenarioGroup =
  | "session:quickchat"
  | "session:relay"
  | "session:deno-relay"
  | "rounds"
  | "storm:diff"
  | "storm:full"
  | "cross_instance";

const GROUPS: readonly ScenarioGroup[] = [
  "session:quickchat",
  "session:relay",
  "session:deno-relay",
  "rounds",
  "storm:diff",
  "storm:full",
  "cross_instance",
];

/** Runs `group` in a child generator with the bench's own flags; throws when it could not measure. */
export async function runApart<T>(group: ScenarioGroup, args: string[]): Promise<T> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(import.meta.url).pathname, group, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const { code, stdout } = await child.output();
  let outcome: Outcome<T & object>;
  try {
    outcome = JSON.parse(new TextDecoder().decode(stdout));
  } catch {
    throw new Error(`the generator for ${group} exited with code ${code} and no result`);
  }
  if ("failed" in outcome) throw new Error(outcome.failed);
  if ("skipped" in outcome) throw new Error(`${group} was skipped: ${outcome.skipped}`);
  return outcome;
}

function runGroup(group: ScenarioGroup, options: BenchOptions): Promise<unknown> {
  const { databaseUrl, verbose } = options;
  switch (group) {
    case "session:quickchat":
      return runChatSession("quickchat", options, options.only);
    case "session:relay":
      return runChatSession("relay", options, options.only);
    case "session:deno-relay":
      return runChatSession("deno-relay", options, options.only);
    case "rounds":
      return runRounds(options.target, options, {
        closed: options.only.has("closed_loop_rounds"),
        open: options.only.has("open_loop_rounds"),
      });
    case "storm:diff":
    case "storm:full": {
      const mode = group === "storm:diff" ? "diff" : "full";
      const users = mode === "diff" ? options.users : options.stormFullUsers;
      return runJoinStorm({ mode, users, timeoutS: options.stormTimeoutS, databaseUrl, verbose });
    }
    case "cross_instance":
      if (databaseUrl === undefined) throw new Error("The cross-instance run needs a database URL");
      return runCrossInstance({
        users: options.users,
        rate: options.crossRate,
        durationS: options.durationS,
        databaseUrl,
        drainMs: options.drainMs,
        warmupS: options.warmupS,
        connectConcurrency: options.connectConcurrency,
        verbose,
      });
  }
}

async function child(group: string, args: string[]): Promise<void> {
  if (!(GROUPS as readonly string[]).includes(group)) throw new Error(`Unknown scenario group "${group}"`);
  const options = parseOptions(args, Deno.env.get("DATABASE_URL"));
  if (options === "help") throw new Error("--help is not a scenario flag");
  let outcome: unknown;
  try {
    outcome = await runGroup(group as ScenarioGroup, options);
  } catch (error) {
    outcome = { failed: error instanceof Error ? error.message : String(error) };
  }
  console.log(JSON.stringify(outcome));
}

if (import.meta.main) {
  const stop = async () => {
    await stopAllServers();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  // The parent holds our stdin open for as long as it lives.
  (async () => {
    for await (const _ of Deno.stdin.readable) {
      // Nothing is sent; the loop ends when the parent goes away.
    }
    await stop();
  })();
  let code = 1;
  try {
    await child(Deno.args[0], Deno.args.slice(1));
    code = 0;
  } catch (error) {
    console.error(error);
  } finally {
    await stopAllServers();
  }
  Deno.exit(code);
}
