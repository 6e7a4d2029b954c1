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

export default {
  fetch: (req, info) => quickChat.handler(req, info),
} satisfies Deno.ServeDefaultExport;
