import type { Queryable } from "./database.ts";

/** The last name a bound identity registered with, or `null` when the id is not bound. */
export async function identityName(db: Queryable, userId: string): Promise<string | null> {
  const rows = await db.query<{ display_name: string }>(
    "SELECT display_name FROM identities WHERE user_id = $1",
    [userId],
  );
  return rows[0]?.display_name ?? null;
}

/** Forgets identities unseen for `days`, so their ids may be bound again. */
export async function forgetIdleIdentities(db: Queryable, days: number): Promise<number> {
  const rows = await db.query(
    `DELETE FROM identities i WHERE last_seen < NOW() - make_interval(days => $1)
     AND NOT EXISTS (SELECT 1 FROM users_online u WHERE u.user_id = i.user_id) RETURNING user_id`,
    [days],
  );
  return rows.length;
}

/**
 * Returns the shared secret called `name`, storing `candidate` first when there
 * is none, so every instance ends up with the same value.
 */
export async function sharedSecret(db: Queryable, name: string, candidate: string): Promise<string> {
  await db.query("INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [
    name,
    candidate,
  ]);
  const rows = await db.query<{ value: string }>("SELECT value FROM app_secrets WHERE name = $1", [name]);
  return rows[0].value;
}

/** The binding of a user id, or `null` when the id is not bound. */
export async function identityBinding(db: Queryable, userId: string): Promise<string | null> {
  const rows = await db.query<{ binding: string }>("SELECT binding FROM identities WHERE user_id = $1", [userId]);
  return rows[0]?.binding ?? null;
}
