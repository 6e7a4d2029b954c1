/**
 * A restart (a deploy, say) with 500 browsers connected: every client comes
 * back by itself, and the backoff's full jitter spreads their reconnects over
 * time instead of sending them back as one thundering herd. Runs only when
 * `DATABASE_URL` points at a PostgreSQL server, whose state outlives the
 * server process.
 */
import assert from "node:assert/strict";
import { DATABASE_KINDS, freshDatabase, sharedDatabase } from "./harness.ts";
import { HeadlessClient } from "./headless_client.ts";
import { ServerProcess } from "./server_process.ts";
import { waitUntil } from "./wait_until.ts";

const POSTGRES_URL = Deno.env.get("DATABASE_URL");
const CLIENTS = 500;
/** The window in which the clients may try to reconnect at most {@link HERD_SHARE} times their number. */
const HERD_WINDOW_MS = 100;
const HERD_SHARE = 1 / 3;

/** A port nothing listens on now, so that both server processes can take it in turn. */
function freePort(): number {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  return port;
}

/** The value below which a share `p` of the sorted `values` lie. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** The most values of `sorted` that one window of `widthMs` holds. */
function busiestWindow(sorted: number[], widthMs: number): number {
  let most = 0;
  for (let start = 0, end = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end] < sorted[start] + widthMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

Deno.test({
  name: "faults - 500 clients reconnect after a restart, spread over time instead of in one herd",
  ignore: !DATABASE_KINDS.includes("postgres"),
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await freshDatabase("postgres");
  const env = { DATABASE_URL: POSTGRES_URL!, PORT: String(freePort()) };
  let server = await ServerProcess.start(env);
  const clients = Array.from({ length: CLIENTS }, (_, i) => new HeadlessClient(server.url, `Client ${i}`));
  try {
    for (const client of clients) client.start();
    await Promise.all(clients.map((client) => client.until("both sockets open", () => client.online)));

    const registrationsBefore = new Map(clients.map((client) => [client, client.registrations.length]));
    const restartAt = performance.now();
    assert.equal((await server.stop("SIGTERM")).code, 0);
    const exitedAt = performance.now();
    server = await ServerProcess.start(env);
    const listeningAt = performance.now();
    // A client is back once both its sockets opened on the new process: after the old one exited.
    const back = ({ online, openedAt }: HeadlessClient) =>
      online && Math.min(openedAt.presence, openedAt.chat) > exitedAt;
    await Promise.all(clients.map((client) => client.until("both sockets open again", () => back(client), 30_000)));

    assert.deepEqual(clients.flatMap((client) => client.stops), [], "no socket gave up");
    const db = await sharedDatabase("postgres");
    const newInstance = server.instanceId;
    // The rows are written in batches shortly after the sockets open: nothing announces them.
    await waitUntil("every client's chat socket recorded on the new instance", async () => {
      const [{ chat }] = await db.query<{ chat: number }>(
        "SELECT count(*) FILTER (WHERE chat)::int AS chat FROM connections WHERE instance_id = $1",
        [newInstance],
      );
      return chat === CLIENTS;
    });
    const [ada, bob] = clients;
    await bob.until("Ada in the roster", () => bob.roster.has(ada.identity.user_id));
    assert.ok(ada.chat.send({ type: "dm", to: bob.identity.user_id, text: "back?", id: "after-restart" }));
    await bob.until("Ada's DM", () => bob.chatFrames.some((frame) => frame.id === "after-restart"));
    const delivered = bob.chatFrames.find((frame) => frame.id === "after-restart")!;
    assert.equal(delivered.from, ada.identity.user_id);
    assert.equal(delivered.text, "back?");

    // Each client's reconnect time: when the later of its two sockets opened, after the SIGTERM.
    const times = clients.map(({ openedAt }) => Math.max(openedAt.presence, openedAt.chat) - restartAt);
    times.sort((a, b) => a - b);
    const spanMs = times.at(-1)! - times[0];
    // A herd is many clients knocking at once. When each got back also depends on how fast the new process works
    // off the knocks queued at its door (a fast machine completed a third of them within 100 ms), so the herd is
    // judged by when each client started the try that brought it back.
    const attempts = clients.map((client) => client.attemptsAt.at(-1)!);
    attempts.sort((a, b) => a - b);
    const busiest = busiestWindow(attempts, HERD_WINDOW_MS);
    const busiestBack = busiestWindow(times, HERD_WINDOW_MS);
    const ms = (value: number) => `${Math.round(value)} ms`;
    const outcomes = new Map<string, number>();
    for (const client of clients) {
      for (const outcome of client.registrations.slice(registrationsBefore.get(client))) {
        const kind = outcome.kind === "ok" ? "ok" : `${outcome.kind} (${"detail" in outcome ? outcome.detail : ""})`;
        outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
      }
    }
    const warnings = new Map<string, number>();
    for (const line of server.lines.filter((line) => line.startsWith("{"))) {
      const entry = JSON.parse(line);
      if (entry.level === "warn" || entry.level === "error") {
        warnings.set(entry.event, (warnings.get(entry.event) ?? 0) + 1);
      }
    }
    console.log(
      `restart of a server with ${CLIENTS} clients: old process exited after ${ms(exitedAt - restartAt)}, ` +
        `new one listening after ${ms(listeningAt - restartAt)}; reconnects after the SIGTERM: ` +
        `p10 ${ms(percentile(times, 0.1))}, p50 ${ms(percentile(times, 0.5))}, p90 ${ms(percentile(times, 0.9))}, ` +
        `max ${ms(times.at(-1)!)}; span ${ms(spanMs)}; ` +
        `busiest ${HERD_WINDOW_MS} ms window: ${busiestBack} clients back, ${busiest} tries that brought a client back\n` +
        `registrations on the way back: ${JSON.stringify(Object.fromEntries(outcomes))}\n` +
        `the new process's warnings: ${JSON.stringify(Object.fromEntries(warnings))}`,
    );
    assert.ok(spanMs > 1000, `the reconnects span only ${ms(spanMs)}`);
    assert.ok(
      busiest <= CLIENTS * HERD_SHARE,
      `${busiest} of ${CLIENTS} clients started the try that brought them back within one ${HERD_WINDOW_MS} ms window`,
    );
  } finally {
    for (const client of clients) client.stop();
    await server.stop("SIGTERM");
  }
});
