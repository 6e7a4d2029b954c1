/**
 * The WebSocket frames each socket endpoint accepts and sends, with an
 * example of each, for `GET /docs` and the `x-websocket` extension of
 * `GET /openapi.json`.
 *
 * @example
 * ```ts
 * for (const frame of CHAT_FRAMES.receive) console.log(frame.schema, JSON.stringify(frame.example));
 * ```
 *
 * @module
 */
import { FLUSH_INTERVAL_MS } from "../roster_feed.ts";
import type { SchemaName } from "./schemas.ts";

/** One kind of frame on a socket. */
export interface FrameDoc {
  /** Its schema in {@link REFERENCE_SCHEMAS}. */
  schema: SchemaName;
  summary: string;
  example: Record<string, unknown>;
}

/** What a socket endpoint accepts from clients and sends to them. */
export interface SocketFrames {
  send: FrameDoc[];
  receive: FrameDoc[];
}

/** Example users, a token and an instance, shared by every example of the reference. */
export const EXAMPLE = {
  ada: "8f2c6a1e-4b7d-4e39-9c51-2d7e8b6f0a13",
  bob: "3b9e5d27-6c1f-4a88-b0d4-7e2a91c4f562",
  token: "ESngN900JrGaRdWqf4es2zw401F0VCWGknrOil4ajpk",
  instance: "c0a8e2f4-1d3b-4f6a-8e9c-5b7d2a4f6e81",
  timestamp: 1712345678901,
} as const;

const { ada, bob } = EXAMPLE;

const ping: FrameDoc = {
  schema: "PingFrame",
  summary: "Asks for a `pong`, to keep the socket alive.",
  example: { type: "ping" },
};
const pong: FrameDoc = { schema: "PongFrame", summary: "The answer to a `ping`.", example: { type: "pong" } };

/** Frames of `WS /ws/chat`. */
export const CHAT_FRAMES: SocketFrames = {
  send: [
    {
      schema: "ClientDmFrame",
      summary: "Sends a message to `to`. With an `id`, the echo carries it back, and sending the same `id` again " +
        "is acknowledged without delivering twice.",
      example: { type: "dm", to: bob, text: "hello", id: "m-1" },
    },
    {
      schema: "ClientTypingFrame",
      summary: "Tells the peer that you started or stopped typing. Relayed if the peer is online; never an error.",
      example: { type: "typing", to: bob, state: "start" },
    },
    {
      schema: "ClientReadFrame",
      summary: "Tells the peer you read their messages up to and including `id`.",
      example: { type: "read", to: bob, id: "m-7" },
    },
    ping,
  ],
  receive: [
    {
      schema: "DmFrame",
      summary: "A message: the echo of your own (to all your tabs) or one for you. `timestamp` is the server's " +
        "time of acceptance in epoch milliseconds; `id` is there when the sender gave one.",
      example: { type: "dm", from: ada, to: bob, text: "hello", timestamp: EXAMPLE.timestamp, id: "m-1" },
    },
    {
      schema: "TypingFrame",
      summary: "The peer started or stopped typing to you.",
      example: { type: "typing", from: bob, to: ada, state: "start" },
    },
    {
      schema: "ReadFrame",
      summary: "The peer read your messages up to `id`; your other tabs also learn what you read.",
      example: { type: "read", from: bob, to: ada, id: "m-1" },
    },
    {
      schema: "ErrorFrame",
      summary: "A refusal, with the refused `dm`'s `id` when it had one. The socket stays open unless a close follows.",
      example: { type: "error", code: "PEER_OFFLINE", detail: "User is offline", id: "m-2" },
    },
    pong,
  ],
};

/** Frames of `WS /presence/ws`. */
export const PRESENCE_FRAMES: SocketFrames = {
  send: [{ ...ping, summary: "The only frame a presence socket accepts; anything else gets INVALID_PAYLOAD." }],
  receive: [
    {
      schema: "PresenceFrame",
      summary: "The whole roster, you included: always the first frame, then after every change in full mode. " +
        "In diff mode a large roster arrives as a `presence` frame followed at once by `presence_diff` joins.",
      example: { type: "presence", users: [{ user_id: ada, name: "Ada" }, { user_id: bob, name: "Bob" }] },
    },
    {
      schema: "PresenceDiffFrame",
      summary: "Diff mode only: who joined (or was renamed) and who left since the last frame. Changes are " +
        `coalesced: at most one update every ${FLUSH_INTERVAL_MS} ms, less often on a busy server, and the first ` +
        "change after a quiet spell at once.",
      example: { type: "presence_diff", joins: [{ user_id: bob, name: "Robert" }], leaves: [] },
    },
    pong,
    {
      schema: "ErrorFrame",
      summary: "A refusal, such as a frame other than `ping`.",
      example: { type: "error", code: "INVALID_PAYLOAD", detail: 'Presence sockets accept only {"type":"ping"}' },
    },
  ],
};
