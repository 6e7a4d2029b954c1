import { Mutex, parse, PGlite, protocol, types } from "@electric-sql/pglite";
import { Buffer } from "node:buffer";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { log } from "../lib/log.ts";
import type { Database, NotificationHandler, Queryable } from "./database.ts";
import { FrameReader, writeFrame } from "./pipe_frames.ts";

/**
 * PostgreSQL's page cache inside the embedded database. Its tables hold who is
 * online, a few thousand rows: the default 128 MB would only sit resident in
 * memory.
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

/** How long a closing database's process may take to end before it is killed. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Pauses before each attempt to start the database's process again after it
 * ended; the last one repeats until an attempt succeeds.
 */
const RESTART_PAUSES_MS = [0, 1_000, 5_000];

/**
 * How long the database's process may leave a statement unanswered before it
 * is taken for hung, ended and replaced. Statements take well under a
 * millisecond there, upkeep a few; without a limit, a hung process would
 * leave every request that needs the database waiting for good.
 */
const REPLY_TIMEOUT_MS = 10_000;

/** How long the database's process may take to open PGlite (a data folder may need recovering first). */
const OPEN_TIMEOUT_MS = 60_000;

/** How to open the embedded database. */
export interface PgliteOptions {
  /** A folder to keep the data in; in memory when unset. */
  dataDir?: string;
  /** Statements between two rounds of vacuum and checkpoint. */
  upkeepEvery?: number;
  /**
   * Where PGlite runs: `"process"`, a child process of its own; `"inline"`, in
   * this one. By default a child process when this one may start Deno.
   */
  placement?: "process" | "inline";
  /**
   * Prepares the database of a process started again, after the last one
   * ended, before it serves (brings its schema up to date, say).
   */
  onRestart?: (db: Database) => Promise<void>;
  /** Told once a database started again serves: what the last one held in memory is gone. */
  onRestarted?: () => void;
  /** How long the database's process may leave a statement unanswered before it is replaced. */
  replyTimeoutMs?: number;
}

/**
 * Something that runs PostgreSQL protocol messages: PGlite in this process,
 * or in a child process behind a pipe.
 */
interface Engine {
  /** Runs a batch of frontend messages and resolves to the backend's raw replies. */
  exec(message: Uint8Array): Promise<Uint8Array>;
  readonly closed: boolean;
  /** Ended without being closed: its statements can only fail. */
  readonly ended: boolean;
  close(): Promise<void>;
}

/**
 * Opens the embedded PostgreSQL: in memory, or in `dataDir` when given.
 *
 * It runs in a child process of its own when this process may start one: the
 * database's memory (some 180 MiB resident, most of it touched once) then does
 * not sit in the server's address space, where the kernel's page scanning of
 * it stalls the server's thread and lengthens the slowest deliveries. Should
 * that process end (killed, say, when memory ran short), statements fail as an
 * outage while another starts, prepared by `onRestart` before it serves: a
 * process again, or PGlite in this process once this one may no longer start
 * Deno (the server gives that permission up as soon as it listens).
 *
 * @example
 * ```ts
 * const db = await openPglite();
 * ```
 */
export async function openPglite(
  {
    dataDir,
    upkeepEvery = UPKEEP_EVERY,
    placement = defaultPlacement(),
    onRestart,
    onRestarted,
    replyTimeoutMs = REPLY_TIMEOUT_MS,
  }: PgliteOptions = {},
): Promise<Database & { placement: "process" | "inline" }> {
  const opened = Promise.withResolvers<StatementRunner>();
  // One restart at a time: a replacement that ends while it is being taken up is replaced after.
  let restarting: Promise<void> | null = null;
  const replace = (runner: StatementRunner) => {
    restarting ??= restartEngine(runner, () => start(defaultPlacement()), { onRestart, onRestarted }).finally(() => {
      restarting = null;
      if (runner.lost) replace(runner);
    });
  };
  const start = async (where: "process" | "inline"): Promise<Engine> =>
    where === "inline"
      ? new InlineEngine(await startPglite(dataDir))
      : await ProcessEngine.start(dataDir, replyTimeoutMs, (lost) => {
        void opened.promise.then((runner) => {
          if (runner.serves(lost)) replace(runner);
        });
      });
  const runner = new StatementRunner(await start(placement), upkeepEvery);
  opened.resolve(runner);
  try {
    await runner.loadArrayParsers();
  } catch (error) {
    await runner.close().catch(() => {});
    throw error;
  }
  return asDatabase(runner, async () => {
    await runner.close();
    // A database being started meanwhile is closed before this resolves.
    await restarting;
  });
}

