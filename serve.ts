/**
 * Entry for `deno serve --parallel` (`deno task serve`): every worker isolate
 * is one Quick Chat instance, and the instances meet in PostgreSQL, so
 * `DATABASE_URL` is required here.
 */
import { loadConfig } from "./fresh.config.ts";
import { createQuickChat } from "./main.ts";

const config = loadConfig();
if (!config.databaseUrl) {
  throw new Error(
    "`deno serve --parallel` runs several instances, and the embedded database (PGlite) is single-instance: " +
      "set DATABASE_URL to a PostgreSQL server, or use `deno task start`",
  );
}
const quickChat = await createQuickChat(config);

// Each worker gets the signal: it closes its sockets (1001) and announces its leaves. The first one
// done ends the process; an instance cut short is reaped by its heartbeat's expiry, as after a crash.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await quickChat.close();
    Deno.exit(0);
  });
}

export default {
  fetch: (req, info) => quickChat.handler(req, info),
} satisfies Deno.ServeDefaultExport;
