/**
 * Kind, plain words for what the server refused, shown next to the message
 * it concerns (or as a passing notice when it concerns none).
 *
 * @example
 * ```ts
 * describeProblem("PEER_OFFLINE", "User is offline", "Ada"); // "Ada was offline, so this wasn't delivered."
 * ```
 *
 * @module
 */
import type { ErrorCode } from "../protocol.ts";

/** A sentence telling the user what went wrong and, where it helps, what to do. */
export function describeProblem(code: ErrorCode | "UNKNOWN", detail: string, peerName: string): string {
  switch (code) {
    case "PEER_OFFLINE":
      // Said of the moment it failed: it stays under the message after they are back.
      return `${peerName || "They"} ${peerName ? "was" : "were"} offline, so this wasn't delivered.`;
    case "MESSAGE_TOO_LARGE":
      return "This is too long to send. Try splitting it into shorter messages.";
    case "RATE_LIMITED":
      return "You're sending a little fast. Wait a moment, then try again.";
    case "SELF_CHAT_BLOCKED":
      return "You can't send messages to yourself.";
    case "UNAUTHORIZED":
      return "Your connection was interrupted before this was sent. Try again.";
    case "TOO_MANY_CONNECTIONS":
      return "Quick Chat is open in too many tabs. Close a few and try again.";
    case "INVALID_PAYLOAD":
      return /control characters/.test(detail)
        ? "This contains invisible characters that can't be sent."
        : "This couldn't be sent.";
    default:
      return detail ? `Something went wrong: ${detail}.` : "Something went wrong.";
  }
}
