/**
 * Turns a run's results into report rows: each figure beside the relay's,
 * their ratio, and the target it is held to. Targets are judged, never
 * enforced: a missed one is a finding, not a failed run.
 *
 * @example
 * ```ts
 * for (const row of buildRows(results, options)) console.log(row.metric, row.value, row.met);
 * ```
 *
 * @module
 */
import type { LedgerTotals } from "./dm_ledger.ts";
import type { BenchOptions } from "./options.ts";
import { type BenchResults, figures, type Outcome, whyMissing } from "./results.ts";
import type { ClosedLoopRoundsResult, OpenLoopRoundsResult } from "./scenarios/rounds.ts";
import type { StormResult } from "./scenarios/join_storm.ts";
import { median } from "./stats.ts";

/** One line of the report. */
export interface Row {
  scenario: string;
  metric: string;
  unit: string;
  /** The system under test's figure. */
  value: number | null;
  /** The relay's figure, where it can do the same. */
  baseline: number | null;
  /** `value / baseline`. */
  ratio: number | null;
  target: string;
  /** Whether the target is met; null when there is none or it cannot be judged. */
  met: boolean | null;
  note: string;
}

type Get<T> = (result: T) => number | undefined;

/** Builds the report's rows for the scenarios that ran. */
export function buildRows(results: BenchResults, options: BenchOptions): Row[] {
  const only = options.only;
  const rows: Row[] = [];
  const session = compareWith(results.sut, results.baseline);
  if (only.has("connect")) {
    rows.push(session("connect", "per user p50", "ms", (r) => r.connect.perUser.p50));
    rows.push(session("connect", "per user p99", "ms", (r) => r.connect.perUser.p99));
    rows.push(session("connect", `all ${options.users} users`, "s", (r) => r.connect.totalMs / 1000));
    rows.push(session("connect", "server CPU per user", "ms", (r) => r.connectCpuMsPerUser));
  }
  if (only.has("memory")) {
    rows.push(session("memory", "per WebSocket, on arrival", "KiB", (r) => r.memory?.arrivalPerSocketKiB));
    rows.push(session("memory", "server per user, at rest", "KiB", (r) => r.memory?.perUserKiB));
    const perSocket = session("memory", "per WebSocket, at rest", "KiB", (r) => r.memory?.perSocketKiB);
    // An embedded database open in the server's process gives back its start-up memory in steps of its own, so
    // growth there is not the sockets' alone: no verdict then (in its own process, it is not in the readings).
    // Growth below zero means the idle reading caught a passing peak: no verdict from it either.
    const memory = figures(results.sut)?.memory;
    const embedded = memory?.includesDatabase ?? false;
    const judged = judge(perSocket, "≤ 30 KiB", (v) => embedded || v <= 0 ? null : v <= 30);
    const notes = [judged.note];
    if (embedded) notes.push("includes the embedded database; judged without it in the server's process");
    // Without memory seen given back, the resting reading may still hold the arrival's garbage.
    if (memory && !memory.released[1]) notes.push(`not seen to give memory back within ${options.restMs / 1000} s`);
    rows.push({ ...judged, note: notes.filter(Boolean).join("; ") });
  }
  if (only.has("open_loop")) {
    const name = `open loop ${options.rate}/s`;
    rows.push(session(name, "DMs sent per second", "/s", (r) => r.openLoop?.sentPerSec));
    for (const p of ["p50", "p90", "p99", "max"] as const) {
      const row = session(name, `delivery ${p}`, "ms", (r) => r.openLoop?.totals.latency[p]);
      if (p !== "p99") {
        rows.push(row);
      } else if (only.has("open_loop_rounds")) {
        // Like the closed loop's, the sessions' tails are a minute apart; the rounds judge the ratio when they ran.
        rows.push({ ...judge(row, "≤ 15 ms", (v) => v <= 15), note: row.note || "ratio judged by the rounds" });
      } else {
        rows.push(judge(row, "≤ 15 ms, ≤ 1.5× relay", (v, b) => v <= 15 && (b === null || v <= 1.5 * b)));
      }
    }
    rows.push(lossRow(name, results.sut, results.baseline, (r) => r.openLoop?.totals));
    rows.push(session(name, "scheduler lag p99", "ms", (r) => r.openLoop?.sendLag.p99));
    rows.push(session(name, "server CPU", "%", (r) => r.openLoop?.cpu.server));
    rows.push(session(name, "generator CPU", "%", (r) => r.openLoop?.cpu.generator));
  }
  if (only.has("closed_loop")) {
    const name = `closed loop ${options.window} in flight`;
    const throughput = session(name, "deliveries per second", "/s", (r) => r.closedLoop?.deliveriesPerSec);
    // Two sessions run a minute apart, on a machine whose speed drifts; the rounds judge when they ran.
    rows.push(
      only.has("closed_loop_rounds")
        ? { ...throughput, note: throughput.note || "one reading each; judged by the rounds" }
        : judge(throughput, "≥ relay", (v, b) => b === null ? null : v >= b),
    );
    rows.push(session(name, "delivery p99", "ms", (r) => r.closedLoop?.totals.latency.p99));
    rows.push(lossRow(name, results.sut, results.baseline, (r) => r.closedLoop?.totals));
    rows.push(session(name, "server CPU", "%", (r) => r.closedLoop?.cpu.server));
    rows.push(session(name, "generator CPU", "%", (r) => r.closedLoop?.cpu.generator));
  }
  if (only.has("closed_loop_rounds")) rows.push(...roundsRows(results.closedLoopRounds, options));
  if (only.has("open_loop_rounds")) rows.push(...openRoundsRows(results.openLoopRounds, options));
  if (only.has("storm_diff")) rows.push(...stormRows("join storm (diff)", results.stormDiff, "≤ 10 s"));
  if (only.has("storm_full")) rows.push(...stormRows("join storm (full)", results.stormFull, ""));
  if (only.has("cross_instance")) {
    const name = `cross-instance ${options.crossRate}/s`;
    const cross = compareWith(results.crossInstance, undefined);
    if (figures(results.crossInstance) !== undefined) {
      rows.push(cross(name, "delivery p50", "ms", (r) => r.totals.latency.p50));
    }
    rows.push(judge(cross(name, "delivery p99", "ms", (r) => r.totals.latency.p99), "≤ 25 ms", (v) => v <= 25));
    if (figures(results.crossInstance) !== undefined) {
      rows.push(lossRow(name, results.crossInstance, undefined, (r) => r.totals));
    }
  }
  return rows;
}

