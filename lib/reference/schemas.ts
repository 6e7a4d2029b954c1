/**
 * The protocol's schemas under the names the API reference gives them: the
 * request shapes from `protocol.ts`, the response and server frame shapes
 * from `server_schemas.ts`. They become `components.schemas` in
 * `GET /openapi.json`.
 *
 * @example
 * ```ts
 * REFERENCE_SCHEMAS.RegisterBody.schema.safeParse({ user_id: crypto.randomUUID(), name: "Ada" }).success; // true
 * ```
 *
 * @module
 */
import type { z } from "zod";
import { ClientFrame, DisplayName, LogoutBody, MessageId, NAME_MAX, RegisterBody, UserId } from "../protocol.ts";
import {
  ChatServerFrameSchema,
  DmFrameSchema,
  ErrorCodeSchema,
  ErrorFrameSchema,
  HealthResponseSchema,
  HttpErrorBodySchema,
  LogoutResponseSchema,
  PongFrameSchema,
  PresenceDiffFrameSchema,
  PresenceFrameSchema,
  PresenceSocketFrameSchema,
  ReadFrameSchema,
  RegisterResponseSchema,
  RosterEntrySchema,
  TypingFrameSchema,
} from "../server_schemas.ts";

/** A schema and what it is. */
export interface ReferenceSchema {
  schema: z.ZodType;
  description: string;
}

/** The `ClientFrame` variant with this `type`. */
function clientFrame(type: ClientFrame["type"]): z.ZodType {
  const variant = ClientFrame.options.find((option) => option.shape.type.value === type);
  if (variant === undefined) throw new Error(`ClientFrame has no variant of type "${type}"`);
  return variant;
}

/** Every schema of the reference, by component name. */
export const REFERENCE_SCHEMAS = {
  UserId: { schema: UserId, description: "A user id: a UUID, compared in lower case." },
  DisplayName: {
    schema: DisplayName,
    description: `A display name: trimmed, then 1 to ${NAME_MAX} UTF-16 code units (JavaScript's \`length\`; an ` +
      "emoji may count as two), without control characters or bidi overrides.",
  },
  MessageId: {
    schema: MessageId,
    description: "A client's own message id, echoed back for acknowledgement and de-duplication; its length is " +
      "counted in UTF-16 code units.",
  },
  RegisterBody: { schema: RegisterBody, description: "Puts a user online under a name, or renames them." },
  LogoutBody: { schema: LogoutBody, description: "Takes a user offline; `name` is accepted for the seed's clients." },
  RegisterResponse: {
    schema: RegisterResponseSchema,
    description: "The user as registered (name trimmed) and the token that proves the identity from now on.",
  },
  LogoutResponse: { schema: LogoutResponseSchema, description: "The user who went offline." },
  HealthResponse: {
    schema: HealthResponseSchema,
    description: "Whether this instance can reach its database, and how many users it sees online.",
  },
  HttpErrorBody: {
    schema: HttpErrorBodySchema,
    description: "Every REST refusal: a stable code in `error` and a sentence for people in `detail`.",
  },
  ClientFrame: { schema: ClientFrame, description: "Any frame a client sends on `WS /ws/chat`." },
  ClientDmFrame: { schema: clientFrame("dm"), description: "Sends a direct message to `to`." },
  ClientTypingFrame: {
    schema: clientFrame("typing"),
    description: "Tells `to` that you started or stopped typing; never answered with an error.",
  },
  ClientReadFrame: {
    schema: clientFrame("read"),
    description: "Tells `to` that you read their messages up to and including `id`.",
  },
  PingFrame: { schema: clientFrame("ping"), description: "Asks for a `pong`; the only frame presence sockets accept." },
  DmFrame: {
    schema: DmFrameSchema,
    description: "A direct message: the echo to every tab of the sender and the delivery to every tab of the peer.",
  },
  TypingFrame: { schema: TypingFrameSchema, description: "The peer started or stopped typing to you." },
  ReadFrame: {
    schema: ReadFrameSchema,
    description: "The peer read your messages up to and including `id` (your own other tabs get your reads too).",
  },
  ErrorFrame: {
    schema: ErrorFrameSchema,
    description: "Something the server refused, with the refused `dm`'s `id` when it had one.",
  },
  ErrorCode: { schema: ErrorCodeSchema, description: "The code of an `error` frame." },
  PongFrame: { schema: PongFrameSchema, description: "The answer to a `ping`." },
  PresenceFrame: {
    schema: PresenceFrameSchema,
    description: "The whole roster: the first frame on a presence socket, then every change in full mode.",
  },
  PresenceDiffFrame: {
    schema: PresenceDiffFrameSchema,
    description: "In diff mode, the changes since the last frame: `joins` (a join may be a rename) and `leaves`.",
  },
  RosterEntry: { schema: RosterEntrySchema, description: "A user in the roster." },
  ChatServerFrame: { schema: ChatServerFrameSchema, description: "Any frame the server sends on `WS /ws/chat`." },
  PresenceSocketFrame: {
    schema: PresenceSocketFrameSchema,
    description: "Any frame the server sends on `WS /presence/ws`.",
  },
} as const satisfies Record<string, ReferenceSchema>;

/** The name of a schema in {@link REFERENCE_SCHEMAS}. */
export type SchemaName = keyof typeof REFERENCE_SCHEMAS;
