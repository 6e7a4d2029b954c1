import { define } from "../lib/state.ts";

/** Headers every response carries. */
const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

export const handler = define.middleware(async function securityHeaders(ctx) {
  const response = await ctx.next();
  // A WebSocket upgrade's response must stay as Deno made it.
  if (response.status === 101) return response;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
});
