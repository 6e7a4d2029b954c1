/**
 * `POST /presence/register` from the browser: puts this identity online (or
 * renames it) and lets the server set the HttpOnly token cookie that later
 * registrations and the sockets present. Where the browser keeps no cookies,
 * the token the server answered with can be presented instead, in an
 * `Authorization: Bearer` header (out of the URL, which logs may keep).
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
  /** Online, under the name the server kept (trimmed), with the id's token (`null` if the answer had none). */
  | { kind: "ok"; name: string; token: string | null }
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

/** Options of {@link register}. */
export interface RegisterOptions {
  /** The id's token, presented as a bearer token; without it only the cookie proves the id. */
  token?: string | null;
  fetcher?: typeof fetch;
  timeoutMs?: number;
}

/** Registers `identity` and says how it went; never throws. */
export async function register(identity: Identity, options: RegisterOptions = {}): Promise<RegisterOutcome> {
  const { token = null, fetcher = fetch, timeoutMs = REGISTER_TIMEOUT_MS } = options;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetcher("/presence/register", {
      method: "POST",
      headers,
      body: JSON.stringify(identity),
      credentials: "same-origin",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { kind: "unavailable", detail: error instanceof Error ? error.message : String(error) };
  }
  const body = await response.json().catch(() => null);
  if (response.ok) {
    const ok = body as Partial<RegisterResponse> | null;
    return { kind: "ok", name: ok?.name ?? identity.name, token: typeof ok?.token === "string" ? ok.token : null };
  }
  const detail = typeof body?.detail === "string" ? body.detail : `HTTP ${response.status}`;
  if (response.status === 401) return { kind: "unauthorized" };
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after"));
    return { kind: "busy", retryAfterMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 5) * 1000 };
  }
  if (response.status === 400) return { kind: "invalid", detail };
  return { kind: "unavailable", detail };
}
