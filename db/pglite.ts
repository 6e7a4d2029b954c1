import { parse, PGlite, protocol } from "@electric-sql/pglite";
import { Buffer } from "node:buffer";
import { log } from "../lib/log.ts";
import type { Database } from "./database.ts";

/**
 * PostgreSQL's page cache inside the embedded database. Its tables hold who is
 * online, a few thousand rows: the default 128 MB would only sit resident in
 * the server's memory.
 */
const SHARED_BUFFERS = "16MB";

/**
 * Statements kept prepared, by their text. The app runs a few dozen distinct
 * ones; past this many, the rest are parsed each time they run.
 */
const MAX_PREPARED = 100;

/**
 * Statements between two rounds of upkeep. PGlite runs PostgreSQL as one
 * process, without the autovacuum and checkpointer workers, so nothing else
 * vacuums its tables or recycles its write-ahead log: without the upkeep both
 * grow for as long as the server runs, in memory when the database is (the log
 * by 16 MiB per 40,000–60,000 upserts; a table of 2,000 users who come and go
 * by 1 MiB per 10,000 joins).
 */
const UPKEEP_EVERY = 10_000;

/**
 * Write-ahead log segments of 1 MiB instead of 16: a new database starts with
 * less log, and grows it in smaller steps.
 */
const INITDB_PARAMS = ["--wal-segsize=1"];

/** How to open the embedded database. */
export interface PgliteOptions {
  /** A folder to keep the data in; in memory when unset. */
  dataDir?: string;
  /** Statements between two rounds of vacuum and checkpoint. */
  upkeepEvery?: number;
}

/**
 * Opens the embedded PostgreSQL: in memory, or in `dataDir` when given.
 *
 * @example
 * ```ts
 * const db = await openPglite();
 * ```
 */
export async function openPglite({ dataDir, upkeepEvery = UPKEEP_EVERY }: PgliteOptions = {}): Promise<Database> {
  const startParams = [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`];
  const pglite = await PGlite.create({ dataDir, startParams, initDbStartParams: INITDB_PARAMS });
  const statements = new StatementRunner(pglite, upkeepEvery);
  return {
    kind: "pglite",
    query: (sql, params) => statements.run(sql, params),
    transaction: (fn) =>
      pglite.transaction((tx) =>
        fn({
          async query<Row>(sql: string, params?: unknown[]) {
            return (await tx.query<Row>(sql, params)).rows;
          },
        })
      ),
    async listen(channel, onNotify, onListen) {
      const unlisten = await pglite.listen(channel, onNotify);
      onListen?.();
      return () => unlisten();
    },
    async notify(channel, payload) {
      await statements.run("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    close: () => pglite.close(),
  };
}

/**
 * Runs a statement in one call into PGlite: Parse (the first time only, as a
 * named statement), Bind, Describe, Execute and Sync travel together. PGlite's
 * own `query` makes six calls, each through the protocol loop, and parses and
 * plans the statement every time: a registration took 0.3–0.4 ms that way and
 * 0.1–0.2 ms this way, on the thread that also serves the sockets.
 *
 * Every `upkeepEvery` statements it also vacuums the tables and checkpoints,
 * the work of the background workers PGlite does not have.
 */
class StatementRunner {
  #pglite: PGlite;
  #upkeepEvery: number;
  /** Prepared statements' names, by their text. */
  #names = new Map<string, string>();
  #sinceUpkeep = 0;

  constructor(pglite: PGlite, upkeepEvery: number) {
    this.#pglite = pglite;
    this.#upkeepEvery = upkeepEvery;
  }

  /** Runs one statement with `$1`-style parameters and returns its rows. */
  async run<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    // The lock PGlite's own `query` takes, so statements never interleave.
    const rows = await this.#pglite.runExclusive(async () => {
      const known = this.#names.get(sql);
      const name = known ?? (this.#names.size < MAX_PREPARED ? `s${this.#names.size}` : "");
      const { serialize } = protocol;
      const messages = await this.#send(Buffer.concat([
        ...(known === undefined ? [serialize.parse({ name, text: sql })] : []),
        serialize.bind({ statement: name, values: params.map(textValue) }),
        serialize.describe({ type: "P" }),
        serialize.execute({}),
        serialize.sync(),
      ]));
      if (known === undefined && name !== "" && messages.some((message) => message.name === "parseComplete")) {
        this.#names.set(sql, name);
      }
      throwError(messages);
      return parse.parseResults(messages, this.#pglite.parsers)[0]?.rows ?? [];
    });
    // VACUUM cannot run in a transaction: then the next statement after it does the upkeep.
    if (++this.#sinceUpkeep >= this.#upkeepEvery && !this.#pglite.isInTransaction()) {
      this.#sinceUpkeep = 0;
      // Its own turn at the lock, which the caller does not wait for.
      this.#pglite.runExclusive(() => this.#upkeep()).catch((error) => {
        log.warn("db.upkeep_failed", { error: String(error) });
      });
    }
    return rows as Row[];
  }

  async #upkeep(): Promise<void> {
    // Closed meanwhile: nothing left to keep.
    if (this.#pglite.closed) return;
    const { serialize } = protocol;
    const tables = await this.#send(serialize.query(
      "SELECT string_agg(format('%I.%I', schemaname, relname), ', ') AS list FROM pg_stat_user_tables",
    ));
    throwError(tables);
    const list = parse.parseResults(tables, this.#pglite.parsers)[0]?.rows[0]?.list;
    if (list) throwError(await this.#send(serialize.query(`VACUUM ${list}`)));
    throwError(await this.#send(serialize.query("CHECKPOINT")));
  }

  /** Sends protocol messages; errors come back among the replies, so that a failed Parse can be told apart. */
  async #send(message: Uint8Array) {
    if (this.#pglite.closed) throw new Error("PGlite is closed");
    return (await this.#pglite.execProtocol(message, { throwOnError: false })).messages;
  }
}

/** Throws the error among a statement's replies, if there is one. */
function throwError(messages: { name: string }[]): void {
  const error = messages.find((message) => message.name === "error");
  if (error) throw error;
}

/** A parameter in PostgreSQL's text format; `null` is SQL's NULL. */
function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  throw new TypeError(`a statement parameter must be a string, number, boolean, Date or null, not ${typeof value}`);
}
