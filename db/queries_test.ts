import assert from "node:assert/strict";
import { DATABASE_KINDS, emptied, freshDatabase } from "../tests/harness.ts";
import type { Database } from "./database.ts";
import { identityBinding, identityName, sharedSecret } from "./identities.ts";
import {
  connectAll,
  disconnectAll,
  heartbeat,
  reapInstances,
  registerInstance,
  remoteChatLocations,
  replaceConnections,
} from "./instances.ts";
import { migrate } from "./migrate.ts";
import { openDatabase } from "./open.ts";
import { openPglite } from "./pglite.ts";
import { isDatabaseUnavailable } from "./errors.ts";
import { databaseProcessesOf, ended, running } from "../tests/processes.ts";
import { waitUntil } from "../tests/wait_until.ts";
import { listOnline, reapIdleUsers, registerOnline, removeIdleAmong, upsertOnline } from "./roster.ts";

/** The embedded database in this process, as a server without permission to start Deno runs it. */
let inline: Promise<Database> | undefined;

function dbOnlyTest(name: string, fn: (db: Database) => Promise<void>) {
  const variants: [string, () => Promise<Database>][] = [
    ...DATABASE_KINDS.map((kind): [string, () => Promise<Database>] => [kind, () => freshDatabase(kind)]),
    ["pglite in this process", async () => emptied(await (inline ??= openDatabase({ pgliteProcess: false })))],
  ];
  for (const [variant, open] of variants) {
    Deno.test({
      name: `${name} (${variant})`,
      sanitizeResources: false,
      sanitizeOps: false,
      fn: async () => fn(await open()),
    });
  }
}

const id = () => crypto.randomUUID();

dbOnlyTest("db - migrations are applied once and again are a no-op", async (db) => {
  assert.deepEqual(await migrate(db), []);
  const tables = await db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name");
  assert.deepEqual(tables.map((t) => t.name), [
    "000_presence.sql",
    "001_identities.sql",
    "002_instances.sql",
    "003_bindings.sql",
  ]);
});

dbOnlyTest("db - a free id is bound by its first registration; later ones need the proof", async (db) => {
  const user = id();
  const first = await registerOnline(db, user, "Ada", null);
  assert.equal(first?.joined, true);
  const binding = first!.binding;
  assert.match(binding, /^[0-9a-f]{32}$/, "a new binding of its own");
  assert.equal(await registerOnline(db, user, "Mallory", null), null, "taken without proof");
  assert.equal(await registerOnline(db, user, "Mallory", "another binding"), null, "taken, proof of another binding");
  assert.deepEqual(await registerOnline(db, user, "Ada L.", binding), { joined: false, binding }, "a rename");
  assert.equal(await identityName(db, user), "Ada L.");
  assert.equal(await identityBinding(db, user), binding);
  assert.deepEqual((await listOnline(db)).map((u) => u.name), ["Ada L."]);
  assert.equal(await identityName(db, id()), null);
  assert.equal(await identityBinding(db, id()), null);
  assert.equal(await sharedSecret(db, "session", "first"), "first");
  assert.equal(await sharedSecret(db, "session", "second"), "first");
});

dbOnlyTest("db - an id forgotten and registered again gets a new binding", async (db) => {
  const user = id();
  const first = (await registerOnline(db, user, "Ada", null))!.binding;
  await db.query("DELETE FROM users_online WHERE user_id = $1", [user]);
  await db.query("DELETE FROM identities WHERE user_id = $1", [user]);
  const again = await registerOnline(db, user, "Eve", null);
  assert.equal(again?.joined, true);
  assert.notEqual(again!.binding, first);
  assert.equal(await registerOnline(db, user, "Ada", first), null, "the earlier binding's proof is no proof");
});

dbOnlyTest("db - ids bound before bindings existed keep the empty binding", async (db) => {
  const user = id();
  // The schema as it was before bindings, with an id bound then.
  await db.query("ALTER TABLE identities DROP COLUMN binding");
  await db.query("DELETE FROM schema_migrations WHERE name = '003_bindings.sql'");
  try {
    await db.query("INSERT INTO identities (user_id, display_name) VALUES ($1, 'Ada')", [user]);
  } finally {
    assert.deepEqual(await migrate(db), ["003_bindings.sql"]);
  }
  assert.equal(await identityBinding(db, user), "");
  assert.deepEqual(await registerOnline(db, user, "Ada", ""), { joined: true, binding: "" });
  const later = await registerOnline(db, id(), "Bob", null);
  assert.notEqual(later!.binding, "", "new ids get a binding of their own");
});