/**
 * Starts databases, after pauses, until one is prepared, and has the runner
 * take it up in place of the process that ended.
 */
async function restartEngine(
  runner: StatementRunner,
  start: () => Promise<Engine>,
  { onRestart, onRestarted }: Pick<PgliteOptions, "onRestart" | "onRestarted">,
): Promise<void> {
  for (let attempt = 1; !runner.closed; attempt++) {
    const pauseMs = RESTART_PAUSES_MS[Math.min(attempt, RESTART_PAUSES_MS.length) - 1];
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([new Promise((resolve) => timer = setTimeout(resolve, pauseMs)), runner.whenClosed]);
    clearTimeout(timer);
    if (runner.closed) return;
    let engine: Engine | undefined;
    try {
      engine = await start();
      if (runner.closed) return void await engine.close();
      // Its own runner, without upkeep, which would otherwise run beside the statements of the one taking it up.
      await onRestart?.(asDatabase(new StatementRunner(engine, Infinity)));
      if (!await runner.adopt(engine)) return;
    } catch (error) {
      log.error("database.restart_failed", { attempt, error: String(error) });
      await engine?.close().catch(() => {});
      continue;
    }
    log.info("database.restarted", { attempt, placement: runner.placement });
    try {
      onRestarted?.();
    } catch (error) {
      log.error("database.restarted_handler_failed", { error: String(error) });
    }
    return;
  }
}

