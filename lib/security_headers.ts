import type { Middleware } from "fresh";

/** Headers every response carries: pages, JSON, static files and built assets alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

/**
 * The policy of responses that are not pages (pages get theirs, with a nonce,
 * when rendered): such a response, opened in a browser, may load nothing and
 * be framed by nobody. An SVG opened directly, say, can run no script.
 */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Adds {@link SECURITY_HEADERS}, and {@link NON_PAGE_CSP} where a response has
 * no policy of its own, to every response that passes through it. Register it
 * before the static files so that their responses pass through it too.
 *
 * @example
 * ```ts
 * app.use(securityHeaders(), await staticFiles({ root, build })).fsRoutes(manifest);
 * ```
 */
export function securityHeaders<State>(): Middleware<State> {
  return async function addSecurityHeaders(ctx) {
    const response = await ctx.next();
    // A WebSocket upgrade's response must stay as Deno made it.
    if (response.status === 101) return response;
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
    if (!response.headers.has("content-security-policy")) response.headers.set("content-security-policy", NON_PAGE_CSP);
    return response;
  };
}