dbOnlyTest("db - a registration announces itself on commit, and a refused one does not", async (db) => {
  const channel = `registrations_${id().replaceAll("-", "")}`;
  const heard: string[] = [];
  let second = () => {};
  const secondHeard = new Promise<void>((resolve) => second = resolve);
  const unlisten = await db.listen(channel, (payload) => {
    heard.push(payload);
    if (payload === "Bob joined") second();
  });
  try {
    const [ada, bob] = [id(), id()];
    assert.equal((await registerOnline(db, ada, "Ada", null, { channel, payload: "Ada joined" }))?.joined, true);
    assert.equal(await registerOnline(db, ada, "Mallory", null, { channel, payload: "Mallory joined" }), null);
    assert.equal((await registerOnline(db, bob, "Bob", null, { channel, payload: "Bob joined" }))?.joined, true);
    await secondHeard;
    // Notifications arrive in commit order, so one from the refusal would sit between these.
    assert.deepEqual(heard, ["Ada joined", "Bob joined"]);
  } finally {
    await unlisten();
  }
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
  assert.deepEqual(await disconnectAll(db, instance, [c], 60_000), [], "registered within the grace period");
  assert.deepEqual(await disconnectAll(db, instance, [c], 0), [c]);
  assert.deepEqual(await reapIdleUsers(db, 0), []);
  assert.deepEqual((await listOnline(db)).map((u) => u.name), ["Ada", "Bob"]);
  const other = id();
  assert.deepEqual(await remoteChatLocations(db, other), [{ user_id: a, instance_id: instance }]);
  assert.deepEqual(await removeIdleAmong(db, [a, b]), []);
  await replaceConnections(db, instance, [{ userId: a, chat: true }]);
  assert.deepEqual(await removeIdleAmong(db, [a, b]), [b]);
});

dbOnlyTest("db - connections of many users are written in one go, and users leave with their last", async (db) => {
  const [here, there] = [id(), id()];
  await registerInstance(db, here);
  await registerInstance(db, there);
  const [a, b] = [id(), id()];
  await upsertOnline(db, a, "Ada");
  const joined = await connectAll(db, here, [
    { userId: a, chat: false, name: "Ada" },
    { userId: b, chat: true, name: "Bob, the one with a comma" },
  ]);
  assert.deepEqual([...joined], [b], "Ada was online already");
  assert.deepEqual((await listOnline(db)).map((u) => u.name).sort(), ["Ada", "Bob, the one with a comma"]);
  await connectAll(db, there, [{ userId: b, chat: false, name: "Bob" }]);
  assert.deepEqual(await remoteChatLocations(db, there), [{ user_id: b, instance_id: here }]);
  assert.deepEqual(await disconnectAll(db, here, [a, b], 0), [a], "Bob still has a socket elsewhere");
  assert.deepEqual(await disconnectAll(db, there, [b], 0), [b]);
  assert.deepEqual(await listOnline(db), []);
});

dbOnlyTest("db - a dead instance's connections go with it", async (db) => {
  const [alive, dead, user] = [id(), id(), id()];
  await registerInstance(db, alive);
  await registerInstance(db, dead);
  await upsertOnline(db, user, "Ada");
  await connectAll(db, dead, [{ userId: user, chat: true, name: "Ada" }]);
  await db.query("UPDATE instances SET heartbeat_at = NOW() - interval '1 minute' WHERE instance_id = $1", [dead]);
  await db.query("UPDATE instances SET heartbeat_at = NOW() - interval '1 minute' WHERE instance_id = $1", [alive]);
  assert.deepEqual(await reapInstances(db, 30_000, alive), [dead], "never the reaper itself");
  assert.equal(await heartbeat(db, dead), false);
  assert.equal(await heartbeat(db, alive), true);
  assert.deepEqual(await reapIdleUsers(db, 0), [user]);
});

dbOnlyTest("db - a transaction commits when its function resolves and leaves nothing when it throws", async (db) => {
  const [kept, dropped] = [id(), id()];
  const names = await db.transaction(async (tx) => {
    await upsertOnline(tx, kept, "Ada");
    return (await listOnline(tx)).map((u) => u.name);
  });
  assert.deepEqual(names, ["Ada"], "the transaction sees its own rows");
  const failure = new Error("changed my mind");
  await assert.rejects(
    db.transaction(async (tx) => {
      await upsertOnline(tx, dropped, "Bob");
      throw failure;
    }),
    (error) => error === failure,
  );
  assert.deepEqual((await listOnline(db)).map((u) => u.user_id), [kept]);
});

dbOnlyTest("db - statements a transaction asked for without awaiting them commit or roll back with it", async (db) => {
  const kept = [id(), id()];
  const dropped = [id(), id()];
  await db.transaction((tx) => {
    for (const user of kept) void upsertOnline(tx, user, "Ada");
    return Promise.resolve();
  });
  const failure = new Error("changed my mind");
  await assert.rejects(
    db.transaction((tx) => {
      for (const user of dropped) void upsertOnline(tx, user, "Bob");
      return Promise.reject(failure);
    }),
    (error) => error === failure,
  );
  assert.deepEqual((await listOnline(db)).map((u) => u.user_id).sort(), [...kept].sort());
});