/** The app's database interface on a runner; `close` closes the runner unless given. */
function asDatabase(runner: StatementRunner, close = () => runner.close()) {
  return {
    kind: "pglite",
    get placement() {
      return runner.placement;
    },
    query: (sql, params) => runner.run(sql, params),
    transaction: (fn) => runner.transaction(fn),
    listen: (channel, onNotify, onListen) => runner.listen(channel, onNotify, onListen),
    async notify(channel, payload) {
      await runner.run("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    close,
  } satisfies Database & { placement: "process" | "inline" };
}

/** Opens PGlite itself, with the app's settings. */
export function startPglite(dataDir: string | undefined): Promise<PGlite> {
  const startParams = [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`];
  return PGlite.create({ dataDir, startParams, initDbStartParams: INITDB_PARAMS });
}

/** A child process when this process may start Deno, else this process. */
function defaultPlacement(): "process" | "inline" {
  try {
    const state = Deno.permissions.querySync({ name: "run", command: Deno.execPath() }).state;
    return state === "granted" ? "process" : "inline";
  } catch {
    return "inline";
  }
}

class InlineEngine implements Engine {
  #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  get closed(): boolean {
    return this.#pglite.closed;
  }

  get ended(): boolean {
    return false;
  }

  exec(message: Uint8Array): Promise<Uint8Array> {
    return this.#pglite.execProtocolRaw(message);
  }

  close(): Promise<void> {
    return this.#pglite.close();
  }
}

/** The module the child process runs. */
const PROCESS_MAIN = new URL("./pglite_process.ts", import.meta.url);

/**
 * PGlite in a child process (`pglite_process.ts`), spoken to through its
 * standard input and output: each request and reply is a length and that many
 * bytes. The child may read the app's folder (its packages) and read and write
 * the data folder, nothing else. It ends when its input does: when this
 * engine closes, or when this process ends in any way. A reply that does not
 * come in time ends it too.
 */
class ProcessEngine implements Engine {
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #reader: FrameReader;
  /** Closed by its owner. */
  #closed = false;
  /** Ended, or no longer to be trusted; statements then fail as an outage. */
  #ended = false;
  #replyTimeoutMs: number;
  #exited: Promise<Deno.CommandStatus>;
  /** When the reply awaited now is overdue (`performance.now()`); `null` when none is awaited. */
  #replyDue: number | null = null;
  #hung = false;
  /** Settles, with no reply, once the process is taken for hung: the statement waiting need not wait for its end. */
  #hungSignal = Promise.withResolvers<null>();
  #watchdog: ReturnType<typeof setInterval>;

  private constructor(child: Deno.ChildProcess, replyTimeoutMs: number, onLost: (engine: ProcessEngine) => void) {
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.#reader = new FrameReader(child.stdout);
    this.#replyTimeoutMs = replyTimeoutMs;
    // One timer for the engine's life rather than one per statement; it keeps no process alive.
    const period = Math.min(1_000, replyTimeoutMs / 4);
    let checked = performance.now();
    this.#watchdog = setInterval(() => {
      const now = performance.now();
      // Late itself, the whole process stalled (stopped, say): a reply may be waiting to be read.
      const late = now - checked > 2 * period;
      checked = now;
      if (late || this.#replyDue === null || now < this.#replyDue) return;
      log.error("database.process_hung", { timeout_ms: Math.round(this.#replyTimeoutMs) });
      this.#hung = true;
      this.#hungSignal.resolve(null);
      this.#ended = true;
      this.#kill();
    }, period);
    Deno.unrefTimer(this.#watchdog);
    this.#exited = child.status.then((status) => {
      clearInterval(this.#watchdog);
      this.#ended = true;
      if (!this.#closed) {
        log.error("database.process_exited", { code: status.code, signal: status.signal });
        onLost(this);
      }
      return status;
    });
  }

  /** Starts the process; `onLost` hears if it ends without being closed. */
  static async start(
    dataDir: string | undefined,
    replyTimeoutMs: number,
    onLost: (engine: ProcessEngine) => void,
  ): Promise<ProcessEngine> {
    const args = ["run", "--quiet", "--no-prompt", "--cached-only"];
    // The child runs in the app's folder: a relative data folder is resolved here, as PGlite in this process would.
    const folder = dataDir === undefined ? undefined : resolve(dataDir);
    if (folder === undefined) args.push("--allow-read=.");
    else args.push(`--allow-read=.,${folder}`, `--allow-write=${folder}`);
    args.push(fileURLToPath(PROCESS_MAIN), ...(folder === undefined ? [] : [folder]));
    const child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: new URL("../", import.meta.url),
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const engine = new ProcessEngine(child, replyTimeoutMs, onLost);
    try {
      // The child answers an empty request once PGlite is open.
      await engine.exec(new Uint8Array(), Math.max(OPEN_TIMEOUT_MS, replyTimeoutMs));
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get ended(): boolean {
    return this.#ended && !this.#closed;
  }

  async exec(message: Uint8Array, timeoutMs = this.#replyTimeoutMs): Promise<Uint8Array> {
    if (this.#ended) throw processEnded();
    let cause: unknown;
    this.#replyDue = performance.now() + timeoutMs;
    try {
      const reply = await Promise.race([this.#roundTrip(message), this.#hungSignal.promise]);
      if (reply !== null) return reply;
    } catch (error) {
      cause = error;
    } finally {
      this.#replyDue = null;
    }
    // Gone, hung, or out of step with its replies: either way no later reply can be trusted.
    this.#ended = true;
    this.#kill();
    throw processEnded(cause ?? (this.#hung ? new Error(`no reply within ${timeoutMs} ms`) : undefined));
  }

  async #roundTrip(message: Uint8Array): Promise<Uint8Array | null> {
    await writeFrame(this.#writer, message);
    return await this.#reader.read();
  }

  async close(): Promise<void> {
    this.#closed = true;
    // The end of its input tells the child to close PGlite and exit.
    await this.#writer.close().catch(() => {});
    const timer = setTimeout(() => this.#kill(), CLOSE_TIMEOUT_MS);
    await this.#exited;
    clearTimeout(timer);
    await this.#reader.cancel().catch(() => {});
  }

  #kill(): void {
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // It had exited already.
    }
  }
}

/** The error of a statement that cannot run since the database's process ended; the app takes it for an outage. */
function processEnded(cause?: unknown): Error {
  return Object.assign(new Error("the embedded database's process has ended", { cause }), { code: "CONNECTION_ENDED" });
}

/**
 * Runs statements through an engine, one at a time. A statement is one call:
 * Parse (the first time only, as a named statement), Bind, Describe, Execute
 * and Sync travel together. PGlite's own `query` makes six calls, each through
 * the protocol loop, and parses and plans the statement every time: a
 * registration took 0.3–0.4 ms that way and 0.1–0.2 ms this way.
 *
 * Notifications come back among any statement's replies and go to their
 * channel's listeners. Every `upkeepEvery` statements it also vacuums the
 * tables and checkpoints, the work of the background workers PGlite does not
 * have.
 */
class StatementRunner {
  #engine: Engine;
  #upkeepEvery: number;
  #lock = new Mutex();
  /** Prepared statements' names, by their text. */
  #names = new Map<string, string>();
  #sinceUpkeep = 0;
  #inTransaction = false;
  #parsers: Record<number, types.Parser> = { ...types.parsers };
  /** Each channel's handlers, with what each wants to hear when the channel is listened to anew. */
  #listeners = new Map<string, Map<NotificationHandler, (() => void) | undefined>>();
  #closed = false;
  #whenClosed = Promise.withResolvers<void>();

  constructor(engine: Engine, upkeepEvery: number) {
    this.#engine = engine;
    this.#upkeepEvery = upkeepEvery;
  }

  /** Array types' parsers, from the database's catalogue, as PGlite sets them up. */
  async loadArrayParsers(): Promise<void> {
    const rows = await this.run<{ oid: number; typarray: number }>(
      `SELECT b.oid, b.typarray FROM pg_catalog.pg_type a
         LEFT JOIN pg_catalog.pg_type b ON b.oid = a.typelem
        WHERE a.typcategory = 'A' GROUP BY b.oid, b.typarray ORDER BY b.oid`,
    );
    for (const { oid, typarray } of rows) {
      // Elements without a parser of their own (uuid, say) stay strings, inside a parsed array.
      const element = this.#parsers[oid] as types.Parser | undefined;
      this.#parsers[typarray] = (value, type) => types.arrayParser(value, element!, type ?? typarray);
    }
  }

  /** Closed by its owner. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves once closed by its owner. */
  get whenClosed(): Promise<void> {
    return this.#whenClosed.promise;
  }

  /** Where the database it runs statements on runs. */
  get placement(): "process" | "inline" {
    return this.#engine instanceof ProcessEngine ? "process" : "inline";
  }

  /** Whether the database it runs statements on ended, and nothing replaced it yet. */
  get lost(): boolean {
    return !this.#closed && this.#engine.ended;
  }

  /** Whether statements run through `engine`. */
  serves(engine: Engine): boolean {
    return this.#engine === engine && !this.#closed;
  }

  /**
   * Runs statements through `engine` from now on, in place of one that ended:
   * statements are prepared again, and channels listened to again, their
   * listeners told. Resolves `false`, closing `engine`, when this runner was
   * closed meanwhile.
   */
  async adopt(engine: Engine): Promise<boolean> {
    const adopted = await this.#lock.runExclusive(async () => {
      if (this.#closed) return false;
      const ended = this.#engine;
      this.#engine = engine;
      try {
        // Its names are given afresh: forget those whoever prepared it used.
        await this.#simple("DEALLOCATE ALL");
        for (const channel of this.#listeners.keys()) await this.#simple(`LISTEN ${quoteIdentifier(channel)}`);
      } catch (error) {
        this.#engine = ended;
        throw error;
      }
      this.#names.clear();
      this.#inTransaction = false;
      await ended.close().catch(() => {});
      return true;
    });
    if (!adopted) {
      await engine.close();
      return false;
    }
    for (const [channel, handlers] of this.#listeners) {
      for (const onListen of handlers.values()) {
        try {
          onListen?.();
        } catch (error) {
          log.error("db.listener_failed", { channel, error: String(error) });
        }
      }
    }
    return true;
  }

  /** Runs one statement with `$1`-style parameters and returns its rows. */
  async run<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    const rows = await this.#lock.runExclusive(() => this.#statement<Row>(sql, params));
    this.#upkeepIfDue();
    return rows;
  }

  /** Runs `fn` between BEGIN and COMMIT, or ROLLBACK when it throws, holding the engine throughout. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const result = await this.#lock.runExclusive(async () => {
      await this.#simple("BEGIN");
      let open = true;
      // One statement at a time, in the order asked, as on a connection of its own.
      let previous: Promise<unknown> = Promise.resolve();
      const tx: Queryable = {
        query: <Row>(sql: string, params?: unknown[]) => {
          if (!open) return Promise.reject(new Error("the transaction has ended"));
          const statement = previous.then(() => this.#statement<Row>(sql, params));
          previous = statement.catch(() => {});
          return statement;
        },
      };
      // A statement asked for and not awaited still runs before the transaction ends, as on a connection.
      try {
        const value = await fn(tx);
        open = false;
        await previous;
        await this.#simple("COMMIT");
        return value;
      } catch (error) {
        open = false;
        await previous;
        if (!this.#engine.closed) await this.#simple("ROLLBACK");
        throw error;
      }
    });
    this.#upkeepIfDue();
    return result;
  }

  async listen(channel: string, onNotify: NotificationHandler, onListen?: () => void): Promise<() => Promise<void>> {
    let handlers = this.#listeners.get(channel);
    if (!handlers) {
      await this.#lock.runExclusive(() => this.#simple(`LISTEN ${quoteIdentifier(channel)}`));
      handlers = this.#listeners.get(channel) ?? new Map();
      this.#listeners.set(channel, handlers);
    }
    handlers.set(onNotify, onListen);
    onListen?.();
    return async () => {
      handlers.delete(onNotify);
      if (handlers.size > 0 || this.#listeners.get(channel) !== handlers) return;
      this.#listeners.delete(channel);
      if (this.#engine.closed) return;
      await this.#lock.runExclusive(() => this.#simple(`UNLISTEN ${quoteIdentifier(channel)}`));
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#whenClosed.resolve();
    // Statements under way finish first.
    await this.#lock.runExclusive(() => this.#engine.close());
  }

  /** Runs a statement; the caller holds the lock. */
  async #statement<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
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
    return (parse.parseResults(messages, this.#parsers)[0]?.rows ?? []) as Row[];
  }

  /** Runs statements without parameters through the simple protocol; the caller holds the lock. */
  async #simple(sql: string) {
    const messages = await this.#send(protocol.serialize.query(sql));
    throwError(messages);
    return messages;
  }

  #upkeepIfDue(): void {
    // VACUUM cannot run in a transaction: then the next statement after it does the upkeep.
    if (++this.#sinceUpkeep < this.#upkeepEvery || this.#inTransaction) return;
    this.#sinceUpkeep = 0;
    // Its own turn at the lock, which the caller does not wait for.
    this.#lock.runExclusive(() => this.#upkeep()).catch((error) => {
      log.warn("db.upkeep_failed", { error: String(error) });
    });
  }

  async #upkeep(): Promise<void> {
    // Closed meanwhile: nothing left to keep.
    if (this.#engine.closed) return;
    const tables = await this.#simple(
      "SELECT string_agg(format('%I.%I', schemaname, relname), ', ') AS list FROM pg_stat_user_tables",
    );
    const list = parse.parseResults(tables, this.#parsers)[0]?.rows[0]?.list;
    if (list) await this.#simple(`VACUUM ${list}`);
    await this.#simple("CHECKPOINT");
  }

  /**
   * Sends protocol messages and parses the replies; errors come back among
   * them, so that a failed Parse can be told apart. Notifications among them
   * go to their listeners.
   */
  async #send(message: Uint8Array) {
    if (this.#engine.closed) throw new Error("PGlite is closed");
    const raw = await this.#engine.exec(message);
    const messages: BackendMessage[] = [];
    new protocol.Parser().parse(raw, (reply) => messages.push(reply));
    for (const reply of messages) {
      if (reply.name === "readyForQuery") {
        this.#inTransaction = (reply as ReadyForQuery).status !== "I";
      } else if (reply.name === "notification") {
        const { channel, payload } = reply as NotificationResponse;
        for (const handler of this.#listeners.get(channel)?.keys() ?? []) {
          try {
            handler(payload);
          } catch (error) {
            log.error("db.listener_failed", { channel, error: String(error) });
          }
        }
      }
    }
    return messages;
  }
}

type BackendMessage = Parameters<typeof parse.parseResults>[0][number];
type ReadyForQuery = InstanceType<typeof protocol.messages.ReadyForQueryMessage>;
type NotificationResponse = InstanceType<typeof protocol.messages.NotificationResponseMessage>;

/** Throws the error among a statement's replies, if there is one. */
function throwError(messages: { name: string }[]): void {
  const error = messages.find((message) => message.name === "error");
  if (error) throw error;
}

/** A channel's name as an SQL identifier. */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A parameter in PostgreSQL's text format; `null` is SQL's NULL. */
function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  throw new TypeError(`a statement parameter must be a string, number, boolean, Date or null, not ${typeof value}`);
}
