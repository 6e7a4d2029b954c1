import { HttpError } from "fresh";
import type { z } from "zod";
import { describeIssue } from "./protocol.ts";

/** Largest REST body accepted, in bytes. */
export const MAX_BODY_BYTES = 4096;

/**
 * Reads a JSON request body and validates it with a schema. Every failure is
 * an `HttpError`: 415 for another content type, 413 for a body over
 * {@link MAX_BODY_BYTES}, 400 `INVALID_PAYLOAD` for bad JSON or a bad field.
 *
 * @example
 * ```ts
 * const { user_id, name } = await readJsonBody(ctx.req, RegisterBody);
 * ```
 */
export async function readJsonBody<Schema extends z.ZodType>(req: Request, schema: Schema): Promise<z.output<Schema>> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, 'Send the body as JSON with "Content-Type: application/json"', "UNSUPPORTED_MEDIA_TYPE");
  }
  const text = await readText(req);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, "Body is not valid JSON", "INVALID_PAYLOAD");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, describeIssue(parsed.error), "INVALID_PAYLOAD");
  return parsed.data;
}

async function readText(req: Request): Promise<string> {
  const tooLarge = () => new HttpError(413, `Bodies are limited to ${MAX_BODY_BYTES} bytes`, "PAYLOAD_TOO_LARGE");
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  if (req.body === null) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "Body is not valid UTF-8", "INVALID_PAYLOAD");
  }
}
