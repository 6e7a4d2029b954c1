/**
 * Quick Chat's entry: configuration → app → `Deno.serve`, with a graceful
 * shutdown on SIGINT and SIGTERM.
 */
import { App, loadBuild, staticFiles } from "fresh";
import { type Config, loadConfig } from "./fresh.config.ts";
import manifest from "./fresh.gen.ts";
import type { State } from "./lib/state.ts";

/** A running server. */
export interface Server {
  /** The address it listens on, such as `http://127.0.0.1:8000`. */
  url: URL;
  /** Stops accepting requests, closes the sockets and releases resources. */
  shutdown(): Promise<void>;
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
export async function start(config: Config): Promise<Server> {
  const build = await loadBuild(new URL("_fresh/", root));
  if (build === null) console.warn("No client build found in _fresh/; run `deno task build` to enable islands");
  const app = new App<State>({ build })
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
  return {
    url: new URL(`http://${host.includes(":") ? `[${host}]` : host}:${addr.port}`),
    async shutdown() {
      await server.shutdown();
    },
  };
}

if (import.meta.main) {
  const server = await start(loadConfig());
  console.log(`Quick Chat is listening on ${server.url.href}`);
  const stop = async () => {
    await server.shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
