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
  const declared = req.headers.get("content-length");
  if (Number(declared ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  let bytes: Uint8Array;
  if (declared !== null) {
    // The HTTP layer holds a body to its declared length: read it in one go.
    bytes = new Uint8Array(await req.arrayBuffer());
  } else {
    bytes = await readChunked(req.body, tooLarge);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "Body is not valid UTF-8", "INVALID_PAYLOAD");
  }
}

/** Reads a body of unknown length, refusing it as soon as it passes the limit. */
async function readChunked(body: ReadableStream<Uint8Array> | null, tooLarge: () => HttpError): Promise<Uint8Array> {
  if (body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
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
  return bytes;
}
