/**
 * The hosts the server may reach, as a value for `--allow-net`: the address it
 * listens on and its PostgreSQL server, nothing else. `deno task start` runs
 * this first (`--allow-net=$(deno run … lib/net_access.ts)`), so the server
 * never gets blanket network access.
 *
 * @example
 * ```ts
 * netAccess(loadConfig({ PORT: "8000" })); // "0.0.0.0:8000"
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

function bracketed(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

if (import.meta.main) {
  try {
    console.log(netAccess(loadConfig()));
  } catch (error) {
    // The server itself will report the bad variable; an empty list keeps this step quiet.
    console.error((error as Error).message);
    console.log("127.0.0.1:0");
  }
}
