/**
 * The permissions that depend on the configuration. The hosts the server may
 * reach, as a value for `--allow-net`: the address it listens on and its
 * PostgreSQL server, nothing else. The files: the app's folder to read, and
 * the embedded database's folder (`PGLITE_DIR`) to read and write when one is
 * set. `deno task start` runs this first (`--allow-net=$(deno run …
 * lib/net_access.ts) $(deno run … lib/net_access.ts --files)`), so the server
 * never gets blanket network or file access.
 *
 * @example
 * ```ts
 * netAccess(loadConfig({ PORT: "8000" })); // "0.0.0.0:8000"
 * fileAccess(loadConfig({ PGLITE_DIR: "data" })); // "--allow-read=.,data --allow-write=data"
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

/** The `--allow-read` and `--allow-write` flags for a configuration, separated by a space. */
export function fileAccess(config: Config): string {
  const folder = config.pgliteDir;
  return folder === undefined ? "--allow-read=." : `--allow-read=.,${folder} --allow-write=${folder}`;
}

function bracketed(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

if (import.meta.main) {
  const files = Deno.args.includes("--files");
  try {
    const config = loadConfig();
    console.log(files ? fileAccess(config) : netAccess(config));
  } catch (error) {
    // The server itself reports a bad variable; the narrowest flags keep this step quiet.
    console.error((error as Error).message);
    console.log(files ? "--allow-read=." : "127.0.0.1:0");
  }
}
