/**
 * Fuzzes a real server process with generated frames and REST bodies.
 * `FUZZ_RUNS` sets the number of generated inputs of each kind (2,000 here,
 * 50,000 in `deno task fuzz`, so 100,000 per database there).
 */
import assert from "node:assert/strict";
import { DATABASE_KINDS, freshDatabase } from "./harness.ts";
import { fuzzChat, fuzzRest, type FuzzUser } from "./fuzz.ts";
import { ServerProcess } from "./server_process.ts";

const INPUTS = Number(Deno.env.get("FUZZ_RUNS") ?? 2000);

async function rssKiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

async function register(base: URL, name: string): Promise<FuzzUser> {
  const response = await fetch(new URL("/presence/register", base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: crypto.randomUUID(), name }),
  });
  return await response.json();
}

for (const kind of DATABASE_KINDS) {
  Deno.test({
    name: `fuzz - ${INPUTS} generated frames and ${INPUTS} REST requests never break the server (${kind})`,
    sanitizeResources: false,
    sanitizeOps: false,
  }, async () => {
    const env: Record<string, string> = { RATE_LIMIT_PER_SEC: "1000000", RATE_LIMIT_BURST: "1000000" };
    if (kind === "postgres") {
      await freshDatabase("postgres");
      env.DATABASE_URL = Deno.env.get("DATABASE_URL")!;
    }
    const server = await ServerProcess.start(env);
    try {
      const ws = server.url.href.replace(/^http/, "ws").replace(/\/$/, "");
      const http = server.url.href.replace(/\/$/, "");
      const self = await register(server.url, "Fuzzer");
      const peer = await register(server.url, "Peer");
      const peerSocket = new WebSocket(`${ws}/ws/chat?me=${peer.user_id}&token=${peer.token}`);
      await new Promise((resolve) => peerSocket.onopen = resolve);
      // A fifth of the inputs first: the heap grows to its working size, then memory must stay flat.
      const started = performance.now();
      const runs = Math.ceil(INPUTS / 5);
      const warmChat = await fuzzChat(ws, self, peer, Math.ceil(runs / 5));
      const warmRest = await fuzzRest(http, self, Math.ceil(runs / 5));
      const before = await rssKiB(server.child.pid);
      const chat = await fuzzChat(ws, self, peer, runs - Math.ceil(runs / 5));
      const rest = await fuzzRest(http, self, runs - Math.ceil(runs / 5));
      const after = await rssKiB(server.child.pid);
      const health = await fetch(new URL("/health", server.url));
      assert.equal(health.status, 200);
      await health.body?.cancel();
      peerSocket.close();
      console.log(JSON.stringify({
        kind,
        chat: { ...chat, inputs: warmChat.inputs + chat.inputs },
        rest: { inputs: warmRest.inputs + rest.inputs },
        seconds: Math.round((performance.now() - started) / 100) / 10,
        rss_kib: { before, after },
      }));
      assert.ok(after - before < 32 * 1024, `server memory grew by ${after - before} KiB`);
    } finally {
      await server.stop();
    }
  });
}
