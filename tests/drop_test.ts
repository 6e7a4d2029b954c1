/**
 * Clients that vanish without a goodbye — a crashed browser, a laptop that
 * lost its network, a NAT that forgot the flow: the TCP connection ends with
 * no WebSocket close frame. The server must clean up after each exactly as
 * after a polite close.
 */
import assert from "node:assert/strict";
import { applyPresence, type Roster } from "../lib/client/roster.ts";
import type { PresenceServerFrame } from "../lib/protocol.ts";
import { dbTest, type TestServer, type TestUser } from "./harness.ts";
import { openSilentSocket } from "./raw_socket.ts";
import { waitUntil } from "./wait_until.ts";
import { TestSocket } from "./ws_client.ts";

const USERS = 500;
/** Handshakes in flight at once. */
const CONCURRENCY = 50;

/**
 * The sockets of the `i`-th user, 1,000 over 500 users: a fifth have two chat
 * sockets, a fifth two presence sockets, the rest one of each; presence
 * sockets alternate between full and diff mode.
 */
function socketUrls(server: TestServer, user: TestUser, i: number): string[] {
  const chat = server.ws(`/ws/chat?me=${user.userId}&token=${user.token}`);
  const presence = server.ws(`/presence/ws?user_id=${user.userId}&token=${user.token}${i % 2 ? "&mode=diff" : ""}`);
  if (i % 5 === 0) return [chat, chat];
  if (i % 5 === 1) return [presence, presence];
  return [chat, presence];
}

/** Runs `fn(0)` … `fn(count - 1)`, at most `concurrency` at a time. */
async function forEachConcurrently(count: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await fn(next++);
  }));
}

/** The roster a presence socket describes, applied frame by frame as the browser does, and the leaves it heard. */
function follow(socket: TestSocket) {
  let roster: Roster = new Map();
  const leaves = new Set<string>();
  let applied = 0;
  const apply = () => {
    for (; applied < socket.frames.length; applied++) {
      const frame = socket.frames[applied] as unknown as PresenceServerFrame;
      roster = applyPresence(roster, frame);
      if (frame.type === "presence_diff") { for (const userId of frame.leaves) leaves.add(userId); }
    }
  };
  return {
    /** The roster after every frame received so far; its leaves are forgotten. */
    settle(): Roster {
      apply();
      leaves.clear();
      return roster;
    },
    leaves,
    /** Waits for frames until the roster satisfies `condition`. */
    async until(what: string, condition: (roster: Roster) => boolean, timeoutMs = 15_000): Promise<Roster> {
      apply();
      if (condition(roster)) return roster;
      try {
        await socket.next(() => (apply(), condition(roster)), timeoutMs);
      } catch (error) {
        throw new Error(`The presence socket never showed ${what}: ${(error as Error).message}`);
      }
      return roster;
    },
  };
}

dbTest("faults - 1,000 sockets dropped abruptly leave no connection or presence row", async (server) => {
  const { db, presence } = server.server.state;
  const connectionRows = async () =>
    (await db.query<{ user_id: string }>(
      "SELECT user_id::text AS user_id FROM connections WHERE instance_id = $1",
      [presence.instanceId],
    )).map((row) => row.user_id);
  const onlineRows = async () => {
    const rows = await db.query<{ user_id: string }>("SELECT user_id::text AS user_id FROM users_online");
    return rows.map((row) => row.user_id);
  };

  const watcherUser = await server.register("Watcher");
  const watcher = new TestSocket(
    server.ws(`/presence/ws?user_id=${watcherUser.userId}&token=${watcherUser.token}&mode=diff`),
  );
  await watcher.opened;
  const view = follow(watcher);

  const openingAt = performance.now();
  // Each user registers and opens their sockets at once, as a page does.
  const users: TestUser[] = [];
  const conns: Deno.TcpConn[] = [];
  await forEachConcurrently(USERS, CONCURRENCY, async (i) => {
    const user = await server.register(`User ${i}`);
    users.push(user);
    for (const url of socketUrls(server, user, i)) conns.push(await openSilentSocket(url));
  });
  assert.equal(conns.length, 1000);
  const userIds = users.map((user) => user.userId);
  await view.until(`all ${USERS} users online`, (roster) => userIds.every((userId) => roster.has(userId)));
  await waitUntil("the server to count every socket", () => {
    const { chat, presence: following } = presence.socketCounts();
    return chat === 500 && following === 501;
  });
  await waitUntil("a connection row per user", async () => (await connectionRows()).length === USERS + 1);

  // Closing the TCP connection sends no close frame; sockets with unread frames (the presence ones) even reset it.
  view.settle();
  const droppedAt = performance.now();
  const openedMs = droppedAt - openingAt;
  for (const conn of conns) conn.close();

  const roster = await view.until("everyone but the watcher gone", (roster) => roster.size === 1);
  const leavesSeenMs = performance.now() - droppedAt;
  assert.deepEqual([...roster.keys()], [watcherUser.userId]);
  assert.deepEqual([...view.leaves].sort(), [...userIds].sort(), "the watcher heard every user leave");
  await waitUntil("no connection row but the watcher's", async () => (await connectionRows()).length === 1);
  await waitUntil("no user online but the watcher", async () => (await onlineRows()).length === 1);
  const tablesCleanMs = performance.now() - droppedAt;
  assert.deepEqual(await connectionRows(), [watcherUser.userId]);
  assert.deepEqual(await onlineRows(), [watcherUser.userId]);
  assert.equal(presence.feed.size, 1);
  assert.ok(presence.feed.has(watcherUser.userId));
  assert.deepEqual(presence.socketCounts(), { chat: 0, presence: 1 });
  const ms = (value: number) => `${Math.round(value)} ms`;
  console.log(
    `${server.kind}: 1,000 sockets opened in ${ms(openedMs)}, then dropped; the watcher saw every leave after ` +
      `${ms(leavesSeenMs)}, the tables were clean after ${ms(tablesCleanMs)} (grace period 300 ms)`,
  );

  // The server still serves.
  const health = await fetch(server.http("/health"));
  assert.equal(health.status, 200);
  await health.body?.cancel();
  const ada = await server.register("Ada");
  const bob = await server.register("Bob");
  const [adaChat, bobChat] = await Promise.all([server.chat(ada), server.chat(bob)]);
  adaChat.send({ type: "dm", to: bob.userId, text: "still there?", id: "after-drop" });
  const delivered = await bobChat.next((frame) => frame.type === "dm" && frame.id === "after-drop");
  assert.equal(delivered.from, ada.userId);
  assert.equal(delivered.text, "still there?");
  await adaChat.next((frame) => frame.type === "dm" && frame.id === "after-drop");

  // And once the last clients leave politely, nothing at all is left.
  await Promise.all([watcher.close(), adaChat.close(), bobChat.close()]);
  await waitUntil("no connection row", async () => (await connectionRows()).length === 0);
  await waitUntil("no user online", async () => (await onlineRows()).length === 0);
  await waitUntil("an empty roster", () => presence.feed.size === 0);
  assert.deepEqual(presence.socketCounts(), { chat: 0, presence: 0 });
});
