import assert from "node:assert/strict";
import { median, percentile, Samples, summarize } from "./stats.ts";

Deno.test("stats - nearest-rank percentiles of 1..100", () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i);
  const summary = summarize(values);
  assert.deepEqual([summary.min, summary.p50, summary.p90, summary.p99, summary.max], [1, 50, 90, 99, 100]);
  assert.deepEqual(summary.mean, 50.5);
});

Deno.test("stats - a single sample is every percentile", () => {
  assert.deepEqual(percentile([7], 1), 7);
  assert.deepEqual(percentile([7], 99), 7);
});

Deno.test("stats - no samples summarise to NaN, not a throw", () => {
  const summary = new Samples().summary();
  assert.deepEqual(summary.count, 0);
  assert.ok(Number.isNaN(summary.p99));
});

Deno.test("stats - samples grow past their initial capacity", () => {
  const samples = new Samples(2);
  for (let i = 1; i <= 1000; i++) samples.add(i);
  assert.deepEqual(samples.count, 1000);
  assert.deepEqual(samples.summary().max, 1000);
});

Deno.test("stats - a median takes the middle value, or the mean of the middle two", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([0.9, 2.1]), 1.5);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});
