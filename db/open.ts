import type { Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

/** Where the data lives. */
export interface DatabaseOptions {
  /** A PostgreSQL server's URL; the embedded PGlite is used when unset. */
  databaseUrl?: string;
  /** PGlite's data folder; in memory when unset. */
  pgliteDir?: string;
}

/**
 * Opens the configured database and brings its schema up to date.
 *
 * @example
 * ```ts
 * const db = await openDatabase({ databaseUrl: Deno.env.get("DATABASE_URL") });
 * ```
 */
export async function openDatabase({ databaseUrl, pgliteDir }: DatabaseOptions): Promise<Database> {
  const db = databaseUrl ? openPostgres(databaseUrl) : await openPglite(pgliteDir);
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}
