import type { Database } from "./database.ts";

const INIT = new URL("./init/presence.sql", import.meta.url);
const MIGRATIONS = new URL("./migrations/", import.meta.url);
/** Serialises migrations when several instances start at once. */
const MIGRATION_LOCK = 7_301_013;

/**
 * Applies `db/init/presence.sql` and then every file of `db/migrations/` not
 * applied yet, in name order, each in its own transaction; instances starting
 * together take turns. Returns the names it applied.
 *
 * @example
 * ```ts
 * await migrate(db); // ["000_presence.sql", "001_identities.sql", ...] the first time, [] after
 * ```
 */
export async function migrate(db: Database): Promise<string[]> {
  const files = [{ name: "000_presence.sql", url: INIT }];
  const names = (await Array.fromAsync(Deno.readDir(MIGRATIONS)))
    .filter((entry) => entry.isFile && entry.name.endsWith(".sql"))
    .map((entry) => entry.name)
    .sort();
  for (const name of names) files.push({ name, url: new URL(name, MIGRATIONS) });

  return await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name TEXT PRIMARY KEY,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
    )`);
    const done = new Set((await tx.query<{ name: string }>("SELECT name FROM schema_migrations")).map((r) => r.name));
    const applied: string[] = [];
    for (const { name, url } of files) {
      if (done.has(name)) continue;
      for (const statement of splitStatements(await Deno.readTextFile(url))) await tx.query(statement);
      await tx.query("INSERT INTO schema_migrations (name) VALUES ($1)", [name]);
      applied.push(name);
    }
    return applied;
  });
}

/** Splits a migration file into statements; migrations hold no semicolons inside strings or bodies. */
function splitStatements(text: string): string[] {
  return text.replace(/--.*$/gm, "").split(";").map((s) => s.trim()).filter((s) => s !== "");
}
