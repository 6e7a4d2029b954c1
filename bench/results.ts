/**
 * What a whole run produced: each scenario's figures, or why it has none.
 *
 * @module
 */
import type { ChatSessionResult } from "./scenarios/chat_session.ts";
import type { ClosedLoopRoundsResult, OpenLoopRoundsResult } from "./scenarios/rounds.ts";
import type { CrossInstanceResult } from "./scenarios/cross_instance.ts";
import type { StormResult } from "./scenarios/join_storm.ts";

/** A scenario left out on purpose, and why. */
export interface Skipped {
  skipped: string;
}

/** A scenario that could not be measured, and the error. */
export interface Failed {
  failed: string;
}

/** A scenario's figures, or the reason there are none. */
export type Outcome<T> = T | Skipped | Failed;

/** Everything a run measured. */
export interface BenchResults {
  /** The system under test's session (Quick Chat, or the relay with `--target=relay`). */
  sut?: Outcome<ChatSessionResult>;
  /** The relay's session, when Quick Chat is the system under test. */
  baseline?: Outcome<ChatSessionResult>;
  /** The closed loop in alternating rounds of the system under test and the relay. */
  closedLoopRounds?: Outcome<ClosedLoopRoundsResult>;
  /** The open loop in alternating rounds of the system under test and the relay. */
  openLoopRounds?: Outcome<OpenLoopRoundsResult>;
  stormDiff?: Outcome<StormResult>;
  stormFull?: Outcome<StormResult>;
  crossInstance?: Outcome<CrossInstanceResult>;
}

/** The figures of an outcome, or undefined when it was skipped or failed. */
export function figures<T extends object>(outcome: Outcome<T> | undefined): T | undefined {
  if (outcome === undefined || "skipped" in outcome || "failed" in outcome) return undefined;
  return outcome;
}

/** Why an outcome has no figures, or undefined when it has them. */
export function whyMissing(outcome: Outcome<object> | undefined): string | undefined {
  if (outcome === undefined) return "not run";
  if ("skipped" in outcome) return `skipped: ${outcome.skipped}`;
  // The first line only: a table cell is no place for a server's log; the JSON keeps it whole.
  if ("failed" in outcome) return `failed: ${outcome.failed.split("\n")[0]}`;
  return undefined;
}
