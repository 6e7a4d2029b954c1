/**
 * A bare Deno relay: the Node.js relay of `baseline/relay.mjs` written with
 * `Deno.serve` and `Deno.upgradeWebSocket`, with its defaults. No database,
 * no validation, no authentication, no roster. Run as the system under test
 * (`deno task bench --target=deno-relay`), it shows what Deno's own HTTP and
 * WebSocket stack gives on this machine next to Node's `ws`, and so the most
 * that Quick Chat, built on the same stack, can reach.
 *
 * It answers what the benchmark's clients ask, exactly as the Node relay does:
 * - `POST /presence/register` → `{"ok":true,"token":"x"}`
 * - `GET /health` → 200
 * - `WS /ws/chat?me=<uuid>`: a `dm` goes to every socket of the peer and back
 *   to the sender as `{"type":"dm","from","to","text","timestamp","id"}`, or
 *   gets `PEER_OFFLINE`
 * - `WS /presence/ws`: one empty `presence` snapshot, then silence
 *
 * @example
 * ```sh
 * PORT=8080 HOST=127.0.0.1 deno run --allow-net=127.0.0.1 --allow-env=PORT,HOST bench/deno_relay.ts
 * ```
 *
 * @module
 */

/** Open chat sockets by user id: a user may have several tabs. */
const chatSockets = new Map<string, Set<WebSocket>>();
const EMPTY_ROSTER = JSON.stringify({ type: "presence", users: [] });
const REGISTERED = JSON.stringify({ ok: true, token: "x" });

function openChat(socket: WebSocket, me: string): void {
  socket.addEventListener("open", () => {
    let sockets = chatSockets.get(me);
    if (sockets === undefined) chatSockets.set(me, sockets = new Set());
    sockets.add(socket);
  });
  socket.addEventListener("message", (event) => relay(socket, me, event.data));
  socket.addEventListener("close", () => {
    const sockets = chatSockets.get(me);
    sockets?.delete(socket);
    if (sockets?.size === 0) chatSockets.delete(me);
  });
}

function relay(socket: WebSocket, me: string, data: unknown): void {
  let frame;
  try {
    frame = JSON.parse(String(data));
  } catch {
    return;
  }
  if (frame?.type !== "dm") return;
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

async function handle(req: Request): Promise<Response> {
  const url = new URL(req.url);
  if (req.method === "GET" && url.pathname === "/health") {
    return new Response('{"status":"ok"}', { headers: { "content-type": "application/json" } });
  }
  if (req.method === "POST" && url.pathname === "/presence/register") {
    // The body is read to the end so keep-alive connections stay usable.
    await req.arrayBuffer();
    return new Response(REGISTERED, { headers: { "content-type": "application/json" } });
  }
  if (url.pathname === "/ws/chat" || url.pathname === "/presence/ws") {
    const { socket, response } = Deno.upgradeWebSocket(req);
    if (url.pathname === "/ws/chat") openChat(socket, url.searchParams.get("me") ?? "");
    else socket.addEventListener("open", () => socket.send(EMPTY_ROSTER));
    return response;
  }
  return new Response(null, { status: 404 });
}

if (import.meta.main) {
  const port = Number(Deno.env.get("PORT") ?? 8080);
  const hostname = Deno.env.get("HOST") ?? "127.0.0.1";
  Deno.serve({
    port,
    hostname,
    onListen: () => console.log(`Deno relay is listening on http://${hostname}:${port}`),
  }, handle);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // Like the Node relay, it drops its sockets on the spot: nothing of a relay's outlives a run.
    Deno.addSignalListener(signal, () => Deno.exit(0));
  }
}
