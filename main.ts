/**
 * Quick Chat's entry: configuration → database → app → `Deno.serve`, with a
 * graceful shutdown on SIGINT and SIGTERM.
 */
import { App, HttpError, loadBuild, staticFiles } from "fresh";
import type { Database } from "./db/database.ts";
import { isDatabaseUnavailable } from "./db/errors.ts";
import { openDatabase } from "./db/open.ts";
import { type Config, InvalidConfigError, loadConfig } from "./fresh.config.ts";
import manifest from "./fresh.gen.ts";
import { Bus } from "./lib/bus.ts";
import { Chat } from "./lib/chat.ts";
import { cors } from "./lib/cors.ts";
import { Heartbeat } from "./lib/heartbeat.ts";
import { Identities } from "./lib/identity.ts";
import { log, logRequestError, setLogLevel } from "./lib/log.ts";
import { Metrics } from "./lib/metrics.ts";
import { Presence } from "./lib/presence.ts";
import { ClientLimits } from "./lib/rate_limit.ts";
import { openApiDocument } from "./lib/reference/openapi.ts";
import { securityHeaders } from "./lib/security_headers.ts";
import type { State } from "./lib/state.ts";

/** Quick Chat assembled: a request handler and the parts behind it. */
export interface QuickChat {
  /** Handles one request; give it to `Deno.serve`. */
  handler: (req: Request, info: Deno.ServeHandlerInfo) => Promise<Response>;
  /** This server's parts, for tests and tools. */
  state: State;
  /** Closes the sockets (1001), announces the leaves and stops the background work. */
  close(): Promise<void>;
}

/** A running server. */
export interface Server {
  /** The address it listens on, such as `http://127.0.0.1:8000`. */
  url: URL;
  /** This server's parts, for tests and tools. */
  state: State;
  /** Closes the sockets (1001), announces the leaves, stops serving and releases the database. */
  shutdown(): Promise<void>;
}

/** Things a caller may provide instead of the configured ones. */
export interface StartOptions {
  /** An open, migrated database to use (tests share one PGlite this way); the caller closes it. */
  database?: Database;
}

const root = new URL("./", import.meta.url);

/**
 * Assembles Quick Chat: opens the database, joins the cluster (when it is
 * PostgreSQL) and builds the app. Serving is the caller's.
 *
 * @example
 * ```ts
 * const quickChat = await createQuickChat(loadConfig());
 * Deno.serve(quickChat.handler);
 * ```
 */
