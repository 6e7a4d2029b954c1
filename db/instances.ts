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

/**
 * Removes other instances whose heartbeat is older than `ttlMs` (and their
 * connections); returns their ids. The caller never reaps itself: a round
 * that stalled past the time-to-live says nothing about its own liveness.
 */
export async function reapInstances(db: Queryable, ttlMs: number, self: string): Promise<string[]> {
  const rows = await db.query<{ instance_id: string }>(
    `DELETE FROM instances WHERE instance_id <> $2
     AND heartbeat_at < NOW() - make_interval(secs => $1::double precision / 1000)
     RETURNING instance_id::text AS instance_id`,
    [ttlMs, self],
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

/** A user with sockets on an instance, as {@link connectAll} records them. */
export interface ConnectedUser {
  userId: string;
  chat: boolean;
  /** The name to list them under if they are not online. */
  name: string;
}

/**
 * Records, in one statement, that these users have sockets on an instance
 * (and whether one is a chat socket), and makes sure each is online. Returns
 * the ids of those who were not online before.
 */
export async function connectAll(db: Queryable, instanceId: string, users: ConnectedUser[]): Promise<Set<string>> {
  // The list travels as JSON text: both drivers pass a string the same way.
  const rows = await db.query<{ user_id: string; joined: boolean }>(
    `WITH listed AS (
       SELECT * FROM jsonb_to_recordset($2::text::jsonb) AS t(user_id uuid, chat boolean, name text)
     ), recorded AS (
       INSERT INTO connections (user_id, instance_id, chat) SELECT user_id, $1, chat FROM listed
       ON CONFLICT (user_id, instance_id) DO UPDATE SET chat = EXCLUDED.chat
     )
     INSERT INTO users_online (user_id, display_name, last_seen) SELECT user_id, name, NOW() FROM listed
     ON CONFLICT (user_id) DO UPDATE SET last_seen = NOW()
     RETURNING user_id::text AS user_id, (xmax = 0) AS joined`,
    [instanceId, JSON.stringify(users.map((u) => ({ user_id: u.userId, chat: u.chat, name: u.name })))],
  );
  return new Set(rows.filter((row) => row.joined).map((row) => row.user_id));
}

/**
 * Records, in one statement, that these users have no socket left on an
 * instance, and takes offline those of them with no socket on any other
 * instance and no registration within `graceMs`. Returns who left.
 */
export async function disconnectAll(
  db: Queryable,
  instanceId: string,
  userIds: string[],
  graceMs: number,
): Promise<string[]> {
  const rows = await db.query<{ user_id: string }>(
    `WITH listed AS (SELECT unnest(string_to_array($2, ',')::uuid[]) AS user_id),
     removed AS (DELETE FROM connections WHERE instance_id = $1 AND user_id IN (SELECT user_id FROM listed))
     DELETE FROM users_online u WHERE u.user_id IN (SELECT user_id FROM listed)
     AND u.last_seen < NOW() - make_interval(secs => $3::double precision / 1000)
     AND NOT EXISTS (SELECT 1 FROM connections c WHERE c.user_id = u.user_id AND c.instance_id <> $1)
     RETURNING user_id::text AS user_id`,
    [instanceId, userIds.join(","), graceMs],
  );
  return rows.map((row) => row.user_id);
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
