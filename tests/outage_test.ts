/**
 * The database going away: unreachable at start-up, and lost while serving.
 * PostgreSQL only; a proxy in front of it is cut and restored.
 */
import assert from "node:assert/strict";
import { DATABASE_KINDS, freshDatabase } from "./harness.ts";
import { ServerProcess } from "./server_process.ts";
import { TcpProxy } from "./tcp_proxy.ts";
import { TestSocket } from "./ws_client.ts";

const POSTGRES_URL = Deno.env.get("DATABASE_URL");

function viaProxy(proxy: TcpProxy): string {
  const url = new URL(POSTGRES_URL!);
  url.host = `127.0.0.1:${proxy.port}`;
  return url.href;
}

function proxyToPostgres(): TcpProxy {
  const url = new URL(POSTGRES_URL!);
  return new TcpProxy(TcpProxy.freePort(), { hostname: url.hostname, port: Number(url.port || 5432) });
}

async function status(base: URL, path: string, init?: RequestInit): Promise<number> {
  const response = await fetch(new URL(path, base), init);
  await response.body?.cancel();
  return response.status;
}

/** Polls until `check` holds: from outside the process there is no event to wait for. */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!await check()) {
    assert.ok(Date.now() < deadline, `${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function register(base: URL, name: string) {
  return fetch(new URL("/presence/register", base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: crypto.randomUUID(), name }),
  });
}

const postgresOnly = { ignore: !DATABASE_KINDS.includes("postgres"), sanitizeResources: false, sanitizeOps: false };

Deno.test({
  name: "outage - a database unreachable at start-up is reported clearly and retried until it answers",
  ...postgresOnly,
}, async () => {
  await freshDatabase("postgres");
  const proxy = proxyToPostgres();
  const server = await ServerProcess.spawn({ DATABASE_URL: viaProxy(proxy) });
  try {
    const line = await server.nextLine(/database\.unreachable/);
    assert.match(line, /Cannot reach PostgreSQL at 127\.0\.0\.1:\d+; retrying in \d+\.\d s/);
    await server.nextLine(/"attempt":2/);
    proxy.open();
    const running = await server.listening;
    assert.equal(await status(running.url, "/health"), 200);
  } finally {
    server.child.kill("SIGTERM");
    await server.child.status;
    proxy.cut();
  }
});

Deno.test({
  name: "outage - losing the database mid-run gives 503s, never a crash, and service resumes when it returns",
  ...postgresOnly,
}, async () => {
  await freshDatabase("postgres");
  const proxy = proxyToPostgres();
  proxy.open();
  const spawned = await ServerProcess.spawn({ DATABASE_URL: viaProxy(proxy) });
  const server = await spawned.listening;
  try {
    const ada = await (await register(server.url, "Ada")).json();
    const bob = await (await register(server.url, "Bob")).json();
    const ws = (user: { user_id: string; token: string }) =>
      new TestSocket(new URL(`/ws/chat?me=${user.user_id}&token=${user.token}`, server.url).href.replace("http", "ws"));
    const adaChat = ws(ada);
    const bobChat = ws(bob);
    await Promise.all([adaChat.opened, bobChat.opened]);

    proxy.cut();
    await eventually(async () => await status(server.url, "/health") === 503, "health reports the outage");
    const refused = await register(server.url, "Carol");
    assert.equal(refused.status, 503);
    assert.equal((await refused.json()).error, "DATABASE_UNAVAILABLE");
    // Sockets already open keep working: delivery needs no database.
    adaChat.send({ type: "dm", to: bob.user_id, text: "still here", id: "during" });
    assert.equal((await bobChat.next((f) => f.id === "during")).text, "still here");
    // The heartbeat notices too, before the database comes back.
    await spawned.nextLine(/database\.unreachable/);

    proxy.open();
    await eventually(async () => await status(server.url, "/health") === 200, "health recovers");
    const carol = await register(server.url, "Carol");
    assert.equal(carol.status, 200);
    await carol.body?.cancel();
    await spawned.nextLine(/database\.recovered/);
    await Promise.all([adaChat.close(), bobChat.close()]);
  } finally {
    await server.stop();
    proxy.cut();
  }
});
