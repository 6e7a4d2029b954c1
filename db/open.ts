import type { Database } from "./database.ts";
import { isDatabaseUnavailable } from "./errors.ts";
import { migrate } from "./migrate.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

/** Where the data lives. */
export interface DatabaseOptions {
  /** A PostgreSQL server's URL; the embedded PGlite is used when unset. */
  databaseUrl?: string;
  /** PGlite's data folder; in memory when unset. */
  pgliteDir?: string;
  /** `false` keeps PGlite in this process; otherwise it runs in a child process when this one may start Deno. */
  pgliteProcess?: boolean;
  /** Told about each failed attempt to reach PostgreSQL, before waiting `delayMs` to retry. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /**
   * Told when the embedded database's process ended and a new one, its schema
   * up to date, serves in its place: rows it held only in memory are gone.
   */
  onRestarted?: () => void;
}

/** Longest wait between two attempts to reach PostgreSQL at start-up. */
const MAX_RETRY_DELAY_MS = 10_000;

/**
 * Opens the configured database and brings its schema up to date. A
 * PostgreSQL server that cannot be reached yet is retried, with growing
 * delays, until it answers; any other failure (bad credentials, a broken
 * migration) is thrown at once.
 *
 * @example
 * ```ts
 * const db = await openDatabase({ databaseUrl: Deno.env.get("DATABASE_URL") });
 * ```
 */
export async function openDatabase(
  { databaseUrl, pgliteDir, pgliteProcess, onRetry, onRestarted }: DatabaseOptions,
): Promise<Database> {
  for (let attempt = 1;; attempt++) {
    const db = databaseUrl ? openPostgres(databaseUrl) : await openPglite({
      dataDir: pgliteDir,
      placement: pgliteProcess === false ? "inline" : undefined,
      onRestart: async (fresh) => void await migrate(fresh),
      onRestarted,
    });
    try {
      await migrate(db);
      return db;
    } catch (error) {
      await db.close().catch(() => {});
      if (!databaseUrl || !isDatabaseUnavailable(error)) throw error;
      const delayMs = Math.round(Math.min(500 * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS) * (0.5 + Math.random() / 2));
      onRetry?.(error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
