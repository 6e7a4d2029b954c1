import assert from "node:assert/strict";
import { backoffDelay, DEFAULT_BACKOFF } from "./backoff.ts";

Deno.test("ui - backoff doubles its ceiling per attempt up to the cap", () => {
  const almostOne = () => 0.999999;
  const ceilings = [0, 1, 2, 3, 4, 5, 6, 50].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, almostOne));
  assert.deepEqual(ceilings, [499, 999, 1999, 3999, 7999, 14999, 14999, 14999]);
});

Deno.test("ui - backoff is fully jittered between zero and the ceiling", () => {
  assert.equal(backoffDelay(3, DEFAULT_BACKOFF, () => 0), 0);
  assert.equal(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5), 2000);
  for (let i = 0; i < 100; i++) {
    const delay = backoffDelay(2);
    assert.ok(delay >= 0 && delay < 2000);
  }
});
