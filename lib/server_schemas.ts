/**
 * Zod schemas of what the server sends: REST responses and WebSocket frames.
 * The server builds these with plain TypeScript (the interfaces in
 * `protocol.ts`), so each schema here is checked at compile time against its
 * interface: `deno check` fails as soon as the two disagree. The server
 * parses nothing with them: they describe the protocol (`GET /openapi.json`),
 * and tests check what the server sends against that description.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * const schema = z.toJSONSchema(DmFrameSchema); // { type: "object", properties: { type: { const: "dm" }, … } }
 * ```
 *
 * @module
 */
import { z } from "zod";
import type { Database } from "../db/database.ts";
import {
  type ChatServerFrame,
  type DmFrame,
  ERROR_CODES,
  type ErrorFrame,
  MessageId,
  type PongFrame,
  type PresenceDiffFrame,
  type PresenceFrame,
  type PresenceServerFrame,
  type ReadFrame,
  type RegisterResponse,
  type RosterEntry,
  type TypingFrame,
  UserId,
} from "./protocol.ts";

/**
 * `true` when a schema's output type and `T` are the same type, `false`
 * otherwise: mutual assignability catches a missing, extra or differently
 * typed field, and comparing the keys catches an optional field only one side has.
 */
type Agrees<Schema extends z.ZodType, T> = Same<z.output<Schema>, T> extends true
  ? Same<Keys<z.output<Schema>>, Keys<T>>
  : false;
type Same<A, B> = [A] extends [B] ? [B] extends [A] ? true : false : false;
/** The keys of every member of a union. */
type Keys<T> = T extends unknown ? keyof T : never;

/** Compiles only when given `true`: `agrees<Agrees<typeof S, T>>()` fails to type-check when `S` and `T` drift. */
function agrees<_Check extends true>(): void {}

/** A user's display name as the server sends it: already trimmed and checked. */
const Name = z.string();

/** Every error code a frame may carry. */
export const ErrorCodeSchema = z.enum(ERROR_CODES);

/** A user in the roster. */
export const RosterEntrySchema = z.object({ user_id: UserId, name: Name });
agrees<Agrees<typeof RosterEntrySchema, RosterEntry>>();

/** `POST /presence/register` response. */
export const RegisterResponseSchema = z.object({
  ok: z.literal(true),
  user_id: UserId,
  name: Name,
  token: z.string(),
});
agrees<Agrees<typeof RegisterResponseSchema, RegisterResponse>>();

/** `POST /presence/logout` response. */
export const LogoutResponseSchema = z.object({ ok: z.literal(true), user_id: UserId });
/** `POST /presence/logout` response. */
export type LogoutResponse = z.output<typeof LogoutResponseSchema>;

/** `GET /health` response, with status 200 (`ok`) or 503 (`degraded`). */
export const HealthResponseSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.object({ kind: z.enum(["pglite", "postgres"]), ok: z.boolean() }),
  instance_id: z.uuid(),
  users_online: z.int().min(0),
});
/** `GET /health` response. */
export type HealthResponse = z.output<typeof HealthResponseSchema>;
agrees<Agrees<typeof HealthResponseSchema.shape.database.shape.kind, Database["kind"]>>();

/** The body of every REST error: a stable code and a sentence for people. */
export const HttpErrorBodySchema = z.object({ error: z.string(), detail: z.string() });

/** A direct message, as echoed to the sender and delivered to the peer. */
export const DmFrameSchema = z.object({
  type: z.literal("dm"),
  from: UserId,
  to: UserId,
  text: z.string(),
  timestamp: z.int().min(0),
  id: MessageId.optional(),
});
agrees<Agrees<typeof DmFrameSchema, DmFrame>>();

/** The peer started or stopped typing. */
export const TypingFrameSchema = z.object({
  type: z.literal("typing"),
  from: UserId,
  to: UserId,
  state: z.enum(["start", "stop"]),
});
agrees<Agrees<typeof TypingFrameSchema, TypingFrame>>();

/** The peer read messages up to and including `id`. */
export const ReadFrameSchema = z.object({ type: z.literal("read"), from: UserId, to: UserId, id: MessageId });
agrees<Agrees<typeof ReadFrameSchema, ReadFrame>>();

/** Something the server refused; the socket stays open unless a close follows. */
export const ErrorFrameSchema = z.object({
  type: z.literal("error"),
  code: ErrorCodeSchema,
  detail: z.string(),
  id: MessageId.optional(),
});
agrees<Agrees<typeof ErrorFrameSchema, ErrorFrame>>();

/** Answer to a client's `ping`. */
export const PongFrameSchema = z.object({ type: z.literal("pong") });
agrees<Agrees<typeof PongFrameSchema, PongFrame>>();

/** The whole roster. */
export const PresenceFrameSchema = z.object({ type: z.literal("presence"), users: z.array(RosterEntrySchema) });
agrees<Agrees<typeof PresenceFrameSchema, PresenceFrame>>();

/** Roster changes since the last frame, in diff mode. */
export const PresenceDiffFrameSchema = z.object({
  type: z.literal("presence_diff"),
  joins: z.array(RosterEntrySchema),
  leaves: z.array(UserId),
});
agrees<Agrees<typeof PresenceDiffFrameSchema, PresenceDiffFrame>>();

/** What the server sends on `WS /ws/chat`. */
export const ChatServerFrameSchema = z.discriminatedUnion("type", [
  DmFrameSchema,
  TypingFrameSchema,
  ReadFrameSchema,
  ErrorFrameSchema,
  PongFrameSchema,
]);
agrees<Agrees<typeof ChatServerFrameSchema, ChatServerFrame>>();

/**
 * What the server sends on `WS /presence/ws`: the roster, and also `pong`
 * and `error` frames, which `PresenceServerFrame` in `protocol.ts` omits.
 */
export const PresenceSocketFrameSchema = z.discriminatedUnion("type", [
  PresenceFrameSchema,
  PresenceDiffFrameSchema,
  PongFrameSchema,
  ErrorFrameSchema,
]);
agrees<Agrees<typeof PresenceSocketFrameSchema, PresenceServerFrame | PongFrame | ErrorFrame>>();
