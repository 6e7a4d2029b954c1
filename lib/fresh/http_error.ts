import { STATUS_TEXT, type StatusCode } from "./status.ts";

/**
 * An error that becomes an HTTP response with the given status. Throw it from
 * a handler or middleware; the app turns it into a JSON body
 * `{ "error": code, "detail": message }` (or an error page for browsers).
 *
 * @example
 * ```ts
 * throw new HttpError(400, "Field \"name\" is required", "INVALID_PAYLOAD");
 * ```
 */
export class HttpError extends Error {
  /** The HTTP status code of the response. */
  readonly status: StatusCode;
  /** A stable machine-readable code; defaults to the status text. */
  readonly code: string;
  /** Extra headers for the response, such as `Allow` for a 405. */
  readonly headers: HeadersInit | undefined;

  constructor(
    status: StatusCode,
    message?: string,
    code?: string,
    headers?: HeadersInit,
  ) {
    super(message ?? STATUS_TEXT[status]);
    this.name = "HttpError";
    this.status = status;
    this.code = code ?? STATUS_TEXT[status].toUpperCase().replaceAll(" ", "_");
    this.headers = headers;
  }
}