export async function createQuickChat(config: Config, options: StartOptions = {}): Promise<QuickChat> {
  setLogLevel(config.logLevel);
  const beating = Promise.withResolvers<Heartbeat>();
  const db = options.database ?? await openDatabase({
    ...config,
    onRetry(error, attempt, delayMs) {
      const { host } = new URL(config.databaseUrl!);
      log.error("database.unreachable", {
        message: `Cannot reach PostgreSQL at ${host}; retrying in ${(delayMs / 1000).toFixed(1)} s`,
        attempt,
        error: String(error),
      });
    },
    // The tables may have lost this instance and its users: rewrite them now rather than at the next beat.
    onRestarted: () => void beating.promise.then((heartbeat) => heartbeat.resyncSoon()),
  });
  const instanceId = crypto.randomUUID();
  const bus = new Bus(db, instanceId);
  const presence = new Presence(db, bus, instanceId, config.presence);
  const metrics = new Metrics();
  const chat = new Chat(presence, bus, config.limits, metrics);
  const identities = await Identities.create(db, config.sessionSecret);
  const heartbeat = new Heartbeat(db, presence, config.presence);
  beating.resolve(heartbeat);
  await bus.start({
    event: (event, from) => presence.applyClusterEvent(event, from),
    frame: (json) => chat.deliver(json),
    resync: () => heartbeat.resyncSoon(),
  });
  await heartbeat.start();

  const build = await loadBuild(new URL("_fresh/", root));
  if (build === null) log.warn("build.missing", { hint: "run `deno task build` to enable islands" });
  const openapi = JSON.stringify(openApiDocument(config));
  const registrations = new ClientLimits(config.limits.registerPerMin / 60, config.limits.registerBurst);
  const state: State = { config, db, identities, presence, chat, metrics, registrations, openapi };
  let stopping = false;
  const app = new App<State>({
    build,
    state: () => ({ ...state }),
    mapError: databaseOutage,
    reportError: logRequestError,
  })
    // Before the static files, so that their responses get the headers too.
    .use(securityHeaders(), cors(), await staticFiles({ root: new URL("static/", root), build }))
    // A stopping instance takes no new request: a socket opened now would attach to stopped presence.
    .use(function refuseWhileStopping(ctx) {
      if (stopping) throw new HttpError(503, "The server is shutting down; try again shortly", "SHUTTING_DOWN");
      return ctx.next();
    })
    .fsRoutes(manifest);
  if (db.kind === "pglite") {
    log.info("database.embedded", {
      placement: db.placement,
      note: "PGlite serves one process only; set DATABASE_URL to run several",
    });
  }

  let closing: Promise<void> | null = null;
  return {
    handler: app.handler(),
    state,
    close: () =>
      closing ??= (async () => {
        stopping = true;
        // Both begin before anything awaits: the heartbeat's timer stops and every socket is closed (1001).
        const beat = heartbeat.stop();
        const presenceStopped = presence.stop().catch((error) =>
          log.warn("shutdown.presence_failed", { error: String(error) })
        );
        await beat;
        await presenceStopped;
        chat.close();
        await bus.stop();
        if (!options.database) await db.close();
      })(),
  };
}

/** An unreachable database is an outage to report (503), not a bug. */
function databaseOutage(error: unknown): HttpError | undefined {
  if (!isDatabaseUnavailable(error)) return undefined;
  return new HttpError(503, "The database is unreachable; try again shortly", "DATABASE_UNAVAILABLE");
}

/**
 * Starts Quick Chat and serves it on the configured port.
 *
 * @example
 * ```ts
 * const server = await start(loadConfig({ PORT: "0" }));
 * await server.shutdown();
 * ```
 */
export async function start(config: Config, options: StartOptions = {}): Promise<Server> {
  const quickChat = await createQuickChat(config, options);
  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    port: config.port,
    hostname: config.host,
    onListen: (addr) => listening.resolve(addr as Deno.NetAddr),
  }, quickChat.handler);
  const addr = await listening.promise;
  const host = addr.hostname === "0.0.0.0" ? "localhost" : addr.hostname;
  const url = new URL(`http://${host.includes(":") ? `[${host}]` : host}:${addr.port}`);
  const instanceId = quickChat.state.presence.instanceId;
  log.info("server.listening", {
    instance_id: instanceId,
    database: quickChat.state.db.kind,
    port: addr.port,
    url: url.href,
  });

  let stopping: Promise<void> | null = null;
  return {
    url,
    state: quickChat.state,
    shutdown: () =>
      stopping ??= (async () => {
        // Sockets close first, with our reason; meanwhile new requests get 503. Serving then stops.
        await quickChat.close();
        await server.shutdown();
        log.info("server.stopped", { instance_id: instanceId });
      })(),
  };
}

/**
 * The server as `deno task start` runs it: configured from the environment,
 * stopped gracefully by SIGINT or SIGTERM. Once it listens it gives up the
 * permission to start programs, if it had one: that is only for the embedded
 * database's process, started by then.
 */
export async function serveFromEnvironment(): Promise<Server> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    // One JSON line, like every other the server writes.
    log.error("config.invalid", { problems: error.problems });
    Deno.exit(1);
  }
  // Its `server.listening` line says where: every line on stdout is one JSON object.
  const server = await start(config);
  Deno.permissions.revokeSync({ name: "run" });
  const stop = async () => {
    await server.shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  return server;
}

if (import.meta.main) await serveFromEnvironment();
