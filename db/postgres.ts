import postgres from "postgres";
import type { Database, Queryable } from "./database.ts";
import { isDatabaseUnavailable } from "./errors.ts";

/** Pauses between retries of a statement that met a dead connection. */
const RETRY_PAUSES_MS = [20, 100, 300];

/**
 * Connects to a PostgreSQL server with postgres.js: a small pool for queries
 * and one listener connection that re-listens by itself after it drops.
 *
 * @example
 * ```ts
 * const db = openPostgres("postgres://postgres@127.0.0.1:5432/test");
 * ```
 */
export function openPostgres(url: string): Database {
  const sql = postgres(url, explicitOptions(new URL(url)));
  const queryable = (target: postgres.Sql | postgres.TransactionSql): Queryable => ({
    // Plain arrays, as PGlite returns, rather than the driver's Result subclass. Prepared on each
    // connection once: unprepared, the driver asks for the parameters' types before every statement,
    // a round trip of its own.
    query: async <Row>(text: string, params: unknown[] = []) =>
      Array.from(await target.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as Row[],
  });
  const pool = queryable(sql);
  return {
    kind: "postgres",
    query: <Row>(text: string, params?: unknown[]) => retrying(() => pool.query<Row>(text, params)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => sql.begin((tx) => fn(queryable(tx))) as Promise<T>,
    async listen(channel, onNotify, onListen) {
      const { unlisten } = await sql.listen(channel, onNotify, onListen);
      return unlisten;
    },
    async notify(channel, payload) {
      await retrying(() => sql.notify(channel, payload));
    },
    close: () => sql.end({ timeout: 2 }),
  };
}

/**
 * Runs a statement, again after a pause when it met a dead connection.
 * Pooled connections may have died since their last use (a restart, a
 * terminated backend) and the pool learns it only as each one fails: the
 * app's statements are idempotent, so a few retries, spaced out, reach a
 * fresh connection instead of failing the request. (A notification whose
 * connection died after sending it may arrive twice; DMs carry ids for that.)
 */
async function retrying<T>(run: () => Promise<T>): Promise<T> {
  for (const pause of RETRY_PAUSES_MS) {
    try {
      return await run();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
  return await run();
}

/**
 * Every option postgres.js would otherwise look up in `PG*` environment
 * variables, so the server needs no environment access beyond its own
 * variables and the three the driver always reads (`PGPASSWORD` when the URL
 * has no password, `PGAPPNAME`, `PGTARGETSESSIONATTRS`).
 */
function explicitOptions(url: URL): postgres.Options<Record<string, postgres.PostgresType>> {
  const query = url.searchParams;
  const sslmode = query.get("ssl") ?? query.get("sslmode");
  return {
    host: url.hostname || "localhost",
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    database: decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username),
    ssl: sslmode === null || sslmode === "disable" || sslmode === "false" ? false : sslmode as "require",
    max: 8,
    idle_timeout: 30,
    connect_timeout: 5,
    max_lifetime: 60 * (30 + Math.random() * 30),
    // Seconds before reconnecting: capped at 2 s (the driver's default grows to 20 s), so an
    // instance is back within moments of a database restart.
    backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 2),
    keep_alive: 60,
    prepare: true,
    debug: false,
    fetch_types: true,
    publications: "alltables",
    onnotice: () => {},
    connection: { application_name: "quick-chat" },
    ...({ max_pipeline: 100, sslnegotiation: null, target_session_attrs: null } as Record<string, unknown>),
  };
}
