/**
 * Every way the server says no, with what it means: the REST error codes, the
 * codes of `error` frames and the WebSocket close codes with their reasons.
 * `GET /openapi.json` and `GET /docs` are both built from these lists.
 *
 * @example
 * ```ts
 * const meaning = FRAME_ERRORS.PEER_OFFLINE; // "The peer has no chat socket open …"
 * ```
 *
 * @module
 */
import { CloseCode, ERROR_CODES, type ErrorCode } from "../protocol.ts";

/** A refusal of an HTTP request, sent as `{"error": code, "detail": "…"}` with `status`. */
export interface HttpErrorDoc {
  status: 400 | 401 | 403 | 404 | 405 | 413 | 415 | 426 | 429 | 500 | 503;
  code: string;
  meaning: string;
  /** A `detail` the server sends with it. */
  detail: string;
  /** Response headers that come with it, by name. */
  headers?: Record<string, string>;
}

/** The REST and upgrade errors, by status. */
export const HTTP_ERRORS = [
  {
    status: 400,
    code: "INVALID_PAYLOAD",
    meaning: "The body is not JSON or not UTF-8, a field is missing or invalid, or a socket's user id is not a UUID. " +
      "`detail` names the field.",
    detail: 'field "name" must be at most 32 characters',
  },
  {
    status: 401,
    code: "UNAUTHORIZED",
    meaning: "The user id is bound to someone else: present its token (cookie `qc_token` or `token` parameter).",
    detail: "This user id is taken; present its token to use it",
  },
  {
    status: 403,
    code: "FORBIDDEN_ORIGIN",
    meaning: "A WebSocket upgrade from a page on an origin that is neither this server's nor in `ALLOWED_ORIGINS`.",
    detail: 'Origin "https://elsewhere.example" may not open sockets here',
  },
  {
    status: 404,
    code: "NOT_FOUND",
    meaning: "Nothing is served at this path (browsers get an HTML page instead).",
    detail: 'Nothing is served at "/nowhere"',
  },
  {
    status: 405,
    code: "METHOD_NOT_ALLOWED",
    meaning: "The path exists but not for this method; the `Allow` header lists those that are.",
    detail: "Method GET is not allowed here; use POST",
  },
  {
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    meaning: "The body is over the REST body limit.",
    detail: "Bodies are limited to 4096 bytes",
  },
  {
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    meaning: "The body was not sent with `Content-Type: application/json`.",
    detail: 'Send the body as JSON with "Content-Type: application/json"',
  },
  {
    status: 426,
    code: "UPGRADE_REQUIRED",
    meaning: "A plain HTTP request to a WebSocket endpoint.",
    detail: "This endpoint speaks WebSocket only",
  },
  {
    status: 429,
    code: "RATE_LIMITED",
    meaning:
      "Too many registrations without a token from one client address (or IPv6 /48); `Retry-After` says in how many " +
      "seconds to try again.",
    detail: "Too many new users from your network; try again in 3 s",
    headers: { "Retry-After": "Seconds until the address may register a new user again." },
  },
  {
    status: 500,
    code: "INTERNAL_SERVER_ERROR",
    meaning: "A bug; the server logged it.",
    detail: "Internal Server Error",
  },
  {
    status: 503,
    code: "DATABASE_UNAVAILABLE",
    meaning: "The database cannot be reached right now; retry shortly.",
    detail: "The database is unreachable; try again shortly",
  },
  {
    status: 503,
    code: "SHUTTING_DOWN",
    meaning: "The instance is stopping; reconnect with backoff, to another instance or to this one restarted.",
    detail: "The server is shutting down; try again shortly",
  },
] as const satisfies readonly HttpErrorDoc[];

/** A code of {@link HTTP_ERRORS}. */
export type HttpErrorCode = typeof HTTP_ERRORS[number]["code"];

