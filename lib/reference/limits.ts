/**
 * The limits a client runs into, with the values of a running server's
 * configuration, for `GET /docs` and `GET /openapi.json`.
 *
 * @example
 * ```ts
 * for (const limit of limitsOf(config)) console.log(limit.name, limit.value, limit.unit);
 * ```
 *
 * @module
 */
import type { Config } from "../../fresh.config.ts";
import { DEDUP_WINDOW_MS } from "../sent_log.ts";
import { SLOW_READER_GRACE_MS } from "../connection.ts";
import { MAX_BODY_BYTES } from "../json_body.ts";
import { SITE_SHARE } from "../rate_limit.ts";
import { MessageId, NAME_MAX } from "../protocol.ts";

/** One limit and where it comes from. */
export interface LimitDoc {
  /** A stable key, for `x-limits` in the OpenAPI document. */
  key: string;
  name: string;
  value: number;
  unit: string;
  /** The environment variable that sets it; fixed limits have none. */
  env?: string;
  meaning: string;
}

/** Every limit, with this configuration's values. */
export function limitsOf(config: Pick<Config, "limits" | "presence">): LimitDoc[] {
  const { limits, presence } = config;
  return [
    {
      key: "nameMaxChars",
      name: "Display name",
      value: NAME_MAX,
      unit: "characters",
      meaning: "After trimming; at least one character, no control characters. Longer names get 400.",
    },
    {
      key: "bodyMaxBytes",
      name: "REST body",
      value: MAX_BODY_BYTES,
      unit: "bytes",
      meaning: "Larger bodies get 413 PAYLOAD_TOO_LARGE.",
    },
    {
      key: "messageMaxChars",
      name: "Message text",
      value: limits.messageMaxChars,
      unit: "characters",
      env: "MESSAGE_MAX_CHARS",
      meaning: "Counted in UTF-16 code units, as JavaScript's `length`. Longer texts get MESSAGE_TOO_LARGE.",
    },
    {
      key: "messageIdMaxChars",
      name: "Message id",
      value: MessageId.maxLength ?? 0,
      unit: "characters",
      meaning: "The optional `id` of a `dm` and the `id` of a `read`.",
    },
    {
      key: "frameMaxBytes",
      name: "Frame size",
      value: limits.frameMaxBytes,
      unit: "bytes",
      env: "FRAME_MAX_BYTES",
      meaning: "In UTF-8. A larger frame gets MESSAGE_TOO_LARGE and close 1009.",
    },
    {
      key: "ratePerSec",
      name: "Frame rate",
      value: limits.ratePerSec,
      unit: "frames per second",
      env: "RATE_LIMIT_PER_SEC",
      meaning: "Per socket, refilled continuously. Frames over it get RATE_LIMITED and are dropped.",
    },
    {
      key: "rateBurst",
      name: "Frame burst",
      value: limits.rateBurst,
      unit: "frames",
      env: "RATE_LIMIT_BURST",
      meaning: "Frames a socket may send at once; as many refusals in a row close it (1008 RATE_LIMITED).",
    },
    {
      key: "maxSocketsPerUser",
      name: "Sockets per user",
      value: limits.maxSocketsPerUser,
      unit: "sockets",
      env: "MAX_SOCKETS_PER_USER",
      meaning: "Chat and presence sockets together, per instance. One more gets TOO_MANY_CONNECTIONS and close 1008.",
    },
    {
      key: "registerPerMin",
      name: "New users",
      value: limits.registerPerMin,
      unit: "registrations per minute",
      env: "REGISTER_RATE_PER_MIN",
      meaning: "Registrations without a valid token, per client address (an IPv6 /64, whose /48 has " +
        `${SITE_SHARE} times the allowance in all; with \`TRUST_PROXY\`, behind a ` +
        "proxy on a loopback, private or link-local address or a Unix socket, the last `X-Forwarded-For` entry) " +
        "and instance, refilled continuously. Beyond it: 429 RATE_LIMITED with `Retry-After`. Registering with a " +
        "token, to come back or rename, is not counted.",
    },
    {
      key: "registerBurst",
      name: "New users at once",
      value: limits.registerBurst,
      unit: "registrations",
      env: "REGISTER_BURST",
      meaning: `Registrations without a token a client address may make at once (an IPv6 /48: ${SITE_SHARE} times it).`,
    },
    {
      key: "sendBufferMaxBytes",
      name: "Send backlog",
      value: limits.sendBufferMaxBytes,
      unit: "bytes",
      env: "SEND_BUFFER_MAX_BYTES",
      meaning: `Unsent data a socket may hold for more than ${SLOW_READER_GRACE_MS / 1000} s (or four times it ` +
        "at once) before it is closed as a slow reader (1008 SLOW_CONSUMER).",
    },
    {
      key: "idleTimeoutSec",
      name: "Idle timeout",
      value: limits.idleTimeoutSec,
      unit: "seconds",
      env: "WS_IDLE_TIMEOUT_S",
      meaning: "The server pings idle sockets at the WebSocket level and drops those that do not answer in time. " +
        "Browsers answer by themselves.",
    },
    {
      key: "presenceGraceMs",
      name: "Presence grace",
      value: presence.graceMs,
      unit: "milliseconds",
      env: "PRESENCE_GRACE_MS",
      meaning: "How long a user stays online after their last socket closed, or after registering without one, " +
        "so that a reload does not flicker.",
    },
    {
      key: "dedupWindowMs",
      name: "Retry window",
      value: DEDUP_WINDOW_MS,
      unit: "milliseconds",
      meaning: "A `dm` sent again with the same `id` within it is acknowledged again but not delivered twice.",
    },
  ];
}
