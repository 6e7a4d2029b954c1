import assert from "node:assert/strict";
import { DATABASE_KINDS, freshDatabase } from "../tests/harness.ts";
import { bindIdentity, identityName, sharedSecret, touchIdentity } from "./identities.ts";
import {
  heartbeat,
  reapInstances,
  recordConnection,
  registerInstance,
  remoteChatLocations,
  replaceConnections,
} from "./instances.ts";
import { migrate } from "./migrate.ts";
import { listOnline, reapIdleUsers, removeIdleAmong, removeIfIdle, upsertOnline } from "./roster.ts";

function dbOnlyTest(name: string, fn: (db: Awaited<ReturnType<typeof freshDatabase>>) => Promise<void>) {
  for (const kind of DATABASE_KINDS) {
    Deno.test({
      name: `${name} (${kind})`,
      sanitizeResources: false,
      sanitizeOps: false,
      fn: async () => fn(await freshDatabase(kind)),
    });
  }
}

const id = () => crypto.randomUUID();

dbOnlyTest("db - migrations are applied once and again are a no-op", async (db) => {
  assert.deepEqual(await migrate(db), []);
  const tables = await db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name");
  assert.deepEqual(tables.map((t) => t.name), ["000_presence.sql", "001_identities.sql", "002_instances.sql"]);
});

dbOnlyTest("db - an identity is bound once, and the shared secret is the first one stored", async (db) => {
  const user = id();
  assert.equal(await bindIdentity(db, user, "Ada"), true);
  assert.equal(await bindIdentity(db, user, "Mallory"), false);
  await touchIdentity(db, user, "Ada L.");
  assert.equal(await identityName(db, user), "Ada L.");
  assert.equal(await identityName(db, id()), null);
  assert.equal(await sharedSecret(db, "session", "first"), "first");
  assert.equal(await sharedSecret(db, "session", "second"), "first");
});

dbOnlyTest("db - users leave only without connections and after the grace period", async (db) => {
  const [a, b, c] = [id(), id(), id()];
  const instance = id();
  await registerInstance(db, instance);
  assert.equal(await upsertOnline(db, a, "Ada"), true);
  assert.equal(await upsertOnline(db, a, "Ada"), false);
  await upsertOnline(db, b, "Bob");
  await upsertOnline(db, c, "Carol");
  await replaceConnections(db, instance, [{ userId: a, chat: true }, { userId: b, chat: false }]);
  assert.equal(await removeIfIdle(db, c, 60_000), false, "registered within the grace period");
  assert.equal(await removeIfIdle(db, c, 0), true);
  assert.deepEqual(await reapIdleUsers(db, 0), []);
  assert.deepEqual((await listOnline(db)).map((u) => u.name), ["Ada", "Bob"]);
  const other = id();
  assert.deepEqual(await remoteChatLocations(db, other), [{ user_id: a, instance_id: instance }]);
  assert.deepEqual(await removeIdleAmong(db, [a, b]), []);
  await replaceConnections(db, instance, [{ userId: a, chat: true }]);
  assert.deepEqual(await removeIdleAmong(db, [a, b]), [b]);
});

dbOnlyTest("db - a dead instance's connections go with it", async (db) => {
  const [alive, dead, user] = [id(), id(), id()];
  await registerInstance(db, alive);
  await registerInstance(db, dead);
  await upsertOnline(db, user, "Ada");
  await recordConnection(db, dead, user, true);
  await db.query("UPDATE instances SET heartbeat_at = NOW() - interval '1 minute' WHERE instance_id = $1", [dead]);
  assert.deepEqual(await reapInstances(db, 30_000), [dead]);
  assert.equal(await heartbeat(db, dead), false);
  assert.equal(await heartbeat(db, alive), true);
  assert.deepEqual(await reapIdleUsers(db, 0), [user]);
});
