/** Severity of a log line. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** The threshold, set once at start-up; process-wide like the console it writes to. */
let threshold = RANK.info;

/** Sets the lowest level that is written. */
export function setLogLevel(level: LogLevel): void {
  threshold = RANK[level];
}

function write(level: Exclude<LogLevel, "silent">, event: string, fields?: Record<string, unknown>): void {
  if (RANK[level] < threshold) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

/**
 * Structured logs: one JSON line per event, named like `presence.join`.
 * Fields never hold secrets, tokens or message text.
 *
 * @example
 * ```ts
 * log.info("server.listening", { url: "http://localhost:8000" });
 * ```
 */
export const log = {
  debug: (event: string, fields?: Record<string, unknown>) => write("debug", event, fields),
  info: (event: string, fields?: Record<string, unknown>) => write("info", event, fields),
  warn: (event: string, fields?: Record<string, unknown>) => write("warn", event, fields),
  error: (event: string, fields?: Record<string, unknown>) => write("error", event, fields),
};

/** Logs a request that failed unexpectedly: its method and path only, as a query may carry a token. */
export function logRequestError(error: unknown, req: Request): void {
  log.error("http.error", {
    method: req.method,
    path: new URL(req.url).pathname,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
}
