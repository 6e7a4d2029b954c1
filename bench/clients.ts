/**
 * What one simulated user does on the wire: register, then open sockets with
 * the token. Deno's built-in `WebSocket` is used: measured against `npm:ws`
 * under Deno at 4,000 sockets it used less CPU per frame and less memory
 * (see bench/README.md).
 *
 * @example
 * ```ts
 * const token = await register(base, crypto.randomUUID(), "Bench1");
 * const socket = await openSocket(chatUrl(base, id, token));
 * ```
 *
 * @module
 */

// Deno's WebSocket accepts request headers; the DOM typings this project compiles with do not know it.
const DenoWebSocket = WebSocket as unknown as new (url: URL, options: { headers: HeadersInit }) => WebSocket;

/** Presence feed flavour: `diff` asks for `presence_diff` frames after the first snapshot. */
export type PresenceMode = "diff" | "full";

/** Registers a user and returns its token. */
export async function register(base: URL, userId: string, name: string): Promise<string> {
  const response = await fetch(new URL("/presence/register", base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: userId, name }),
  });
  const body = await response.text();
  if (response.status !== 200) {
    throw new Error(`POST /presence/register answered ${response.status} for "${userId}": ${body.slice(0, 200)}`);
  }
  const token = (JSON.parse(body) as { token?: unknown }).token;
  if (typeof token !== "string") throw new Error(`POST /presence/register returned no token: ${body.slice(0, 200)}`);
  return token;
}

/** `WS /ws/chat` for a user. */
export function chatUrl(base: URL, userId: string, token: string): URL {
  const url = new URL("/ws/chat", base);
  url.protocol = "ws:";
  url.searchParams.set("me", userId);
  url.searchParams.set("token", token);
  return url;
}

/** `WS /presence/ws` for a user, in diff or full mode. */
export function presenceUrl(base: URL, userId: string, token: string, mode: PresenceMode): URL {
  const url = new URL("/presence/ws", base);
  url.protocol = "ws:";
  url.searchParams.set("user_id", userId);
  url.searchParams.set("token", token);
  if (mode === "diff") url.searchParams.set("mode", "diff");
  return url;
}

/**
 * Opens a WebSocket and resolves when it is open. The `Origin` header is the
 * server's own, as a browser on the app's page would send it. `onFrame` is
 * attached before the socket opens, so not even the first frame can slip by.
 */
export function openSocket(url: URL, onFrame?: (frame: string) => void): Promise<WebSocket> {
  const socket = new DenoWebSocket(url, { headers: { origin: `http://${url.host}` } });
  if (onFrame !== undefined) socket.onmessage = (event) => onFrame(event.data);
  const { promise, resolve, reject } = Promise.withResolvers<WebSocket>();
  socket.onopen = () => {
    socket.onerror = socket.onclose = null;
    resolve(socket);
  };
  // The close event that follows an error carries the code; the error event carries nothing useful.
  socket.onerror = () => {};
  socket.onclose = (event) => {
    reject(new Error(`WebSocket ${url.pathname} closed before opening (code ${event.code} ${event.reason})`));
  };
  return promise;
}

/** Runs `task(i)` for i in [0, count) with at most `limit` running at once. */
export async function forEachLimited(
  count: number,
  limit: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}
