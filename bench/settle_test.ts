import assert from "node:assert/strict";
import { hasReleased } from "./settle.ts";

Deno.test("settle - memory given back and then level counts as released", () => {
  assert.equal(hasReleased([1000_000, 1000_000, 800_000, 801_000, 800_500], 3), true);
});

Deno.test("settle - memory still falling, level but high, or risen is not released", () => {
  assert.equal(hasReleased([1000_000, 900_000, 850_000, 800_000], 3), false, "still falling");
  assert.equal(hasReleased([1000_000, 990_000, 990_000, 990_000], 3), false, "less than 5% lower");
  assert.equal(hasReleased([1000_000, 1200_000, 1200_000, 1200_000], 3), false, "grew");
  assert.equal(hasReleased([1000_000, 800_000], 3), false, "too few readings");
});
