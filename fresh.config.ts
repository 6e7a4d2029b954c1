/**
 * The app's configuration, read from the environment in this one place and
 * validated with zod, so a bad value stops start-up with a clear message.
 *
 * @example
 * ```ts
 * const config = loadConfig({ PORT: "8080", DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test" });
 * ```
 */
import { z } from "zod";
import type { LogLevel } from "./lib/log.ts";

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.string().transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean));
const origin = z.url().transform((url) => new URL(url).origin);

const schema = z.object({
  PORT: int(0, 65535).default(8000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z.string()
    .regex(/^postgres(ql)?:\/\/[^@/]+@/, {
      error: "must be a postgres:// URL that names the user (postgres://user@host/db)",
    })
    .optional(),
  // The start task grants access to this folder in a flag, which its shell splits at spaces.
  PGLITE_DIR: z.string().regex(/^[^\s,]+$/, { error: "must be a folder path without spaces or commas" }).optional(),
  PGLITE_PROCESS: z.stringbool().default(true),
  SESSION_SECRET: z.string().min(32, { error: "must be at least 32 characters" }).optional(),
  ALLOWED_ORIGINS: list.pipe(z.array(origin)).optional(),
  FRONTEND_ORIGIN: origin.optional(),
  PRESENCE_GRACE_MS: int(0, 5000).default(3000),
  HEARTBEAT_MS: int(100, 60_000).default(5000),
  INSTANCE_TTL_MS: int(300, 120_000).default(15_000),
  // The longest DM frame must fit one cross-instance notification (under 8,000 bytes): 2,550 units of 3 bytes,
  // plus a 64-unit id of 3 bytes each, plus the frame's fields.
  MESSAGE_MAX_CHARS: int(1, 2550).default(2000),
  FRAME_MAX_BYTES: int(256, 1_048_576).default(16_384),
  RATE_LIMIT_PER_SEC: int(1, 1_000_000).default(20),
  RATE_LIMIT_BURST: int(1, 1_000_000).default(40),
  MAX_SOCKETS_PER_USER: int(1, 1000).default(10),
  REGISTER_RATE_PER_MIN: int(1, 1_000_000).default(20),
  REGISTER_BURST: int(1, 1_000_000).default(20),
  TRUST_PROXY: z.stringbool().default(false),
  SEND_BUFFER_MAX_BYTES: int(16_384, 64 * 1_048_576).default(1_048_576),
  WS_IDLE_TIMEOUT_S: int(1, 3600).default(30),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

/** The variables the app reads; `--allow-env` lists these and {@link DRIVER_ENV_VARS}. */
export const ENV_VARS = Object.keys(schema.shape) as (keyof typeof schema.shape)[];

/** libpq variables that the PostgreSQL driver (postgres.js) reads by itself, whatever it is given. */
export const DRIVER_ENV_VARS = ["PGPASSWORD", "PGAPPNAME", "PGTARGETSESSIONATTRS"];

/** Limits that protect the server from abusive or broken clients. */
export interface Limits {
  messageMaxChars: number;
  frameMaxBytes: number;
  ratePerSec: number;
  rateBurst: number;
  maxSocketsPerUser: number;
  /** Registrations without a token (new users, mostly) per client address and minute, and at once. */
  registerPerMin: number;
  registerBurst: number;
  sendBufferMaxBytes: number;
  idleTimeoutSec: number;
}

/** How presence is kept. */
export interface PresenceTiming {
  /** How long a user without sockets stays online, so a reload does not flicker. */
  graceMs: number;
  /** How often each instance proves it is alive. */
  heartbeatMs: number;
  /** After how long without a heartbeat an instance counts as dead. */
  instanceTtlMs: number;
}

/** The parsed configuration. */
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  pgliteDir?: string;
  /**
   * Whether the embedded database runs in a process of its own, which needs
   * permission to start Deno until it is open; else in the server's.
   */
  pgliteProcess: boolean;
  sessionSecret?: string;
  /** Origins allowed to open WebSockets; empty means the server's own origin only. */
  allowedOrigins: string[];
  /** Whether a proxy on a private address appends the client's address to `X-Forwarded-For`. */
  trustProxy: boolean;
  presence: PresenceTiming;
  limits: Limits;
  logLevel: LogLevel;
}

/** A configuration that cannot run, with one line per bad variable. */
export class InvalidConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
    this.name = "InvalidConfigError";
    this.problems = problems;
  }
}

/**
 * Reads and validates the configuration; throws an {@link InvalidConfigError}
 * listing every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = readEnv()): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new InvalidConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const v = parsed.data;
  if (v.INSTANCE_TTL_MS < 2 * v.HEARTBEAT_MS) {
    throw new InvalidConfigError(["INSTANCE_TTL_MS: must be at least twice HEARTBEAT_MS"]);
  }
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    pgliteDir: v.PGLITE_DIR,
    pgliteProcess: v.PGLITE_PROCESS,
    sessionSecret: v.SESSION_SECRET,
    allowedOrigins: [...(v.ALLOWED_ORIGINS ?? []), ...(v.FRONTEND_ORIGIN ? [v.FRONTEND_ORIGIN] : [])],
    trustProxy: v.TRUST_PROXY,
    presence: { graceMs: v.PRESENCE_GRACE_MS, heartbeatMs: v.HEARTBEAT_MS, instanceTtlMs: v.INSTANCE_TTL_MS },
    limits: {
      messageMaxChars: v.MESSAGE_MAX_CHARS,
      frameMaxBytes: v.FRAME_MAX_BYTES,
      ratePerSec: v.RATE_LIMIT_PER_SEC,
      rateBurst: v.RATE_LIMIT_BURST,
      maxSocketsPerUser: v.MAX_SOCKETS_PER_USER,
      registerPerMin: v.REGISTER_RATE_PER_MIN,
      registerBurst: v.REGISTER_BURST,
      sendBufferMaxBytes: v.SEND_BUFFER_MAX_BYTES,
      idleTimeoutSec: v.WS_IDLE_TIMEOUT_S,
    },
    logLevel: v.LOG_LEVEL,
  };
}

function readEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const name of ENV_VARS) {
    const value = Deno.env.get(name);
    if (value !== undefined && value !== "") env[name] = value;
  }
  return env;
}
