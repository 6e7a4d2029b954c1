import assert from "node:assert/strict";
import { CHANGE_MEMORY_MS, RecentChanges } from "./recent_changes.ts";

Deno.test("recent changes - a change is seen from its time on, the latest one counting", () => {
  const changes = new RecentChanges();
  changes.touch("ada", 1000);
  assert.ok(changes.since("ada", 1000));
  assert.ok(changes.since("ada", 500));
  assert.equal(changes.since("ada", 1001), false);
  assert.equal(changes.since("bob", 0), false, "a user who never changed");
  changes.touch("ada", 2000);
  assert.ok(changes.since("ada", 1500));
});

Deno.test("recent changes - users who changed long ago are forgotten as others change", () => {
  const changes = new RecentChanges();
  for (let i = 0; i < 10_000; i++) changes.touch(`visitor ${i}`, 1000 + i);
  assert.equal(changes.size, 10_000);
  // A user seen early and again later stays, wherever they were first written.
  changes.touch("visitor 0", 20_000);
  changes.touch("carol", 20_000 + CHANGE_MEMORY_MS - 1);
  assert.equal(changes.size, 2, "only changes within the window are kept");
  assert.ok(changes.since("visitor 0", 20_000));
  assert.equal(changes.since("visitor 1", 0), false);
});
