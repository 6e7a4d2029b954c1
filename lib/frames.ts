import type { Connection } from "./connection.ts";
import { ClientFrame, CloseCode, describeIssue } from "./protocol.ts";

/**
 * Reads one inbound frame with every guard applied in order: the size limit
 * (close 1009), the connection's rate limit (`RATE_LIMITED`, close 1008 when
 * it goes on), text only, JSON, and the protocol's schema (`INVALID_PAYLOAD`
 * naming the field). Every frame counts against the rate limit, binary ones
 * too, since each refusal costs the server a reply. `now` is `Date.now()` for
 * the rate limit. Returns the frame, or `null` once the refusal is answered.
 *
 * @example
 * ```ts
 * const frame = readFrame(connection, event.data, 16_384, Date.now());
 * if (frame?.type === "ping") connection.send('{"type":"pong"}');
 * ```
 */
export function readFrame(connection: Connection, data: unknown, maxBytes: number, now: number): ClientFrame | null {
  if (typeof data === "string" ? tooLarge(data, maxBytes) : byteLength(data) > maxBytes) {
    connection.sendError("MESSAGE_TOO_LARGE", `Frames are limited to ${maxBytes} bytes`);
    connection.close(CloseCode.MessageTooBig, "MESSAGE_TOO_LARGE");
    return null;
  }
  const bucket = connection.bucket;
  if (!bucket.take(now)) {
    if (bucket.refusedInARow >= bucket.burst) {
      connection.close(CloseCode.PolicyViolation, "RATE_LIMITED");
    } else {
      // With the refused dm's id the client knows which message to send again.
      const detail = `Slow down: at most ${bucket.perSecond} frames per second`;
      connection.sendError("RATE_LIMITED", detail, typeof data === "string" ? dmIdOf(data) : undefined);
    }
    return null;
  }
  if (typeof data !== "string") {
    connection.sendError("INVALID_PAYLOAD", "Frames must be JSON text, not binary");
    return null;
  }
  const written = writtenDm(data);
  if (written !== null) return written;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    connection.sendError("INVALID_PAYLOAD", "Frame is not valid JSON");
    return null;
  }
  const quick = plainDm(value);
  if (quick !== null) return quick;
  const parsed = ClientFrame.safeParse(value);
  if (!parsed.success) {
    const id = (value as { id?: unknown } | null)?.id;
    connection.sendError("INVALID_PAYLOAD", describeIssue(parsed.error), typeof id === "string" ? id : undefined);
    return null;
  }
  return parsed.data;
}

/** A lower-case UUID, the form clients send; anything else takes the schema's path. */
const LOWER_CASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A dm exactly as clients write it (`JSON.stringify` of `{type, to, text, id?}`):
 * keys in that order, no whitespace, and no escape in any string, so each
 * string's characters are its value. JSON forbids raw `"`, `\` and U+0000–U+001F
 * inside strings; every other character stands for itself.
 */
const WRITTEN_DM =
  // deno-lint-ignore no-control-regex
  /^\{"type":"dm","to":"([0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})","text":"([^"\\\u0000-\u001f]*)"(?:,"id":"([^"\\\u0000-\u001f]{1,64})")?\}$/;

/**
 * The common case read straight from the frame's text, without `JSON.parse`:
 * a dm written as {@link WRITTEN_DM} describes, with a text that is not blank.
 * Whatever it returns, `plainDm(JSON.parse(data))` returns too (a property
 * test holds it to that); anything else, valid or not, is left to the parser.
 */
export function writtenDm(data: string): ClientFrame | null {
  const match = WRITTEN_DM.exec(data);
  if (match === null) return null;
  const [, to, text, id] = match;
  if (text.trim().length === 0) return null;
  return id === undefined ? { type: "dm", to, text } : { type: "dm", to, text, id };
}

/**
 * A well-formed `dm` that {@link writtenDm} left to the parser (keys in
 * another order, escapes), checked without the schema's machinery. It accepts
 * only what {@link ClientFrame} accepts, with the same result — a property
 * test holds it to that — and leaves anything else, valid or not, to the
 * schema.
 */
export function plainDm(value: unknown): ClientFrame | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const { type, to, text, id } = value as Record<string, unknown>;
  if (type !== "dm" || typeof to !== "string" || !LOWER_CASE_UUID.test(to)) return null;
  if (typeof text !== "string" || text.trim().length === 0) return null;
  if (id === undefined) return { type, to, text };
  if (typeof id !== "string" || id.length === 0 || id.length > 64) return null;
  return { type, to, text, id };
}

/**
 * A dm's `id` read off the end of its frame, where `JSON.stringify` of
 * `{type, to, text, id}` puts it. Inside a JSON string every `"` is escaped,
 * so a `"` after a comma is the frame's own: the match cannot come from the
 * text.
 */
// deno-lint-ignore no-control-regex
const TRAILING_DM_ID = /,"id":"([^"\\\u0000-\u001f]{1,64})"\}$/;

/** Longest frame tail that holds a {@link TRAILING_DM_ID}: `,"id":"`, 64 characters and `"}`. */
const TRAILING_DM_ID_MAX = 7 + 64 + 2;

/**
 * The `id` of a refused frame when it is a dm written as clients write it:
 * {@link WRITTEN_DM}, or the same with escapes in its text (a line break, a
 * quote), whose id is read off the frame's end. Neither parses the frame, so
 * that a refusal costs no more than an acceptance; a frame of any other shape
 * is refused without its id.
 */
export function dmIdOf(data: string): string | undefined {
  const written = writtenDm(data);
  if (written?.type === "dm") return written.id;
  if (!data.startsWith('{"type":"dm","to":"')) return undefined;
  return TRAILING_DM_ID.exec(data.slice(-TRAILING_DM_ID_MAX))?.[1];
}

/** The size of a binary frame (an ArrayBuffer or a Blob, as the socket delivers it). */
function byteLength(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (data instanceof Blob) return data.size;
  return 0;
}

/** Whether a text frame exceeds `maxBytes` in UTF-8. */
function tooLarge(data: string, maxBytes: number): boolean {
  // A UTF-16 unit takes one to three bytes in UTF-8: only the middle range needs counting.
  if (data.length > maxBytes) return true;
  if (data.length * 3 <= maxBytes) return false;
  return new TextEncoder().encode(data).length > maxBytes;
}
