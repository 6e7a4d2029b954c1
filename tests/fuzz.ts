/**
 * Property-based fuzzing of every inbound frame and REST body with
 * fast-check: whatever arrives, the server answers with a valid frame, a
 * 4xx with a JSON reason, or a clean close — and keeps serving.
 */
import fc from "fast-check";
import assert from "node:assert/strict";
import { ERROR_CODES } from "../lib/protocol.ts";
import { TestSocket } from "./ws_client.ts";

/** A user the fuzzer acts as or writes to. */
export interface FuzzUser {
  user_id: string;
  token: string;
}

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: "grapheme", minLength: 1900, maxLength: 2100 }),
  fc.constantFrom("", " ", "\n", "<script>alert(1)</script>", "\u0000", "\ud800", "\u202e"),
);
const encoder = new TextEncoder();
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), text, fc.constant(undefined));

/** Chat frames: raw text, arbitrary JSON, near-valid frames with broken fields, binary, and oversized ones. */
function chatFrame(self: string, peer: string): fc.Arbitrary<string | Uint8Array> {
  const id = fc.oneof(fc.constant(self), fc.constant(peer), fc.uuid(), fc.string({ maxLength: 40 }), anyValue);
  const nearlyValid = fc.record({
    type: fc.oneof(fc.constantFrom("dm", "typing", "read", "ping", "presence", "DM", ""), anyValue),
    to: id,
    text: fc.oneof(text, anyValue),
    id: fc.oneof(fc.string({ maxLength: 70 }), anyValue),
    state: fc.oneof(fc.constantFrom("start", "stop"), anyValue),
  }, { requiredKeys: [] }).map((frame) => JSON.stringify(frame));
  return fc.oneof(
    { weight: 5, arbitrary: nearlyValid },
    { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 17_000, maxLength: 20_000 }) },
  );
}

function isValidChatFrame(frame: Record<string, unknown>): boolean {
  switch (frame.type) {
    case "error":
      return (ERROR_CODES as readonly string[]).includes(frame.code as string) && typeof frame.detail === "string";
    case "dm":
      return typeof frame.text === "string" && typeof frame.timestamp === "number" && typeof frame.from === "string";
    case "typing":
    case "read":
      return typeof frame.from === "string" && typeof frame.to === "string";
    case "pong":
      return true;
    default:
      return false;
  }
}

/** Counts of what a fuzz run saw. */
export interface FuzzStats {
  inputs: number;
  responses: number;
  closes: Record<string, number>;
}

/**
 * Sends `runs` batches of generated frames on a chat socket, each followed by
 * a ping; every frame that comes back must be valid, and the only close
 * allowed is 1009 for an oversized frame (the socket is then reopened).
 */
export async function fuzzChat(wsBase: string, self: FuzzUser, peer: FuzzUser, runs: number): Promise<FuzzStats> {
  const stats: FuzzStats = { inputs: 0, responses: 0, closes: {} };
  await fc.assert(
    fc.asyncProperty(
      fc.array(chatFrame(self.user_id, peer.user_id), { minLength: 1, maxLength: 50 }),
      async (batch) => {
        // A socket per batch, so a close is always the doing of the batch that saw it.
        const socket = new TestSocket(`${wsBase}/ws/chat?me=${self.user_id}&token=${self.token}`);
        await socket.opened;
        for (const frame of batch) {
          socket.socket.send(frame as string | Uint8Array<ArrayBuffer>);
          socket.send({ type: "ping" });
        }
        stats.inputs += batch.length;
        const oversized = batch.some((frame) =>
          (typeof frame === "string" ? encoder.encode(frame).length : frame.length) > 16_384
        );
        try {
          for (let i = 0; i < batch.length; i++) await socket.next((frame) => frame.type === "pong", 10_000);
        } catch (error) {
          const closed = await Promise.race([socket.closed, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
          if (closed === null) throw error;
          stats.closes[closed.code] = (stats.closes[closed.code] ?? 0) + 1;
          // The server closes with 1009; a client still sending when the close arrives may see the
          // handshake cut short instead (1006, or 0 from Deno's client).
          assert.ok(oversized && [1009, 1006, 0].includes(closed.code), `closed with ${closed.code} ${closed.reason}`);
        }
        stats.responses += socket.frames.length;
        for (const answer of socket.frames) assert.ok(isValidChatFrame(answer), JSON.stringify(answer));
        await socket.close();
      },
    ),
    { numRuns: runs, endOnFailure: true },
  );
  return stats;
}

/** A few ids for valid registrations: enough to hit every path, few enough that stored data stays flat. */
const REGISTERED_IDS = Array.from({ length: 16 }, () => crypto.randomUUID());

/** REST requests: arbitrary bodies and content types to the presence endpoints. */
function restRequest(known: FuzzUser) {
  const body = fc.oneof(
    fc.record({
      user_id: fc.oneof(fc.constant(known.user_id), fc.constantFrom(...REGISTERED_IDS), anyValue),
      name: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), anyValue),
    }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    fc.json({ maxDepth: 3 }),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.string({ minLength: 4000, maxLength: 6000 }),
  );
  return fc.record({
    path: fc.constantFrom("/presence/register", "/presence/logout"),
    method: fc.constantFrom("POST", "POST", "POST", "GET", "PUT", "DELETE"),
    type: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", ""),
    body,
  });
}

/** Sends `runs` batches of generated requests; each must get 200, or a 4xx with a JSON error and detail. */
export async function fuzzRest(httpBase: string, known: FuzzUser, runs: number): Promise<FuzzStats> {
  const stats: FuzzStats = { inputs: 0, responses: 0, closes: {} };
  await fc.assert(
    fc.asyncProperty(fc.array(restRequest(known), { minLength: 1, maxLength: 20 }), async (batch) => {
      await Promise.all(batch.map(async ({ path, method, type, body }) => {
        const response = await fetch(`${httpBase}${path}`, {
          method,
          headers: type ? { "content-type": type } : {},
          body: method === "GET" ? undefined : body,
        });
        stats.inputs++;
        stats.responses++;
        assert.ok([200, 400, 401, 405, 413, 415].includes(response.status), `${response.status} for ${body}`);
        const json = await response.json();
        if (response.status !== 200) assert.ok(typeof json.error === "string" && typeof json.detail === "string");
      }));
    }),
    { numRuns: runs, endOnFailure: true },
  );
  return stats;
}