/** A row factory comparing the same figure of a result and its baseline. */
function compareWith<T extends object>(sut: Outcome<T> | undefined, baseline: Outcome<T> | undefined) {
  return (scenario: string, metric: string, unit: string, get: Get<T>): Row => {
    const sutFigures = figures(sut);
    const value = sutFigures === undefined ? null : get(sutFigures) ?? null;
    const baseFigures = figures(baseline);
    const base = baseFigures === undefined ? null : get(baseFigures) ?? null;
    const ratio = value !== null && base !== null && base !== 0 ? value / base : null;
    const note = whyMissing(sut) ?? (baseline !== undefined ? whyMissing(baseline) ?? "" : "");
    return { scenario, metric, unit, value, baseline: base, ratio, target: "", met: null, note };
  };
}

/** Attaches a target to a row and judges it (null when it cannot be judged). */
function judge(row: Row, target: string, met: (value: number, baseline: number | null) => boolean | null): Row {
  return { ...row, target, met: row.value === null || Number.isNaN(row.value) ? null : met(row.value, row.baseline) };
}

function stagesNote(storm: StormResult | undefined): string {
  if (storm === undefined) return "";
  const { register, open, firstRoster } = storm.stages;
  const ms = (summary: { p50: number }) => summary.p50.toFixed(2);
  return `medians: register ${ms(register)}, socket open ${ms(open)}, first roster ${ms(firstRoster)} ms`;
}

function framesNote(storm: StormResult | undefined): string {
  return storm === undefined ? "" : `${storm.snapshots} whole rosters, ${storm.frames - storm.snapshots} diffs`;
}

