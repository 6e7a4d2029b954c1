/**
 * A logout while the user's sockets close one by one, driven against
 * Presence directly so that the closes arrive in a chosen order, on both
 * databases.
 */
import assert from "node:assert/strict";
import type { Database } from "../db/database.ts";
import { registerInstance } from "../db/instances.ts";
import { Bus } from "../lib/bus.ts";
import { Connection, ConnectionKind } from "../lib/connection.ts";
import { Metrics } from "../lib/metrics.ts";
import { Presence } from "../lib/presence.ts";
import { DATABASE_KINDS, freshDatabase } from "./harness.ts";

/** A connection whose socket records the frames sent to it. */
function socketOf(userId: string, kind: ConnectionKind) {
  const frames: Record<string, unknown>[] = [];
  let wake: (() => void) | null = null;
  const socket = {
    readyState: WebSocket.OPEN,
    bufferedAmount: 0,
    send(text: string) {
      frames.push(JSON.parse(text));
      wake?.();
    },
    close() {},
  };
  const limits = { ratePerSec: 10, rateBurst: 10, sendBufferMaxBytes: 1 << 20 };
  const connection = new Connection(socket as unknown as WebSocket, userId, kind, limits, new Metrics());
  connection.diff = true;
  /** Resolves once a frame matching `predicate` has arrived; fails after 5 s without one. */
  const seen = async (predicate: (frame: Record<string, unknown>) => boolean, what: string) => {
    const deadline = setTimeout(() => wake?.(), 5_000);
    const started = Date.now();
    try {
      while (!frames.some(predicate)) {
        assert.ok(Date.now() - started < 5_000, `${what} within 5 s`);
        await new Promise<void>((resolve) => wake = resolve);
      }
    } finally {
      clearTimeout(deadline);
    }
  };
  return { connection, frames, seen };
}

/** Polls the database until `check` holds: its writes have no event to wait for. */
async function eventually(db: Database, check: (db: Database) => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!await check(db)) {
    assert.ok(Date.now() < deadline, `${what} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const hasConnection = (userId: string) => async (db: Database) =>
  (await db.query("SELECT 1 FROM connections WHERE user_id = $1", [userId])).length > 0;

type Diff = { type: string; joins?: { user_id: string }[]; leaves?: string[] };
const joins = (userId: string) => (f: Record<string, unknown>) =>
  (f as Diff).joins?.some((j) => j.user_id === userId) ?? false;

for (const kind of DATABASE_KINDS) {
  Deno.test({
    name: `presence - a logged-out user stays off the list while their sockets close one by one (${kind})`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const db = await freshDatabase(kind);
      const instanceId = crypto.randomUUID();
      await registerInstance(db, instanceId);
      const presence = new Presence(db, new Bus(db, instanceId), instanceId, {
        graceMs: 300,
        heartbeatMs: 200,
        instanceTtlMs: 600,
      });
      try {
        const [ada, bob, marker] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
        await presence.register(bob, "Bob", false);
        const bobWatch = socketOf(bob, ConnectionKind.Presence);
        presence.attach(bobWatch.connection);
        await presence.register(ada, "Ada", false);
        const adaChat = socketOf(ada, ConnectionKind.Chat);
        const adaWatch = socketOf(ada, ConnectionKind.Presence);
        presence.attach(adaChat.connection);
        presence.attach(adaWatch.connection);
        await eventually(db, hasConnection(ada), "Ada's sockets recorded");
        await bobWatch.seen(joins(ada), "Bob sees Ada join");

        await presence.logout(ada);
        // The closes arrive one at a time: a sync in between sees the presence socket still there.
        presence.detach(adaChat.connection);
        await bobWatch.seen((f) => (f as Diff).leaves?.includes(ada) ?? false, "Bob sees Ada leave");
        presence.detach(adaWatch.connection);
        await eventually(db, async (db) => !await hasConnection(ada)(db), "Ada's sockets forgotten");

        // Everything up to a later change has reached Bob once that change has.
        await presence.register(marker, "Marker", false);
        await bobWatch.seen(joins(marker), "Bob sees the marker join");
        const afterLeave = bobWatch.frames.slice(bobWatch.frames.findIndex((f) => (f as Diff).leaves?.includes(ada)));
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
