import assert from "node:assert/strict";
import { recordingConnection } from "../tests/recording_connection.ts";
import { ConnectionKind } from "./connection.ts";
import { ROSTER_CHUNK, RosterFeed } from "./roster_feed.ts";

/** A presence follower whose frames are recorded, taken one by one after the snapshot. */
function follower(diff: boolean) {
  const { connection, frames, socket, nextSend } = recordingConnection(crypto.randomUUID(), ConnectionKind.Presence);
  connection.diff = diff;
  // Frames are taken in order; the snapshot that `follow` sends is the first.
  let taken = 1;
  const next = async () => {
    while (frames.length <= taken) await nextSend();
    return frames[taken++];
  };
  return { connection, frames, socket, next };
}

Deno.test("roster feed - the snapshot lists everyone in join order, after leaves and renames too", () => {
  const feed = new RosterFeed();
  feed.set("a", "Ada");
  feed.set("b", "Bob");
  const first = follower(true);
  feed.follow(first.connection);
  assert.deepEqual(first.frames[0], {
    type: "presence",
    users: [{ user_id: "a", name: "Ada" }, { user_id: "b", name: "Bob" }],
  });
  feed.set("c", 'Carol "C" <3');
  feed.set("a", "Ada L.");
  feed.delete("b");
  const second = follower(true);
  feed.follow(second.connection);
  assert.deepEqual(second.frames[0], {
    type: "presence",
    users: [{ user_id: "a", name: "Ada L." }, { user_id: "c", name: 'Carol "C" <3' }],
  });
  feed.close();
});

Deno.test("roster feed - changes reach diff followers as one frame, full followers as a snapshot", async () => {
  const feed = new RosterFeed();
  const diff = follower(true);
  const full = follower(false);
  feed.follow(diff.connection);
  feed.follow(full.connection);
  feed.set("a", "Ada");
  feed.set("b", "Bob");
  feed.delete("a");
  assert.deepEqual(await diff.next(), { type: "presence_diff", joins: [{ user_id: "b", name: "Bob" }], leaves: ["a"] });
  assert.deepEqual(await full.next(), { type: "presence", users: [{ user_id: "b", name: "Bob" }] });
  assert.equal(diff.frames.length, 2, "one snapshot, one diff");
  feed.close();
});

Deno.test("roster feed - a follower that joined mid-interval gets only what its snapshot lacked", async () => {
  const feed = new RosterFeed();
  const early = follower(true);
  feed.follow(early.connection);
  feed.set("a", "Ada");
  const late = follower(true);
  feed.follow(late.connection);
  feed.set("b", "Bob");
  assert.deepEqual((await early.next()).joins, [{ user_id: "a", name: "Ada" }, { user_id: "b", name: "Bob" }]);
  assert.deepEqual((await late.next()).joins, [{ user_id: "b", name: "Bob" }]);
  feed.close();
});

Deno.test("roster feed - a backlogged follower skips diffs and catches up with a snapshot", async () => {
  const feed = new RosterFeed();
  const slow = follower(true);
  const fast = follower(true);
  feed.follow(slow.connection);
  feed.follow(fast.connection);
  slow.socket.bufferedAmount = 1 << 20;
  feed.set("a", "Ada");
  await fast.next();
  assert.equal(slow.frames.length, 1, "nothing sent while backlogged");
  slow.socket.bufferedAmount = 0;
  assert.deepEqual(await slow.next(), { type: "presence", users: [{ user_id: "a", name: "Ada" }] });
  feed.close();
});

Deno.test("roster feed - a large roster reaches diff followers in bounded frames, whole", () => {
  const feed = new RosterFeed();
  const count = ROSTER_CHUNK * 2 + 7;
  for (let i = 0; i < count; i++) feed.set(`u${i}`, `User ${i}`);
  const diff = follower(true);
  const full = follower(false);
  feed.follow(diff.connection);
  feed.follow(full.connection);
  assert.deepEqual(diff.frames.map((frame) => frame.type), ["presence", "presence_diff", "presence_diff"]);
  const users = [
    ...(diff.frames[0].users as unknown[]),
    ...diff.frames.slice(1).flatMap((frame) => frame.joins as unknown[]),
  ];
  assert.equal((diff.frames[0].users as unknown[]).length, ROSTER_CHUNK);
  assert.deepEqual(users, full.frames[0].users, "the same roster as the single frame of full mode");
  assert.equal(users.length, count);
  feed.close();
});

Deno.test("roster feed - a large diff is split into bounded frames", async () => {
  const feed = new RosterFeed();
  const watcher = follower(true);
  feed.follow(watcher.connection);
  for (let i = 0; i < ROSTER_CHUNK + 1; i++) feed.set(`u${i}`, `User ${i}`);
  const first = await watcher.next();
  const second = await watcher.next();
  assert.equal((first.joins as unknown[]).length, ROSTER_CHUNK);
  assert.deepEqual(second.joins, [{ user_id: `u${ROSTER_CHUNK}`, name: `User ${ROSTER_CHUNK}` }]);
  feed.close();
});

/** A feed with `count` diff followers besides the returned watcher, which follows first. */
function crowdedFeed(count: number) {
  const feed = new RosterFeed();
  const watcher = follower(true);
  feed.follow(watcher.connection);
  for (let i = 0; i < count; i++) feed.follow(follower(true).connection);
  return { feed, watcher };
}

Deno.test("roster feed - on a crowded feed, a change after a pause goes out within half the interval", async () => {
  // 2,000 followers: an interval of 800 ms.
  const { feed, watcher } = crowdedFeed(1999);
  feed.set("a", "Ada");
  await watcher.next();
  const firstSent = performance.now();
  feed.set("b", "Bob");
  assert.deepEqual((await watcher.next()).joins, [{ user_id: "b", name: "Bob" }]);
  const gap = performance.now() - firstSent;
  assert.ok(gap >= 390, `never closer than half the interval (${gap.toFixed(0)} ms)`);
  assert.ok(gap < 700, `not held for the whole interval (${gap.toFixed(0)} ms)`);
  feed.close();
});

Deno.test("roster feed - on a crowded feed, changes that keep coming wait the whole interval", async () => {
  const { feed, watcher } = crowdedFeed(1999);
  let n = 0;
  // Fewer than a frame's worth of changes per interval, so each flush is one frame.
  const changes = setInterval(() => feed.set(`u${n}`, `User ${n++}`), 20);
  try {
    await watcher.next();
    const firstSent = performance.now();
    await watcher.next();
    const gap = performance.now() - firstSent;
    assert.ok(gap >= 790, `one flush per interval while changes keep coming (${gap.toFixed(0)} ms)`);
  } finally {
    clearInterval(changes);
    feed.close();
  }
});
