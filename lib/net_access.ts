/**
 * The permissions that depend on the configuration. The hosts the server may
 * reach, as a value for `--allow-net`: the address it listens on and its
 * PostgreSQL server, nothing else. The files: the app's folder to read, and
 * the embedded database's folder (`PGLITE_DIR`) to read and write when one is
 * set. The programs: with the embedded database in a process of its own
 * (`PGLITE_PROCESS`), Deno's own executable, which the server may start only
 * until it listens. `deno task start` runs this first (`--allow-net=$(deno
 * run … lib/net_access.ts) $(deno run … lib/net_access.ts --local)`), so the
 * server never gets blanket network, file or program access.
 *
 * @example
 * ```ts
 * netAccess(loadConfig({ PORT: "8000" })); // "0.0.0.0:8000"
 * localAccess(loadConfig({ PGLITE_DIR: "data", PGLITE_PROCESS: "false" })); // "--allow-read=.,data --allow-write=data"
 * ```
 */
import { type Config, loadConfig } from "../fresh.config.ts";

/** The `--allow-net` list for a configuration. */
export function netAccess(config: Config): string {
  const hosts = [`${bracketed(config.host)}:${config.port}`];
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    hosts.push(`${url.hostname || "localhost"}:${url.port || 5432}`);
  }
  return hosts.join(",");
}

/** The `--allow-read`, `--allow-write` and `--allow-run` flags for a configuration, separated by spaces. */
export function localAccess(config: Config): string {
  const folder = config.pgliteDir;
  const flags = folder === undefined ? ["--allow-read=."] : [`--allow-read=.,${folder}`, `--allow-write=${folder}`];
  if (config.databaseUrl === undefined && config.pgliteProcess) flags.push(`--allow-run=${Deno.execPath()}`);
  return flags.join(" ");
}

function bracketed(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

if (import.meta.main) {
  const local = Deno.args.includes("--local");
  try {
    const config = loadConfig();
    console.log(local ? localAccess(config) : netAccess(config));
  } catch (error) {
    // The server itself reports a bad variable; the narrowest flags keep this step quiet.
    console.error((error as Error).message);
    console.log(local ? "--allow-read=." : "127.0.0.1:0");
  }
}
