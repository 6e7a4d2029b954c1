import type { Middleware } from "fresh";
import type { State } from "./state.ts";

/** How long a browser may keep a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * Lets pages on the allowed origins (`ALLOWED_ORIGINS` and `FRONTEND_ORIGIN`,
 * the same list that may open the WebSockets) call the HTTP API from their
 * own origin, with the token cookie, as the original version's CORS did for
 * its frontend: a preflight is answered 204, and every response (errors too,
 * so the page can read why) names the origin. Other origins get no CORS
 * headers, so browsers keep their pages from reading the answers.
 *
 * @example
 * ```ts
 * app.use(securityHeaders(), cors());
 * ```
 */
export function cors(): Middleware<State> {
  return async function allowListedOrigins(ctx) {
    const origin = ctx.req.headers.get("origin");
    if (origin === null || origin === ctx.url.origin || !ctx.state.config.allowedOrigins.includes(origin)) {
      return ctx.next();
    }
    if (ctx.req.method === "OPTIONS" && ctx.req.headers.has("access-control-request-method")) {
      const headers = new Headers({
        "access-control-allow-methods": "GET, HEAD, POST",
        "access-control-max-age": String(PREFLIGHT_MAX_AGE_S),
      });
      const requested = ctx.req.headers.get("access-control-request-headers");
      if (requested !== null) headers.set("access-control-allow-headers", requested);
      return allowOrigin(new Response(null, { status: 204, headers }), origin);
    }
    const response = await ctx.next();
    // A WebSocket upgrade's response must stay as Deno made it; the socket checks the origin itself.
    return response.status === 101 ? response : allowOrigin(response, origin);
  };
}

function allowOrigin(response: Response, origin: string): Response {
  response.headers.set("access-control-allow-origin", origin);
  response.headers.set("access-control-allow-credentials", "true");
  response.headers.append("vary", "Origin");
  return response;
}
