import assert from "node:assert/strict";
import fc from "fast-check";
import { dmIdOf, plainDm, writtenDm } from "./frames.ts";
import { ClientFrame } from "./protocol.ts";

const fields = {
  type: fc.oneof(fc.constant("dm"), fc.constantFrom("typing", "DM", ""), fc.jsonValue()),
  to: fc.oneof(fc.uuid(), fc.uuid().map((id) => id.toUpperCase()), fc.string(), fc.jsonValue()),
  text: fc.oneof(fc.string(), fc.constantFrom("", " ", "\u00a0\n", "hi"), fc.jsonValue()),
  id: fc.oneof(fc.string({ maxLength: 70 }), fc.jsonValue()),
  extra: fc.jsonValue(),
};

Deno.test("frames - the dm fast path accepts only what the schema accepts, with the same result", () => {
  // Frames come from JSON.parse, so the generated ones go through JSON too.
  const frames = fc.record(fields, { requiredKeys: [] }).map((frame) => JSON.parse(JSON.stringify(frame)));
  fc.assert(
    fc.property(frames, (frame) => {
      const quick = plainDm(frame);
      if (quick === null) return;
      const parsed = ClientFrame.safeParse(frame);
      assert.ok(parsed.success, JSON.stringify(frame));
      assert.deepEqual(quick, parsed.data);
    }),
    { numRuns: 20_000 },
  );
});

Deno.test("frames - a well-formed dm takes the fast path", () => {
  const to = crypto.randomUUID();
  assert.deepEqual(plainDm({ type: "dm", to, text: "hello" }), { type: "dm", to, text: "hello" });
  assert.deepEqual(plainDm({ type: "dm", to, text: "hello", id: "m1" }), { type: "dm", to, text: "hello", id: "m1" });
  assert.equal(plainDm({ type: "dm", to: to.toUpperCase(), text: "hello" }), null, "left to the schema");
  assert.equal(plainDm([{ type: "dm", to, text: "x" }]), null);
});

const dmTexts = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", " ", "\u00a0\n", "\t", 'say "hi"', "back\\slash", "\u007f", "\u2028", "\u0000", "\ud83d\ude00"),
);
/** Dm frames as `JSON.stringify` writes them, keys in the order clients use, sometimes with an extra key. */
const writtenFrames = fc.record({
  type: fc.oneof(fc.constant("dm"), fc.constantFrom("typing", "DM")),
  to: fc.oneof(fc.uuid(), fc.uuid().map((id) => id.toUpperCase()), fc.string()),
  text: dmTexts,
  id: fc.oneof(fc.string({ maxLength: 70 }), fc.string({ unit: "binary", maxLength: 70 })),
  extra: fc.jsonValue(),
}, { requiredKeys: ["type", "to", "text"] }).map((frame) => JSON.stringify(frame));
/** The same frames changed the ways a client other than ours might write them. */
const rewrittenFrames = fc.tuple(writtenFrames, fc.nat(), fc.constantFrom(" ", "\n", '"', "\\", "}", ",")).map(
  ([text, at, inserted]) => text.slice(0, at % (text.length + 1)) + inserted + text.slice(at % (text.length + 1)),
);

Deno.test("frames - a dm read from its text is the dm JSON.parse reads, or left to the parser", () => {
  fc.assert(
    fc.property(fc.oneof(writtenFrames, rewrittenFrames, fc.string(), fc.string({ unit: "binary" })), (data) => {
      const direct = writtenDm(data);
      if (direct === null) return;
      assert.deepEqual(direct, plainDm(JSON.parse(data)), data);
    }),
    { numRuns: 20_000 },
  );
});

Deno.test("frames - every dm a client writes without escapes is read without the parser", () => {
  fc.assert(
    fc.property(writtenFrames, (data) => {
      const parsed = plainDm(JSON.parse(data));
      if (parsed === null || data.includes("\\") || "extra" in JSON.parse(data)) return;
      assert.deepEqual(writtenDm(data), parsed, data);
    }),
    { numRuns: 20_000 },
  );
  const to = crypto.randomUUID();
  const browser = JSON.stringify({ type: "dm", to, text: "héllo 👋", id: crypto.randomUUID() });
  assert.deepEqual(writtenDm(browser), JSON.parse(browser));
  assert.equal(writtenDm(JSON.stringify({ type: "dm", to, text: "line\nbreak" })), null, "escaped: left to the parser");
  assert.equal(writtenDm(JSON.stringify({ type: "dm", to, text: " \u00a0 " })), null, "blank: left to the schema");
  assert.equal(writtenDm(`{"type":"dm","to":"${to}","text":"x","id":"a","id":"b"}`), null, "duplicate key");
});

Deno.test("frames - a refused dm is named by its own id, escapes or not, and never by another", () => {
  fc.assert(
    fc.property(fc.oneof(writtenFrames, rewrittenFrames), (data) => {
      const named = dmIdOf(data);
      let value: Record<string, unknown> | null = null;
      try {
        value = JSON.parse(data);
      } catch {
        // Not JSON: refused as it is, whatever it names.
        return;
      }
      const id = value?.id;
      if (named !== undefined) assert.equal(named, id, data);
      // As clients write a dm: by JSON.stringify, keys in order, the id last and without escapes.
      const written = data === JSON.stringify(value) && data.startsWith('{"type":"dm","to":"') &&
        Object.keys(value!).at(-1) === "id";
      const plainId = typeof id === "string" && id.length >= 1 && id.length <= 64 && JSON.stringify(id) === `"${id}"`;
      if (written && plainId) assert.equal(named, id, data);
    }),
    { numRuns: 20_000 },
  );
});
