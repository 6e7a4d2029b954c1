/**
 * Every endpoint of Quick Chat as the API reference describes it: the REST
 * routes with example requests and responses, and the two WebSocket routes
 * with their frames. `GET /openapi.json` and `GET /docs` are both built
 * from these lists, and a test checks that every route file is in one.
 *
 * @example
 * ```ts
 * for (const endpoint of REST_ENDPOINTS) console.log(endpoint.method, endpoint.path);
 * ```
 *
 * @module
 */
import { Metrics } from "../metrics.ts";
import type { ErrorCode } from "../protocol.ts";
import { type HttpErrorCode, SOCKET_ERRORS } from "./errors.ts";
import { CHAT_FRAMES, EXAMPLE, PRESENCE_FRAMES, type SocketFrames } from "./frames.ts";
import type { SchemaName } from "./schemas.ts";

/** Groups of endpoints. */
export const TAGS = {
  presence: "Who is online: registering, logging out and following the roster.",
  chat: "Direct messages, typing and read events.",
  operations: "Health and metrics, for load balancers and monitoring.",
  reference: "This reference, as a page and as OpenAPI.",
} as const;

/** A group of endpoints. */
export type Tag = keyof typeof TAGS;

/** Whether an endpoint needs the user's token (cookie `qc_token`, bearer header or `token` query parameter). */
export type Auth = "none" | "optional" | "required";

/** One response of an endpoint. */
export interface ResponseDoc {
  status: number;
  description: string;
  mediaType: string;
  /** The JSON body's schema; other media types have none. */
  schema?: SchemaName;
  example: unknown;
  /** Response headers worth knowing, by name. */
  headers?: Record<string, string>;
}

/** A REST endpoint. */
export interface RestEndpoint {
  method: "GET" | "POST";
  path: string;
  operationId: string;
  tag: Tag;
  summary: string;
  description: string;
  auth: Auth;
  body?: { schema: SchemaName; example: Record<string, unknown> };
  responses: ResponseDoc[];
  /** The error responses it may give, besides 404, 405 and 500. */
  errors: HttpErrorCode[];
}

/** A query parameter of a socket endpoint, besides the user id and the token. */
export interface QueryDoc {
  name: string;
  description: string;
  values: string[];
}

/** A WebSocket endpoint: a GET that upgrades. */
export interface SocketEndpoint {
  path: string;
  operationId: string;
  tag: Tag;
  summary: string;
  description: string;
  /** The query parameter naming the user. */
  userParam: "me" | "user_id";
  query: QueryDoc[];
  /** Everything a client may send, and everything it may receive. */
  clientSchema: SchemaName;
  serverSchema: SchemaName;
  frames: SocketFrames;
  /** Codes of the `error` frames it may send. */
  errors: readonly ErrorCode[];
  /** Refusals of the upgrade itself. */
  httpErrors: HttpErrorCode[];
}

const JSON_TYPE = "application/json";
const BODY_ERRORS: HttpErrorCode[] = [
  "INVALID_PAYLOAD",
  "UNAUTHORIZED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "DATABASE_UNAVAILABLE",
];
const UPGRADE_ERRORS: HttpErrorCode[] = ["INVALID_PAYLOAD", "FORBIDDEN_ORIGIN", "UPGRADE_REQUIRED"];

/** A sample of `GET /metrics`, rendered by the real {@link Metrics}. */
const METRICS_SAMPLE = (() => {
  const metrics = new Metrics();
  metrics.dmsRelayed = 42;
  metrics.error("PEER_OFFLINE");
  return metrics.render({ chatSockets: 2, presenceSockets: 2, usersOnline: 2 });
})();

/** A metric of `GET /metrics`. */
export interface MetricDoc {
  name: string;
  type: string;
  help: string;
}

