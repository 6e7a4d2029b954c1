import assert from "node:assert/strict";
import { RosterTracker } from "./roster_tracker.ts";

const ids = ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"];
const entry = (id: string) => ({ user_id: id, name: "Storm" });

Deno.test("roster tracker - a diff socket becomes full after the joins arrive", async () => {
  const tracker = new RosterTracker(ids, "diff");
  tracker.receive(0, JSON.stringify({ type: "presence", users: [entry(ids[0])] }));
  await tracker.firstFrame(0);
  tracker.receive(1, JSON.stringify({ type: "presence", users: [entry(ids[0]), entry(ids[1])] }));
  assert.deepEqual(tracker.fullSockets, 1);
  const all = tracker.waitAllFull(1000);
  tracker.receive(0, JSON.stringify({ type: "presence_diff", joins: [entry(ids[1])], leaves: [] }));
  assert.deepEqual(await all, true);
});

Deno.test("roster tracker - a leave or a shorter snapshot makes a socket not full again", () => {
  const tracker = new RosterTracker(ids, "diff");
  tracker.receive(0, JSON.stringify({ type: "presence", users: ids.map(entry) }));
  assert.deepEqual(tracker.fullSockets, 1);
  tracker.receive(0, JSON.stringify({ type: "presence_diff", joins: [], leaves: [ids[1]] }));
  assert.deepEqual(tracker.fullSockets, 0);
  tracker.receive(0, JSON.stringify({ type: "presence", users: ids.map(entry) }));
  tracker.receive(0, JSON.stringify({ type: "presence", users: [entry(ids[0])] }));
  assert.deepEqual(tracker.fullSockets, 0);
});

Deno.test("roster tracker - users from outside the storm do not count", () => {
  const tracker = new RosterTracker(ids, "full");
  const stranger = entry("00000000-0000-4000-8000-00000000000f");
  tracker.receive(0, JSON.stringify({ type: "presence", users: [entry(ids[0]), stranger] }));
  assert.deepEqual(tracker.fullSockets, 0);
  tracker.receive(0, JSON.stringify({ type: "presence", users: [...ids.map(entry), stranger] }));
  assert.deepEqual(tracker.fullSockets, 1);
  assert.deepEqual(tracker.frames, 2);
});
