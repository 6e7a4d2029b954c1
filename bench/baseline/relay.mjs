/**
 * The benchmark's baseline: the least a server must do to relay Quick Chat's
 * direct messages. No database, no validation, no authentication, no presence
 * roster: it shows what the hardware and a mainstream WebSocket stack (Node.js
 * with `ws`) give, so Quick Chat's figures can be read as ratios to it.
 *
 * It speaks the subset of the protocol the benchmark drives:
 * - `POST /presence/register` → `{"ok":true,"token":"x"}`
 * - `GET /health` → 200
 * - `WS /ws/chat?me=<uuid>`: `{"type":"dm","to","text","id"}` in; the relay sends
 *   `{"type":"dm","from","to","text","timestamp","id"}` to every socket of the
 *   peer and echoes it to the sender, or answers `PEER_OFFLINE`.
 * - `WS /presence/ws`: one empty `presence` snapshot, then silence, so the same
 *   client opens the same two sockets per user and memory per socket compares.
 *
 * Run: `PORT=8080 HOST=127.0.0.1 node relay.mjs`
 */
import { createServer } from "node:http";
import { createRequire } from "node:module";

// Loaded through require: the repository's `deno check .` reads static imports but not this folder's
// package.json, and would fail to resolve a bare "ws".
const { WebSocketServer } = createRequire(import.meta.url)("ws");

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? "127.0.0.1";

/** Open chat sockets by user id: a user may have several tabs. */
const chatSockets = new Map();
const EMPTY_ROSTER = JSON.stringify({ type: "presence", users: [] });
const REGISTERED = JSON.stringify({ ok: true, token: "x" });

const chatServer = new WebSocketServer({ noServer: true });
const presenceServer = new WebSocketServer({ noServer: true });

chatServer.on("connection", (socket, me) => {
  let sockets = chatSockets.get(me);
  if (sockets === undefined) chatSockets.set(me, sockets = new Set());
  sockets.add(socket);
  socket.on("message", (data) => relay(socket, me, data));
  socket.on("close", () => {
    sockets.delete(socket);
    if (sockets.size === 0) chatSockets.delete(me);
  });
});

presenceServer.on("connection", (socket) => socket.send(EMPTY_ROSTER));

function relay(socket, me, data) {
  let frame;
  try {
    frame = JSON.parse(data);
  } catch {
    return;
  }
  if (frame.type !== "dm") return;
  const peers = chatSockets.get(frame.to);
  if (peers === undefined) {
    socket.send(JSON.stringify({ type: "error", code: "PEER_OFFLINE", detail: "User is offline", id: frame.id }));
    return;
  }
  const out = JSON.stringify({
    type: "dm",
    from: me,
    to: frame.to,
    text: frame.text,
    timestamp: Date.now(),
    id: frame.id,
  });
  for (const peer of peers) peer.send(out);
  socket.send(out);
}

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/health") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
  } else if (req.method === "POST" && req.url === "/presence/register") {
    // The body is read to the end so keep-alive connections stay usable.
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(REGISTERED));
  } else {
    res.writeHead(404).end();
  }
});

server.on("upgrade", (req, socket, head) => {
  const url = new URL(req.url, "http://relay");
  if (url.pathname === "/ws/chat") {
    const me = url.searchParams.get("me") ?? "";
    chatServer.handleUpgrade(req, socket, head, (ws) => chatServer.emit("connection", ws, me));
  } else if (url.pathname === "/presence/ws") {
    presenceServer.handleUpgrade(req, socket, head, (ws) => presenceServer.emit("connection", ws));
  } else {
    socket.destroy();
  }
});

server.listen(port, host, () => console.log(`Relay is listening on http://${host}:${port}`));

function stop() {
  for (const ws of [...chatServer.clients, ...presenceServer.clients]) ws.terminate();
  server.close(() => process.exit(0));
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
