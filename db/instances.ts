import type { Queryable } from "./database.ts";

/** Where a user has a chat socket open. */
export interface ChatLocation {
  user_id: string;
  instance_id: string;
}

/** A user with sockets on this instance, as recorded in `connections`. */
export interface LocalConnection {
  userId: string;
  chat: boolean;
}

/** Records a running instance, or refreshes its heartbeat. */
export async function registerInstance(db: Queryable, instanceId: string): Promise<void> {
  await db.query(
    `INSERT INTO instances (instance_id) VALUES ($1)
     ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = NOW()`,
    [instanceId],
  );
}

/** Refreshes an instance's heartbeat; `false` when its row is gone (another instance reaped it). */
export async function heartbeat(db: Queryable, instanceId: string): Promise<boolean> {
  const rows = await db.query(
    "UPDATE instances SET heartbeat_at = NOW() WHERE instance_id = $1 RETURNING instance_id",
    [instanceId],
  );
  return rows.length === 1;
}

/** Removes instances whose heartbeat is older than `ttlMs` (and their connections); returns their ids. */
export async function reapInstances(db: Queryable, ttlMs: number): Promise<string[]> {
  const rows = await db.query<{ instance_id: string }>(
    `DELETE FROM instances WHERE heartbeat_at < NOW() - make_interval(secs => $1::double precision / 1000)
     RETURNING instance_id::text AS instance_id`,
    [ttlMs],
  );
  return rows.map((row) => row.instance_id);
}

/** Removes every instance but this one: the embedded database has one process only. */
export async function removeOtherInstances(db: Queryable, instanceId: string): Promise<void> {
  await db.query("DELETE FROM instances WHERE instance_id <> $1", [instanceId]);
}

/** Removes an instance and its connections, on shutdown. */
export async function removeInstance(db: Queryable, instanceId: string): Promise<void> {
  await db.query("DELETE FROM instances WHERE instance_id = $1", [instanceId]);
}

/** Records that a user has sockets on an instance, and whether one is a chat socket. */
export async function recordConnection(db: Queryable, instanceId: string, userId: string, chat: boolean) {
  await db.query(
    `INSERT INTO connections (user_id, instance_id, chat) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, instance_id) DO UPDATE SET chat = EXCLUDED.chat`,
    [userId, instanceId, chat],
  );
}

/** Records that a user has no socket left on an instance. */
export async function removeConnection(db: Queryable, instanceId: string, userId: string): Promise<void> {
  await db.query("DELETE FROM connections WHERE user_id = $1 AND instance_id = $2", [userId, instanceId]);
}

/** Rewrites an instance's connections from its own memory, after the database lost track of them. */
export async function replaceConnections(db: Queryable, instanceId: string, connections: LocalConnection[]) {
  await db.query("DELETE FROM connections WHERE instance_id = $1", [instanceId]);
  if (connections.length === 0) return;
  // Lists travel as comma-separated text: both drivers pass a string the same way.
  await db.query(
    `INSERT INTO connections (user_id, instance_id, chat)
     SELECT u, $1, c FROM unnest(string_to_array($2, ',')::uuid[], string_to_array($3, ',')::boolean[]) AS t(u, c)
     ON CONFLICT (user_id, instance_id) DO UPDATE SET chat = EXCLUDED.chat`,
    [instanceId, connections.map((c) => c.userId).join(","), connections.map((c) => c.chat).join(",")],
  );
}

/** Chat sockets open on other instances. */
export function remoteChatLocations(db: Queryable, instanceId: string): Promise<ChatLocation[]> {
  return db.query<ChatLocation>(
    `SELECT user_id::text AS user_id, instance_id::text AS instance_id FROM connections
     WHERE chat AND instance_id <> $1`,
    [instanceId],
  );
}