/** Every metric of `GET /metrics`, read from the `# HELP` and `# TYPE` lines of a real rendering. */
export const METRICS: readonly MetricDoc[] = [...METRICS_SAMPLE.matchAll(/^# HELP (\S+) (.*)\n# TYPE \S+ (\S+)$/gm)]
  .map(([, name, help, type]) => ({ name, type, help }));

/** The REST endpoints. */
export const REST_ENDPOINTS: readonly RestEndpoint[] = [
  {
    method: "POST",
    path: "/presence/register",
    operationId: "register",
    tag: "presence",
    summary: "Go online, or rename yourself",
    description: "Binds `user_id` to whoever registers it first and puts the user online under `name`. The " +
      "response carries a token, also set as the `qc_token` cookie (`HttpOnly; SameSite=Lax`, and `Secure` " +
      "behind HTTPS). Registering the same id again, to rename or to come back, needs that token. Keep the " +
      "token of the latest answer: an id forgotten after 30 days unseen is bound afresh by the next " +
      "registration, under a new token. Without a socket the user goes " +
      "offline again after the presence grace period.",
    auth: "optional",
    body: { schema: "RegisterBody", example: { user_id: EXAMPLE.ada, name: "Ada" } },
    responses: [{
      status: 200,
      description: "Online. Keep the token: it is the only proof of this identity.",
      mediaType: JSON_TYPE,
      schema: "RegisterResponse",
      example: { ok: true, user_id: EXAMPLE.ada, name: "Ada", token: EXAMPLE.token },
      headers: {
        "Set-Cookie": "`qc_token=<token>; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000`, plus `Secure` " +
          "over HTTPS (or `X-Forwarded-Proto: https`).",
      },
    }],
    errors: [...BODY_ERRORS, "RATE_LIMITED"],
  },
  {
    method: "POST",
    path: "/presence/logout",
    operationId: "logout",
    tag: "presence",
    summary: "Go offline now",
    description: "Takes the user offline at once and closes all their sockets on every instance (close 1008 " +
      "`LOGGED_OUT`). The token stays valid: registering again brings the user back.",
    auth: "required",
    body: { schema: "LogoutBody", example: { user_id: EXAMPLE.ada, name: "Ada" } },
    responses: [{
      status: 200,
      description: "Offline.",
      mediaType: JSON_TYPE,
      schema: "LogoutResponse",
      example: { ok: true, user_id: EXAMPLE.ada },
    }],
    errors: BODY_ERRORS,
  },
  {
    method: "GET",
    path: "/health",
    operationId: "health",
    tag: "operations",
    summary: "Is this instance healthy?",
    description: "Answers 200 while the database answers within two seconds, 503 otherwise. Never cached.",
    auth: "none",
    responses: [
      {
        status: 200,
        description: "Healthy.",
        mediaType: JSON_TYPE,
        schema: "HealthResponse",
        example: {
          status: "ok",
          database: { kind: "postgres", ok: true },
          instance_id: EXAMPLE.instance,
          users_online: 2,
        },
      },
      {
        status: 503,
        description: "The database does not answer.",
        mediaType: JSON_TYPE,
        schema: "HealthResponse",
        example: {
          status: "degraded",
          database: { kind: "postgres", ok: false },
          instance_id: EXAMPLE.instance,
          users_online: 2,
        },
      },
    ],
    errors: [],
  },
  {
    method: "GET",
    path: "/metrics",
    operationId: "metrics",
    tag: "operations",
    summary: "Counters and gauges for Prometheus",
    description: "This instance's counters (DMs relayed, error frames by code, sockets refused, …) and gauges " +
      "(open sockets by kind, users online, memory), in Prometheus' text format. Never cached.",
    auth: "none",
    responses: [{
      status: 200,
      description: "The metrics.",
      mediaType: "text/plain; version=0.0.4; charset=utf-8",
      example: METRICS_SAMPLE,
    }],
    errors: [],
  },
  {
    method: "GET",
    path: "/openapi.json",
    operationId: "openapi",
    tag: "reference",
    summary: "This reference as OpenAPI 3.1",
    description: "Generated at start-up from the protocol's zod schemas, with this server's limits.",
    auth: "none",
    responses: [{
      status: 200,
      description: "The OpenAPI document.",
      mediaType: JSON_TYPE,
      example: { openapi: "3.1.0" },
    }],
    errors: [],
  },
  {
    method: "GET",
    path: "/docs",
    operationId: "docs",
    tag: "reference",
    summary: "This reference as a page",
    description: "The same reference, readable in a browser, with this server's limits.",
    auth: "none",
    responses: [{
      status: 200,
      description: "The page.",
      mediaType: "text/html; charset=utf-8",
      example: '<!DOCTYPE html><html lang="en">…</html>',
    }],
    errors: [],
  },
];

/** The WebSocket endpoints. */
export const SOCKET_ENDPOINTS: readonly SocketEndpoint[] = [
  {
    path: "/ws/chat",
    operationId: "chatSocket",
    tag: "chat",
    summary: "The chat socket",
    description: "Sends and receives direct messages, typing and read events for the user `me`. A message is " +
      "echoed to every chat socket of the sender and delivered to every chat socket of the peer, on whichever " +
      "instance they are. While it is open, the user is online.",
    userParam: "me",
    query: [],
    clientSchema: "ClientFrame",
    serverSchema: "ChatServerFrame",
    frames: CHAT_FRAMES,
    errors: SOCKET_ERRORS.chat,
    httpErrors: UPGRADE_ERRORS,
  },
  {
    path: "/presence/ws",
    operationId: "presenceSocket",
    tag: "presence",
    summary: "The roster socket",
    description: "Follows who is online. The first frame is the whole roster; after that, every change sends " +
      "the whole roster again (the seed's behaviour) or, with `mode=diff`, only what changed. While it is " +
      "open, the user is online.",
    userParam: "user_id",
    query: [{
      name: "mode",
      description: "`diff`: after the first snapshot, send `presence_diff` frames instead of whole rosters.",
      values: ["diff"],
    }],
    clientSchema: "PingFrame",
    serverSchema: "PresenceSocketFrame",
    frames: PRESENCE_FRAMES,
    errors: SOCKET_ERRORS.presence,
    httpErrors: UPGRADE_ERRORS,
  },
];
