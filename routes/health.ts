import type { HealthResponse } from "../lib/server_schemas.ts";
import { define } from "../lib/state.ts";

/** How long the database may take to answer before it counts as down. */
const PROBE_TIMEOUT_MS = 2000;

export const handler = define.handlers({
  async GET(ctx) {
    const { db, presence } = ctx.state;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answers = await Promise.race([
      db.query("SELECT 1").then(() => true, () => false),
      new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)),
    ]);
    clearTimeout(timer);
    const body: HealthResponse = {
      status: answers ? "ok" : "degraded",
      database: { kind: db.kind, ok: answers },
      instance_id: presence.instanceId,
      users_online: presence.feed.size,
    };
    return Response.json(body, { status: answers ? 200 : 503, headers: { "cache-control": "no-store" } });
  },
});
