import postgres from "postgres";
import type { Database, Queryable } from "./database.ts";

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
  const sql = postgres(url, {
    max: 8,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => {},
    connection: { application_name: "quick-chat" },
  });
  const queryable = (target: postgres.Sql | postgres.TransactionSql): Queryable => ({
    query: <Row>(text: string, params: unknown[] = []) =>
      target.unsafe(text, params as postgres.ParameterOrJSON<never>[]) as unknown as Promise<Row[]>,
  });
  return {
    kind: "postgres",
    ...queryable(sql),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => sql.begin((tx) => fn(queryable(tx))) as Promise<T>,
    async listen(channel, onNotify, onListen) {
      const { unlisten } = await sql.listen(channel, onNotify, onListen);
      return unlisten;
    },
    async notify(channel, payload) {
      await sql.notify(channel, payload);
    },
    close: () => sql.end({ timeout: 2 }),
  };
}
