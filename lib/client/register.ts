/**
 * `POST /presence/register` from the browser: puts this identity online (or
 * renames it) and lets the server set the HttpOnly token cookie that later
 * registrations and the sockets present.
 *
 * @example
 * ```ts
 * const outcome = await register({ user_id, name });
 * if (outcome.kind === "unauthorized") identity = createIdentity(name);
 * ```
 *
 * @module
 */
import type { RegisterResponse } from "../protocol.ts";
import type { Identity } from "./identity.ts";

/** What a registration came to. */
export type RegisterOutcome =
  /** Online, under the name the server kept (trimmed). */
  | { kind: "ok"; name: string }
  /** The id belongs to another browser (or this one lost its cookie): make a new identity. */
  | { kind: "unauthorized" }
  /** The server refused the body, saying why. */
  | { kind: "invalid"; detail: string }
  /** Too many new people from this network just now (429): try again after `retryAfterMs`. */
  | { kind: "busy"; retryAfterMs: number }
  /** The server could not be reached or failed; try again later. */
  | { kind: "unavailable"; detail: string };

/**
 * How long a registration may take before it counts as unavailable: after a
 * change of network a request can hang for minutes before it fails.
 */
export const REGISTER_TIMEOUT_MS = 10_000;

/** Registers `identity` and says how it went; never throws. */
export async function register(
  identity: Identity,
  fetcher: typeof fetch = fetch,
  timeoutMs = REGISTER_TIMEOUT_MS,
): Promise<RegisterOutcome> {
  let response: Response;
  try {
    response = await fetcher("/presence/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(identity),
      credentials: "same-origin",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { kind: "unavailable", detail: error instanceof Error ? error.message : String(error) };
  }
  const body = await response.json().catch(() => null);
  if (response.ok) return { kind: "ok", name: (body as RegisterResponse | null)?.name ?? identity.name };
  const detail = typeof body?.detail === "string" ? body.detail : `HTTP ${response.status}`;
  if (response.status === 401) return { kind: "unauthorized" };
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after"));
    return { kind: "busy", retryAfterMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 5) * 1000 };
  }
  if (response.status === 400) return { kind: "invalid", detail };
  return { kind: "unavailable", detail };
}