/** The error of a code. */
export function httpError(code: HttpErrorCode): HttpErrorDoc {
  return HTTP_ERRORS.find((error) => error.code === code)!;
}

/** What each `error` frame code means; the socket stays open unless a close follows. */
export const FRAME_ERRORS: Record<ErrorCode, string> = {
  SELF_CHAT_BLOCKED: "A `dm` addressed to its sender.",
  PEER_OFFLINE: "The peer has no chat socket open on any instance; nothing was delivered.",
  INVALID_PAYLOAD: "The frame is binary, not JSON, or does not match the schema (`detail` names the field), " +
    "or a `dm` text holds control characters. On a presence socket: anything but `ping`.",
  MESSAGE_TOO_LARGE: "A `dm` text over the character limit (the socket stays open), or a frame over the byte limit " +
    "(close 1009 follows).",
  RATE_LIMITED: "More frames than the rate limit allows; the frame was dropped. Going on closes the socket (1008).",
  UNAUTHORIZED: "The socket presented no token, or the wrong one, for its user id; close 1008 follows.",
  TOO_MANY_CONNECTIONS: "The user already holds the maximum number of sockets; close 1008 follows.",
};

/** Which socket an error frame or close can come on. */
export type SocketName = "chat" | "presence";

/** The socket endpoints' frame error codes. */
export const SOCKET_ERRORS: Record<SocketName, readonly ErrorCode[]> = {
  // A chat socket may answer with any of them.
  chat: ERROR_CODES,
  presence: ["INVALID_PAYLOAD", "MESSAGE_TOO_LARGE", "RATE_LIMITED", "UNAUTHORIZED", "TOO_MANY_CONNECTIONS"],
};

/** A reason the server closes a socket with. */
export interface CloseDoc {
  code: typeof CloseCode[keyof typeof CloseCode];
  /** The close frame's reason text. */
  reason: string;
  meaning: string;
  /** What a client should do next. */
  advice: string;
}

/** Every close the server initiates, by code and reason. */
export const CLOSES: readonly CloseDoc[] = [
  {
    code: CloseCode.GoingAway,
    reason: "SERVER_SHUTDOWN",
    meaning: "The instance is shutting down; another one (or the same, restarted) will take the reconnect.",
    advice: "Reconnect with backoff.",
  },
  {
    code: CloseCode.PolicyViolation,
    reason: "UNAUTHORIZED",
    meaning: "No token, or the wrong one, for the socket's user id (after an `UNAUTHORIZED` error frame).",
    advice: "Register again (`POST /presence/register`) for a token, then reconnect.",
  },
  {
    code: CloseCode.PolicyViolation,
    reason: "TOO_MANY_CONNECTIONS",
    meaning: "The user holds the maximum number of sockets (after a `TOO_MANY_CONNECTIONS` error frame).",
    advice: "Close another tab's sockets, or wait for the user to ask, before trying again.",
  },
  {
    code: CloseCode.PolicyViolation,
    reason: "LOGGED_OUT",
    meaning: "The user logged out (`POST /presence/logout`), from this tab or another.",
    advice: "Stay offline until the user asks to come back, then register and reconnect.",
  },
  {
    code: CloseCode.PolicyViolation,
    reason: "RATE_LIMITED",
    meaning: "Frames kept coming after a burst's worth of `RATE_LIMITED` errors.",
    advice: "Reconnect with backoff, and send less.",
  },
  {
    code: CloseCode.PolicyViolation,
    reason: "SLOW_CONSUMER",
    meaning: "The client stopped reading: its unsent backlog stayed over the send buffer limit.",
    advice: "Reconnect with backoff; the first presence frame is a fresh snapshot.",
  },
  {
    code: CloseCode.MessageTooBig,
    reason: "MESSAGE_TOO_LARGE",
    meaning: "A frame over the byte limit (after a `MESSAGE_TOO_LARGE` error frame).",
    advice: "Reconnect, and keep frames under the limit.",
  },
];
