/**
 * Quick Chat's wire protocol: every REST body and WebSocket frame, as zod
 * schemas and the types inferred from them. The server and the islands both
 * import this module, so a shape is defined exactly once.
 *
 * @example
 * ```ts
 * const parsed = ClientFrame.safeParse(JSON.parse(text));
 * if (parsed.success && parsed.data.type === "dm") console.log(parsed.data.text);
 * ```
 *
 * @module
 */
import { z } from "zod";

/** A user id: a UUID, compared in lower case. */
export const UserId = z.uuid({ error: "must be a UUID" }).transform((id) => id.toLowerCase());

/** Characters a display name may not hold: controls (C0, DEL, C1) and the bidi overrides that can disguise it. */
// deno-lint-ignore no-control-regex
export const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Longest display name, in characters, after trimming. */
export const NAME_MAX = 32;

/**
 * A display name: 1–32 characters after trimming, no control characters, and
 * well-formed: JSON can carry half of a surrogate pair, but PostgreSQL's
 * `jsonb` refuses it (failing every user's write batched with it) and its
 * text would store it as U+FFFD.
 */
export const DisplayName = z.string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(NAME_MAX, { error: `must be at most ${NAME_MAX} characters` })
  .refine((name) => !NAME_FORBIDDEN.test(name), { error: "must not contain control characters" })
  .refine((name) => name.isWellFormed(), { error: "must be well-formed Unicode (no lone surrogates)" });

/** `POST /presence/register` body. */
export const RegisterBody = z.object({ user_id: UserId, name: DisplayName });
export type RegisterBody = z.infer<typeof RegisterBody>;

/** `POST /presence/logout` body; the seed sends the name too, which is optional here. */
export const LogoutBody = z.object({ user_id: UserId, name: DisplayName.optional() });
export type LogoutBody = z.infer<typeof LogoutBody>;

/** `POST /presence/register` response. */
export interface RegisterResponse {
  ok: true;
  user_id: string;
  name: string;
  /** Proves the identity on later requests: cookie `qc_token`, an `Authorization: Bearer` header, or `token` query parameter. */
  token: string;
}

/** A user in the roster. */
export interface RosterEntry {
  user_id: string;
  name: string;
}

/** A client's own message id, echoed back for acknowledgement and de-duplication. */
export const MessageId = z.string().min(1).max(64);

/** What a client may send on `WS /ws/chat`, before the text length limit is applied. */
export const ClientFrame = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("dm"),
    to: UserId,
    text: z.string().refine((text) => text.trim().length > 0, { error: "must not be empty" }),
    id: MessageId.optional(),
  }),
  z.object({ type: z.literal("typing"), to: UserId, state: z.enum(["start", "stop"]) }),
  z.object({ type: z.literal("read"), to: UserId, id: MessageId }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** A direct message, as echoed to the sender and delivered to the peer. */
export interface DmFrame {
  type: "dm";
  from: string;
  to: string;
  text: string;
  /** Server time of acceptance, epoch milliseconds. */
  timestamp: number;
  id?: string;
}

/** The peer started or stopped typing to you. */
export interface TypingFrame {
  type: "typing";
  from: string;
  to: string;
  state: "start" | "stop";
}

/** The peer read your messages up to and including `id`. */
export interface ReadFrame {
  type: "read";
  from: string;
  to: string;
  id: string;
}

/** Every error code a frame may carry. */
export const ERROR_CODES = [
  "SELF_CHAT_BLOCKED",
  "PEER_OFFLINE",
  "INVALID_PAYLOAD",
  "MESSAGE_TOO_LARGE",
  "RATE_LIMITED",
  "UNAUTHORIZED",
  "TOO_MANY_CONNECTIONS",
] as const;
export type ErrorCode = typeof ERROR_CODES[number];

/** Something the server refused; the socket stays open. */
export interface ErrorFrame {
  type: "error";
  code: ErrorCode;
  detail: string;
  /** The `id` of the refused `dm`, when it had one. */
  id?: string;
}

/** The whole roster: the first frame on `WS /presence/ws`, then every change in full mode. */
export interface PresenceFrame {
  type: "presence";
  users: RosterEntry[];
}

/** Roster changes since the last frame, in diff mode (`?mode=diff`); a join may be a rename. */
export interface PresenceDiffFrame {
  type: "presence_diff";
  joins: RosterEntry[];
  leaves: string[];
}

/** Answer to a client's `ping`. */
export interface PongFrame {
  type: "pong";
}

/** What the server sends on `WS /ws/chat`. */
export type ChatServerFrame = DmFrame | TypingFrame | ReadFrame | ErrorFrame | PongFrame;

/** What the server sends on `WS /presence/ws`. */
export type PresenceServerFrame = PresenceFrame | PresenceDiffFrame;

/** WebSocket close codes the server uses. */
export const CloseCode = {
  /** The server is shutting down. */
  GoingAway: 1001,
  /** Authentication failed, the user logged out, sustained abuse, or a slow reader. */
  PolicyViolation: 1008,
  /** A frame over the size limit. */
  MessageTooBig: 1009,
} as const;

/** Describes the first problem of a failed parse, naming the field. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "invalid";
  const path = issue.path.join(".");
  return path === "" ? issue.message : `field "${path}" ${issue.message}`;
}
