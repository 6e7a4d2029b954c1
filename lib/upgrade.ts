import { type Context, HttpError } from "fresh";
import { Connection, type ConnectionKind } from "./connection.ts";
import { presentedToken } from "./identity.ts";
import { CloseCode, UserId } from "./protocol.ts";
import type { State } from "./state.ts";

/** What a socket route does with its authenticated connection. */
export interface SocketHandlers {
  /** The socket opened; the connection is counted from here on. */
  open(connection: Connection): void;
  message(connection: Connection, data: unknown): void;
  close(connection: Connection): void;
}

/**
 * Whether a WebSocket may be opened from `origin`: requests without one (not
 * from a browser) and same-origin requests may, others only when listed.
 */
export function originAllowed(origin: string | null, url: URL, allowed: string[]): boolean {
  if (origin === null) return true;
  return origin === url.origin || allowed.includes(origin);
}

/**
 * Upgrades a request to a WebSocket for the user named by the query parameter
 * `param`, after checking the upgrade, the Origin and the user id (refused
 * with 426, 403 and 400). A missing or wrong token, or too many sockets, is
 * answered on the socket itself — an error frame, then close 1008 — so that
 * browsers, which cannot read an HTTP status, can tell why.
 *
 * @example
 * ```ts
 * return await upgradeForUser(ctx, "me", ConnectionKind.Chat, handlers);
 * ```
 */
export async function upgradeForUser(
  ctx: Context<State>,
  param: string,
  kind: ConnectionKind,
  handlers: SocketHandlers,
): Promise<Response> {
  const { req, url, state } = ctx;
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    throw new HttpError(426, "This endpoint speaks WebSocket only", undefined, { upgrade: "websocket" });
  }
  if (!originAllowed(req.headers.get("origin"), url, state.config.allowedOrigins)) {
    throw new HttpError(403, `Origin "${req.headers.get("origin")}" may not open sockets here`, "FORBIDDEN_ORIGIN");
  }
  const parsed = UserId.safeParse(url.searchParams.get(param));
  if (!parsed.success) throw new HttpError(400, `Query parameter "${param}" must be a UUID`, "INVALID_PAYLOAD");
  const userId = parsed.data;
  // Settled before the upgrade, so no frame arrives before the socket's handlers are in place.
  const authorized = await state.identities.verify(userId, presentedToken(req, url));
  const { socket, response } = upgrade(req, state.config.limits.idleTimeoutSec);
  const connection = new Connection(socket, userId, kind, state.config.limits, state.metrics);
  socket.onopen = () => {
    if (!authorized) {
      connection.sendError("UNAUTHORIZED", "Register first and present its token (cookie or `token` parameter)");
      connection.close(CloseCode.PolicyViolation, "UNAUTHORIZED");
    } else if (state.presence.socketCount(userId) >= state.config.limits.maxSocketsPerUser) {
      connection.sendError("TOO_MANY_CONNECTIONS", `At most ${state.config.limits.maxSocketsPerUser} sockets per user`);
      connection.close(CloseCode.PolicyViolation, "TOO_MANY_CONNECTIONS");
    } else {
      connection.onEnd(() => handlers.close(connection));
      // A listener, not `onmessage`: one wrapper less on every frame.
      socket.addEventListener("message", (event) => handlers.message(connection, event.data));
      socket.addEventListener("close", () => connection.ended());
      handlers.open(connection);
    }
  };
  return response;
}

/** Upgrades a request, refusing a malformed handshake (no key, no `Connection: upgrade`) with 400. */
function upgrade(req: Request, idleTimeout: number): { socket: WebSocket; response: Response } {
  try {
    return Deno.upgradeWebSocket(req, { idleTimeout });
  } catch (error) {
    throw new HttpError(400, `Not a valid WebSocket handshake: ${(error as Error).message}`, "INVALID_PAYLOAD");
  }
}
