/** Runs parameterised SQL. */
export interface Queryable {
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

/** A notification a statement sends when it commits. */
export interface Notification {
  channel: string;
  /** Under 8,000 bytes. */
  payload: string;
}

/** Called with a notification's payload. */
export type NotificationHandler = (payload: string) => void;

/**
 * The one database interface of the app, with an adapter for PGlite (embedded)
 * and one for PostgreSQL servers (postgres.js). The same tests run on both.
 *
 * @example
 * ```ts
 * const db = await openDatabase({ databaseUrl: undefined });
 * const [row] = await db.query<{ answer: number }>("SELECT $1::int AS answer", [42]);
 * ```
 */
export interface Database extends Queryable {
  /** Which adapter this is; PGlite is one process only. */
  readonly kind: "pglite" | "postgres";
  /** Where PGlite runs: a child process of its own, or this process. */
  readonly placement?: "process" | "inline";
  /** Runs `fn` in a transaction, committed when it resolves and rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a channel. `onListen` runs each time the subscription is
   * (re)established: after the first time, notifications may have been lost.
   */
  listen(channel: string, onNotify: NotificationHandler, onListen?: () => void): Promise<() => Promise<void>>;
  /** Sends a notification; payloads must stay under 8,000 bytes. */
  notify(channel: string, payload: string): Promise<void>;
  /** Closes every connection. */
  close(): Promise<void>;
}
