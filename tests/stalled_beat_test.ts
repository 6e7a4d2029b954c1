/**
 * An instance whose heartbeat round stalls (a long resync, a busy database)
 * must not take itself for dead. Runs only when `DATABASE_URL` points at a
 * PostgreSQL server: the embedded database has no other instances to reap.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { DATABASE_KINDS, sharedDatabase, startServer } from "./harness.ts";
import { waitUntil } from "./wait_until.ts";

const POSTGRES_URL = Deno.env.get("DATABASE_URL");

Deno.test({
  name: "faults - an instance whose beat stalls past its time-to-live does not reap itself",
  ignore: !DATABASE_KINDS.includes("postgres"),
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  // Heartbeat 200 ms, time-to-live 600 ms (TEST_ENV).
  const server = await startServer("postgres");
  const db = await sharedDatabase("postgres");
  const { presence } = server.server.state;
  const instanceId = presence.instanceId;
  const startedAt = async () =>
    (await db.query<{ started_at: string }>(
      "SELECT started_at::text AS started_at FROM instances WHERE instance_id = $1",
      [instanceId],
    ))[0].started_at;
  const locker = postgres(POSTGRES_URL!, { max: 1, onnotice: () => {} });
  try {
    const ada = await server.register("Ada");
    const adaChat = await server.chat(ada);
    await waitUntil(
      "Ada's connection row",
      async () => (await db.query("SELECT 1 FROM connections WHERE user_id = $1", [ada.userId])).length === 1,
    );
    const before = await startedAt();

    // Hold Ada's roster row so that the instance's next resync waits on it, well past the time-to-live.
    // The checks run outside the transaction: within one, pg_stat_activity is read only once.
    await locker.begin(async (tx) => {
      await tx`SELECT 1 FROM users_online WHERE user_id = ${ada.userId} FOR UPDATE`;
      presence.needsResync = true;
      await waitUntil("the resync to wait on Ada's row", async () => {
        const waiting = await db.query(
          "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INTO users_online%'",
        );
        return waiting.length > 0;
      });
      await waitUntil("the instance's heartbeat to be older than twice its time-to-live", async () => {
        const stale = await db.query(
          "SELECT 1 FROM instances WHERE instance_id = $1 AND heartbeat_at < NOW() - interval '1200 milliseconds'",
          [instanceId],
        );
        return stale.length > 0;
      });
    });
    const [{ released }] = await db.query<{ released: string }>("SELECT clock_timestamp()::text AS released");

    // The stalled round goes on, and the next one beats again.
    await waitUntil("a heartbeat after the row was released", async () =>
      (await db.query(
        "SELECT 1 FROM instances WHERE instance_id = $1 AND heartbeat_at > $2::timestamptz",
        [instanceId, released],
      )).length === 1);
    const after = await startedAt();
    // Reaping itself would delete its row (and, by cascade, its users' connection rows, which other
    // instances then drop from their chat routes) until the next beat inserts it again, started anew.
    assert.equal(after, before, "the instance reaped itself and was inserted again");
    await adaChat.close();
  } finally {
    await locker.end();
    await server.shutdown();
  }
});
