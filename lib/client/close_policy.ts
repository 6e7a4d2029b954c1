/**
 * What the client does when the server closes one of its sockets, by close
 * code and reason (see lib/upgrade.ts, lib/presence.ts and lib/frames.ts for
 * where the server closes).
 *
 * @example
 * ```ts
 * socket.onclose = (event) => closeAction(event.code, event.reason) === "reconnect" && retry();
 * ```
 *
 * @module
 */

/** The reaction to a close. */
export type CloseAction =
  /** Reconnect with backoff, registering again first (this also heals `UNAUTHORIZED`). */
  | "reconnect"
  /** The user logged out (perhaps in another tab): stay offline until they ask to come back. */
  | "logged-out"
  /** Too many tabs of this user are open: wait until the user asks to try again. */
  | "too-many-tabs";

// RFC 6455's "policy violation", which the server uses for its refusals.
const POLICY_VIOLATION = 1008;

/** The reaction to a socket closed with `code` and `reason`. */
export function closeAction(code: number, reason: string): CloseAction {
  if (code === POLICY_VIOLATION && reason === "LOGGED_OUT") return "logged-out";
  if (code === POLICY_VIOLATION && reason === "TOO_MANY_CONNECTIONS") return "too-many-tabs";
  return "reconnect";
}
