import { PGlite } from "@electric-sql/pglite";
import type { Database, Queryable } from "./database.ts";

/**
 * PostgreSQL's page cache inside the embedded database. Its tables hold who is
 * online, a few thousand rows: the default 128 MB would only sit resident in
 * the server's memory.
 */
const SHARED_BUFFERS = "16MB";

/**
 * Opens the embedded PostgreSQL: in memory, or in `dataDir` when given.
 *
 * @example
 * ```ts
 * const db = await openPglite();
 * ```
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  const startParams = [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`];
  const pglite = await PGlite.create(dataDir ? { dataDir, startParams } : { startParams });
  const queryable = (target: Pick<PGlite, "query">): Queryable => ({
    async query<Row>(sql: string, params?: unknown[]) {
      return (await target.query<Row>(sql, params)).rows;
    },
  });
  return {
    kind: "pglite",
    ...queryable(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(queryable(tx))),
    async listen(channel, onNotify, onListen) {
      const unlisten = await pglite.listen(channel, onNotify);
      onListen?.();
      return () => unlisten();
    },
    async notify(channel, payload) {
      await pglite.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    close: () => pglite.close(),
  };
}
