import assert from "node:assert/strict";
import { RosterTracker } from "./roster_tracker.ts";

const PREFIX = "3f2a9c1e-7b4d-4e2f-9a1b-";
const entry = (id: string) => ({ user_id: id, name: "Storm" });

Deno.test("roster tracker - storm ids are UUIDs that end in their index", () => {
  const tracker = new RosterTracker(300, "diff", PREFIX);
  assert.equal(tracker.id(0), "3f2a9c1e-7b4d-4e2f-9a1b-000000000000");
  assert.equal(tracker.id(299), "3f2a9c1e-7b4d-4e2f-9a1b-00000000012b");
  const random = new RosterTracker(2, "diff");
  assert.match(random.id(1), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-0{11}1$/);
  assert.notEqual(random.id(1), new RosterTracker(2, "diff").id(1));
  assert.throws(() => new RosterTracker(2, "diff", "not-a-prefix"), /id prefix/);
});

Deno.test("roster tracker - a diff socket becomes full after the joins arrive", async () => {
  const tracker = new RosterTracker(2, "diff", PREFIX);
  const ids = [tracker.id(0), tracker.id(1)];
  tracker.receive(0, JSON.stringify({ type: "presence", users: [entry(ids[0])] }));
  await tracker.firstFrame(0);
  tracker.receive(1, JSON.stringify({ type: "presence", users: [entry(ids[0]), entry(ids[1])] }));
  assert.deepEqual(tracker.fullSockets, 1);
  const all = tracker.waitAllFull(1000);
  tracker.receive(0, JSON.stringify({ type: "presence_diff", joins: [entry(ids[1])], leaves: [] }));
  assert.deepEqual(await all, true);
});

Deno.test("roster tracker - a leave or a shorter snapshot makes a socket not full again", () => {
  const tracker = new RosterTracker(2, "diff", PREFIX);
  const ids = [tracker.id(0), tracker.id(1)];
  tracker.receive(0, JSON.stringify({ type: "presence", users: ids.map(entry) }));
  assert.deepEqual(tracker.fullSockets, 1);
  tracker.receive(0, JSON.stringify({ type: "presence_diff", joins: [], leaves: [ids[1]] }));
  assert.deepEqual(tracker.fullSockets, 0);
  tracker.receive(0, JSON.stringify({ type: "presence", users: ids.map(entry) }));
  tracker.receive(0, JSON.stringify({ type: "presence", users: [entry(ids[0])] }));
  assert.deepEqual(tracker.fullSockets, 0);
  // A join and a leave of the same user in one diff: the leave is read last, as the server applies it.
  tracker.receive(0, JSON.stringify({ type: "presence_diff", joins: [entry(ids[1])], leaves: [ids[0]] }));
  tracker.receive(0, JSON.stringify({ type: "presence_diff", joins: [entry(ids[0])], leaves: [] }));
  assert.deepEqual(tracker.fullSockets, 1);
});

Deno.test("roster tracker - users from outside the storm do not count", () => {
  const tracker = new RosterTracker(2, "full", PREFIX);
  const ids = [tracker.id(0), tracker.id(1)];
  const strangers = [
    "00000000-0000-4000-8000-000000000001", // another prefix, the same index
    `${PREFIX}000000000002`, // the prefix, an index past the storm's users
    `${PREFIX}00000000001`, // one digit short
  ].map(entry);
  tracker.receive(0, JSON.stringify({ type: "presence", users: [entry(ids[0]), ...strangers] }));
  assert.deepEqual(tracker.fullSockets, 0);
  tracker.receive(0, JSON.stringify({ type: "presence", users: [...ids.map(entry), ...strangers] }));
  assert.deepEqual(tracker.fullSockets, 1);
  assert.deepEqual(tracker.frames, 2);
});

Deno.test("roster tracker - frames in another shape are parsed and count the same", () => {
  const tracker = new RosterTracker(2, "diff", PREFIX);
  const ids = [tracker.id(0), tracker.id(1)];
  // Keys in another order than the server writes them.
  tracker.receive(0, JSON.stringify({ users: ids.map(entry), type: "presence" }));
  assert.deepEqual([tracker.fullSockets, tracker.snapshots], [1, 1]);
  tracker.receive(0, JSON.stringify({ leaves: [ids[0]], joins: [], type: "presence_diff" }));
  assert.deepEqual(tracker.fullSockets, 0);
  tracker.receive(0, JSON.stringify({ type: "error", code: "RATE_LIMITED" }));
  assert.deepEqual([tracker.fullSockets, tracker.frames], [0, 3]);
});
