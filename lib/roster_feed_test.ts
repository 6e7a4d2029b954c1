import assert from "node:assert/strict";
import { recordingConnection } from "../tests/recording_connection.ts";
import { ConnectionKind } from "./connection.ts";
import { ROSTER_CHUNK, RosterFeed } from "./roster_feed.ts";

/** How long a test waits for a frame before it fails. */
const FRAME_TIMEOUT_MS = 5000;

/** A presence follower whose frames are recorded, taken one by one after the snapshot. */
function follower(diff: boolean) {
  const { connection, frames, socket, nextSend } = recordingConnection(crypto.randomUUID(), ConnectionKind.Presence);
  connection.diff = diff;
  // Frames are taken in order; the snapshot that `follow` sends is the first.
  let taken = 1;
  const next = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no frame within ${FRAME_TIMEOUT_MS} ms`)), FRAME_TIMEOUT_MS);
    });
    try {
      while (frames.length <= taken) await Promise.race([nextSend(), timeout]);
    } finally {
      clearTimeout(timer);
    }
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

/**
 * A feed of 2,000 diff followers, so an interval of 800 ms. The first of
 * them hears each flush as it starts; `flushed` resolves as one ends.
 */
function crowdedFeed() {
  const feed = new RosterFeed();
  const first = follower(true);
  feed.follow(first.connection);
  for (let i = 0; i < 1998; i++) feed.follow(follower(true).connection);
  const last = follower(true);
  feed.follow(last.connection);
  /** Waits until a flush has reached every follower, and takes its frame off both watchers. */
  const flushed = async () => {
    const frame = await last.next();
    assert.deepEqual(await first.next(), frame);
  };
  return { feed, first, flushed };
}

Deno.test("roster feed - on a crowded feed, a change a whole interval after the last flush goes out at once", async () => {
  const { feed, first, flushed } = crowdedFeed();
  try {
    feed.set("a", "Ada");
    await flushed();
    // A whole interval with no change.
    await new Promise((resolve) => setTimeout(resolve, 850));
    const changed = performance.now();
    feed.set("b", "Bob");
    assert.deepEqual((await first.next()).joins, [{ user_id: "b", name: "Bob" }]);
    const waited = performance.now() - changed;
    assert.ok(waited < 400, `sent at once, not an interval later (${waited.toFixed(0)} ms)`);
  } finally {
    feed.close();
  }
});

Deno.test("roster feed - on a crowded feed, changes that pause go out half an interval after the last flush", async () => {
  const { feed, first, flushed } = crowdedFeed();
  try {
    feed.set("a", "Ada");
    await flushed();
    const flushEnded = performance.now();
    feed.set("b", "Bob");
    assert.deepEqual((await first.next()).joins, [{ user_id: "b", name: "Bob" }]);
    const gap = performance.now() - flushEnded;
    assert.ok(gap >= 390, `never closer than half the interval (${gap.toFixed(0)} ms)`);
    assert.ok(gap < 750, `not held for the whole interval (${gap.toFixed(0)} ms)`);
  } finally {
    feed.close();
  }
});

Deno.test("roster feed - on a crowded feed, changes that keep coming wait the whole interval", async () => {
  const { feed, first, flushed } = crowdedFeed();
  let n = 0;
  // Fewer than a frame's worth of changes per interval, so each flush is one frame.
  const changes = setInterval(() => feed.set(`u${n}`, `User ${n++}`), 20);
  try {
    await flushed();
    const flushEnded = performance.now();
    await first.next();
    const gap = performance.now() - flushEnded;
    assert.ok(gap >= 790, `one flush per interval while changes keep coming (${gap.toFixed(0)} ms)`);
    assert.ok(gap < 1500, `flushed within the interval (${gap.toFixed(0)} ms)`);
  } finally {
    clearInterval(changes);
    feed.close();
  }
});

Deno.test("roster feed - a closed feed sends nothing more", async () => {
  const feed = new RosterFeed();
  const watcher = follower(true);
  feed.follow(watcher.connection);
  feed.close();
  feed.set("a", "Ada");
  // An open feed would send it from a timer armed now, which fires before this one.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(watcher.frames.length, 1, "the snapshot only");
});
