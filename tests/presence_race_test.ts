/**
 * Presence when events and writes arrive in a bad order: a logout while the
 * user's sockets close one by one, and a disconnect that finds the row
 * refreshed by a write that landed late. Driven against Presence directly so
 * that the order is chosen, on both databases.
 */
import assert from "node:assert/strict";
import type { Database } from "../db/database.ts";
import { registerInstance } from "../db/instances.ts";
import { Bus } from "../lib/bus.ts";
import { ConnectionKind } from "../lib/connection.ts";
import { Presence } from "../lib/presence.ts";
import { DATABASE_KINDS, type DatabaseKind, freshDatabase } from "./harness.ts";
import { recordingConnection } from "./recording_connection.ts";

/** A recording connection, and a wait for a frame matching `predicate` that fails after 5 s. */
function socketOf(userId: string, kind: ConnectionKind) {
  const recorded = recordingConnection(userId, kind);
  recorded.connection.diff = true;
  const seen = async (predicate: (frame: Record<string, unknown>) => boolean, what: string) => {
    const deadline = Date.now() + 5_000;
    while (!recorded.frames.some(predicate)) {
      const left = deadline - Date.now();
      assert.ok(left > 0, `${what} within 5 s`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([recorded.nextSend(), new Promise((resolve) => timer = setTimeout(resolve, left))]);
      clearTimeout(timer);
    }
  };
  return { ...recorded, seen };
}

/** Polls the database until `check` holds: its writes have no event to wait for. */
async function eventually(db: Database, check: (db: Database) => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!await check(db)) {
    assert.ok(Date.now() < deadline, `${what} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const leaves = (userId: string) => (f: Record<string, unknown>) => (f as Diff).leaves?.includes(userId) ?? false;

const hasConnection = (userId: string) => async (db: Database) =>
  (await db.query("SELECT 1 FROM connections WHERE user_id = $1", [userId])).length > 0;

type Diff = { type: string; joins?: { user_id: string }[]; leaves?: string[] };

const joins = (userId: string) => (f: Record<string, unknown>) =>
  (f as Diff).joins?.some((j) => j.user_id === userId) ?? false;

/** Presence on a fresh database with a short grace period, and no heartbeat. */
async function startPresence(kind: DatabaseKind): Promise<{ db: Database; presence: Presence }> {
  const db = await freshDatabase(kind);
  const instanceId = crypto.randomUUID();
  await registerInstance(db, instanceId);
  const presence = new Presence(db, new Bus(db, instanceId), instanceId, {
    graceMs: 300,
    heartbeatMs: 200,
    instanceTtlMs: 600,
  });
  return { db, presence };
}

/** A registered user watching the roster through a presence socket. */
async function watcher(presence: Presence, userId: string, name: string) {
  await presence.register(userId, name, null);
  const watch = socketOf(userId, ConnectionKind.Presence);
  presence.attach(watch.connection);
  return watch;
}

for (const kind of DATABASE_KINDS) {
  Deno.test({
    name: `presence - a logged-out user stays off the list while their sockets close one by one (${kind})`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const { db, presence } = await startPresence(kind);
      try {
        const [ada, bob, marker] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
        const bobWatch = await watcher(presence, bob, "Bob");
        await presence.register(ada, "Ada", null);
        const adaChat = socketOf(ada, ConnectionKind.Chat);
        const adaWatch = socketOf(ada, ConnectionKind.Presence);
        presence.attach(adaChat.connection);
        presence.attach(adaWatch.connection);
        await eventually(db, hasConnection(ada), "Ada's sockets recorded");
        await bobWatch.seen(joins(ada), "Bob sees Ada join");

        await presence.logout(ada);
        // The closes arrive one at a time: a sync in between sees the presence socket still there.
        presence.detach(adaChat.connection);
        await bobWatch.seen(leaves(ada), "Bob sees Ada leave");
        presence.detach(adaWatch.connection);
        await eventually(db, async (db) => !await hasConnection(ada)(db), "Ada's sockets forgotten");

        // Everything up to a later change has reached Bob once that change has.
        await presence.register(marker, "Marker", null);
        await bobWatch.seen(joins(marker), "Bob sees the marker join");
        const afterLeave = bobWatch.frames.slice(bobWatch.frames.findIndex(leaves(ada)));
        assert.equal(afterLeave.filter(joins(ada)).length, 0, "Ada came back after her logout");
        assert.ok(!presence.feed.has(ada));
        const online = await db.query<{ user_id: string }>("SELECT user_id::text FROM users_online");
        assert.ok(!online.some((row) => row.user_id === ada), "Ada's row came back");
      } finally {
        await presence.stop();
      }
    },
  });
}

for (const kind of DATABASE_KINDS) {
  Deno.test({
    name: `presence - a user whose row a late write refreshed still leaves after one more grace period (${kind})`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      // No heartbeat runs here, so no reap would ever take Ada off the list: only the disconnect can.
      const { db, presence } = await startPresence(kind);
      try {
        const [ada, bob] = [crypto.randomUUID(), crypto.randomUUID()];
        const bobWatch = await watcher(presence, bob, "Bob");
        await presence.register(ada, "Ada", null);
        const adaChat = socketOf(ada, ConnectionKind.Chat);
        presence.attach(adaChat.connection);
        await eventually(db, hasConnection(ada), "Ada's socket recorded");
        await bobWatch.seen(joins(ada), "Bob sees Ada join");

        presence.detach(adaChat.connection);
        // A write that lands late, as a connect delayed in the pool would: when the disconnect runs at the end
        // of the grace period, the row looks refreshed within it and stays.
        await db.query("UPDATE users_online SET last_seen = NOW() + INTERVAL '200 milliseconds' WHERE user_id = $1", [
          ada,
        ]);
        await bobWatch.seen(leaves(ada), "Bob sees Ada leave");
        const online = await db.query<{ user_id: string }>("SELECT user_id::text FROM users_online");
        assert.ok(!online.some((row) => row.user_id === ada), "Ada's row is gone");
        assert.ok(online.some((row) => row.user_id === bob), "Bob is still online");
      } finally {
        await presence.stop();
      }
    },
  });
}
