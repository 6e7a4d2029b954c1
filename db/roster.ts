import type { Notification, Queryable } from "./database.ts";

/** A row of `users_online`, in the protocol's terms. */
export interface OnlineUser {
  user_id: string;
  name: string;
}

/**
 * Registers a user in one statement: binds the id to them and puts them
 * online (or renames them). With `proven`, the binding whose token they
 * showed, the id may be bound already under that binding; without, only a
 * free id is taken, under a new binding. Returns whether they were offline
 * before and the id's binding, or `null` when the id belongs to someone else.
 * `announce` is sent on commit when the registration went through (a join
 * or a rename); in the same statement it costs no round trip of its own.
 */
export async function registerOnline(
  db: Queryable,
  userId: string,
  name: string,
  proven: string | null,
  announce?: Notification,
): Promise<{ joined: boolean; binding: string } | null> {
  const params: unknown[] = [userId, name];
  const param = (value: unknown) => `$${params.push(value)}`;
  const identity = proven === null
    ? `INSERT INTO identities (user_id, display_name) VALUES ($1, $2)
       ON CONFLICT (user_id) DO NOTHING RETURNING user_id, binding`
    : `INSERT INTO identities (user_id, display_name) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET display_name = EXCLUDED.display_name, last_seen = NOW()
       WHERE identities.binding = ${param(proven)} RETURNING user_id, binding`;
  // Selected for each row put online, so a refused registration announces nothing.
  const notify = announce ? `, pg_notify(${param(announce.channel)}, ${param(announce.payload)})` : "";
  const rows = await db.query<{ joined: boolean; binding: string }>(
    `WITH identity AS (${identity}), online AS (
       INSERT INTO users_online (user_id, display_name, last_seen) SELECT user_id, $2, NOW() FROM identity
       ON CONFLICT (user_id) DO UPDATE SET display_name = EXCLUDED.display_name, last_seen = NOW()
       RETURNING (xmax = 0) AS joined
     )
     SELECT joined, binding${notify} FROM online, identity`,
    params,
  );
  return rows.length === 1 ? { joined: rows[0].joined, binding: rows[0].binding } : null;
}

/** Puts a user online, or renames them and refreshes `last_seen`; `true` when they were not online. */
export async function upsertOnline(db: Queryable, userId: string, name: string): Promise<boolean> {
  const rows = await db.query<{ inserted: boolean }>(
    `INSERT INTO users_online (user_id, display_name, last_seen) VALUES ($1, $2, NOW())
     ON CONFLICT (user_id) DO UPDATE SET display_name = EXCLUDED.display_name, last_seen = NOW()
     RETURNING (xmax = 0) AS inserted`,
    [userId, name],
  );
  return rows[0].inserted;
}

/** Takes a user offline at once; `true` when they were online. */
export async function removeOnline(db: Queryable, userId: string): Promise<boolean> {
  return (await db.query("DELETE FROM users_online WHERE user_id = $1 RETURNING user_id", [userId])).length === 1;
}

/** Takes offline everyone without a connection and without a recent registration; returns their ids. */
export async function reapIdleUsers(db: Queryable, graceMs: number): Promise<string[]> {
  const rows = await db.query<{ user_id: string }>(
    `DELETE FROM users_online u
     WHERE u.last_seen < NOW() - make_interval(secs => $1::double precision / 1000)
     AND NOT EXISTS (SELECT 1 FROM connections c WHERE c.user_id = u.user_id)
     RETURNING user_id::text AS user_id`,
    [graceMs],
  );
  return rows.map((row) => row.user_id);
}

/** Everyone online, by name. */
export function listOnline(db: Queryable): Promise<OnlineUser[]> {
  return db.query<OnlineUser>(
    "SELECT user_id::text AS user_id, display_name AS name FROM users_online ORDER BY display_name, user_id",
  );
}

/** Takes offline those of `userIds` that no instance holds a connection of; returns who left. */
export async function removeIdleAmong(db: Queryable, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db.query<{ user_id: string }>(
    `DELETE FROM users_online u WHERE u.user_id = ANY(string_to_array($1, ',')::uuid[])
     AND NOT EXISTS (SELECT 1 FROM connections c WHERE c.user_id = u.user_id)
     RETURNING user_id::text AS user_id`,
    [userIds.join(",")],
  );
  return rows.map((row) => row.user_id);
}
