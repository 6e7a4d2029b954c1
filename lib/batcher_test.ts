import assert from "node:assert/strict";
import { Batcher } from "./batcher.ts";

Deno.test("batcher - calls within the window become one call, each caller gets its result", async () => {
  const calls: number[][] = [];
  const squares = new Batcher((items: number[]) => {
    calls.push(items);
    return Promise.resolve(items.map((n) => n * n));
  }, 5);
  const results = await Promise.all([1, 2, 3].map((n) => squares.add(n)));
  assert.deepEqual(results, [1, 4, 9]);
  assert.deepEqual(calls, [[1, 2, 3]]);
});

Deno.test("batcher - a failed batch fails its callers, and the next batch runs", async () => {
  let fail = true;
  const batcher = new Batcher(
    (items: string[]) =>
      fail ? Promise.reject(new Error("database down")) : Promise.resolve(items.map((item) => item.toUpperCase())),
    1,
  );
  const failed = await Promise.allSettled([batcher.add("a"), batcher.add("b")]);
  assert.deepEqual(failed.map((result) => result.status), ["rejected", "rejected"]);
  fail = false;
  assert.equal(await batcher.add("c"), "C");
});

Deno.test("batcher - one batch at a time: items added meanwhile wait for the next", async () => {
  const release = Promise.withResolvers<void>();
  const started = Promise.withResolvers<void>();
  const calls: string[][] = [];
  let inFlight = 0;
  const batcher = new Batcher(async (items: string[]) => {
    inFlight++;
    assert.equal(inFlight, 1, "never two batches at once");
    calls.push(items);
    started.resolve();
    if (calls.length === 1) await release.promise;
    inFlight--;
    return items;
  }, 1);
  const first = batcher.add("a");
  await started.promise;
  const second = batcher.add("b");
  const third = batcher.add("c");
  release.resolve();
  assert.deepEqual(await Promise.all([first, second, third]), ["a", "b", "c"]);
  assert.deepEqual(calls, [["a"], ["b", "c"]]);
  await batcher.drain();
});
