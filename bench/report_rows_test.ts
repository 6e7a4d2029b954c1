import assert from "node:assert/strict";
import { parseOptions } from "./options.ts";
import { buildRows, type Row } from "./report_rows.ts";
import type { BenchResults } from "./results.ts";
import type { ChatSessionResult } from "./scenarios/chat_session.ts";
import type { OpenLoopRoundsResult, OpenRound } from "./scenarios/rounds.ts";
import type { StormResult } from "./scenarios/join_storm.ts";
import { median, summarize } from "./stats.ts";

/** A session whose open loop delivered every DM with the given p99. */
function session(p99: number): ChatSessionResult {
  const latency = { ...summarize([0.5]), p99 };
  return {
    target: "quickchat",
    connect: { users: 2, perUser: summarize([1]), totalMs: 1 },
    connectCpuMsPerUser: 1,
    serverCloses: {},
    generatorRssKiB: 1,
    openLoop: {
      rate: 5000,
      durationS: 10,
      sentPerSec: 5000,
      totals: {
        sent: 10,
        delivered: 10,
        echoed: 10,
        lostDeliveries: 0,
        lostEchoes: 0,
        duplicates: 0,
        strays: 0,
        errors: {},
        latency,
      },
      sendLag: summarize([0.1]),
      drained: true,
      cpu: { server: 10, generator: 10 },
    },
  };
}

function openRounds(ratios: [number, number][]): OpenLoopRoundsResult {
  const rounds: OpenRound[] = ratios.map(([sutP99, baselineP99], i) => ({
    first: i % 2 === 0 ? "sut" : "baseline",
    sutP99,
    baselineP99,
    ratio: sutP99 / baselineP99,
  }));
  return {
    target: "quickchat",
    rate: 5000,
    roundS: 5,
    rounds,
    sutMedianP99: median(rounds.map((r) => r.sutP99)),
    baselineMedianP99: median(rounds.map((r) => r.baselineP99)),
    medianRatio: median(rounds.map((r) => r.ratio)),
    lost: 0,
  };
}

function rows(only: string, results: BenchResults): Row[] {
  const options = parseOptions([`--only=${only}`]);
  if (options === "help") throw new Error("unexpected --help");
  return buildRows(results, options);
}

function find(all: Row[], scenario: string, metric: string): Row {
  const row = all.find((r) => r.scenario.startsWith(scenario) && r.metric === metric);
  if (row === undefined) throw new Error(`no row ${scenario} / ${metric}`);
  return row;
}

Deno.test("report - without rounds, the session's open-loop p99 is held to 15 ms and 1.5× the relay's", () => {
  const all = rows("open_loop", { sut: session(3), baseline: session(1.5) });
  const p99 = find(all, "open loop", "delivery p99");
  assert.deepEqual([p99.target, p99.met], ["≤ 15 ms, ≤ 1.5× relay", false]);
});

Deno.test("report - with rounds, the session's p99 is held to 15 ms and the rounds' median ratio to 1.5×", () => {
  // One bad round of five does not decide; the median ratio (×1.2) does.
  const open = openRounds([[1.2, 1], [3, 1], [1.1, 1], [1.3, 1], [0.9, 1]]);
  const all = rows("open_loop,open_loop_rounds", { sut: session(3), baseline: session(1.5), openLoopRounds: open });
  const session99 = find(all, "open loop 5000/s", "delivery p99");
  assert.deepEqual([session99.target, session99.met, session99.note], ["≤ 15 ms", true, "ratio judged by the rounds"]);
  const verdict = find(all, "open loop 5000/s, 5 rounds", "delivery p99, median");
  assert.deepEqual([verdict.ratio, verdict.met], [1.2, true]);
  assert.deepEqual(verdict.note, "median of the rounds' ratios; each round: ×1.20 ×3.00 ×1.10 ×1.30 ×0.90");
});

Deno.test("report - the open-loop rounds miss when most rounds are over 1.5×, and when a DM was lost", () => {
  const open = { ...openRounds([[2, 1], [1.6, 1], [1.1, 1], [1.8, 1], [1.7, 1]]), lost: 3 };
  const all = rows("open_loop_rounds", { openLoopRounds: open });
  const verdict = find(all, "open loop 5000/s, 5 rounds", "delivery p99, median");
  assert.deepEqual([verdict.ratio, verdict.met], [1.7, false]);
  assert.deepEqual(find(all, "open loop 5000/s, 5 rounds", "lost (deliveries + echoes)").met, false);
});

Deno.test("report - rounds that failed give one row that says why", () => {
  const all = rows("open_loop_rounds", { openLoopRounds: { failed: "the relay did not start\nstack" } });
  const verdict = find(all, "open loop 5000/s, 5 rounds", "delivery p99, median");
  assert.deepEqual([verdict.value, verdict.met, verdict.note], [null, null, "failed: the relay did not start"]);
});

Deno.test("report - connect gives the server's CPU per user beside the relay's", () => {
  const sut = { ...session(1), connectCpuMsPerUser: 3 };
  const baseline = { ...session(1), connectCpuMsPerUser: 1.5 };
  const cpu = find(rows("connect", { sut, baseline }), "connect", "server CPU per user");
  assert.deepEqual([cpu.value, cpu.baseline, cpu.ratio, cpu.unit], [3, 1.5, 2, "ms"]);
});

Deno.test("report - a storm gives the server's CPU per join and the join's steps beside its length", () => {
  const storm: StormResult = {
    mode: "diff",
    users: 2000,
    joined: 2000,
    joinPhaseMs: 9000,
    convergedMs: 9500,
    fullSockets: 2000,
    bytes: 2 ** 20,
    frames: 10,
    snapshots: 2,
    perJoin: summarize([4]),
    stages: { register: summarize([2.5]), open: summarize([1]), firstRoster: summarize([0.5]) },
    serverCloses: {},
    cpu: { server: 60, generator: 40 },
    cpuMsPerJoin: { server: 2.85, generator: 1.9 },
  };
  const all = rows("storm_diff", { stormDiff: storm });
  assert.deepEqual([find(all, "join storm (diff)", "every roster complete").met], [true]);
  const cpu = find(all, "join storm (diff)", "server CPU per join");
  assert.deepEqual([cpu.value, cpu.unit], [2.85, "ms"]);
  const p50 = find(all, "join storm (diff)", "join p50 (register → snapshot)");
  assert.equal(p50.note, "medians: register 2.50, socket open 1.00, first roster 0.50 ms");
});

Deno.test("report - memory per WebSocket is judged unless the embedded database shares the server's process", () => {
  const memory = (perSocketKiB: number, includesDatabase: boolean) => ({
    users: 2,
    sockets: 4,
    idleKiB: 1000,
    arrivalKiB: 1200,
    connectedKiB: 1000 + 4 * perSocketKiB,
    steady: true,
    released: [true, true] as [boolean, boolean],
    arrivalPerSocketKiB: 50,
    perUserKiB: 2 * perSocketKiB,
    perSocketKiB,
    includesDatabase,
  });
  const judged = (perSocketKiB: number, includesDatabase: boolean) =>
    find(
      rows("memory", { sut: { ...session(1), memory: memory(perSocketKiB, includesDatabase) } }),
      "memory",
      "per WebSocket, at rest",
    );
  assert.equal(judged(26, false).met, true);
  assert.equal(judged(31, false).met, false);
  const shared = judged(26, true);
  assert.deepEqual([shared.met, shared.note], [
    null,
    "includes the embedded database; judged without it in the server's process",
  ]);
});
