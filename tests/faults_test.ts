import assert from "node:assert/strict";
import { dbTest } from "./harness.ts";
import { openSilentSocket } from "./raw_socket.ts";

type Diff = { type: "presence_diff"; joins: { user_id: string }[]; leaves: string[] };

dbTest("faults - a reader that stops reading is dropped instead of growing the server's memory", async (server) => {
  const ada = await server.register("Ada");
  const bob = await server.register("Bob");
  const adaSocket = await server.chat(ada);
  const silent = await openSilentSocket(server.ws(`/ws/chat?me=${bob.userId}&token=${bob.token}`));
  // Three bytes per character: the largest message allowed, so few round trips fill the buffers.
  const text = "€".repeat(2000);
  let sent = 0;
  // Keep sending until the server gives up on Bob; loopback buffers hold a few megabytes first.
  while (sent < 20_000) {
    for (let i = 0; i < 10; i++) adaSocket.send({ type: "dm", to: bob.userId, text, id: `m${sent++}` });
    const answer = await adaSocket.next((frame) =>
      (frame.type === "dm" && frame.id === `m${sent - 1}`) || (frame.type === "error" && frame.code === "PEER_OFFLINE")
    );
    if (answer.type === "error") break;
  }
  assert.ok(sent < 20_000, `Bob was still connected after ${sent} messages of 6,000 bytes`);
  assert.ok(adaSocket.all("error").every((frame) => frame.code === "PEER_OFFLINE"));
  silent.close();
  await adaSocket.close();
}, { RATE_LIMIT_PER_SEC: "1000000", RATE_LIMIT_BURST: "1000000", SEND_BUFFER_MAX_BYTES: "65536" });

dbTest("faults - a client that goes silent without closing is dropped by the ping timeout", async (server) => {
  const ada = await server.register("Ada");
  const watcher = await server.presence(ada, "diff");
  const bob = await server.register("Bob");
  const silent = await openSilentSocket(server.ws(`/ws/chat?me=${bob.userId}&token=${bob.token}`));
  await watcher.next((frame) =>
    frame.type === "presence_diff" && (frame as Diff).joins.some((j) => j.user_id === bob.userId)
  );
  const leave = await watcher.next<Diff>(
    (frame) => frame.type === "presence_diff" && (frame as Diff).leaves.includes(bob.userId),
    10_000,
  );
  assert.deepEqual(leave.leaves, [bob.userId]);
  silent.close();
  await watcher.close();
}, { WS_IDLE_TIMEOUT_S: "1" });