dbOnlyTest("db - a failed statement reports PostgreSQL's code, and the next one runs", async (db) => {
  const user = id();
  await db.query("INSERT INTO identities (user_id, display_name) VALUES ($1, 'Ada')", [user]);
  await assert.rejects(
    db.query("INSERT INTO identities (user_id, display_name) VALUES ($1, 'Eve')", [user]),
    (error: Error & { code?: string }) => error.code === "23505" && /duplicate key/.test(error.message),
  );
  await assert.rejects(
    db.query("SELECT $1::int", ["not a number"]),
    (error: { code?: string }) => error.code === "22P02",
  );
  assert.equal(await identityName(db, user), "Ada");
});

dbOnlyTest("db - a statement run again with other parameters returns their rows, of each type", async (db) => {
  const sql =
    "SELECT $1::text AS text, $2::int AS number, $3::boolean AS flag, $4::timestamptz AS at, $5::text AS missing";
  const at = new Date("2026-01-02T03:04:05.678Z");
  for (
    const [text, number, flag] of [["Ada", 1, true], ["Bob", -2, false], ["Zoë \u{1F600}", 2 ** 31 - 1, true]] as const
  ) {
    const [row] = await db.query<Record<string, unknown>>(sql, [text, number, flag, at, null]);
    assert.deepEqual(row, { text, number, flag, at, missing: null });
  }
});

dbOnlyTest("db - statements of a transaction asked for at once each get their own rows", async (db) => {
  // Texts not seen before, so that each is prepared as it first runs.
  const tag = crypto.randomUUID().slice(0, 8);
  const [a, b, c] = await db.transaction((tx) =>
    Promise.all([
      tx.query<{ a: number }>(`SELECT $1::int + 1 AS a, '${tag}' AS tag`, [1]),
      tx.query<{ b: number }>(`SELECT $1::int + 2 AS b, '${tag}' AS tag`, [1]),
      tx.query<{ c: string }>(`SELECT $1::text AS c, '${tag}' AS tag`, ["three"]),
    ])
  );
  assert.deepEqual([a, b, c], [[{ a: 2, tag }], [{ b: 3, tag }], [{ c: "three", tag }]]);
});

dbOnlyTest("db - arrays come back as arrays, of numbers and of uuids", async (db) => {
  const user = id();
  const [row] = await db.query("SELECT ARRAY[$1::int, 2] AS numbers, ARRAY[$2::uuid] AS ids", [1, user]);
  assert.deepEqual(row, { numbers: [1, 2], ids: [user] });
});