/** Lost DMs, with what came back and any errors in the note. */
function lossRow<T extends object>(
  scenario: string,
  sut: Outcome<T> | undefined,
  baseline: Outcome<T> | undefined,
  get: (result: T) => LedgerTotals | undefined,
): Row {
  const lost = (totals: LedgerTotals) => totals.lostDeliveries + totals.lostEchoes;
  const row = compareWith(sut, baseline)(scenario, "lost (deliveries + echoes)", "", (r) => {
    const totals = get(r);
    return totals === undefined ? undefined : lost(totals);
  });
  const result = figures(sut);
  const totals = result === undefined ? undefined : get(result);
  if (totals === undefined) return row;
  const notes = [`${totals.sent} sent, ${totals.delivered} delivered, ${totals.echoed} echoed`];
  const errors = Object.entries(totals.errors).map(([code, count]) => `${code}×${count}`);
  if (errors.length > 0) notes.push(`errors ${errors.join(" ")}`);
  if (totals.duplicates > 0) notes.push(`${totals.duplicates} duplicates`);
  if (totals.strays > 0) notes.push(`${totals.strays} unexpected frames`);
  return { ...row, ratio: null, target: "0", met: lost(totals) === 0, note: notes.join("; ") };
}

function roundsRows(outcome: Outcome<ClosedLoopRoundsResult> | undefined, options: BenchOptions): Row[] {
  const name = `closed loop, ${options.rounds} rounds`;
  const rounds = compareWith(outcome, undefined);
  const result = figures(outcome);
  const throughput = rounds(name, "deliveries per second, median", "/s", (r) => r.sutMedianPerSec);
  if (result === undefined) return [throughput];
  return [
    verdict(throughput, result, result.baselineMedianPerSec, "≥ relay", result.medianRatio >= 1),
    lostInRounds(rounds(name, "lost (deliveries + echoes)", "", (r) => r.lost)),
    {
      ...rounds(name, "server CPU, median", "%", (r) => median(r.rounds.map((round) => round.sutCpu))),
      baseline: median(result.rounds.map((round) => round.baselineCpu)),
    },
  ];
}

function openRoundsRows(outcome: Outcome<OpenLoopRoundsResult> | undefined, options: BenchOptions): Row[] {
  const name = `open loop ${options.rate}/s, ${options.rounds} rounds`;
  const rounds = compareWith(outcome, undefined);
  const result = figures(outcome);
  const tail = rounds(name, "delivery p99, median", "ms", (r) => r.sutMedianP99);
  if (result === undefined) return [tail];
  return [
    verdict(tail, result, result.baselineMedianP99, "≤ 1.5× relay", result.medianRatio <= 1.5),
    lostInRounds(rounds(name, "lost (deliveries + echoes)", "", (r) => r.lost)),
  ];
}

/** The rounds' verdict: the median of their ratios, each round's ratio in the note. */
function verdict(
  row: Row,
  result: { rounds: { ratio: number }[]; medianRatio: number },
  baseline: number,
  target: string,
  met: boolean,
): Row {
  const ratios = result.rounds.map((round) => `×${round.ratio.toFixed(2)}`).join(" ");
  const note = `median of the rounds' ratios; each round: ${ratios}`;
  return { ...row, baseline, ratio: result.medianRatio, target, met, note };
}

function lostInRounds(row: Row): Row {
  return { ...row, target: "0", met: row.value === 0 };
}

function stormRows(scenario: string, outcome: Outcome<StormResult> | undefined, target: string): Row[] {
  const storm = compareWith(outcome, undefined);
  // A storm that did not run is one line, not five empty ones.
  if (figures(outcome) === undefined) return [storm(scenario, "every roster complete", "s", () => undefined)];
  const converged = storm(scenario, "every roster complete", "s", (r) => (r.convergedMs ?? NaN) / 1000);
  const result = figures(outcome);
  if (result !== undefined) {
    converged.note = result.convergedMs === null
      ? `not within the timeout: ${result.joined}/${result.users} joined, ${result.fullSockets} rosters complete`
      : `${result.users} users`;
    const closes = Object.entries(result.serverCloses).map(([code, count]) => `${code}×${count}`);
    if (closes.length > 0) converged.note += `; server closed sockets: ${closes.join(" ")}`;
  }
  return [
    target === "" ? converged : judge(converged, target, (v) => v <= 10),
    storm(scenario, "bytes to presence sockets", "MiB", (r) => r.bytes / 2 ** 20),
    { ...storm(scenario, "presence frames", "", (r) => r.frames), note: framesNote(result) },
    { ...storm(scenario, "join p50 (register → snapshot)", "ms", (r) => r.perJoin.p50), note: stagesNote(result) },
    storm(scenario, "join p99 (register → snapshot)", "ms", (r) => r.perJoin.p99),
    storm(scenario, "server CPU", "%", (r) => r.cpu.server),
    storm(scenario, "server CPU per join", "ms", (r) => r.cpuMsPerJoin.server),
  ];
}
