/** Starts a real Quick Chat server on a free port for a test. */
import { loadConfig } from "../fresh.config.ts";
import { type Server, start } from "../main.ts";

/** Starts the app in this process on a free loopback port. */
export function startTestServer(env: Record<string, string> = {}): Promise<Server> {
  return start(loadConfig({ PORT: "0", HOST: "127.0.0.1", ...env }));
}