dbOnlyTest("db - a statement that failed runs once what it needs exists", async (db) => {
  const table = `later_${id().replaceAll("-", "")}`;
  const sql = `SELECT count(*)::int AS n FROM ${table}`;
  try {
    await assert.rejects(db.query(sql), (error: { code?: string }) => error.code === "42P01", "no such table yet");
    await db.query(`CREATE TABLE ${table} (x int)`);
    await db.query(`INSERT INTO ${table} VALUES (1), (2)`);
    assert.deepEqual(await db.query(sql), [{ n: 2 }]);
    assert.deepEqual(await db.query(sql), [{ n: 2 }], "and again");
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${table}`);
  }
});

dbOnlyTest("db - many distinct statements each return their own rows", async (db) => {
  for (let i = 0; i < 150; i++) {
    assert.deepEqual(await db.query(`SELECT $1::int + ${i} AS n`, [1000]), [{ n: 1000 + i }]);
  }
  assert.deepEqual(await db.query("SELECT $1::int + 7 AS n", [1]), [{ n: 8 }], "an early one, again");
});

for (const placement of ["process", "inline"] as const) {
  embeddedTests(placement);
}

function embeddedTests(placement: "process" | "inline") {
  Deno.test(`db - the embedded database in a folder keeps its rows when it is opened again (${placement})`, async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "quick-chat-pglite-" });
    const pgliteProcess = placement === "process";
    try {
      const user = id();
      const first = await openDatabase({ pgliteDir: dataDir, pgliteProcess });
      assert.equal(first.placement, placement);
      await upsertOnline(first, user, "Ada");
      await first.close();
      await assert.rejects(first.query("SELECT 1"), /closed|ended/, "a closed database refuses statements");
      const second = await openDatabase({ pgliteDir: dataDir, pgliteProcess });
      try {
        assert.deepEqual(await listOnline(second), [{ user_id: user, name: "Ada" }]);
      } finally {
        await second.close();
      }
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  });

  Deno.test(`db - the embedded database vacuums and checkpoints as it goes: a churned table and its log stay small (${placement})`, async () => {
    const db = await openPglite({ upkeepEvery: 2000, placement });
    try {
      await db.query("CREATE TABLE churn (id uuid PRIMARY KEY, name text NOT NULL)");
      const live: string[] = [];
      for (let i = 0; i < 6000; i++) {
        live.push(id());
        await db.query("INSERT INTO churn (id, name) VALUES ($1, 'Ada')", [live.at(-1)]);
        if (live.length > 200) await db.query("DELETE FROM churn WHERE id = $1", [live.shift()]);
      }
      const [sizes] = await db.query<{ table: number; log: number }>(
        `SELECT pg_total_relation_size('churn')::int AS table,
       (pg_current_wal_lsn() - (SELECT redo_lsn FROM pg_control_checkpoint()))::int AS log`,
      );
      // Without the upkeep: 1.2 MiB for the table, and every byte of log since the start kept.
      assert.ok(sizes.table <= 256 * 1024, `200 rows in ${sizes.table} bytes`);
      assert.ok(sizes.log <= 1024 * 1024, `${sizes.log} bytes of log since the last checkpoint`);
    } finally {
      await db.close();
    }
  });
}

for (const kept of ["in memory", "in a folder"] as const) {
  Deno.test(`db - a killed embedded database's process fails statements as an outage, then a new one serves (${kept})`, async () => {
    const dataDir = kept === "in a folder" ? await Deno.makeTempDir() : undefined;
    const before = new Set(await databaseProcessesOf(Deno.pid));
    const restarted = Promise.withResolvers<void>();
    const db = await openDatabase({ pgliteDir: dataDir, onRestarted: restarted.resolve });
    try {
      const [child] = (await databaseProcessesOf(Deno.pid)).filter((pid) => !before.has(pid));
      const ada = id();
      await registerOnline(db, ada, "Ada", null);
      // A channel listened to before is listened to again, and its listener told so.
      const heard: string[] = [];
      let listens = 0;
      await db.listen("after_restart", (payload) => heard.push(payload), () => listens++);
      Deno.kill(child, "SIGKILL");
      await assert.rejects(identityName(db, ada), isDatabaseUnavailable);
      await restarted.promise;
      const now = (await databaseProcessesOf(Deno.pid)).filter((pid) => !before.has(pid));
      assert.equal(now.length, 1, "one database process of its own again");
      assert.notEqual(now[0], child);
      assert.equal(db.placement, "process");
      // What was written survives in a folder only; the schema is there either way.
      assert.equal(await identityName(db, ada), kept === "in a folder" ? "Ada" : null);
      assert.equal((await registerOnline(db, id(), "Bob", null))?.joined, true);
      assert.equal(listens, 2);
      // The embedded database hands a session's notifications back with the statement's own replies.
      await db.notify("after_restart", "still listening");
      assert.deepEqual(heard, ["still listening"]);
    } finally {
      await db.close();
      if (dataDir) await Deno.remove(dataDir, { recursive: true });
    }
  });
}

Deno.test("db - an embedded database's process that stops answering is ended and replaced; meanwhile statements fail as an outage", async () => {
  const before = new Set(await databaseProcessesOf(Deno.pid));
  const restarted = Promise.withResolvers<void>();
  const db = await openPglite({
    replyTimeoutMs: 1_000,
    onRestart: async (fresh) => void await migrate(fresh),
    onRestarted: restarted.resolve,
  });
  const [child] = (await databaseProcessesOf(Deno.pid)).filter((pid) => !before.has(pid));
  try {
    await migrate(db);
    Deno.kill(child, "SIGSTOP");
    // Without the reply deadline this statement would wait for good: the bound only keeps a failure from hanging.
    let bound: ReturnType<typeof setTimeout> | undefined;
    const unanswered = new Promise((_, reject) => bound = setTimeout(() => reject(new Error("still waiting")), 10_000));
    try {
      await assert.rejects(Promise.race([identityName(db, id()), unanswered]), isDatabaseUnavailable);
    } finally {
      clearTimeout(bound);
    }
    await ended(child);
    await restarted.promise;
    assert.equal((await registerOnline(db, id(), "Ada", null))?.joined, true);
  } finally {
    // Still stopped when the test failed: its statement would keep the database from closing.
    if (await running(child)) Deno.kill(child, "SIGKILL");
    await db.close();
  }
});

Deno.test("db - closing the embedded database while it starts another process leaves no process behind", async () => {
  const before = new Set(await databaseProcessesOf(Deno.pid));
  const db = await openDatabase({});
  const ours = async () => (await databaseProcessesOf(Deno.pid)).filter((pid) => !before.has(pid));
  const [child] = await ours();
  Deno.kill(child, "SIGKILL");
  await waitUntil("another database process", async () => (await ours()).some((pid) => pid !== child));
  await db.close();
  const left = [];
  for (const pid of await ours()) if (await running(pid)) left.push(pid);
  assert.deepEqual(left, []);
});
