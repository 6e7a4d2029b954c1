/**
 * Quick Chat's entry: configuration → database → app → `Deno.serve`, with a
 * graceful shutdown on SIGINT and SIGTERM.
 */
import { App, loadBuild, staticFiles } from "fresh";
import type { Database } from "./db/database.ts";
import { openDatabase } from "./db/open.ts";
import { type Config, loadConfig } from "./fresh.config.ts";
import manifest from "./fresh.gen.ts";
import { Bus } from "./lib/bus.ts";
import { Chat } from "./lib/chat.ts";
import { Heartbeat } from "./lib/heartbeat.ts";
import { Identities } from "./lib/identity.ts";
import { log, setLogLevel } from "./lib/log.ts";
import { Presence } from "./lib/presence.ts";
import type { State } from "./lib/state.ts";

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
  /** An open, migrated database to use (tests share one PGlite this way). */
  database?: Database;
}

const root = new URL("./", import.meta.url);

/**
 * Starts Quick Chat with a configuration.
 *
 * @example
 * ```ts
 * const server = await start(loadConfig({ PORT: "0" }));
 * await server.shutdown();
 * ```
 */
export async function start(config: Config, options: StartOptions = {}): Promise<Server> {
  setLogLevel(config.logLevel);
  const db = options.database ?? await openDatabase(config);
  const instanceId = crypto.randomUUID();
  const bus = new Bus(db, instanceId);
  const presence = new Presence(db, bus, instanceId, config.presence);
  const chat = new Chat(presence, bus, config.limits);
  const identities = await Identities.create(db, config.sessionSecret);
  const heartbeat = new Heartbeat(db, presence, config.presence);
  await bus.start({
    event: (event, from) => presence.applyClusterEvent(event, from),
    frame: (json) => chat.deliver(json),
    resync: () => heartbeat.resyncSoon(),
  });
  await heartbeat.start();

  const build = await loadBuild(new URL("_fresh/", root));
  if (build === null) log.warn("build.missing", { hint: "run `deno task build` to enable islands" });
  const state: State = { config, db, identities, presence, chat };
  const app = new App<State>({ build, state: () => ({ ...state }) })
    .use(await staticFiles({ root: new URL("static/", root), build }))
    .fsRoutes(manifest);

  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    port: config.port,
    hostname: config.host,
    onListen: (addr) => listening.resolve(addr as Deno.NetAddr),
  }, app.handler());
  const addr = await listening.promise;
  const host = addr.hostname === "0.0.0.0" ? "localhost" : addr.hostname;
  log.info("server.listening", { instance_id: instanceId, database: db.kind, port: addr.port });
  if (db.kind === "pglite") {
    log.info("database.embedded", { note: "PGlite serves one process; set DATABASE_URL to run several instances" });
  }

  let stopping: Promise<void> | null = null;
  return {
    url: new URL(`http://${host.includes(":") ? `[${host}]` : host}:${addr.port}`),
    state,
    shutdown: () =>
      stopping ??= (async () => {
        await heartbeat.stop();
        await presence.stop().catch((error) => log.warn("shutdown.presence_failed", { error: String(error) }));
        chat.close();
        await bus.stop();
        await server.shutdown();
        if (!options.database) await db.close();
        log.info("server.stopped", { instance_id: instanceId });
      })(),
  };
}

if (import.meta.main) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
  const server = await start(config);
  console.log(`Quick Chat is listening on ${server.url.href}`);
  const stop = async () => {
    await server.shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
