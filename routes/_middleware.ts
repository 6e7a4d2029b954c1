import { HttpError } from "fresh";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { define } from "../lib/state.ts";

/** Headers every response carries. */
const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

export const handler = define.middleware(async function securityAndErrors(ctx) {
  let response: Response;
  try {
    response = await ctx.next();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    throw new HttpError(503, "The database is unreachable; try again shortly", "DATABASE_UNAVAILABLE");
  }
  // A WebSocket upgrade's response must stay as Deno made it.
  if (response.status === 101) return response;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
});
